"""Kiểm duyệt: what each review state publishes, in production and in a preview."""

import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import article_text

ATOM = "{http://www.w3.org/2005/Atom}"
PRODUCTION = {
    "SITEURL": "https://chuyende.tinh.example",
    "FEED_DOMAIN": "https://chuyende.tinh.example",
}
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(delta: timedelta) -> str:
    return (datetime.now(LOCAL) + delta).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def newsroom(site):
    common = {"category": "Chống khai thác IUU", "Tags": "Kiểm duyệt"}
    site.article("da-dang", title="Bài đã đăng", date="2024-03-01 08:00", **common)
    site.write(
        "bai-viet/nhap.md",
        article_text(
            title="Bài nháp bí mật",
            date="2024-03-02 08:00",
            Status=None,
            Reviewed_by=None,
            Reviewed_at=None,
            **common,
        ),
    )
    site.article(
        "cho-duyet",
        title="Bài chờ duyệt bí mật",
        date="2024-03-03 08:00",
        Status="review",
        Reviewed_by=None,
        Reviewed_at=None,
        **common,
    )
    site.article(
        "hen-gio",
        title="Bài hẹn giờ bí mật",
        date=local_time(timedelta(days=2)),
        **common,
    )
    site.article(
        "dinh-chinh",
        title="Bài có đính chính",
        date="2024-03-04 08:00",
        Correction="2024-03-05 09:00: Sửa số tàu cá từ 120 thành 102.",
        **common,
        body="Nội dung bài có đính chính.",
    )
    # A second correction line (several are allowed).
    path = site.content / "bai-viet" / "dinh-chinh.md"
    text = path.read_text(encoding="utf-8").replace(
        "Correction:",
        "Correction: 2024-03-06 10:30: Bổ sung tên cảng cá.\nCorrection:",
        1,
    )
    path.write_text(text, encoding="utf-8")
    site.article(
        "go-bo",
        title="Bài bị gỡ",
        date="2024-03-07 08:00",
        Status="retracted",
        Retraction_note="Thông tin chưa được kiểm chứng.",
        Retracted_at="2024-03-08 15:00",
        body="Đoạn thân bài tuyệt mật không được lộ ra.",
        **common,
    )
    return site


def all_output_text(site) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in site.output.rglob("*")
        if path.is_file() and path.suffix in (".html", ".xml")
    )


def test_production_writes_nothing_of_drafts_reviews_or_scheduled(newsroom):
    result = newsroom.build(production=True, **PRODUCTION)
    assert result.ok, result.errors
    everything = all_output_text(newsroom)
    for secret in ("Bài nháp bí mật", "Bài chờ duyệt bí mật", "Bài hẹn giờ bí mật"):
        assert secret not in everything
    for slug in ("bai-nhap-bi-mat", "bai-cho-duyet-bi-mat", "bai-hen-gio-bi-mat"):
        assert not list(newsroom.output.rglob(f"*{slug}*"))
    assert not (newsroom.output / "ban-nhap").exists()
    assert newsroom.listed_titles("chuyen-muc/chong-khai-thac-iuu") == [
        "Bài có đính chính",
        "Bài đã đăng",
    ]


def test_a_scheduled_article_appears_on_the_first_build_after_its_time(site):
    site.article("som", title="Bài hẹn giờ", date=local_time(timedelta(seconds=2)))
    assert site.build(production=True, **PRODUCTION).ok
    assert site.listed_titles("chuyen-muc/xay-dung-dang") == []
    time.sleep(2.5)
    assert site.build(production=True, **PRODUCTION).ok
    assert site.listed_titles("chuyen-muc/xay-dung-dang") == ["Bài hẹn giờ"]


def test_a_retracted_article_answers_with_the_notice_only(newsroom):
    assert newsroom.build(production=True, **PRODUCTION).ok
    url = "2024/03/bai-bi-go"
    page = newsroom.page(url)
    text = page.get_text(" ", strip=True)
    assert "Bài viết đã được gỡ bỏ" in page.h1.get_text()
    assert "Thông tin chưa được kiểm chứng." in text
    assert "Thứ Sáu, 08/03/2024 - 15:00" in text
    assert "tuyệt mật" not in str(page)
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    everything_else = "\n".join(
        p.read_text(encoding="utf-8")
        for p in newsroom.output.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml") and url not in str(p)
    )
    assert "Bài bị gỡ" not in everything_else
    assert "bai-bi-go" not in everything_else


def test_corrections_show_a_notice_and_update_the_modified_date(newsroom):
    assert newsroom.build(production=True, **PRODUCTION).ok
    notice = newsroom.page("2024/03/bai-co-dinh-chinh").select_one(".portal-correction")
    assert notice.h2.get_text() == "Đính chính"
    items = [li.get_text(" ", strip=True) for li in notice.select("li")]
    assert items == [
        "Thứ Ba, 05/03/2024 - 09:00 : Sửa số tàu cá từ 120 thành 102.",
        "Thứ Tư, 06/03/2024 - 10:30 : Bổ sung tên cảng cá.",
    ]
    feed = ET.parse(
        newsroom.output / "chuyen-muc/chong-khai-thac-iuu/atom.xml"
    ).getroot()
    entry = next(
        e
        for e in feed.findall(f"{ATOM}entry")
        if "đính chính" in e.find(f"{ATOM}title").text
    )
    assert entry.find(f"{ATOM}updated").text == "2024-03-06T10:30:00+07:00"


def test_published_without_a_reviewer_is_refused(site):
    site.article("chua-duyet", title="Chưa duyệt", Reviewed_by=None)
    result = site.build(production=True, **PRODUCTION)
    assert result.failed
    assert any(
        "chua-duyet.md:1: Reviewed_by: thiếu trường bắt buộc khi Status: published" in m
        for m in result.errors
    )


def test_a_preview_shows_unpublished_articles_with_a_banner(newsroom):
    result = newsroom.build()
    assert result.ok, result.errors
    draft = newsroom.page("ban-nhap/bai-nhap-bi-mat")
    assert "Bản nháp" in draft.select_one(".portal-banner").get_text()
    review = newsroom.page("ban-nhap/bai-cho-duyet-bi-mat")
    assert "Chờ duyệt" in review.select_one(".portal-banner").get_text()
    queue = newsroom.page("ban-nhap")
    rows = [tr.select("td")[1].get_text(strip=True) for tr in queue.select("tbody tr")]
    assert rows == ["Bài chờ duyệt bí mật", "Bài nháp bí mật"]
    # Unpublished articles are listed nowhere else.
    assert "Bài nháp bí mật" not in newsroom.listed_titles(
        "chuyen-muc/chong-khai-thac-iuu"
    )
    scheduled = newsroom.page(
        next(newsroom.output.glob("*/*/bai-hen-gio-bi-mat"))
        .relative_to(newsroom.output)
        .as_posix()
    )
    assert "Hẹn giờ" in scheduled.select_one(".portal-banner").get_text()
