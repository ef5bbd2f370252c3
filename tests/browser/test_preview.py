"""``invoke serve`` in chromium: an edit reloads the open page; errors show on it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from build_cache.engine import pages_written_first
from conftest import article_text
from tests.browser.conftest import PortalPage
from tools.preview import Preview
from tools.preview.server import EVENTS

ARTICLE = "/2024/04/tin-thu/"
# The page must be reloaded this soon after a save (a tiny site builds in a
# fraction of a second; the rest is the watch's pause and the reload).
RELOADED_WITHIN_MS = 5_000


@pytest.fixture
def open_page(browser: Browser, preview: Preview) -> Iterator:
    contexts = []

    def opened(path: str) -> PortalPage:
        context = browser.new_context(
            base_url=preview.url,
            viewport={"width": 1280, "height": 800},
            locale="vi-VN",
            service_workers="block",
        )
        context.set_default_timeout(RELOADED_WITHIN_MS)
        contexts.append(context)
        page = PortalPage(context.new_page(), 1280, 800)
        page.watch()
        page.page.goto(path)
        return page

    yield opened
    for context in contexts:
        context.close()


def save_and_wait_for_reload(page: PortalPage, save) -> float:
    """Save a file; the seconds until the open page has loaded again."""
    with page.page.expect_event("load", timeout=RELOADED_WITHIN_MS):
        started = time.perf_counter()
        save()
    return time.perf_counter() - started


def wait_for_build_end(preview: Preview) -> None:
    deadline = time.monotonic() + RELOADED_WITHIN_MS / 1000
    while json.loads(preview.state.current()[1])["building"]:
        assert time.monotonic() < deadline, "the build did not end"
        time.sleep(0.05)


def test_an_edit_reloads_the_page_and_errors_show_until_fixed(site, open_page):
    page = open_page(ARTICLE)
    expect(page.page.locator("main")).to_contain_text("Nội dung đầu tiên.")
    panel = page.page.get_by_role("alert")

    save_and_wait_for_reload(
        page,
        lambda: site.article("tin-thu", title="Tin thử", body="Nội dung đã sửa."),
    )
    expect(page.page.locator("main")).to_contain_text("Nội dung đã sửa.")
    expect(panel).to_have_count(0)

    # Broken: the article is left out, its URL answers the 404 page, which
    # shows why; markup in the message stays text.
    save_and_wait_for_reload(
        page,
        lambda: site.article("tin-thu", title="Tin thử", category="Bóng <b>đá</b>"),
    )
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading")).to_have_text(
        "Bài viết có lỗi, trang chưa cập nhật"
    )
    [problem] = panel.get_by_role("listitem").all()
    expect(problem).to_contain_text("content/bai-viet/tin-thu.md:3")
    expect(problem).to_contain_text('không có chuyên mục "Bóng <b>đá</b>"')
    expect(panel.locator("b")).to_have_count(0)

    # A page opened now shows the same errors.
    home = open_page("/")
    expect(home.page.get_by_role("alert")).to_contain_text(
        "content/bai-viet/tin-thu.md:3"
    )

    save_and_wait_for_reload(
        page, lambda: site.write("bai-viet/tin-thu.md", article_text(title="Tin thử"))
    )
    expect(panel).to_have_count(0)
    expect(page.page.locator("h1")).to_have_text("Tin thử")
    expect(home.page.get_by_role("alert")).to_have_count(0)

    for opened in (page, home):
        # The broken article's URL answered 404 meanwhile; nothing else failed
        # and the page's policy refused nothing of the preview.
        opened.error_responses = [
            (url, status)
            for url, status in opened.error_responses
            if not url.endswith(ARTICLE)
        ]
        opened.console_errors = [
            line for line in opened.console_errors if "status of 404" not in line
        ]
        # A reload ends the page's event stream.
        opened.failed_requests = [
            line
            for line in opened.failed_requests
            if not (f"{EVENTS}?" in line and line.endswith(": net::ERR_ABORTED"))
        ]
        opened.assert_no_problems()


def test_the_open_page_reloads_as_soon_as_it_is_written(
    site, preview: Preview, open_page
):
    """The build renders the open page first and the page reloads while the
    build makes the rest (held here until the page has loaded)."""
    page = open_page(ARTICLE)
    loaded = threading.Event()
    loads: list[str] = []
    page.page.on("load", lambda reloaded: loads.append(reloaded.url))

    def hold_the_rest(_writer, output, names: list[str]) -> None:
        loaded.wait(timeout=RELOADED_WITHIN_MS / 1000)

    with pages_written_first.connected_to(hold_the_rest):
        try:
            save_and_wait_for_reload(
                page,
                lambda: site.article("tin-thu", title="Tin thử", body="Bản mới nhất."),
            )
            building = json.loads(preview.state.current()[1])["building"]
        finally:
            loaded.set()
    assert building, "the page reloaded only when the build had ended"
    expect(page.page.locator("main")).to_contain_text("Bản mới nhất.")
    # Served as the running build's page, it is not reloaded again when the
    # build ends.
    wait_for_build_end(preview)
    page.page.wait_for_timeout(1_000)
    assert len(loads) == 1
    expect(page.page.locator("main")).to_contain_text("Bản mới nhất.")
