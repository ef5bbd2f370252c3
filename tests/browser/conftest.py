"""Fixtures of the real-browser tests: the sample site, served locally, in chromium.

The sample site is built once per session, served on 127.0.0.1 at a random
port, and opened in Debian's chromium through Playwright (never a downloaded
browser). Every page is opened in a fresh context that blocks requests to
any other host and records what went wrong: console errors, page errors,
failed or blocked requests and responses with an error status.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, sync_playwright

from bench.search import CHROMIUM as CHROMIUM_PATH
from bench.search import CHROMIUM_ARGS
from tools.site_build import build_site

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# Debian's chromium (CHROMIUM names another build of it, a CI runner's
# Chrome) and the flags that stop its own background requests: the same as
# the benchmark's.
CHROMIUM = Path(CHROMIUM_PATH)
LAUNCH_ARGS = CHROMIUM_ARGS
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_TARGETS_SHOWN = 3


# --- Collection -------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder ``browser`` (so ``-m "not browser"`` works)."""
    for item in items:
        if Path(item.path).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session", autouse=True)
def require_chromium() -> None:
    """Skip without Debian's chromium; in CI its absence is an error."""
    if CHROMIUM.exists():
        return
    if running_in_ci():
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run in CI: "
            "make .ci/run `apt-get install chromium` before running pytest "
            "(never `playwright install`).",
            pytrace=False,
        )
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium to run these)")


# --- The site and its server ----------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The folder of the project's sample site, built with the dev settings."""
    output = tmp_path_factory.mktemp("browser-site")
    # The dev settings link from the site root, so the site works on any port.
    result = build_site(
        ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output), "SITEURL": ""}
    )
    assert result.ok, "the sample site does not build:\n" + "\n".join(result.errors)
    return result.output_path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site quietly; a missing path gets the site's 404.html."""

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code != http.server.HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        not_found = Path(self.directory) / "404.html"
        if not_found.is_file():
            body = not_found.read_bytes()
        else:
            body = b"<!DOCTYPE html><title>404</title><p>The site has no 404.html."
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:<port>``) of the served sample site."""
    with serve(built_site) as base_url:
        yield base_url


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a random port); yield its base URL."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --- The browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@functools.cache
def axe() -> Axe:
    return Axe()


@dataclass
class PortalPage:
    """A page in a fresh browser context, with everything that went wrong on it."""

    page: Page
    width: int
    height: int
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[tuple[str, int]] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def path(self) -> str:
        """The path of the current URL, e.g. ``/chuyen-muc/``."""
        return urlsplit(self.page.url).path

    def watch(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)
        self.page.context.route("**/*", self._only_local)

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} (at {where})")

    def _on_request_failed(self, request) -> None:
        if request.url not in self.blocked_requests:
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.error_responses.append((response.url, response.status))

    def _only_local(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and (
            parts.hostname not in LOCAL_HOSTS
        ):
            self.blocked_requests.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def goto(self, path: str):
        """Open a path of the site and wait until the network is quiet."""
        return self.page.goto(path, wait_until="networkidle")

    def assert_no_problems(self, expected_404: str | None = None) -> None:
        """No console error, page error, failed/blocked request or error status.

        ``expected_404`` is the URL of a document that is meant to answer
        404 (the not-found page): its status and chromium's console line
        about it are allowed.
        """
        console = self.console_errors
        responses = self.error_responses
        if expected_404:
            responses = [(u, s) for u, s in responses if (u, s) != (expected_404, 404)]
            console = [
                line
                for line in console
                if not (
                    "status of 404" in line and line.endswith(f"(at {expected_404})")
                )
            ]
        problems = [
            *(f"console error: {line}" for line in console),
            *(f"page error: {line}" for line in self.page_errors),
            *(
                f"request to another host blocked: {url}"
                for url in self.blocked_requests
            ),
            *(f"request failed: {line}" for line in self.failed_requests),
            *(f"HTTP {status}: {url}" for url, status in responses),
        ]
        assert not problems, (
            f"{len(problems)} problem(s) on {self.path} at {self.size}:\n"
            + "\n".join(f"- {p}" for p in problems)
        )

    def assert_no_horizontal_overflow(self) -> None:
        scroll, inner = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, (
            f"{self.path} at {self.size} scrolls sideways: the document is "
            f"{scroll}px wide in a {inner}px window"
        )

    def assert_accessible(self) -> None:
        """Axe finds no WCAG 2.0/2.1 A or AA violation."""
        results = axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        assert not violations, (
            f"axe found {len(violations)} violation(s) on {self.path} at "
            f"{self.size}:\n" + "\n".join(describe_violation(v) for v in violations)
        )

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as tests/screenshots/<name>-<w>x<h>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.size}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def describe_violation(violation: dict) -> str:
    targets = [
        " ".join(str(part) for part in node["target"])
        for node in violation["nodes"][:AXE_TARGETS_SHOWN]
    ]
    more = len(violation["nodes"]) - len(targets)
    shown = ", ".join(targets) + (f" (and {more} more)" if more > 0 else "")
    return (
        f"- {violation['id']} [{violation.get('impact')}] {violation['help']}: {shown}"
    )


@pytest.fixture
def page_at(browser: Browser, server: str) -> Iterator:
    """Open a fresh context and page: ``page_at(width, height, color_scheme=...)``.

    Each call gives a new ``PortalPage`` (own cookies and localStorage) whose
    ``page`` resolves paths against the local server.
    """
    contexts = []

    def open_page(width: int, height: int, color_scheme: str = "light") -> PortalPage:
        context = browser.new_context(
            base_url=server,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            locale="vi-VN",
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        portal_page = PortalPage(context.new_page(), width, height)
        portal_page.watch()
        return portal_page

    yield open_page
    for context in contexts:
        context.close()
