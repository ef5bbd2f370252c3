"""The intake service, for real: gunicorn on SQLite and on a real PostgreSQL.

Readers' forms (questions, comments on drafts, ratings) with their bad input
and abuse cases, the staff's roles in the admin, the exports, the retention
of contacts, and durability across a restart under load.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests
from bs4 import BeautifulSoup
from intake_fixtures import (
    LINUX_ONLY,
    Intake,
    admin_post,
    intake_service,
    new_address,
    portal_settings_with,
    write_content,
)
from openpyxl import load_workbook

from conftest import ROOT, interruptible, read_page
from reader_forms import DEFAULTS
from tools.local_intake import manage, start_gunicorn, stop_gunicorn
from tools.site_build import build_site

pytestmark = LINUX_ONLY
QUESTION = {
    "name": "Nguyễn Văn A",
    "contact": "a@example.vn",
    "topic": "xay-dung-dang",
    "question": "Xin hỏi thủ tục đăng ký tàu cá mới?",
    "website": "",
}
COMMENT = {
    "name": "",
    "contact": "",
    "district": "Huyện Kiên Hải",
    "topic": "chong-khai-thac-iuu",
    "text": "Đề nghị bổ sung hỗ trợ ngư dân chuyển đổi nghề.",
    "website": "",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def intake(request, tmp_path_factory) -> Intake:
    folder = tmp_path_factory.mktemp(f"intake-{request.param}")
    yield from intake_service(request.param, folder)


def ask(intake: Intake, **changes) -> requests.Response:
    return intake.post("/hoi-dap/gui/", {**QUESTION, **changes}, new_address())


def page(response: requests.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def count(intake: Intake, table: str) -> int:
    return intake.rows(f"SELECT COUNT(*) FROM {table}")[0][0]


def test_a_question_is_stored_and_its_code_tracks_it(intake):
    answer = ask(intake)
    assert answer.status_code == 302
    status = requests.get(intake.base + answer.headers["Location"], timeout=30)
    shown = page(status)
    code = shown.select_one(".portal-form__code").get_text()
    assert code.startswith("HD-")
    assert "Đã nhận câu hỏi của bạn" in shown.select_one("[role=status]").get_text()
    assert shown.select_one(".portal-form__status").get_text() == "Đã tiếp nhận"
    stored = intake.rows(
        "SELECT question, topic FROM reader_questions_question WHERE code = %s", code
    )
    assert stored == [(QUESTION["question"], "xay-dung-dang")]
    # Later, by the code alone (typed in lower case), from the tracking form.
    again = requests.get(
        f"{intake.base}/hoi-dap/theo-doi/", params={"ma": code.lower()}, timeout=30
    )
    assert (
        page(again).select_one(".portal-form__question").get_text()
        == (QUESTION["question"])
    )
    unknown = requests.get(
        f"{intake.base}/hoi-dap/theo-doi/", params={"ma": "HD-KHONGCO"}, timeout=30
    )
    assert unknown.status_code == 404
    assert "Không tìm thấy câu hỏi" in unknown.text


def test_bad_input_is_told_in_vietnamese_on_the_form_page(intake):
    before = count(intake, "reader_questions_question")
    answer = ask(intake, question="  ", name="x" * 101, topic="khong-co")
    assert answer.status_code == 400
    shown = page(answer)
    errors = [li.get_text() for li in shown.select(".portal-form__errors li")]
    assert "Xin vui lòng nhập câu hỏi." in errors
    assert any("Họ và tên dài tối đa 100 ký tự (hiện có 101" in e for e in errors)
    assert "Chuyên mục không có trong danh sách; xin chọn lại." in errors
    # The page is the form again, with what the reader typed and the site's look.
    assert shown.select_one("form.portal-form input[name=name]")["value"] == "x" * 101
    assert shown.select_one("textarea[name=question]")["maxlength"] == "4000"
    assert shown.find(string=lambda s: "13/2023/NĐ-CP" in s)
    too_long = ask(intake, question="ư" * 4001)
    assert too_long.status_code == 400
    assert "Câu hỏi dài tối đa 4000 ký tự" in too_long.text
    huge = ask(intake, question="a" * 70_000)
    assert huge.status_code == 400
    assert count(intake, "reader_questions_question") == before


def test_html_in_a_question_is_kept_as_text_and_never_rendered(intake):
    typed = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>đậm</b>'
    answer = ask(intake, question=typed, name="<i>Tên</i>")
    status = requests.get(intake.base + answer.headers["Location"], timeout=30)
    shown = page(status)
    assert shown.select_one(".portal-form__question").get_text() == typed
    assert not shown.select("main script, main img, main b, main i")
    assert "&lt;script&gt;" in status.text
    code = shown.select_one(".portal-form__code").get_text()
    stored = intake.rows(
        "SELECT question, name FROM reader_questions_question WHERE code = %s", code
    )
    assert stored == [(typed, "<i>Tên</i>")]


def test_a_filled_honeypot_is_refused_and_nothing_stored(intake):
    before = count(intake, "reader_questions_question")
    answer = ask(intake, website="http://spam.example")
    assert answer.status_code == 400
    assert "Không gửi được biểu mẫu" in answer.text
    assert count(intake, "reader_questions_question") == before


def test_a_form_from_another_origin_or_none_is_refused(intake):
    before = count(intake, "reader_questions_question")
    for origin in (None, "https://ke-gian.example", "null"):
        answer = intake.post("/hoi-dap/gui/", QUESTION, new_address(), origin=origin)
        assert answer.status_code == 403, origin
        assert "từ chính trang của cổng thông tin" in answer.text
    forged = intake.post(
        "/hoi-dap/gui/", QUESTION, new_address(), origin=None,
        headers={"Referer": "https://ke-gian.example/hoi-dap/"},
    )  # fmt: skip
    assert forged.status_code == 403
    assert count(intake, "reader_questions_question") == before
    # A browser that sends no Origin but the page's Referer: accepted.
    page_referer = intake.post(
        "/hoi-dap/gui/", QUESTION, new_address(), origin=None,
        headers={"Referer": f"{intake.base}/hoi-dap/"},
    )  # fmt: skip
    assert page_referer.status_code == 302


def test_one_address_is_limited_and_never_stored_in_clear(intake):
    address = new_address()
    codes = [
        intake.post("/hoi-dap/gui/", QUESTION, address).status_code for _ in range(6)
    ]
    assert codes == [302] * 5 + [429]
    refused = intake.post("/hoi-dap/gui/", QUESTION, address)
    assert "quá nhiều lần" in refused.text
    assert intake.post("/hoi-dap/gui/", QUESTION, new_address()).status_code == 302
    assert address.encode() not in intake.database_bytes()


def test_a_draft_takes_comments_until_its_deadline_only(intake):
    before = count(intake, "draft_comments_comment")
    form = requests.get(f"{intake.base}/gop-y/01-dt-thu/", timeout=30)
    assert form.status_code == 200
    options = [o.get_text() for o in page(form).select("select[name=district] option")]
    assert "Huyện Kiên Hải" in options
    taken = intake.post("/gop-y/01-dt-thu/", COMMENT, new_address())
    assert taken.status_code == 302
    thanks = requests.get(intake.base + taken.headers["Location"], timeout=30)
    assert "Đã nhận góp ý của bạn" in thanks.text
    late = intake.post("/gop-y/02-dt-thu/", COMMENT, new_address())
    assert late.status_code == 410
    assert "Đã hết hạn góp ý" in late.text
    assert "31/01/2020" in late.text
    not_a_draft = intake.post("/gop-y/03-qd-thu/", COMMENT, new_address())
    assert not_a_draft.status_code == 404
    bad = intake.post(
        "/gop-y/01-dt-thu/", {**COMMENT, "district": "Quận 1", "text": ""},
        new_address(),
    )  # fmt: skip
    assert bad.status_code == 400
    errors = [li.get_text() for li in page(bad).select(".portal-form__errors li")]
    assert errors == [
        "Địa bàn không có trong danh sách; xin chọn lại.",
        "Xin vui lòng nhập nội dung góp ý.",
    ]
    assert count(intake, "draft_comments_comment") == before + 1


def test_roles_answer_publish_and_export_in_the_admin(intake):
    asked = ask(intake, question="Khi nào có kết quả <đề án> 06?")
    code = page(requests.get(intake.base + asked.headers["Location"], timeout=30))
    code = code.select_one(".portal-form__code").get_text()
    (pk,) = intake.rows(
        "SELECT id FROM reader_questions_question WHERE code = %s", code
    )[0]
    change = f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/{pk}/change/"
    editor = intake.staff("bien-tap", "Biên tập hỏi đáp")
    listing = editor.get(f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/")
    assert "Câu hỏi" in listing.text or "câu hỏi" in listing.text
    actions = [o["value"] for o in page(listing).select("select[name=action] option")]
    assert "send_to_review" not in actions
    saved = admin_post(editor, change, {
        "status": "answering", "title": "Kết quả đề án 06",
        "answer": "Đề án hoàn thành trong **quý IV**.",
    })  # fmt: skip
    assert saved.status_code == 200
    assert page(saved).select(".messagelist .success")
    # The editor cannot send it to review; the reviewer can.
    listing_url = f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/"
    tried = admin_post(editor, listing_url, {
        "action": "send_to_review", "_selected_action": str(pk),
    })  # fmt: skip
    assert not list(intake.content.glob("hoi-dap/*/*.md"))
    del tried
    reviewer = intake.staff("duyet", "Duyệt hỏi đáp")
    sent = admin_post(reviewer, listing_url, {
        "action": "send_to_review", "_selected_action": str(pk),
    })  # fmt: skip
    message = page(sent).select_one(".messagelist .success").get_text()
    assert "(Status: review)" in message
    (written,) = intake.content.glob("hoi-dap/*/*.md")
    text = written.read_text(encoding="utf-8")
    assert "\nStatus: review\n" in text
    assert "Title: Kết quả đề án 06\n" in text
    assert "&lt;đề án&gt;" in text
    assert written.stem.endswith(code.lower())
    status = requests.get(
        f"{intake.base}/hoi-dap/theo-doi/", params={"ma": code}, timeout=30
    )
    assert page(status).select_one(".portal-form__status").get_text() == (
        "Đã trả lời, chờ duyệt đăng"
    )
    # Exports: only the comments role; CSV and XLSX with counts.
    intake.post("/gop-y/01-dt-thu/", COMMENT, new_address())
    exporter = intake.staff("tong-hop", "Tổng hợp góp ý")
    comments_url = f"{intake.base}/quan-tri-hoi-dap/draft_comments/comment/"
    ids = [str(r[0]) for r in intake.rows(
        "SELECT id FROM draft_comments_comment WHERE document = %s", "01-dt-thu"
    )]  # fmt: skip
    assert editor.get(comments_url).status_code == 403
    as_csv = admin_post(exporter, comments_url, {
        "action": "export_csv", "_selected_action": ids,
    })  # fmt: skip
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["Góp ý dự thảo: Dự thảo số 01/DT-THU", f"Tổng số: {len(ids)}"]
    assert ["Huyện Kiên Hải", str(len(ids))] in rows
    assert ["Chống khai thác IUU", str(len(ids))] in rows
    assert ["Huyện Hòn Đất", "0"] in rows
    as_xlsx = admin_post(exporter, comments_url, {
        "action": "export_xlsx", "_selected_action": ids,
    })  # fmt: skip
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["Góp ý", "Thống kê"]
    summary = [tuple(r) for r in book["Thống kê"].iter_rows(values_only=True)]
    assert ("Huyện Kiên Hải", len(ids)) in summary
    assert book["Góp ý"].max_row == len(ids) + 2


# A province after the 2025 reorganisation: communes, wards and special zones.
PLACES = {
    "PLACE_LABEL": "Xã, phường, đặc khu",
    "DISTRICTS": ["Phường Rạch Giá", "Đặc khu Phú Quốc", "Xã Kiên Hải"],
}


def test_the_places_of_comments_are_named_by_the_settings(tmp_path):
    """READER_FORMS names the places and what they are: the page and the service."""
    portal = portal_settings_with(tmp_path, **PLACES)
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content)
    built = build_site(portal, {"PATH": str(content), "OUTPUT_PATH": str(output)})
    assert built.ok, built.errors
    form = read_page(output, "/van-ban/01-dt-thu/").select_one("form.portal-form")
    field = form.select_one("select[name=district]")
    assert form.select_one(f"label[for={field['id']}]").get_text() == (
        "Xã, phường, đặc khu"
    )
    assert [o.get_text() for o in field.select("option")][1:] == PLACES["DISTRICTS"]

    settings = {"INTAKE_PELICAN_SETTINGS": str(portal)}
    for intake in intake_service("sqlite", tmp_path / "service", **settings):
        no_place = intake.post(
            "/gop-y/01-dt-thu/", {**COMMENT, "district": ""}, new_address()
        )
        assert no_place.status_code == 400
        shown = page(no_place)
        errors = [li.get_text() for li in shown.select(".portal-form__errors li")]
        assert errors == ["Xin vui lòng chọn xã, phường, đặc khu."]
        assert (
            shown.select_one("label[for=id_district]")
            .get_text()
            .startswith("Xã, phường, đặc khu")
        )
        # A district of the old list is no place of this one.
        old = intake.post("/gop-y/01-dt-thu/", COMMENT, new_address())
        assert old.status_code == 400
        taken = intake.post(
            "/gop-y/01-dt-thu/", {**COMMENT, "district": "Đặc khu Phú Quốc"},
            new_address(),
        )  # fmt: skip
        assert taken.status_code == 302
        exporter = intake.staff("tong-hop", "Tổng hợp góp ý")
        (ids,) = intake.rows("SELECT id FROM draft_comments_comment")
        as_csv = admin_post(
            exporter, f"{intake.base}/quan-tri-hoi-dap/draft_comments/comment/",
            {"action": "export_csv", "_selected_action": [str(ids[0])]},
        )  # fmt: skip
        rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        assert rows[1][3] == "Xã, phường, đặc khu"
        assert rows[2][3] == "Đặc khu Phú Quốc"
        assert ["Xã, phường, đặc khu", "Số góp ý"] in rows  # the counts' heading
        assert ["Đặc khu Phú Quốc", "1"] in rows
        assert ["Phường Rạch Giá", "0"] in rows


def test_a_settings_file_without_the_newer_keys_gets_their_defaults(tmp_path):
    """READER_FORMS written before a key was added: the same forms on the
    page and in the service, the keys left out taken from their defaults."""
    places = ["Phường Rạch Giá", "Ngoài tỉnh"]
    portal = portal_settings_with(tmp_path, whole=True, DISTRICTS=places)
    content, output = tmp_path / "content", tmp_path / "output"
    write_content(content)
    built = build_site(portal, {"PATH": str(content), "OUTPUT_PATH": str(output)})
    assert built.ok, built.errors
    form = read_page(output, "/van-ban/01-dt-thu/").select_one("form.portal-form")
    assert form["action"] == f"{DEFAULTS['COMMENT_URL']}01-dt-thu/"
    field = form.select_one("select[name=district]")
    assert form.select_one(f"label[for={field['id']}]").get_text() == "Nơi ở"
    assert [o.get_text() for o in field.select("option")][1:] == places
    text = form.select_one("textarea[name=text]")
    assert text["maxlength"] == str(DEFAULTS["LIMITS"]["comment"])
    notice = form.select_one(".portal-form__privacy").get_text()
    assert f"được xoá sau {DEFAULTS['RETENTION_DAYS']} ngày" in notice
    asked = read_page(output, "/hoi-dap/").select_one("form#gui-cau-hoi")
    assert asked["action"] == DEFAULTS["QUESTION_URL"]

    settings = {"INTAKE_PELICAN_SETTINGS": str(portal)}
    for intake in intake_service("sqlite", tmp_path / "service", **settings):
        no_place = intake.post(
            "/gop-y/01-dt-thu/", {**COMMENT, "district": ""}, new_address()
        )
        assert no_place.status_code == 400
        errors = [
            li.get_text() for li in page(no_place).select(".portal-form__errors li")
        ]
        assert errors == ["Xin vui lòng chọn nơi ở."]
        too_long = intake.post(
            "/gop-y/01-dt-thu/",
            {**COMMENT, "district": places[0], "text": "ý" * 8001},
            new_address(),
        )
        assert too_long.status_code == 400
        taken = intake.post(
            "/gop-y/01-dt-thu/", {**COMMENT, "district": places[0]}, new_address()
        )
        assert taken.status_code == 302


def test_the_service_checks_the_reader_forms_setting(tmp_path):
    """A wrong READER_FORMS stops ``manage.py check`` (and ``migrate``), named."""
    env = {"INTAKE_DATA_DIR": str(tmp_path / "data")}
    env["INTAKE_PELICAN_SETTINGS"] = str(portal_settings_with(tmp_path))
    assert manage(env, "check").returncode == 0
    wrong = portal_settings_with(tmp_path, LIMITS={"comment": 0})
    env["INTAKE_PELICAN_SETTINGS"] = str(wrong)
    with pytest.raises(subprocess.CalledProcessError) as failed:
        manage(env, "check")
    assert "portal_intake.E001" in failed.value.stderr
    assert "READER_FORMS: LIMITS['comment'] must be a positive" in failed.value.stderr


def test_the_admin_keeps_django_csrf(intake):
    session = intake.staff("csrf", "Biên tập hỏi đáp")
    url = f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/"
    answer = session.post(
        url, data={"action": "delete_selected"}, headers={"Origin": intake.base},
        timeout=30,
    )  # fmt: skip
    assert answer.status_code == 403
    assert error_heading(answer) == "Phiên làm việc đã hết hạn"


def error_heading(response: requests.Response) -> str:
    """The heading of one of the service's error pages (in the site's frame)."""
    html = page(response)
    assert html.select_one("html")["lang"] == "vi"
    assert html.select_one("header.portal-header a[href='/']")
    assert html.select_one("[role=alert]").get_text().strip()
    return html.select_one("h1").get_text()


def test_errors_answer_in_vietnamese_with_the_right_status(intake):
    unknown_draft = intake.post("/gop-y/khong-co-du-thao/", COMMENT, new_address())
    assert unknown_draft.status_code == 404
    assert error_heading(unknown_draft) == "Không tìm thấy trang"
    thanks = requests.get(f"{intake.base}/gop-y/khong-co-du-thao/da-gui/", timeout=30)
    assert thanks.status_code == 404
    assert error_heading(thanks) == "Không tìm thấy trang"
    wrong_path = requests.get(f"{intake.base}/hoi-dap/theo-doi/HD-X/", timeout=30)
    assert wrong_path.status_code == 404
    assert error_heading(wrong_path) == "Không tìm thấy trang"
    unknown_code = requests.get(
        f"{intake.base}/hoi-dap/theo-doi/", params={"ma": "HD-KHONGCO"}, timeout=30
    )
    assert unknown_code.status_code == 404
    assert "Không tìm thấy câu hỏi có mã HD-KHONGCO" in unknown_code.text
    # An editor of questions does not open the comments on drafts.
    editor = intake.staff("chi-hoi-dap", "Biên tập hỏi đáp")
    forbidden = editor.get(f"{intake.base}/quan-tri-hoi-dap/draft_comments/comment/")
    assert forbidden.status_code == 403
    assert error_heading(forbidden) == "Không có quyền truy cập"
    # A Host the service does not serve.
    wrong_host = requests.get(
        f"{intake.base}/hoi-dap/gui/", headers={"Host": "ke-gian.example"}, timeout=30
    )
    assert wrong_host.status_code == 400
    assert error_heading(wrong_host) == "Yêu cầu không hợp lệ"


def test_with_its_database_down_the_service_answers_its_500_page(intake, tmp_path):
    """PostgreSQL where nothing listens: the tracking page fails in Vietnamese."""
    from tools.local_nginx import free_port  # noqa: PLC0415

    nowhere = f"postgresql://hoidap@127.0.0.1:{free_port()}/hoidap"
    port = free_port()
    process = start_gunicorn({**intake.env, "DATABASE_URL": nowhere}, port, 1)
    try:
        failed = requests.get(
            f"http://127.0.0.1:{port}/hoi-dap/theo-doi/",
            params={"ma": "HD-12345678"},
            timeout=30,
        )
    finally:
        stop_gunicorn(process)
    assert failed.status_code == 500
    assert error_heading(failed) == "Hệ thống đang gặp sự cố"


def test_ratings_count_once_per_reader(intake):
    asked = ask(intake)
    code = page(requests.get(intake.base + asked.headers["Location"], timeout=30))
    code = code.select_one(".portal-form__code").get_text()
    slug = f"cau-hoi-thu-{code.lower()}"
    # As the admin's "send to review" does: the page's slug is known.
    intake.execute(
        "UPDATE reader_questions_question SET slug = %s WHERE code = %s", slug, code
    )
    reader = requests.Session()
    path = f"/hoi-dap/danh-gia/{slug}/"
    headers = {"Origin": intake.base, "X-Real-IP": new_address()}
    first = reader.post(intake.base + path, data={"huu_ich": "co"}, headers=headers)
    assert "Đánh giá của bạn đã được ghi nhận" in first.text
    second = reader.post(intake.base + path, data={"huu_ich": "khong"}, headers=headers)
    assert "mỗi bạn đọc được đánh giá một lần" in second.text
    other = requests.post(
        intake.base + path, data={"huu_ich": "khong"}, headers=headers, timeout=30
    )
    assert "đã được ghi nhận" in other.text
    staff = intake.staff("dem", "Biên tập hỏi đáp")
    listing = staff.get(
        f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/", params={"q": code}
    )
    row = page(listing).select_one("#result_list tbody tr")
    assert row.select_one(".field-useful_count").get_text() == "1"
    assert row.select_one(".field-not_useful_count").get_text() == "1"


def test_contacts_are_erased_after_the_retention_period(intake, tmp_path):
    asked = ask(intake, name="Trần Thị B", contact="0900000000")
    assert asked.status_code == 302
    portal = portal_settings_with(tmp_path, RETENTION_DAYS=0)
    manage({**intake.env, "INTAKE_PELICAN_SETTINGS": str(portal)}, "erase_contacts")
    rows = intake.rows(
        "SELECT COUNT(*) FROM reader_questions_question WHERE contact <> ''"
        " OR name <> ''"
    )
    assert rows == [(0,)]
    assert (
        intake.rows(
            "SELECT COUNT(*) FROM reader_questions_question WHERE question = %s",
            QUESTION["question"],
        )[0][0]
        > 0
    )


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_restart_under_load_loses_nothing_acknowledged(intake):
    """Forms sent while the service is stopped and started again: every code shown is kept."""
    from tools.local_nginx import free_port  # noqa: PLC0415

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**intake.env, "INTAKE_RATE_LIMIT": "0"}
    server = start_gunicorn(env, port, workers=2)
    acknowledged: list[str] = []
    stop = threading.Event()

    def send() -> None:
        while not stop.is_set():
            try:
                answer = requests.post(
                    f"{base}/hoi-dap/gui/", data=QUESTION,
                    headers={"Origin": base}, allow_redirects=False, timeout=30,
                )  # fmt: skip
            except requests.ConnectionError:
                time.sleep(0.02)
                continue
            if answer.status_code == 302:
                acknowledged.append(answer.headers["Location"].split("ma=")[1][:11])

    clients = [threading.Thread(target=send) for _ in range(4)]
    for client in clients:
        client.start()
    try:
        wait_for(lambda: len(acknowledged) >= 30)
        stop_gunicorn(server)
        restarted_after = len(acknowledged)
        server = start_gunicorn(env, port, workers=2)
        wait_for(lambda: len(acknowledged) >= restarted_after + 30)
    finally:
        stop.set()
        for client in clients:
            client.join()
        stop_gunicorn(server)
    stored = {
        row[0] for row in intake.rows("SELECT code FROM reader_questions_question")
    }
    assert set(acknowledged) <= stored


def test_invoke_intake_migrates_serves_and_prints_its_address(tmp_path):
    """``invoke intake``: SQLite in the data folder, the forms and the admin."""
    from tools.local_nginx import free_port  # noqa: PLC0415

    port = free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "intake", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
        preexec_fn=interruptible,  # noqa: PLW1509 - a test's child, no threads
    )  # fmt: skip
    try:
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(base))
        form = requests.get(f"{base}/", timeout=30)
        assert form.url == f"{base}/hoi-dap/gui/"
        assert page(form).select_one("textarea[name=question]")
        admin = requests.get(f"{base}/quan-tri-hoi-dap/", timeout=30)
        assert "Đăng nhập" in admin.text
        assert (tmp_path / "data" / "hoi-dap.sqlite3").exists()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/hoi-dap/gui/", timeout=5).status_code == 200
    except requests.ConnectionError:
        return False
