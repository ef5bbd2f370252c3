"""The portal's pages in a real browser: structure, scripts, print, a11y, layout.

Written against the theme's DOM contract: every page has ``<html lang="vi">``,
one ``<main id="main">``, ``header.portal-header``, ``footer.portal-footer``
and ``form.portal-search``; scripts come from /theme/js/ only; an article has
reading tools (font size, print, share) that work without a network.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

VIEWPORTS = [(375, 812), (1280, 800)]
DESKTOP = (1280, 800)
SECTION = "/chuyen-muc/chong-khai-thac-iuu/"
MISSING = "/trang-khong-ton-tai/"
# The văn bản listing, and the sample document with the longest number.
DOCUMENTS = "/van-ban/"
DOCUMENT = "/van-ban/3968-cv-bcsd/"
# A document that articles cite (their citations link to it).
CITED_DOCUMENT = "/van-ban/32-ct-tw/"
PAGE_NAMES = ["home", "section", "article", "documents", "document", "404"]
BODY_PARAGRAPH = ".portal-article__body p"
FONT_SIZE_KEY = "portal-font-size"
HIDDEN_IN_PRINT = [
    "header.portal-header",
    "footer.portal-footer",
    ".portal-article-tools",
    ".portal-breadcrumb",
]


@pytest.fixture(scope="module")
def article_paths(browser, server) -> list[str]:
    """Paths of the articles linked from the section page's card titles."""
    context = browser.new_context(base_url=server)
    try:
        page = context.new_page()
        page.goto(SECTION)
        hrefs = page.locator(".portal-card__title a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    finally:
        context.close()
    paths = list(dict.fromkeys(urlsplit(urljoin(SECTION, h)).path for h in hrefs))
    assert len(paths) >= 2, f"{SECTION} links fewer than two articles: {hrefs}"
    return paths


@pytest.fixture
def page_paths(article_paths) -> dict[str, str]:
    return {
        "home": "/",
        "section": SECTION,
        "article": article_paths[0],
        "documents": DOCUMENTS,
        "document": DOCUMENT,
        "404": MISSING,
    }


def viewport_id(viewport: tuple[int, int]) -> str:
    return "{}x{}".format(*viewport)


# --- Helpers -----------------------------------------------------------------------


def open_at(page_at, path: str, viewport=DESKTOP, **options):
    """A fresh page at ``path``; fails unless the document answered 200."""
    portal_page = page_at(*viewport, **options)
    response = portal_page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"{path} answered {response.status}"
    return portal_page


def open_named(page_at, page_paths, name: str, viewport=DESKTOP):
    """A fresh page at one of the named pages (the 404 page answers 404)."""
    path = page_paths[name]
    if name != "404":
        return open_at(page_at, path, viewport)
    portal_page = page_at(*viewport)
    response = portal_page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == 404, f"{path} answered {response.status}, not 404"
    return portal_page


def font_size(page) -> float:
    """The computed font size, in px, of the article body's first paragraph."""
    return page.locator(BODY_PARAGRAPH).first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )


def settled_font_size(page, condition: str, reference: float) -> float:
    """The body font size once ``condition`` (JS, on size and ref) holds, or now.

    The font-size script may apply its change a frame later; wait for it
    rather than sleep, then let the caller's assertion explain a failure.
    """
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(
            f"""ref => {{
                const p = document.querySelector({BODY_PARAGRAPH!r});
                const size = p && parseFloat(getComputedStyle(p).fontSize);
                return {condition};
            }}""",
            arg=reference,
            timeout=3_000,
        )
    return font_size(page)


def click_font_button(page, which: str, times: int = 1) -> None:
    button = page.locator(f'.portal-article-tools button[data-font-size="{which}"]')
    for _ in range(times):
        button.click()


def computed(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        "(element, prop) => getComputedStyle(element)[prop]", prop
    )


# --- Every page: contract, cleanliness, layout, accessibility ------------------------


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_follows_the_dom_contract(page_at, page_paths, name):
    page = open_named(page_at, page_paths, name).page
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("main#main")).to_have_count(1)
    expect(page.locator("header.portal-header")).to_have_count(1)
    expect(page.locator("footer.portal-footer")).to_have_count(1)
    search = page.locator('form.portal-search input[name="q"]')
    expect(search.first, "no form.portal-search with a q field").to_be_attached()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_runs_only_scripts_from_theme_js(page_at, page_paths, server, name):
    page = open_named(page_at, page_paths, name).page
    scripts = page.locator("script").evaluate_all(
        "scripts => scripts.map(s => [s.getAttribute('src'), s.type, s.src])"
    )
    wrong = []
    for src_attribute, script_type, src in scripts:
        if src_attribute is None:
            if script_type != "application/ld+json":
                wrong.append(
                    f"inline script of type {script_type or 'text/javascript'!r}"
                )
        elif not (
            src.startswith(server + "/") and urlsplit(src).path.startswith("/theme/js/")
        ):
            wrong.append(f"script from {src_attribute!r}")
    assert not wrong, f"{page_paths[name]}: scripts outside /theme/js/: {wrong}"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=viewport_id)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_cleanly_and_fits(page_at, page_paths, server, name, viewport):
    portal_page = open_named(page_at, page_paths, name, viewport)
    portal_page.screenshot(name)
    expected_404 = server + MISSING if name == "404" else None
    portal_page.assert_no_problems(expected_404=expected_404)
    portal_page.assert_no_horizontal_overflow()


@pytest.mark.parametrize("viewport", [(320, 640), (1920, 1080)], ids=viewport_id)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_fits_the_narrowest_and_widest_screens(
    page_at, page_paths, name, viewport
):
    portal_page = open_named(page_at, page_paths, name, viewport)
    portal_page.assert_no_horizontal_overflow()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=viewport_id)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_has_no_axe_violations(page_at, page_paths, name, viewport):
    open_named(page_at, page_paths, name, viewport).assert_accessible()


def test_missing_page_answers_404_with_the_themed_page(page_at):
    portal_page = page_at(*DESKTOP)
    response = portal_page.goto(MISSING)
    assert response.status == 404
    expect(portal_page.page.locator("h1")).to_contain_text("Không tìm thấy")


# --- Văn bản -----------------------------------------------------------------------------


def test_a_document_number_is_never_broken_across_lines(page_at):
    """ "3968-CV/BCSĐ" broken after its hyphen or slash reads as two numbers.

    In the listing, on the document's page and in an article's citation,
    each number stays on one line even where its block is narrower than it.
    """
    citing = open_at(page_at, CITED_DOCUMENT, (320, 640)).page
    article = citing.locator(".portal-document__citing a").first.get_attribute("href")
    for path in (DOCUMENTS, DOCUMENT, urlsplit(urljoin(CITED_DOCUMENT, article)).path):
        portal_page = open_at(page_at, path, (320, 640))
        portal_page.assert_no_horizontal_overflow()
        numbers = portal_page.page.locator(".portal-document-number")
        assert numbers.count(), f"{path} shows no document number"
        lines = numbers.evaluate_all(
            """numbers => numbers.map(number => {
                number.parentElement.style.display = "inline-block";
                number.parentElement.style.width = "3em";  // narrower than any number
                return [number.textContent, number.getClientRects().length];
            })"""
        )
        assert all(count == 1 for _text, count in lines), (path, lines)


# --- Article tools ---------------------------------------------------------------------


def test_article_tools_are_shown_with_every_control(page_at, article_paths):
    page = open_at(page_at, article_paths[0]).page
    tools = page.locator(".portal-article-tools")
    expect(tools).to_be_visible()
    for control in (
        'button[data-font-size="smaller"]',
        'button[data-font-size="reset"]',
        'button[data-font-size="larger"]',
        "button.portal-print",
        "button.portal-share__copy",
    ):
        expect(tools.locator(control), f"missing {control}").to_have_count(1)
    share = tools.locator(".portal-share a")
    hrefs = " ".join(share.evaluate_all("links => links.map(a => a.href)"))
    assert "facebook" in hrefs.lower(), f"no Facebook share link among {hrefs!r}"
    assert "zalo" in hrefs.lower(), f"no Zalo share link among {hrefs!r}"


def test_larger_font_size_persists_across_reloads_and_articles(page_at, article_paths):
    first, other = article_paths[:2]
    page = open_at(page_at, first).page
    original = font_size(page)

    click_font_button(page, "larger", times=2)
    larger = settled_font_size(page, "size > ref", original)
    assert larger > original, f"'larger' twice left the text at {larger}px"
    assert page.evaluate(f"localStorage.getItem({FONT_SIZE_KEY!r})"), (
        f"no step stored in localStorage[{FONT_SIZE_KEY!r}]"
    )
    assert page.evaluate("document.documentElement.dataset.fontSize"), (
        "<html> has no data-font-size"
    )

    page.reload(wait_until="networkidle")
    after_reload = settled_font_size(page, "Math.abs(size - ref) < 0.5", larger)
    assert after_reload == pytest.approx(larger, abs=0.5), (
        f"after a reload the text is {after_reload}px, not {larger}px"
    )

    page.goto(other, wait_until="networkidle")
    elsewhere = settled_font_size(page, "Math.abs(size - ref) < 0.5", larger)
    assert elsewhere == pytest.approx(larger, abs=0.5), (
        f"on {other} the text is {elsewhere}px, not the chosen {larger}px"
    )


def test_reset_restores_and_smaller_shrinks_the_font(page_at, article_paths):
    page = open_at(page_at, article_paths[0]).page
    original = font_size(page)

    click_font_button(page, "larger", times=2)
    settled_font_size(page, "size > ref", original)
    click_font_button(page, "reset")
    reset = settled_font_size(page, "Math.abs(size - ref) < 0.5", original)
    assert reset == pytest.approx(original, abs=0.5), (
        f"'reset' left the text at {reset}px, not the original {original}px"
    )

    click_font_button(page, "smaller")
    smaller = settled_font_size(page, "size < ref", original)
    assert smaller < original, f"'smaller' left the text at {smaller}px"


def test_print_shows_only_the_article_and_its_url(page_at, article_paths):
    page = open_at(page_at, article_paths[0]).page
    page.emulate_media(media="print")

    hidden = list(HIDDEN_IN_PRINT)
    for selector in hidden:
        expect(page.locator(selector).first, f"missing {selector}").to_be_attached()
    if page.locator(".portal-related").count():
        hidden.append(".portal-related")
    shown = [s for s in hidden if computed(page, s, "display") != "none"]
    assert not shown, f"printed although it should not be: {shown}"

    print_url = page.locator(".portal-print-url")
    expect(print_url, "missing .portal-print-url").to_have_count(1)
    assert computed(page, ".portal-print-url", "display") != "none", (
        ".portal-print-url is not printed"
    )
    expect(print_url).to_contain_text(urlsplit(page.url).path)


# --- Dark mode ---------------------------------------------------------------------------


def test_dark_mode_article_is_accessible_and_dark(page_at, article_paths):
    light = open_at(page_at, article_paths[0], DESKTOP).page
    dark_page = open_at(page_at, article_paths[0], DESKTOP, color_scheme="dark")
    dark_page.screenshot("article-dark")

    light_background = computed(light, "body", "backgroundColor")
    dark_background = computed(dark_page.page, "body", "backgroundColor")
    assert dark_background != light_background, (
        f"the body background is {light_background} in both light and dark mode"
    )
    dark_page.assert_no_problems()
    dark_page.assert_accessible()


def test_on_a_phone_the_search_and_the_section_menu_are_44_px_targets(page_at):
    """The controls a reader taps most: the header's search and the menu's links."""
    page = open_at(page_at, "/", VIEWPORTS[0]).page
    header = page.locator("header form.portal-search")
    for control in (header.locator("input"), header.locator("button")):
        assert control.bounding_box()["height"] >= 44
    page.locator(".portal-menu__toggle").click()
    links = page.locator(".portal-menu__list a")
    assert links.count() > 3
    heights = [box["height"] for box in (link.bounding_box() for link in links.all())]
    assert min(heights) >= 44, heights


PHONE = (390, 844)


def test_on_a_phone_an_article_s_first_words_are_on_the_first_screen(
    page_at, article_paths
):
    """Header, title and date, then the lead: the tools and share links after it."""
    for path in article_paths[:3]:
        page = open_at(page_at, path, PHONE).page
        lead = page.locator(".portal-article__lead")
        if not lead.count():
            continue
        top = lead.bounding_box()["y"]
        line = lead.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
        assert top + 2 * line <= PHONE[1], (path, top)
        tools = page.locator(".portal-article-tools").bounding_box()["y"]
        assert tools > top, (path, tools, top)


@pytest.mark.parametrize("width", [390, 800, 1280])
def test_the_home_page_s_section_blocks_fill_their_rows(page_at, width):
    """No empty cell at the end of a block's grid; "Tin mới" follows on a wide screen."""
    page = open_at(page_at, "/", (width, 900)).page
    blocks = page.locator(".portal-topic-block .portal-card-list")
    assert blocks.count()
    for block in blocks.all():
        shown = block.evaluate(
            "list => [...list.children].filter(c => c.offsetParent !== null)"
            ".map(c => Math.round(c.getBoundingClientRect().left))"
        )
        columns = len(set(shown))
        # Fewer cards than columns is a short block; otherwise full rows.
        assert len(shown) < columns or len(shown) % columns == 0, (width, shown)
    if width >= 1024:
        sections = page.locator(".portal-topic-block")
        sections.nth(sections.count() // 2).scroll_into_view_if_needed()
        heading = page.locator("#tin-moi").bounding_box()
        assert 0 <= heading["y"] < 900, heading
