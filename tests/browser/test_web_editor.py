"""The browser editor, /quan-tri/, in chromium: write, review and publish on git.

``invoke cms`` runs on a temporary clone of the project (a git repository of
the sample content, with the checkout's ``node_modules``): decap-server in
git mode and the preview. The test writes an article through Decap's form,
saves it as a draft, sends it for review, signs and publishes it, then looks
at what reached ``main`` with git, ``invoke check`` and a production build.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from conftest import run_invoke
from tests.browser.conftest import serve

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
REVIEWER = "Lê Thu Hà"
TITLE = "Ngư dân Hòn Sơn ký cam kết không khai thác IUU"
SLUG = "ngu-dan-hon-son-ky-cam-ket-khong-khai-thac-iuu"
SUMMARY = "Hơn 120 chủ tàu cá xã Hòn Sơn ký cam kết không khai thác hải sản trái phép."
BODY = "Sáng nay, xã Hòn Sơn tổ chức lễ ký cam kết chống khai thác IUU."
# Written a little before now, in this year's collection (bai-viet-<năm>).
NOW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
DATE = max(NOW - timedelta(minutes=10), NOW.replace(month=1, day=1, hour=0, minute=0))
YEAR = NOW.year

pytestmark = pytest.mark.skipif(
    not (NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js").is_file()
    and not os.environ.get("CI"),
    reason="Decap CMS is not installed: run npm ci",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=clone, check=True, capture_output=True, text=True
    ).stdout


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


@pytest.fixture
def editor(fresh_clone: Path) -> Iterator[tuple[str, Path]]:
    """``invoke cms`` on a git clone of the sample site; its editor's URL."""
    clone = fresh_clone
    # "/node_modules" in .gitignore: decap-server commits with `git add .`.
    (clone / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    git(clone, "init", "-q", "-b", "main")
    git(clone, "config", "user.name", REVIEWER)
    git(clone, "config", "user.email", "bientap@example.vn")
    git(clone, "add", ".")
    git(clone, "commit", "-q", "-m", "Nội dung mẫu")
    port, proxy_port = free_port(), free_port()
    log_path = clone.parent / "cms.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invoke",
            "cms",
            f"--port={port}",
            f"--proxy-port={proxy_port}",
        ],
        cwd=clone,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/quan-tri/config.yml")
        yield f"http://localhost:{port}/quan-tri/", clone
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert "Biên tập tại http://localhost:" in log_path.read_text("utf-8")


def open_new_article(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Bài viết").first).to_be_visible(timeout=60_000)
    page.goto(url + f"#/collections/bai-viet-{YEAR}/new")
    expect(page.get_by_label("Tiêu đề", exact=True)).to_be_visible(timeout=60_000)


def choose(page: Page, label: str, text: str) -> None:
    """Type into a select of the form and take the option offered."""
    field = page.get_by_label(re.compile(f"^{label}( \\(|$)"))
    field.fill(text)
    page.keyboard.press("Enter")


def save(page: Page) -> None:
    """Save the entry and wait until decap-server has committed it."""
    with page.expect_response(
        lambda answer: "persistEntry" in (answer.request.post_data or ""),
        timeout=60_000,
    ) as answer:
        page.get_by_role("button", name="Lưu", exact=True).click()
    assert answer.value.ok
    expect(page.get_by_role("button", name="Lưu", exact=True)).to_be_disabled()


def set_workflow_status(page: Page, status: str) -> None:
    """Move the entry on the editorial workflow (Bản nháp, Đang xét duyệt, Sẵn sàng)."""
    page.get_by_role("button", name=re.compile(r"^Trạng")).click()
    page.get_by_role("menuitem", name=status).click()
    expect(
        page.get_by_role("button", name=re.compile(f"^Trạng.*{status}"))
    ).to_be_visible(timeout=60_000)


def test_an_article_written_in_the_editor_is_reviewed_and_published(
    browser, editor
) -> None:
    url, clone = editor
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # "công bố mục này?"
    open_new_article(page, url)

    # Required fields left empty: refused, in Vietnamese.
    page.get_by_label(re.compile(r"^Nguồn tin")).fill("Báo Kiên Giang")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Tiêu đề bắt buộc nhập.")).to_be_visible()
    expect(page.get_by_text("Chuyên mục bắt buộc nhập.")).to_be_visible()
    # Decap refuses the save by rejecting a promise with no reason: that one.
    assert errors == ["undefined"]
    errors.clear()

    # A chuyên mục not in the registry cannot be chosen.
    category = page.get_by_label("Chuyên mục", exact=True)
    category.fill("Chuyên mục không có")
    expect(page.get_by_role("option")).to_have_count(0)
    page.keyboard.press("Escape")

    page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
    page.get_by_label("Ngày đăng", exact=True).fill(f"{DATE:%Y-%m-%dT%H:%M}")
    choose(page, "Chuyên mục", "Chống khai thác IUU")
    page.get_by_label(re.compile(r"^Tóm tắt")).fill(SUMMARY)
    body = page.locator("[data-slate-editor=true]").first
    body.click()
    page.keyboard.type(BODY)

    # Saved as a draft: on its own branch, not on main.
    save(page)
    assert f"cms/bai-viet-{YEAR}/{SLUG}" in git(clone, "branch", "--list", "cms/*")
    assert SLUG not in git(clone, "ls-tree", "-r", "--name-only", "main")
    assert "node_modules" not in git(clone, "log", "--all", "--name-only", "--format=")

    set_workflow_status(page, "Đang xét duyệt")

    # The reviewer signs: Status "Đăng", saved (Reviewed_by, Reviewed_at).
    choose(page, "Trạng thái", "Đăng")
    save(page)
    # A save puts the entry back to draft: the reviewer moves it to Ready.
    set_workflow_status(page, "Sẵn sàng")
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    expect(page.get_by_text("Mục đã được công bố")).to_be_visible(timeout=60_000)
    assert not errors, errors
    context.close()

    assert_published(clone)


def assert_published(clone: Path) -> None:
    """On main, as the reader reads it; invoke check and a production build agree."""
    path = f"content/bai-viet/{YEAR}/{SLUG}.md"
    text = git(clone, "show", f"main:{path}")
    assert (clone / path).read_text(encoding="utf-8") == text
    header = dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())
    assert header["Title"] == TITLE
    assert header["Category"] == "Chống khai thác IUU"
    assert header["Status"] == "published"
    assert header["Reviewed_by"] == REVIEWER
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", header["Reviewed_at"])
    assert text.endswith(BODY + "\n")
    check = run_invoke(clone, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_invoke(clone, "build", "--production")
    assert build.returncode == 0, build.stdout + build.stderr
    page = clone / "output" / f"{DATE:%Y}" / f"{DATE:%m}" / SLUG / "index.html"
    html = page.read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text(strip=True) == TITLE


BACKENDS = {
    "forgejo": {
        "name": "forgejo",
        "repo": "ban-bien-tap/cong-thong-tin",
        "base_url": "https://git.kiengiang.example.vn",
        "api_root": "https://git.kiengiang.example.vn/api/v1",
        "app_id": "ma-ung-dung-oauth",
        "branch": "main",
    },
    "github": {
        "name": "github",
        "repo": "so-tttt-kiengiang/cong-thong-tin",
        "branch": "main",
        "base_url": "https://oauth.kiengiang.example.vn",
    },
    "gitlab": {
        "name": "gitlab",
        "repo": "so-tttt-kiengiang/cong-thong-tin",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "ma-ung-dung-oauth",
    },
}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_each_backends_configuration_is_accepted_by_decap(
    browser, site, backend
) -> None:
    """Decap validates the generated configuration against its own schema."""

    site.article("a", title="Bài một")
    result = site.build(WEB_EDITOR={"BACKEND": BACKENDS[backend]})
    assert result.ok, result.errors
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(site.output) as base:
        page.goto(base + "/quan-tri/")
        expect(
            page.get_by_role("button", name=re.compile("^(Đăng nhập|Login with)"))
        ).to_be_visible(timeout=20_000)
        assert not page.get_by_text("Config Errors").count()
    page.close()
    assert not errors, errors


def test_a_configuration_decap_refuses_is_shown_as_such(browser, site) -> None:
    """The check above can fail: Gitea's backend, which has no editorial workflow.

    The build refuses that backend (tests/test_web_editor.py), so the
    configuration is changed after it, as a hand edit would.
    """
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    written = site.output / "quan-tri" / "config.yml"
    config = json.loads(written.read_text("utf-8"))
    config["backend"]["name"] = "gitea"
    written.write_text(json.dumps(config), "utf-8")
    page = browser.new_page()
    with serve(site.output) as base:
        page.goto(base + "/quan-tri/")
        expect(page.get_by_text("does not support editorial workflow")).to_be_visible(
            timeout=20_000
        )
    page.close()
