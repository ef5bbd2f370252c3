"""Readers' forms and the staff's admin in chromium, through nginx.

The sample site's forms on /hoi-dap/ and on a draft document's page, with and
without JavaScript, served by the portal's nginx configuration, which sends
them to the intake service (gunicorn, SQLite); the same pages while the
service is down; and the admin, with its own CSS and JS, under the site's
headers.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_fixtures import PASSWORD, Intake, intake_service, new_address
from playwright.sync_api import Browser, Page, expect

from conftest import ROOT
from tools.local_intake import manage
from tools.local_nginx import NGINX, free_port, portal_nginx
from tools.site_build import build_site

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not NGINX.exists(), reason="needs nginx and gunicorn"
)


@pytest.fixture(scope="module")
def forms_site(tmp_path_factory) -> Iterator[tuple[Intake, Path]]:
    folder = tmp_path_factory.mktemp("reader-forms")
    output = folder / "site"
    # Every form comes from 127.0.0.1 here: the per-address limit is set high.
    settings = {"INTAKE_SITE_ROOT": str(output), "INTAKE_RATE_LIMIT": "100"}
    for intake in intake_service("sqlite", folder, **settings):
        result = build_site(
            ROOT / "pelicanconf.py",
            {"PATH": str(intake.content), "OUTPUT_PATH": str(output), "SITEURL": ""},
        )
        assert result.ok, result.errors
        yield intake, output


@pytest.fixture(scope="module")
def nginx_up(forms_site, tmp_path_factory) -> Iterator[str]:
    intake, output = forms_site
    port = int(intake.base.rsplit(":", 1)[1])
    # The admin's CSS and JS, where nginx serves them from.
    static = Path(intake.env["INTAKE_DATA_DIR"]) / "static"
    manage({**intake.env, "INTAKE_STATIC_ROOT": str(static)}, "collectstatic",
           "--no-input", "-v", "0")  # fmt: skip
    work = tmp_path_factory.mktemp("nginx-up")
    with portal_nginx(output, work, intake_port=port, intake_static=static) as base:
        yield base


@pytest.fixture(scope="module")
def nginx_down(forms_site, tmp_path_factory) -> Iterator[str]:
    _, output = forms_site
    work = tmp_path_factory.mktemp("nginx-down")
    with portal_nginx(output, work, intake_port=free_port()) as base:
        yield base


def open_page(browser: Browser, url: str, javascript: bool) -> Page:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_question_sent_from_the_page_gets_its_tracking_code(
    browser, nginx_up, javascript
):
    page = open_page(browser, f"{nginx_up}/hoi-dap/", javascript)
    form = page.locator("form#gui-cau-hoi")
    expect(form.locator(".portal-form__unavailable")).to_be_hidden()
    form.get_by_label("Chuyên mục").select_option("xay-dung-dang")
    form.get_by_label("Câu hỏi").fill("Xin hỏi lịch tiếp công dân tháng này?")
    form.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/theo-doi/?ma=*")
    expect(page.locator(".portal-form__code")).to_have_text(
        re.compile(r"^HD-[0-9A-Z]{8}$")
    )
    expect(page.locator(".portal-form__status")).to_have_text("Đã tiếp nhận")
    # The service's page links the site's own stylesheet.
    assert (
        page.locator("link[rel=stylesheet]")
        .get_attribute("href")
        .startswith("/theme/css/portal.")
    )
    page.context.close()


def test_server_side_messages_show_on_the_form_page(browser, nginx_up):
    page = open_page(browser, f"{nginx_up}/hoi-dap/", javascript=True)
    form = page.locator("form#gui-cau-hoi")
    # What a browser's own checks would stop: the service says it too.
    page.evaluate(
        "document.querySelectorAll('#gui-cau-hoi [required]')"
        ".forEach(e => e.removeAttribute('required'))"
    )
    form.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/gui/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Xin vui lòng nhập câu hỏi.")
    expect(alert).to_contain_text("Xin vui lòng chọn chuyên mục.")
    expect(page.get_by_label("Câu hỏi")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_comment_on_an_open_draft_is_taken(browser, nginx_up, javascript):
    page = open_page(browser, f"{nginx_up}/van-ban/01-dt-thu/", javascript)
    form = page.locator("form[action='/gop-y/01-dt-thu/']")
    form.get_by_label("Huyện, thị xã, thành phố").select_option("Huyện An Biên")
    form.get_by_label("Chuyên mục").select_option("xay-dung-dang")
    form.get_by_label("Nội dung góp ý").fill("Đề nghị làm rõ điều 3.")
    form.get_by_role("button", name="Gửi góp ý").click()
    page.wait_for_url("**/gop-y/01-dt-thu/da-gui/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nhận góp ý của bạn")
    page.context.close()


def test_a_draft_past_its_deadline_shows_the_notice_with_javascript(browser, nginx_up):
    page = open_page(browser, f"{nginx_up}/van-ban/02-dt-thu/", javascript=True)
    expect(page.locator("form[action='/gop-y/02-dt-thu/']")).to_be_hidden()
    expect(page.locator(".portal-form__closed")).to_have_text(
        "Đã hết hạn góp ý dự thảo này."
    )
    page.context.close()
    # Without JavaScript the form is there, and the service refuses it.
    page = open_page(browser, f"{nginx_up}/van-ban/02-dt-thu/", javascript=False)
    form = page.locator("form[action='/gop-y/02-dt-thu/']")
    form.get_by_label("Huyện, thị xã, thành phố").select_option("Huyện An Biên")
    form.get_by_label("Chuyên mục").select_option("xay-dung-dang")
    form.get_by_label("Nội dung góp ý").fill("Góp ý muộn.")
    form.get_by_role("button", name="Gửi góp ý").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã hết hạn góp ý")
    page.context.close()


def test_with_the_service_down_the_form_says_so(browser, nginx_down):
    page = open_page(browser, f"{nginx_down}/hoi-dap/", javascript=True)
    form = page.locator("form#gui-cau-hoi")
    expect(form.locator(".portal-form__unavailable")).to_be_visible()
    button = form.get_by_role("button", name="Gửi câu hỏi")
    expect(button).to_be_disabled()
    # It looks off, not only acts so: not the red of a button that sends.
    off = button.evaluate("b => getComputedStyle(b).backgroundColor")
    assert off != "rgb(165, 14, 14)"
    assert button.evaluate("b => getComputedStyle(b).cursor") == "not-allowed"
    # The tracking form's button keeps its words on one line, on a phone too.
    page.set_viewport_size({"width": 390, "height": 844})
    track = page.get_by_role("button", name="Xem trạng thái")
    height = track.evaluate("b => b.getBoundingClientRect().height")
    line = track.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
    assert height < 2 * line + 24, (height, line)
    page.context.close()
    page = open_page(browser, f"{nginx_down}/hoi-dap/", javascript=False)
    form = page.locator("form#gui-cau-hoi")
    form.get_by_label("Chuyên mục").select_option("xay-dung-dang")
    form.get_by_label("Câu hỏi").fill("Câu hỏi khi hệ thống tạm ngừng")
    form.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tạm ngừng tiếp nhận câu hỏi và góp ý"
    )
    expect(page.get_by_role("alert")).to_contain_text("chưa được ghi nhận")
    page.context.close()


def watch_for_errors(page: Page) -> list[str]:
    """What the page reports as wrong: console errors (CSP violations among
    them) and uncaught script errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def test_staff_answer_in_the_admin_under_the_sites_headers(
    browser, forms_site, nginx_up
):
    intake, _ = forms_site
    manage(intake.env, "shell", "-c",
           "from django.contrib.auth.models import User\n"
           f"User.objects.create_superuser('truongban', password={PASSWORD!r})")  # fmt: skip
    sent = intake.post(
        "/hoi-dap/gui/",
        {"topic": "xay-dung-dang", "question": "Hỏi về giờ tiếp công dân?"},
        new_address(),
    )
    assert sent.status_code == 302, sent.text[:500]
    context = browser.new_context()
    page = context.new_page()
    problems = watch_for_errors(page)

    login = page.goto(f"{nginx_up}/quan-tri-hoi-dap/")
    # The site's strict policy holds for the admin too.
    policy = login.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    page.locator("#id_username").fill("truongban")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{nginx_up}/quan-tri-hoi-dap/")
    # The admin's own stylesheet applies (a style-src that refused it would not).
    header = page.locator("#header")
    expect(header).to_have_css("display", "flex")

    # The list: the select-all box ticks every row and counts them (actions.js).
    page.goto(f"{nginx_up}/quan-tri-hoi-dap/reader_questions/question/")
    rows = page.locator("#result_list tbody input.action-select")
    expect(rows.first).not_to_be_checked()
    page.locator("#action-toggle").check()
    expect(rows.first).to_be_checked()
    expect(page.locator(".action-counter")).to_contain_text(f"{rows.count()}")
    page.locator("select[name=action]").select_option("send_to_review")
    page.locator("#action-toggle").uncheck()
    expect(rows.first).not_to_be_checked()

    # A question, answered.
    page.locator("#result_list tbody th a").first.click()
    page.locator("#id_title").fill("Giờ tiếp công dân")
    page.locator("#id_answer").fill("Sáng thứ Năm hằng tuần, tại trụ sở.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    # A page with date widgets: "Hôm nay" fills the date (DateTimeShortcuts.js).
    page.goto(f"{nginx_up}/quan-tri-hoi-dap/auth/user/")
    page.locator("#result_list tbody th a", has_text="truongban").click()
    page.locator("#id_last_login_0").fill("")
    page.locator(".datetimeshortcuts a", has_text="Hôm nay").first.click()
    expect(page.locator("#id_last_login_0")).to_have_value(
        re.compile(r"^\d{4}-\d{2}-\d{2}$")
    )
    context.close()
    assert problems == []
