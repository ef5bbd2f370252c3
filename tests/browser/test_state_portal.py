"""A state e-portal's features in chromium: languages, access keys, reading aloud, print."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

DESKTOP = (1280, 800)
SECTION = "/chuyen-muc/chong-khai-thac-iuu/"
# Makes the browser's speech synthesis list one Vietnamese voice and record
# what it is asked to say instead of speaking (a stub of the browser's API).
VIETNAMESE_VOICE = """
(() => {
  const voice = {lang: "vi-VN", name: "Giọng thử", default: true, localService: true,
                 voiceURI: "giong-thu"};
  window.__spoken = [];
  Object.defineProperty(window.speechSynthesis, "getVoices",
                        {value: () => [voice], configurable: true});
  Object.defineProperty(window.speechSynthesis, "speak", {
    value: (utterance) => { window.__spoken.push(utterance.text); },
    configurable: true,
  });
})();
"""
NO_VOICE = """
Object.defineProperty(window.speechSynthesis, "getVoices",
                      {value: () => [], configurable: true});
"""


@pytest.fixture(scope="module")
def article_path(browser, server) -> str:
    context = browser.new_context(base_url=server)
    try:
        page = context.new_page()
        page.goto(SECTION)
        href = page.locator(".portal-card__title a").first.get_attribute("href")
    finally:
        context.close()
    return urlsplit(urljoin(SECTION, href)).path


def open_at(page_at, path: str, init_script: str | None = None):
    portal_page = page_at(*DESKTOP)
    if init_script:
        portal_page.page.add_init_script(init_script)
    response = portal_page.goto(path)
    assert response is not None and response.status == 200, path
    return portal_page


def test_the_language_switch_goes_to_english_and_back(page_at):
    portal_page = open_at(page_at, "/gioi-thieu/")
    page = portal_page.page
    page.locator(".portal-topbar__language a").click()
    page.wait_for_url("**/en/introduction/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Introduction")
    expect(page.locator(".portal-contact-card")).to_contain_text("Contact us")
    page.locator(".portal-topbar__language a").click()
    page.wait_for_url("**/gioi-thieu/")
    assert page.locator("html").get_attribute("lang") == "vi"
    portal_page.assert_no_problems()


@pytest.mark.parametrize(
    "path", ["/en/", "/en/introduction/", "/so-do-trang/", "/tro-nang/"]
)
def test_new_pages_have_no_axe_violations(page_at, path):
    portal_page = open_at(page_at, path)
    portal_page.assert_no_problems()
    portal_page.assert_accessible()
    portal_page.assert_no_horizontal_overflow()


@pytest.mark.parametrize(
    ("key", "path"), [("1", "/"), ("3", "/so-do-trang/"), ("0", "/tro-nang/")]
)
def test_access_keys_lead_where_they_say(page_at, article_path, key, path):
    # Headless chromium ignores Alt+Shift+key sent by Playwright: the key's
    # element is found by its attribute and activated as the key would.
    page = open_at(page_at, article_path).page
    element = page.locator(f'[accesskey="{key}"]')
    expect(element).to_have_count(1)
    expect(element).to_be_visible()
    element.click()
    page.wait_for_url(f"**{path}")
    assert urlsplit(page.url).path == path


def test_access_keys_reach_the_search_box_and_the_main_content(page_at, article_path):
    page = open_at(page_at, article_path).page
    search = page.locator('[accesskey="4"]')
    expect(search).to_have_attribute("name", "q")
    search.focus()
    assert page.evaluate("() => document.activeElement.name") == "q"
    skip = page.locator('[accesskey="2"]')
    skip.focus()
    skip.click()
    page.wait_for_function("() => location.hash === '#main'")


def test_read_aloud_stays_hidden_without_a_vietnamese_voice(page_at, article_path):
    page = open_at(page_at, article_path, NO_VOICE).page
    expect(page.locator(".portal-article-tools")).to_be_visible()
    expect(page.locator("button[data-read-aloud]")).to_be_hidden()


def test_read_aloud_shows_with_a_vietnamese_voice_and_reads_the_article(
    page_at, article_path
):
    portal_page = open_at(page_at, article_path, VIETNAMESE_VOICE)
    page = portal_page.page
    button = page.get_by_role("button", name="Nghe đọc bài")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("button[data-read-aloud]")).to_have_attribute(
        "aria-pressed", "true"
    )
    spoken = page.evaluate("() => window.__spoken")
    title = page.locator("h1").inner_text()
    assert spoken[0] == title
    portal_page.assert_no_problems()


def test_font_size_buttons_are_named_by_their_labels(page_at, article_path):
    page = open_at(page_at, article_path).page
    for label in ("A-", "A+"):
        button = page.get_by_role("button", name=label, exact=False)
        expect(button.first).to_be_visible()
        name = button.first.evaluate("b => b.textContent.replace(/\\s+/g, ' ').trim()")
        assert name.startswith(label + " ")


def test_print_names_the_portal_the_address_and_the_date(page_at, article_path):
    page = open_at(page_at, article_path).page
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    masthead = page.locator(".portal-print-masthead")
    expect(masthead).to_be_visible()
    expect(masthead).to_contain_text("Cổng thông tin chuyên đề")
    expect(page.locator(".portal-print-date")).to_contain_text("In ngày")
    date = page.locator(".portal-print-date").inner_text()
    assert any(char.isdigit() for char in date)
    expect(page.locator(".portal-print-url")).to_contain_text(article_path)
    for selector, prop, wanted in (
        (".portal-article__body h2", "breakAfter", "avoid"),
        ("h1", "breakAfter", "avoid"),
    ):
        if page.locator(selector).count():
            value = page.locator(selector).first.evaluate(
                "(e, p) => getComputedStyle(e)[p]", prop
            )
            assert value == wanted, (selector, value)
    # Quotes and figures are kept whole: added to the body, they say so.
    inside = page.evaluate(
        """() => ["blockquote", "figure"].map(tag => {
            const element = document.createElement(tag);
            element.textContent = "x";
            document.querySelector(".portal-article__body").append(element);
            return getComputedStyle(element).breakInside;
        })"""
    )
    assert inside == ["avoid", "avoid"]
