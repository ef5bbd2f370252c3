"""Tìm kiếm in Chromium: typed the way readers type Vietnamese on phones."""

from __future__ import annotations

import re
import shutil
import unicodedata

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from bench.judged import (
    judged_queries,
    our_titles,
    rank_of,
    scores,
    write_judged_articles,
)
from bench.lighthouse import LIGHTHOUSE, layout_shift_of, run_lighthouse
from tests.browser.conftest import running_in_ci, serve
from tests.conftest import ROOT, article_text
from tools.site_build import build_site

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
    assert titles_for(search_page, "thuy san xqxqxq") == []


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
    assert titles_for(search_page, "đang")[0] == "Công trình đang thi công"
    # Unaccented, both spellings are found.
    assert set(titles_for(search_page, "dang")) == set(found)


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


# --- Relevance, typing, phones: the sample site and the judged set ----------------

PHONE = {"width": 390, "height": 844}
CORRUPTION = "Công khai, minh bạch tài sản, thu nhập: nền tảng phòng ngừa tham nhũng"


@pytest.fixture(scope="module")
def judged_site(tmp_path_factory) -> str:
    """The sample site with the judged set's articles (deliberate collisions)."""
    root = tmp_path_factory.mktemp("judged")
    shutil.copytree(ROOT / "content", root / "content")
    write_judged_articles(root / "content")
    result = build_site(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(root / "content"),
            "OUTPUT_PATH": str(root / "output"),
            "SITEURL": "",
        },
    )
    assert result.ok, result.errors
    with serve(root / "output") as base_url:
        yield base_url


def open_page(browser, base_url: str, viewport: dict, phone: bool = False):
    context = browser.new_context(
        base_url=base_url, viewport=viewport, is_mobile=phone, has_touch=phone
    )
    return context, context.new_page()


@pytest.fixture
def judged_page(browser, judged_site):
    context, page = open_page(browser, judged_site, {"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def phone_page(browser, judged_site):
    context, page = open_page(browser, judged_site, PHONE, phone=True)
    yield page
    context.close()


def test_every_judged_query_has_its_article_first(judged_page):
    judged = judged_queries()
    assert len(judged) >= 25
    assert {j.kind for j in judged} >= {"unaccented", "partial", "typo", "phrase"}
    ranks = [rank_of(j, our_titles(judged_page, j.typed)) for j in judged]
    missed = [
        (j.typed, rank) for j, rank in zip(judged, ranks, strict=True) if rank != 1
    ]
    assert missed == []
    assert scores(ranks) == {"first_share": 1.0, "mrr": 1.0}


def test_the_phrase_in_the_title_beats_newer_articles_with_the_words_apart(
    judged_page,
):
    # "thăm những", "dệt nhung" are newer and fold to the same words.
    found = our_titles(judged_page, "tham nhung")
    assert found[0] == CORRUPTION
    assert found.index("Thăm hỏi, tặng quà những gia đình chính sách dịp Tết") > 2


def test_newest_first_is_a_sort_the_reader_chooses(judged_page):
    by_relevance = our_titles(judged_page, "tham nhung")
    status = judged_page.locator(".portal-search-results__status").inner_text()
    judged_page.locator("select[name=sap-xep]").select_option("moi-nhat")
    judged_page.wait_for_function(
        "first => document.querySelector('.portal-search-result__title')"
        ".innerText.trim() !== first",
        arg=by_relevance[0],
    )
    assert "sap-xep=moi-nhat" in judged_page.url
    metas = judged_page.locator(".portal-search-result__meta").all_inner_texts()
    dates = [
        tuple(reversed([int(n) for n in re.search(r"(\d+)/(\d+)/(\d{4})", m).groups()]))
        for m in metas
    ]
    assert dates == sorted(dates, reverse=True)
    assert judged_page.locator(".portal-search-results__status").inner_text() == status
    assert (
        CORRUPTION
        not in judged_page.locator(".portal-search-result__title").all_inner_texts()
    )  # older than ten others with the words


def test_the_last_word_is_a_prefix_while_typing(judged_page):
    assert typed(judged_page, "tham nhun")[0] == CORRUPTION
    marks = judged_page.locator(".portal-search-result__title mark").all_inner_texts()
    assert "nhũng" in marks
    # A letter alone is neither a prefix nor corrected into a word.
    typed(judged_page, "tham n")
    marks = judged_page.locator(".portal-search-result mark").all_inner_texts()
    assert {mark.lower() for mark in marks} <= {"tham", "thăm", "thắm", "thầm", "n"}
    assert judged_page.locator(".portal-search-results__suggestion").is_hidden()


def test_a_mistyped_word_is_corrected_with_a_suggestion(judged_page):
    found = our_titles(judged_page, "tham nhugn")
    assert found[0] == CORRUPTION
    suggestion = judged_page.locator(".portal-search-results__suggestion")
    assert suggestion.is_visible()
    assert suggestion.inner_text() == "Có phải bạn muốn tìm: tham nhung"
    judged_page.locator(".portal-search-results__suggestion a").click()
    judged_page.wait_for_selector(".portal-search-app[data-search-state=done]")
    assert judged_page.url.endswith("?q=tham+nhung")
    assert not suggestion.is_visible()
    # The suggestion's link lists what was shown under it.
    titles = judged_page.locator(".portal-search-result__title").all_inner_texts()
    assert [title.strip() for title in titles] == found


@pytest.mark.parametrize("query", ["dai hoi", "tham nhung"])
def test_an_excerpt_is_cut_between_words_and_a_heading_ends_its_sentence(
    judged_page, query
):
    judged_page.goto("/tim-kiem/?q=" + query.replace(" ", "+"))
    judged_page.wait_for_selector(".portal-search-app[data-search-state=done]")
    results = judged_page.locator(".portal-search-result")
    cut = 0
    for index in range(results.count()):
        result = results.nth(index)
        excerpt = result.locator(".portal-search-result__excerpt").inner_text()
        if not excerpt.endswith(" …"):
            continue
        cut += 1
        last = excerpt[: -len(" …")].split()[-1]
        url = result.locator("a").first.get_attribute("href")
        article = BeautifulSoup(judged_page.request.get(url).text(), "html.parser")
        body = article.select_one(".portal-article__body").get_text(" ")
        # The excerpt's last word is a whole word of the article.
        assert re.search(rf"(?<!\w){re.escape(last)}(?!\w)", body), (url, excerpt)
        for heading in article.select(
            ".portal-article__body h2, .portal-article__body h3"
        ):
            title = " ".join(heading.get_text(" ").split())
            if title in excerpt and not title.endswith(tuple(".!?:;…,")):
                assert title + "." in excerpt, (url, title, excerpt)
    assert cut


def test_no_results_offer_sections_and_quotes(judged_page):
    assert our_titles(judged_page, "xqxqxq zvzvzv") == []
    status = judged_page.locator(".portal-search-results__status").inner_text()
    assert status == "Không tìm thấy bài viết hay văn bản nào cho “xqxqxq zvzvzv”."
    empty = judged_page.locator(".portal-search-empty")
    assert empty.is_visible()
    assert "ngoặc kép" in empty.inner_text()
    links = empty.locator(".portal-search-empty__topics a")
    assert links.count() >= 8
    assert "Chống khai thác IUU" in links.all_inner_texts()
    links.filter(has_text="Chống khai thác IUU").click()
    assert judged_page.locator("h1").inner_text() == "Chống khai thác IUU"


def test_counts_say_what_they_count_and_queries_show_as_typed(judged_page):
    our_titles(judged_page, '"tham nhung"')
    status = judged_page.locator(".portal-search-results__status").inner_text()
    assert re.fullmatch(
        r'Tìm thấy \d+ bài viết và \d+ văn bản cho "tham nhung"\.', status
    ), status
    our_titles(judged_page, "u minh thuong")
    status = judged_page.locator(".portal-search-results__status").inner_text()
    assert status == "Tìm thấy 1 bài viết cho “u minh thuong”."


def test_on_a_phone_the_first_result_shows_without_scrolling(phone_page):
    assert our_titles(phone_page, "tham nhung")[0] == CORRUPTION
    first = phone_page.locator(".portal-search-result").first.bounding_box()
    assert first["y"] + 40 < PHONE["height"], first
    box = phone_page.locator(".portal-search-filters-box")
    assert box.evaluate("details => details.open") is False
    assert phone_page.locator("fieldset", has_text="Chuyên mục").is_hidden()
    box.locator("summary").click()
    assert phone_page.locator("fieldset", has_text="Chuyên mục").is_visible()
    phone_page.get_by_label("Văn bản").check()
    phone_page.wait_for_function(
        "() => [...document.querySelectorAll('.portal-search-result__meta')]"
        ".every(meta => meta.innerText.includes('Văn bản'))"
    )
    assert "loai=v" in phone_page.url


def test_on_a_wide_screen_the_filters_are_open_beside_the_results(judged_page):
    our_titles(judged_page, "tham nhung")
    assert judged_page.locator("fieldset", has_text="Chuyên mục").is_visible()
    assert not judged_page.locator(".portal-search-filters-box summary").is_visible()
    filters = judged_page.locator(".portal-search-filters").bounding_box()
    first = judged_page.locator(".portal-search-result").first.bounding_box()
    assert filters["x"] + filters["width"] <= first["x"]


@pytest.mark.parametrize("desktop", [False, True], ids=["mobile", "desktop"])
def test_the_results_page_does_not_shift_in_lighthouse(judged_site, tmp_path, desktop):
    if not LIGHTHOUSE.is_file():
        if running_in_ci():
            pytest.fail(f"{LIGHTHOUSE} is missing: `npm ci` before the tests")
        pytest.skip(f"{LIGHTHOUSE} is missing (npm ci)")
    report = run_lighthouse(
        f"{judged_site}/tim-kiem/?q=tham+nhung",
        tmp_path / "report.json",
        ("performance",),
        desktop=desktop,
    )
    assert layout_shift_of(report) < 0.1
