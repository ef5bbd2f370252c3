"""Readers' forms in chromium, with and without JavaScript, through nginx.

The sample site's forms on /hoi-dap/ and on a draft document's page, served
by the portal's nginx configuration, which sends them to the intake service
(gunicorn, SQLite); and the same pages while the service is down.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_fixtures import Intake, intake_service
from playwright.sync_api import Browser, Page, expect

from build_gate.runner import build_site
from conftest import ROOT
from publishing.local_nginx import NGINX, free_port, portal_nginx

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
    with portal_nginx(
        output, tmp_path_factory.mktemp("nginx-up"), intake_port=port
    ) as base:
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
    expect(form.get_by_role("button", name="Gửi câu hỏi")).to_be_disabled()
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
