"""Tìm kiếm in Chromium: typed the way readers type Vietnamese on phones."""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from axe_playwright_python.sync_playwright import Axe

from build_gate.runner import build_site
from tests.browser.conftest import serve
from tests.conftest import ROOT, article_text

ARTICLES = {
    "dai-hoi": (
        "Đại hội Đảng bộ tỉnh lần thứ XII",
        "Đại hội XIV của Đảng",
        "2025-10-02 08:00",
        "Đại hội Đảng bộ tỉnh bàn phương hướng nhiệm kỳ mới.",
    ),
    "dai-hoi-tach": (
        "Hội nghị cán bộ chủ chốt",
        "Xây dựng Đảng",
        "2024-06-01 08:00",
        "Hội nghị chuẩn bị cho đại hội; tổ chức cơ sở đảng được củng cố.",
    ),
    "thuy-cu": (
        "Ngư dân vươn khơi",
        "Chống khai thác IUU",
        "2024-03-01 08:00",
        "Ngành thuỷ sản của tỉnh phát triển bền vững.",
    ),
    "thuy-moi": (
        "Cảng cá đông vui",
        "Chống khai thác IUU",
        "2023-03-01 08:00",
        "Sản lượng thủy sản tăng so với cùng kỳ.",
    ),
    "uy-moi": (
        "Tỉnh ủy họp phiên thường kỳ",
        "Xây dựng Đảng",
        "2024-09-01 08:00",
        "Ban Thường vụ Tỉnh ủy cho ý kiến về nhiều nội dung.",
    ),
    "uy-cu": (
        "Tỉnh uỷ chỉ đạo chống hạn",
        "Phát triển kinh tế - xã hội",
        "2023-05-01 08:00",
        "Ban Thường vụ Tỉnh uỷ chỉ đạo các ngành ứng phó hạn mặn.",
    ),
    "dang-dang": (
        "Công trình đang thi công",
        "Phát triển kinh tế - xã hội",
        "2025-11-01 08:00",
        "Cây cầu đang được thi công đúng tiến độ.",
    ),
}
DRAFT = (
    "Bản nháp thủy sản bí mật",
    "Chống khai thác IUU",
    "2024-01-01 08:00",
    "Không được tìm thấy thủy sản.",
)


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("search")
    content = root / "content"
    (content / "bai-viet").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", content)
    for name, (title, category, date, body) in ARTICLES.items():
        text = article_text(title=title, category=category, date=date, body=body)
        if name == "thuy-moi":  # an editor's file in NFD
            text = unicodedata.normalize("NFD", text)
        (content / "bai-viet" / f"{name}.md").write_text(text, encoding="utf-8")
    (content / "van-ban" / "files").mkdir(parents=True)
    (content / "van-ban" / "files" / "32-ct-tw.pdf").write_bytes(b"%PDF-1.4\n")
    (content / "van-ban" / "32-ct-tw.md").write_text(
        "So_hieu: 32-CT/TW\nLoai: Chỉ thị\nCo_quan: Ban Bí thư\nNgay_ban_hanh: 2024-04-10\n"
        "Trich_yeu: Về chống khai thác thủy sản bất hợp pháp\n"
        "File: {static}/van-ban/files/32-ct-tw.pdf\n\nGhi chú.\n",
        encoding="utf-8",
    )
    title, category, date, body = DRAFT
    draft = article_text(
        title=title, category=category, date=date, body=body, Status="draft"
    )
    (content / "bai-viet" / "nhap.md").write_text(draft, encoding="utf-8")
    result = build_site(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(root / "output"),
            "SITEURL": "",
            "REVIEW_GATE": {"PREVIEW_UNPUBLISHED": False},
        },
    )
    assert result.ok, result.errors
    with serve(root / "output") as base_url:
        yield base_url


@pytest.fixture
def search_page(browser, search_site):
    context = browser.new_context(
        base_url=search_site, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield page
    context.close()
    assert errors == []


def titles_for(page, query: str) -> list[str]:
    page.goto("/tim-kiem/?q=" + query)
    page.wait_for_selector(".portal-search-app[data-search-state=done]")
    return page.locator(".portal-search-result__title").all_inner_texts()


def typed(page, query: str) -> list[str]:
    """Type a query into the search page's box, as a reader does."""
    page.goto("/tim-kiem/")
    page.wait_for_selector(".portal-search-app[data-search-state=done]")
    box = page.locator("#tu-khoa-tim-trang")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "q => new URLSearchParams(location.search).get('q') === q"
        " && document.querySelector('.portal-search-app').dataset.searchState === 'done'",
        arg=query,
    )
    return page.locator(".portal-search-result__title").all_inner_texts()


def test_without_diacritics_and_with_d_for_dj(search_page):
    assert typed(search_page, "dai hoi dang") == [
        "Đại hội Đảng bộ tỉnh lần thứ XII",
        "Hội nghị cán bộ chủ chốt",
    ]


@pytest.mark.parametrize("query", ["thuy san", "thủy sản", "thuỷ sản", "THUY SAN"])
def test_either_tone_placement_finds_both_spellings(search_page, query):
    assert sorted(typed(search_page, query)) == [
        "Chỉ thị số 32-CT/TW",  # a văn bản about thủy sản
        "Cảng cá đông vui",
        "Ngư dân vươn khơi",
    ]


@pytest.mark.parametrize("query", ["Tinh uy", "Tỉnh ủy", "Tỉnh uỷ", "tinh ủy"])
def test_tinh_uy_in_every_form(search_page, query):
    assert sorted(titles_for(search_page, query)) == [
        "Tỉnh uỷ chỉ đạo chống hạn",
        "Tỉnh ủy họp phiên thường kỳ",
    ]


def test_every_word_must_match(search_page):
    assert titles_for(search_page, "thuy san ben vung") == ["Ngư dân vươn khơi"]
    assert titles_for(search_page, "thuy san khong-co-tu-nay") == []


def test_a_quoted_phrase_matches_as_a_phrase(search_page):
    assert titles_for(search_page, '"dai hoi dang"') == [
        "Đại hội Đảng bộ tỉnh lần thứ XII"
    ]
    assert sorted(titles_for(search_page, "dai hoi dang")) == [
        "Hội nghị cán bộ chủ chốt",
        "Đại hội Đảng bộ tỉnh lần thứ XII",
    ]


def test_diacritics_typed_rank_exact_matches_first(search_page):
    # "Đảng" folds to "dang", like "đang": the exact spelling comes first
    # although the other article is newer.
    found = titles_for(search_page, "Đảng")
    assert found[0] in ("Đại hội Đảng bộ tỉnh lần thứ XII", "Hội nghị cán bộ chủ chốt")
    assert found[-1] == "Công trình đang thi công"
    assert (
        titles_for(search_page, "dang")[0] == "Công trình đang thi công"
    )  # newest first


def test_results_show_the_original_text_with_marks(search_page):
    titles_for(search_page, "thuy san")
    excerpts = search_page.locator(".portal-search-result__excerpt")
    marks = search_page.locator(".portal-search-result__excerpt mark").all_inner_texts()
    assert set(marks) <= {"thuỷ", "thủy", "sản", "Sản"}
    assert (
        "thuỷ sản" in excerpts.all_inner_texts()[0]
        or "thủy sản" in excerpts.all_inner_texts()[0]
    )
    meta = (
        search_page.locator(".portal-search-result", has_text="Ngư dân")
        .locator(".portal-search-result__meta")
        .inner_text()
    )
    assert "Chống khai thác IUU" in meta and "/20" in meta


def choose_one(search_page, label: str) -> list[str]:
    """Tick a filter that leaves one result; the titles shown."""
    search_page.get_by_label(label).check()
    search_page.wait_for_function(
        "() => document.querySelectorAll('.portal-search-result').length === 1"
    )
    return search_page.locator(".portal-search-result__title").all_inner_texts()


def test_section_and_year_filters_with_counts(search_page):
    titles_for(search_page, "ban thuong vu")
    options = search_page.locator(".portal-search-filters__option").all_inner_texts()
    assert "Xây dựng Đảng (1)" in [o.strip() for o in options]
    assert "2023 (1)" in [o.strip() for o in options]
    assert choose_one(search_page, "Xây dựng Đảng (1)") == [
        "Tỉnh ủy họp phiên thường kỳ"
    ]
    assert "chuyen-muc=xay-dung-dang" in search_page.url
    search_page.locator("fieldset", has_text="Chuyên mục").get_by_label(
        "Tất cả (2)"
    ).check()
    search_page.get_by_label("2023 (1)").check()
    search_page.wait_for_function(
        "() => document.querySelectorAll('.portal-search-result').length === 1"
    )
    assert search_page.locator(".portal-search-result__title").all_inner_texts() == [
        "Tỉnh uỷ chỉ đạo chống hạn"
    ]


def test_drafts_are_not_in_the_index(search_page, search_site):
    assert "Bản nháp thủy sản bí mật" not in titles_for(search_page, "bi mat")


def test_the_header_search_box_leads_to_the_results(search_page):
    search_page.goto("/")
    search_page.locator("#tu-khoa-tim-dau-trang").fill("tinh uy")
    search_page.locator("#tu-khoa-tim-dau-trang").press("Enter")
    search_page.wait_for_selector(".portal-search-app[data-search-state=done]")
    assert search_page.url.endswith("/tim-kiem/?q=tinh+uy")
    assert len(search_page.locator(".portal-search-result").all()) == 2


def test_search_is_accessible(search_page):
    titles_for(search_page, "thuy san")
    result = Axe().run(
        search_page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            }
        },
    )
    assert result.violations_count == 0, result.generate_report()


def test_documents_are_found_and_have_their_own_filter(search_page):
    found = titles_for(search_page, "thuy san")
    assert "Chỉ thị số 32-CT/TW" in found
    assert choose_one(search_page, "Văn bản (1)") == ["Chỉ thị số 32-CT/TW"]
    assert "loai=v" in search_page.url
