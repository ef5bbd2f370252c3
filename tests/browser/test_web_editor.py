"""The browser editor, /quan-tri/, in chromium: write, review and publish on git.

``invoke cms`` runs on a temporary clone of the project (a git repository of
the sample content, with the checkout's ``node_modules``): decap-server in
git mode and the preview, one server for the module's tests, each on its own
article. The tests write an article through Decap's form, save it as a
draft, send it for review, sign and publish it; upload its lead image; retract
a published article; then look at what reached ``main`` with git,
``invoke check`` and a production build.
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
from PIL import Image
from playwright.sync_api import Page, expect

from conftest import copy_project, run_invoke
from content_model.header import split_article
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
# Production pages link from the production address; its files are in output/.
PRODUCTION_URL = re.compile(r"^https?://[^/]+/")

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


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode("utf-8")


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``url`` answers, while ``invoke cms`` runs."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "invoke cms stopped (see cms.log)"
        try:
            fetch(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
        else:
            return


@pytest.fixture(scope="module")
def editor(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``invoke cms`` on a git clone of the sample site, shared by the module."""
    clone = copy_project(tmp_path_factory.mktemp("cms") / "portal")
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
        wait_for(f"http://127.0.0.1:{port}/quan-tri/config.yml", process)
        yield f"http://localhost:{port}/quan-tri/", clone
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert "Biên tập tại http://localhost:" in log_path.read_text("utf-8")


def editor_page(browser) -> tuple[Page, list[str]]:
    """A fresh browser context on the editor; the page and its page errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())  # "công bố mục này?"
    return page, errors


def log_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Bài viết").first).to_be_visible(timeout=60_000)


def open_new_article(page: Page, url: str) -> None:
    log_in(page, url)
    page.goto(url + f"#/collections/bai-viet-{YEAR}/new")
    expect(page.get_by_label("Tiêu đề", exact=True)).to_be_visible(timeout=60_000)


def fill_article(page: Page, title: str, summary: str = SUMMARY) -> None:
    """The required fields and the body of a new article."""
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    page.get_by_label("Ngày đăng", exact=True).fill(f"{DATE:%Y-%m-%dT%H:%M}")
    choose(page, "Chuyên mục", "Chống khai thác IUU")
    page.get_by_label(re.compile(r"^Tóm tắt")).fill(summary)
    body = page.locator("[data-slate-editor=true]").first
    body.click()
    page.keyboard.type(BODY)


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


def publish_now(page: Page) -> None:
    """Move the saved entry to Ready and publish it: merged into main."""
    set_workflow_status(page, "Sẵn sàng")
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    expect(page.get_by_text("Mục đã được công bố")).to_be_visible(timeout=60_000)


def header_on_main(clone: Path, path: str) -> dict[str, str]:
    """The header of a file on main, as the reader reads it; the file is checked out."""
    text = git(clone, "show", f"main:{path}")
    assert (clone / path).read_text(encoding="utf-8") == text
    return {field.key: field.value for field in split_article(text).fields}


def build_for_production(clone: Path, folder: Path) -> Path:
    """``invoke check`` and ``invoke build --production`` on a clone of main, as CI.

    Not in the editor's clone: the preview serves the editor from its output/.
    Both must pass; returns the production output folder.
    """
    main = folder / "main"
    git(clone, "clone", "-q", "--branch", "main", str(clone), str(main))
    (main / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    check = run_invoke(main, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_invoke(main, "build", "--production")
    assert build.returncode == 0, build.stdout + build.stderr
    return main / "output"


def test_an_article_written_in_the_editor_is_reviewed_and_published(
    browser, editor, tmp_path
) -> None:
    url, clone = editor
    page, errors = editor_page(browser)
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

    fill_article(page, TITLE)

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
    publish_now(page)
    assert not errors, errors
    page.context.close()

    path = f"content/bai-viet/{YEAR}/{SLUG}.md"
    header = header_on_main(clone, path)
    assert header["Title"] == TITLE
    assert header["Category"] == "Chống khai thác IUU"
    assert header["Status"] == "published"
    assert header["Reviewed_by"] == REVIEWER
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", header["Reviewed_at"])
    assert git(clone, "show", f"main:{path}").endswith(BODY + "\n")
    url_path = f"/{DATE:%Y}/{DATE:%m}/{SLUG}/"
    output = build_for_production(clone, tmp_path)
    soup = BeautifulSoup(
        (output / url_path[1:] / "index.html").read_text("utf-8"), "html.parser"
    )
    assert soup.h1.get_text(strip=True) == TITLE


def test_the_body_s_toolbar_speaks_vietnamese(browser, editor) -> None:
    """Decap's ``vi`` lacks the Markdown toolbar's words: ours fill them."""
    url, _clone = editor
    page, errors = editor_page(browser)
    open_new_article(page, url)
    for name in ("Đậm", "Nghiêng", "Liên kết", "Tiêu đề mục", "Trích dẫn"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    for name in ("Bold", "Italic", "Link", "Headings", "Quote"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    assert not errors, errors
    page.context.close()


PHOTO_TITLE = "Cảng cá Tắc Cậu lắp camera giám sát tàu cá ra vào"
PHOTO_SLUG = "cang-ca-tac-cau-lap-camera-giam-sat-tau-ca-ra-vao"
PHOTO = "tau-ca-tac-cau.jpg"
CAPTION = "Tàu cá cập cảng Tắc Cậu, nơi vừa lắp camera giám sát."


def open_media_library(page: Page) -> None:
    """The lead image's "Chọn một hình": Decap's media library, its upload button."""
    page.get_by_role("button", name="Chọn một hình").click()
    expect(page.get_by_text("Tải lên")).to_be_visible()


def upload(page: Page, path: Path) -> None:
    """Upload through the media library's "Tải lên" (its file input)."""
    page.locator("input[type=file]").set_input_files(path)


def test_a_lead_image_uploaded_in_the_form_is_published_with_its_variants(
    browser, editor, tmp_path
) -> None:
    url, clone = editor
    photo = tmp_path / PHOTO
    Image.new("RGB", (1600, 1000), (20, 90, 160)).save(photo, quality=85)
    page, errors = editor_page(browser)
    open_new_article(page, url)
    fill_article(page, PHOTO_TITLE)
    open_media_library(page)
    upload(page, photo)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label(re.compile(r"^Chú thích ảnh")).fill(CAPTION)
    choose(page, "Trạng thái", "Đăng")
    save(page)
    publish_now(page)
    assert not errors, errors
    page.context.close()

    # The upload is on main in this year's folder, byte for byte.
    image = f"content/images/{YEAR}/{PHOTO}"
    stored = subprocess.run(
        ["git", "show", f"main:{image}"], cwd=clone, check=True, capture_output=True
    ).stdout
    assert stored == photo.read_bytes()
    header = header_on_main(clone, f"content/bai-viet/{YEAR}/{PHOTO_SLUG}.md")
    assert header["Image"] == f"/images/{YEAR}/{PHOTO}"
    assert header["Image_caption"] == CAPTION
    url_path = f"/{DATE:%Y}/{DATE:%m}/{PHOTO_SLUG}/"
    output = build_for_production(clone, tmp_path)
    soup = BeautifulSoup(
        (output / url_path[1:] / "index.html").read_text("utf-8"), "html.parser"
    )
    lead = soup.select_one("figure.portal-figure img")
    assert lead["alt"] == CAPTION
    assert soup.select_one("figure.portal-figure figcaption").get_text() == CAPTION
    # The build made the variants: /anh/<name>-<width>..., each file in output/.
    variants = [item.split()[0] for item in lead["srcset"].split(",")]
    assert len(variants) == 3, variants
    for variant in variants:
        relative = PRODUCTION_URL.sub("", variant)
        assert relative.startswith("anh/"), variant
        assert (output / relative).is_file(), variant


def test_an_upload_of_a_refused_type_or_size_is_refused_in_vietnamese(
    browser, editor, tmp_path
) -> None:
    """Too large: refused by the media library; an SVG: refused by the save."""
    url, clone = editor
    too_large = tmp_path / "anh-qua-lon.jpg"
    Image.new("RGB", (64, 64)).save(too_large)
    with too_large.open("ab") as padded:
        padded.write(bytes(5_100_000))
    drawing = tmp_path / "so-do-cang-ca.svg"
    drawing.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>\n',
        encoding="utf-8",
    )
    page, _ = editor_page(browser)
    open_new_article(page, url)
    fill_article(page, "Sơ đồ cảng cá Tắc Cậu")
    open_media_library(page)
    with page.expect_event("dialog") as alert:
        upload(page, too_large)
    assert alert.value.message == (
        "Tập tin quá lớn.\nCấu hình không cho phép những tập tin lớn hơn 5000 kB."
    )
    expect(page.get_by_text("anh-qua-lon.jpg")).to_have_count(0)

    upload(page, drawing)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label(re.compile(r"^Chú thích ảnh")).fill("Sơ đồ cảng cá")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(
        page.get_by_text(
            f"Ảnh đại diện /images/{YEAR}/so-do-cang-ca.svg không được đăng: hãy "
            "dùng ảnh jpg, jpeg, png, gif, webp, avif."
        )
    ).to_be_visible()
    page.context.close()
    # Nothing reached git: no draft branch, no file.
    assert "so-do-cang-ca" not in git(clone, "branch", "--list", "cms/*")
    assert "so-do-cang-ca" not in git(clone, "log", "--all", "--name-only", "--format=")


RETRACTED = "chong-lang-phi-trong-quan-ly-su-dung-tru-so-doi-du-sau-sap-xep"
RETRACTION_NOTE = "Bài có số liệu về trụ sở dôi dư chưa được cơ quan chủ quản xác nhận."


def test_unpublishing_in_the_editor_is_a_retraction_never_a_deletion(
    browser, editor, tmp_path
) -> None:
    url, clone = editor
    path = f"content/bai-viet/2025/{RETRACTED}.md"
    before = header_on_main(clone, path)
    page, errors = editor_page(browser)
    log_in(page, url)
    page.goto(url + f"#/collections/bai-viet-2025/entries/{RETRACTED}")
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(before["Title"])
    # Every collection has delete: false: no button deletes a published entry.
    deletes = page.get_by_role("button", name=re.compile(r"^Xoá mục"))
    expect(deletes).to_have_count(0)

    choose(page, "Trạng thái", "Đã gỡ")
    page.get_by_label(re.compile(r"^Lý do gỡ bài")).fill(RETRACTION_NOTE)
    save(page)
    expect(deletes).to_have_count(0)
    publish_now(page)
    assert not errors, errors
    page.context.close()

    # The file is still on main, retracted, with when and why.
    header = header_on_main(clone, path)
    assert header["Status"] == "retracted"
    assert header["Retraction_note"] == RETRACTION_NOTE
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", header["Retracted_at"])
    assert header["Title"] == before["Title"]
    date = datetime.strptime(before["Date"], "%Y-%m-%d %H:%M")
    url_path = f"/{date:%Y}/{date:%m}/{RETRACTED}/"
    output = build_for_production(clone, tmp_path)
    # Its URL still answers (a missing page would be 404.html with a 404),
    # with the retraction page and none of the article.
    with serve(output) as base:
        soup = BeautifulSoup(fetch(base + url_path), "html.parser")
    assert soup.h1.get_text(strip=True) == "Bài viết đã được gỡ bỏ"
    why = soup.select_one(".portal-retraction__why").get_text(strip=True)
    assert why == f"Lý do: {RETRACTION_NOTE}"
    assert before["Summary"] not in soup.get_text()


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
