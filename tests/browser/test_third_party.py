"""No request leaves the site, unless analytics is configured, and then to its host only.

Every request chromium makes while it opens one page of each kind of the
sample site is recorded; requests to any other host are blocked and named.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from html_safety import content_security_policy
from tests.browser.conftest import LOCAL_HOSTS, ROOT, serve
from tools.site_build import build_site

EMC = {"SCRIPT": "https://emc.example.gov.vn/emc.js", "ATTRIBUTES": {"data-site": "kg"}}
# One page of each template: home, section and its archive, article, văn bản
# and their listing, tags, authors, archives, a static page, search, the
# overviews, the 404 page.
KINDS = [
    "/",
    "/chuyen-muc/",
    "/chuyen-muc/chong-khai-thac-iuu/",
    "/chuyen-muc/chong-khai-thac-iuu/2024/",
    "/van-ban/",
    "/van-ban/32-ct-tw/",
    "/tu-khoa/",
    "/tac-gia/",
    "/luu-tru/",
    "/luu-tru/2024/",
    "/gioi-thieu/",
    "/tim-kiem/?q=thuy+san",
    "/trang-khong-ton-tai/",
]


def requested_hosts(browser: Browser, base_url: str, paths: list[str]) -> dict:
    """Every host asked for while opening ``paths``: host -> the URLs asked."""
    context = browser.new_context(base_url=base_url, service_workers="block")
    asked: dict[str, list[str]] = {}

    def record(route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        asked.setdefault(host, []).append(url)
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", record)
    try:
        page = context.new_page()
        article = None
        for path in paths:
            page.goto(path, wait_until="networkidle")
            if article is None:
                article = page.locator(".portal-card__title a").first.get_attribute(
                    "href"
                )
        page.goto(article, wait_until="networkidle")
    finally:
        context.close()
    return asked


def test_with_analytics_off_no_page_asks_another_host(browser, server):
    asked = requested_hosts(browser, server, KINDS)
    assert set(asked) == {"127.0.0.1"}, {h: u for h, u in asked.items()}
    assert len(asked["127.0.0.1"]) > len(KINDS)  # pages, CSS, JS, images


@pytest.fixture(scope="module")
def analytics_server(tmp_path_factory) -> Iterator[str]:
    """The sample site built with ``ANALYTICS`` on, served locally."""
    output = tmp_path_factory.mktemp("analytics") / "output"
    result = build_site(
        ROOT / "pelicanconf.py",
        {
            "OUTPUT_PATH": str(output),
            "SITEURL": "",
            "ANALYTICS": EMC,
            "CONTENT_SECURITY_POLICY": content_security_policy([], EMC),
        },
    )
    assert result.ok, result.errors
    with serve(Path(result.output_path)) as base_url:
        yield base_url


def test_with_analytics_on_pages_ask_its_host_and_no_other(browser, analytics_server):
    asked = requested_hosts(browser, analytics_server, ["/", "/van-ban/"])
    assert set(asked) == {"127.0.0.1", "emc.example.gov.vn"}
    assert set(asked["emc.example.gov.vn"]) == {EMC["SCRIPT"]}
