"""Văn bản: document records, their pages, citations in articles, checks."""

import io
import json
import re

import pytest
from pelican.settings import read_settings

from build_cache import load_pickle
from build_cache.settings import cache_folder
from conftest import ROOT
from documents.citations import CITATION, may_cite
from tools.content_check import main as check_main


def record(
    number, kind="Chỉ thị", issuer="Ban Bí thư", date="2024-04-10", slug=None, **extra
):
    slug = slug or re.sub(r"[^a-z0-9]+", "-", number.lower().replace("đ", "d")).strip(
        "-"
    )
    lines = {
        "So_hieu": number,
        "Loai": kind,
        "Co_quan": issuer,
        "Ngay_ban_hanh": date,
        "Trich_yeu": f"Trích yếu của văn bản {number}",
        "File": f"{{static}}/van-ban/files/{slug}.pdf",
        **extra,
    }
    header = "\n".join(
        f"{key}: {value}" for key, value in lines.items() if value is not None
    )
    return slug, header + "\n\nGhi chú về văn bản.\n"


@pytest.fixture
def archive(site):
    for number, kind, issuer, date in (
        ("32-CT/TW", "Chỉ thị", "Ban Bí thư", "2024-04-10"),
        ("7357/VP-KGVX", "Công văn", "Văn phòng UBND tỉnh", "2024-08-02"),
        ("228-KH/TU", "Kế hoạch", "Tỉnh ủy", "2024-07-15"),
    ):
        slug, text = record(number, kind, issuer, date, Category="Chống khai thác IUU")
        site.write(f"van-ban/{slug}.md", text)
        site.write(f"van-ban/files/{slug}.pdf", b"%PDF-1.4\n%%EOF\n")
    body = """
Theo Chỉ thị số 32-CT/TW ngày 10/4/2024 của Ban Bí thư và Công văn số 7357/VP-KGVX, tỉnh
ban hành Kế hoạch 228-KH/TU; văn bản số 32-CT/TW ngày 10/4/2024 được quán triệt.

## Thực hiện Chỉ thị số 32-CT/TW

Xem [Chỉ thị 32-CT/TW](https://example.vn/ct32) và `Chỉ thị số 32-CT/TW`.

Còn Chỉ thị số 99-CT/TW chưa có hồ sơ.
"""
    site.article("dan", title="Bài dẫn văn bản", body=body)
    site.article("khac", title="Bài không dẫn", date="2024-04-27 08:00")
    return site


def test_document_pages_and_listings(archive):
    result = archive.build()
    assert result.ok, result.errors
    page = archive.page("van-ban/32-ct-tw")
    assert page.h1.get_text() == "Chỉ thị số 32-CT/TW"
    # The heading (number kept on one line) reads as the title (document.title).
    assert page.title.get_text().startswith(f"{page.h1.get_text()} | ")
    details = dict(
        zip(
            [d.get_text() for d in page.select("dt")],
            [d.get_text(" ", strip=True) for d in page.select("dd")],
            strict=True,
        )
    )
    assert details["Số hiệu"] == "32-CT/TW"
    assert details["Cơ quan ban hành"] == "Ban Bí thư"
    assert details["Ngày ban hành"] == "10/04/2024"
    download = page.select_one("a.portal-document__download")["href"]
    assert (archive.output / download.removeprefix("http://portal.test/")).is_file()
    assert [a.get_text() for a in page.select(".portal-document__citing a")] == [
        "Bài dẫn văn bản"
    ]
    listing = archive.page("van-ban")
    assert [a.get_text() for a in listing.select(".portal-document-card__title a")] == [
        "Công văn số 7357/VP-KGVX",
        "Kế hoạch số 228-KH/TU",
        "Chỉ thị số 32-CT/TW",
    ]
    assert [
        a.get_text()
        for a in archive.page("van-ban/loai/chi-thi").select(
            ".portal-document-card__title a"
        )
    ] == ["Chỉ thị số 32-CT/TW"]
    assert archive.exists("van-ban/co-quan/ban-bi-thu")
    assert len(archive.page("van-ban/nam/2024").select(".portal-document-card")) == 3


def test_citations_become_links_outside_headings_links_and_code(archive):
    assert archive.build().ok
    body = archive.page("2024/04/bai-dan-van-ban").select_one(".portal-article__body")
    links = {a.get_text(): a["href"] for a in body.select("a.portal-citation")}
    assert links == {
        "Chỉ thị số 32-CT/TW ngày 10/4/2024": "http://portal.test/van-ban/32-ct-tw/",
        "Công văn số 7357/VP-KGVX": "http://portal.test/van-ban/7357-vp-kgvx/",
        "Kế hoạch 228-KH/TU": "http://portal.test/van-ban/228-kh-tu/",
        "số 32-CT/TW ngày 10/4/2024": "http://portal.test/van-ban/32-ct-tw/",
    }
    assert not body.select("h2 a")
    assert body.select_one("code").get_text() == "Chỉ thị số 32-CT/TW"
    assert (
        body.select_one("a[href='https://example.vn/ct32']").get_text()
        == "Chỉ thị 32-CT/TW"
    )
    assert "Chỉ thị số 99-CT/TW" in body.get_text() and not body.select("a[href*='99']")


def test_a_document_lists_only_the_articles_whose_text_cites_it(archive):
    """A number in a heading only, or only unknown numbers: no link, not listed."""
    archive.article(
        "tieu-de",
        title="Bài chỉ nêu ở tiêu đề",
        date="2024-04-28 08:00",
        body="## Chỉ thị số 32-CT/TW\n\nNội dung không dẫn văn bản nào.",
    )
    archive.article(
        "chua-co",
        title="Bài dẫn văn bản chưa có hồ sơ",
        date="2024-04-29 08:00",
        body="Thực hiện Chỉ thị số 98-CT/TW và Kế hoạch số 12-KH/TU.",
    )
    assert archive.build().ok
    citing = archive.page("van-ban/32-ct-tw").select(".portal-document__citing li a")
    assert [a.get_text() for a in citing] == ["Bài dẫn văn bản"]
    for url in (
        "2024/04/bai-chi-neu-o-tieu-de",
        "2024/04/bai-dan-van-ban-chua-co-ho-so",
    ):
        body = archive.page(url).select_one(".portal-article__body")
        assert not body.select("a"), url
    unknown = archive.page("2024/04/bai-dan-van-ban-chua-co-ho-so")
    assert "Chỉ thị số 98-CT/TW và Kế hoạch số 12-KH/TU" in unknown.get_text()


@pytest.mark.parametrize(
    "text",
    [
        "Theo Chỉ thị số 32-CT/TW ngày 10/4/2024 của Ban Bí thư.",
        "<p>Thực hiện Kế hoạch 228-KH/TU;</p>",
        "<p>văn bản số 7357/VP-KGVX.</p>",
        "Ngày 10/4/2024, theo Công văn   số\n32-CT/TW, tỉnh 12/5 và 132-CT/TW.",
        "CHỈ THỊ 32-CT/TW",
    ],
)
def test_a_body_citing_a_known_number_is_never_passed_over(text):
    """The quick look for numbers finds every citation the full pattern finds."""
    known = {"32-CT/TW", "228-KH/TU", "7357/VP-KGVX"}
    assert any(m["number"] in known for m in CITATION.finditer(text))
    assert may_cite(text, known)


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 10/4/2024, theo Chỉ thị số 99-CT/TW và Kế hoạch số 132-CT/TW.",
        "Số liệu 32-CT/TWA và 1232-CT/TW, năm 2024.",
        "Không dẫn văn bản nào.",
    ],
)
def test_a_body_without_a_known_number_is_passed_over(text):
    known = {"32-CT/TW", "228-KH/TU", "7357/VP-KGVX"}
    assert not may_cite(text, known)


def test_the_build_cache_keeps_no_second_copy_of_a_body_that_cites_nothing(archive):
    """The linked body of a citing article; for the others, nothing but the key."""
    assert archive.build().ok
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(archive.content)}
    )
    kept = [
        value
        for shard in (cache_folder(settings) / "read").glob("*.pickle")
        for key, value in load_pickle(shard, tuple)[2].items()
        if key.startswith("citations-")
    ]
    assert len(kept) == 2  # "dan" and "khac"
    (linked,) = [body for body, numbers in kept if numbers]
    assert 'class="portal-citation"' in linked
    assert [body for body, numbers in kept if not numbers] == [None]
    # Built again from the cache: the same pages.
    before = archive.page("2024/04/bai-dan-van-ban").select_one(".portal-article__body")
    other = archive.page("2024/04/bai-khong-dan").select_one(".portal-article__body")
    archive.article("moi", title="Bài mới", date="2024-04-30 08:00")
    assert archive.build().ok
    again = archive.page("2024/04/bai-dan-van-ban").select_one(".portal-article__body")
    assert again == before
    assert (
        archive.page("2024/04/bai-khong-dan").select_one(".portal-article__body")
        == other
    )


def test_documents_are_in_the_search_index_as_their_own_kind(archive):
    assert archive.build().ok
    folder = archive.output / "tim-kiem" / "chi-muc"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rows = "".join(segment[3] for segment in manifest["segments"])
    kinds = [rows[i + 6] for i in range(0, len(rows), 7)]
    assert sorted(kinds) == ["a", "a", "v", "v", "v"]
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in folder.rglob("d/*.json")]
    assert {d["t"] for d in docs} >= {"Chỉ thị số 32-CT/TW", "Công văn số 7357/VP-KGVX"}


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [
        (
            record("32-CT/TW", kind="Sắc lệnh")[1],
            2,
            "Loai",
            'loại văn bản "Sắc lệnh" không có trong danh sách',
        ),
        (
            record("32-CT/TW", slug="x")[1].replace("So_hieu: 32-CT/TW\n", ""),
            1,
            "So_hieu",
            "thiếu trường bắt buộc",
        ),
        (record("số ba mươi hai", slug="y")[1], 1, "So_hieu", "không đúng dạng"),
        (
            record("45-CT/TW")[1],
            6,
            "File",
            'không tìm thấy tệp "{static}/van-ban/files/45-ct-tw.pdf"',
        ),
    ],
)
def test_check_reports_bad_records(site, text, line, field, fragment):
    site.write("van-ban/loi.md", text)
    for name in ("32-ct-tw", "x", "y"):
        site.write(f"van-ban/files/{name}.pdf", b"%PDF-1.4\n")
    out = io.StringIO()
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(site.content)}
    )
    assert check_main(settings, out) == 1
    first = out.getvalue().splitlines()[0]
    assert re.search(rf"van-ban/loi\.md:{line}: {field}: ", first), first
    assert fragment in first


def test_a_number_used_twice_names_both_records(site):
    for name in ("mot", "hai"):
        site.write(f"van-ban/{name}.md", record("32-CT/TW", slug="32-ct-tw")[1])
    site.write("van-ban/files/32-ct-tw.pdf", b"%PDF-1.4\n")
    out = io.StringIO()
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(site.content)}
    )
    assert check_main(settings, out) == 1
    lines = out.getvalue().splitlines()[:-2]
    assert len(lines) == 2 and all(
        ": So_hieu: trùng đường dẫn /van-ban/32-ct-tw/ với" in line
        and "cùng số hiệu" in line
        for line in lines
    )
    assert site.build().failed


def test_unknown_numbers_are_warnings(archive):
    out = io.StringIO()
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(archive.content)}
    )
    assert check_main(settings, out) == 0
    warnings = [
        line for line in out.getvalue().splitlines() if line.endswith("(cảnh báo)")
    ]
    assert len(warnings) == 1
    assert re.search(
        r"dan\.md:16: văn bản: số hiệu 99-CT/TW chưa có hồ sơ", warnings[0]
    )
