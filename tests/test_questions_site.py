"""Hỏi đáp and góp ý dự thảo on the static site, and the path of an answer.

From a reader's question through the admin to ``content/hoi-dap/``, the
review, ``invoke check`` and the build; the draft documents' comment form;
nginx sending the forms to the service, and saying so when it is down.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from intake_fixtures import (
    LINUX_ONLY,
    admin_post,
    intake_service,
    new_address,
    portal_settings_with,
    write_content,
)
from pelican.settings import read_settings

from conftest import ROOT
from tools.content_check import main as check_main
from tools.local_intake import manage
from tools.local_nginx import NGINX, portal_nginx

pytestmark = LINUX_ONLY
QUESTION = {
    "name": "",
    "contact": "",
    "topic": "chong-khai-thac-iuu",
    "question": "Tàu cá mất kết nối <VMS> thì xử lý thế nào? [xem](javascript:x)",
    "website": "",
}


@pytest.fixture(scope="module")
def intake(tmp_path_factory):
    yield from intake_service("sqlite", tmp_path_factory.mktemp("intake-site"))


def send_to_review(intake, expect_file: bool = True) -> tuple[str, Path | None]:
    """A question asked, answered and sent to review; its code and file."""
    asked = intake.post("/hoi-dap/gui/", QUESTION, new_address())
    code = asked.headers["Location"].split("ma=")[1][:11]
    (pk,) = intake.rows(
        "SELECT id FROM reader_questions_question WHERE code = %s", code
    )[0]
    editor = intake.staff("bien-tap-vien", "Biên tập hỏi đáp")
    admin_post(
        editor,
        f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/{pk}/change/",
        {"status": "answering", "title": "Xử lý tàu cá mất kết nối VMS",
         "answer": "Chủ tàu phải báo cáo **trong 6 giờ** (Nghị định 37/2024)."},
    )  # fmt: skip
    reviewer = intake.staff("nguoi-duyet", "Duyệt hỏi đáp")
    admin_post(
        reviewer,
        f"{intake.base}/quan-tri-hoi-dap/reader_questions/question/",
        {"action": "send_to_review", "_selected_action": str(pk)},
    )
    written = list(intake.content.glob(f"hoi-dap/*/*{code.lower()}.md"))
    assert len(written) == (1 if expect_file else 0)
    return code, written[0] if written else None


def build(content: Path, output: Path, production: bool = True):
    from tools.site_build import build_site  # noqa: PLC0415

    settings = ROOT / ("publishconf.py" if production else "pelicanconf.py")
    return build_site(settings, {
        "PATH": str(content), "OUTPUT_PATH": str(output),
        "SITEURL": "http://portal.test", "FEED_DOMAIN": "http://portal.test",
    })  # fmt: skip


def read(output: Path, url: str) -> BeautifulSoup:
    path = output / url.strip("/") / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_an_answer_goes_from_the_admin_through_review_to_a_built_page(intake, tmp_path):
    code, path = send_to_review(intake)
    assert path.parent.parent.name == "hoi-dap"
    # In review: checked like any article, not published.
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(intake.content)})  # fmt: skip
    report = io.StringIO()
    assert check_main(settings, report, blocking_only=True) == 0, report.getvalue()
    result = build(intake.content, tmp_path / "before")
    assert result.ok, result.errors
    assert read(tmp_path / "before", "/hoi-dap/").select_one(".portal-empty")
    # The usual review: the approving editor publishes it and commits.
    text = path.read_text(encoding="utf-8").replace(
        "Status: review", "Status: published\nReviewed_by: Trưởng ban\n"
        "Reviewed_at: 2026-01-02 08:00",
    )  # fmt: skip
    path.write_text(text, encoding="utf-8")
    report = io.StringIO()
    assert check_main(settings, report) == 0, report.getvalue()
    output = tmp_path / "after"
    result = build(intake.content, output)
    assert result.ok, result.errors
    listing = read(output, "/hoi-dap/")
    group = listing.select_one(".portal-questions__group")
    assert (
        group.select_one("h3")
        .get_text(" ", strip=True)
        .startswith("Chống khai thác IUU")
    )
    link = group.select_one("a")
    assert link.get_text() == "Xử lý tàu cá mất kết nối VMS"
    url = link["href"].removeprefix("http://portal.test")
    answer = read(output, url)
    body = answer.select_one(".portal-article__body")
    # The reader's text shown as typed; no link, no markup from it.
    assert "<VMS>" in body.get_text()
    assert "[xem](javascript:x)" in body.get_text()
    assert not body.select("a[href^=javascript]")
    assert body.select_one("strong").get_text() in ("Câu hỏi", "trong 6 giờ")
    rating = answer.select_one("form.portal-form--rating")
    assert rating["action"] == f"http://portal.test/hoi-dap/danh-gia/{Path(url).name}/"
    assert rating["method"] == "post"
    # Feeds, sitemap and search have it.
    assert "Xử lý tàu cá mất kết nối VMS" in (
        output / "hoi-dap" / "atom.xml"
    ).read_text(encoding="utf-8")
    feed = json.loads((output / "hoi-dap" / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["url"] == f"http://portal.test{url}"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>http://portal.test{url}</loc>" in sitemap
    assert "<loc>http://portal.test/hoi-dap/</loc>" in sitemap
    index = "".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in (output / "tim-kiem" / "chi-muc").rglob("*.json")
    )
    assert "Xử lý tàu cá mất kết nối VMS" in index
    # The reader's status page points to where it is published.
    status = requests.get(
        f"{intake.base}/hoi-dap/theo-doi/", params={"ma": code}, timeout=30
    )
    assert (
        url in BeautifulSoup(status.text, "html.parser").select_one("main").get_text()
    )


def test_hoi_dap_page_has_the_question_and_tracking_forms(tmp_path):
    content = tmp_path / "content"
    write_content(content)
    result = build(content, tmp_path / "output", production=False)
    assert result.ok, result.errors
    page = read(tmp_path / "output", "/hoi-dap/")
    form = page.select_one("form#gui-cau-hoi")
    assert form["method"] == "post"
    assert form["action"] == "http://portal.test/hoi-dap/gui/"
    names = [f["name"] for f in form.select("input, select, textarea")]
    assert names == ["name", "contact", "topic", "website", "question"]
    topics = [o["value"] for o in form.select("select[name=topic] option")][1:]
    assert "xay-dung-dang" in topics
    assert form.select_one("textarea")["maxlength"] == "4000"
    assert "13/2023/NĐ-CP" in form.select_one(".portal-form__privacy").get_text()
    # The honeypot is labelled (for people using a screen reader: leave empty).
    assert (
        form.select_one(".portal-form__trap[aria-hidden=true] input")["tabindex"]
        == "-1"
    )
    track = page.select_one("form[action='http://portal.test/hoi-dap/theo-doi/']")
    assert track["method"] == "get"
    down = read(tmp_path / "output", "/hoi-dap/tam-ngung/")
    assert "chưa được ghi nhận" in down.select_one("[role=alert]").get_text()


def test_a_draft_document_has_a_comment_form_until_its_deadline(tmp_path):
    content = tmp_path / "content"
    write_content(content)
    output = tmp_path / "output"
    assert build(content, output, production=False).ok
    draft = read(output, "/van-ban/01-dt-thu/")
    form = draft.select_one("form[action='http://portal.test/gop-y/01-dt-thu/']")
    assert form["data-closes"] == "2099-12-31T23:59:59+07:00"
    assert "31/12/2099" in draft.select_one(".portal-document__details").get_text()
    districts = [o.get_text() for o in form.select("select[name=district] option")]
    assert districts[1:4] == [
        "Thành phố Rạch Giá",
        "Thành phố Hà Tiên",
        "Thành phố Phú Quốc",
    ]
    decision = read(output, "/van-ban/03-qd-thu/")
    assert not decision.select("form.portal-form")
    # A draft is put out, not issued; a decision is issued.
    terms = [dt.get_text() for dt in draft.select(".portal-document__details dt")]
    assert "Ngày công bố dự thảo" in terms and "Ngày ban hành" not in terms
    terms = [dt.get_text() for dt in decision.select(".portal-document__details dt")]
    assert "Ngày ban hành" in terms
    cards = {
        card.select_one("a").get_text(): card.select_one(".portal-document-card__meta")
        for card in read(output, "/van-ban/").select(".portal-document-card")
    }
    metas = [meta.get_text(" ", strip=True) for meta in cards.values()]
    assert any("công bố dự thảo" in meta for meta in metas)
    assert any(" ban hành " in f" {meta} " for meta in metas)


def test_a_deadline_that_is_not_a_date_is_told_to_the_editor(tmp_path):
    content = tmp_path / "content"
    write_content(content)
    record = content / "van-ban" / "01-dt-thu.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("2099-12-31", "cuối tháng"),
        encoding="utf-8",
    )
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(content)}
    )
    report = io.StringIO()
    assert check_main(settings, report) == 1
    record = content / "van-ban" / "03-qd-thu.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "Category:", "Han_gop_y: 2099-01-01\nCategory:"
        ),
        encoding="utf-8",
    )
    report = io.StringIO()
    assert check_main(settings, report) == 1
    assert (
        "03-qd-thu.md:7: Han_gop_y: hạn góp ý chỉ dùng cho dự thảo" in report.getvalue()
    )
    assert re.search(r"01-dt-thu\.md:\d+: Han_gop_y: .*không phải ngày giờ hợp lệ",
                     report.getvalue())  # fmt: skip


def test_nginx_sends_the_forms_to_the_service_and_says_when_it_is_down(
    intake, tmp_path
):
    if not NGINX.exists():
        pytest.skip("nginx is not installed")
    output = tmp_path / "site"
    assert build(intake.content, output, production=False).ok
    port = int(intake.base.rsplit(":", 1)[1])
    (tmp_path / "up").mkdir()
    (tmp_path / "down").mkdir()
    with portal_nginx(output, tmp_path / "up", intake_port=port) as base:
        asked = requests.post(
            f"{base}/hoi-dap/gui/", data=QUESTION, headers={"Origin": base},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert asked.status_code == 302
        status = requests.get(base + asked.headers["Location"], timeout=30)
        assert status.headers["Cache-Control"] == "no-store"
        assert "default-src 'self'" in status.headers["Content-Security-Policy"]
        assert "Mã theo dõi" in status.text
        admin = requests.get(f"{base}/quan-tri-hoi-dap/", timeout=30)
        assert admin.url.endswith("/quan-tri-hoi-dap/login/?next=/quan-tri-hoi-dap/")
        assert requests.get(f"{base}/hoi-dap/", timeout=30).status_code == 200
    from tools.local_nginx import free_port  # noqa: PLC0415

    with portal_nginx(output, tmp_path / "down", intake_port=free_port()) as base:
        for method, path in (("post", "/hoi-dap/gui/"), ("get", "/hoi-dap/theo-doi/"),
                             ("post", "/gop-y/01-dt-thu/")):  # fmt: skip
            answer = requests.request(method, base + path, data=QUESTION, timeout=30)
            assert answer.status_code == 503, path
            page = BeautifulSoup(answer.text, "html.parser")
            assert page.h1.get_text() == "Tạm ngừng tiếp nhận câu hỏi và góp ý"
            assert answer.headers["Cache-Control"] == "no-store"
        assert requests.get(f"{base}/hoi-dap/", timeout=30).status_code == 200


def test_with_a_git_base_the_answer_is_a_commit_on_its_own_branch(tmp_path):
    """INTAKE_GIT_BASE: a branch hoi-dap/<slug> from main; the checkout untouched."""
    repository = tmp_path / "repo"
    content = repository / "content"
    write_content(content)

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repository), *args], check=True, capture_output=True,
            text=True,
            env={**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@t",
                 "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@t"},
        ).stdout.strip()  # fmt: skip

    git("init", "-q", "-b", "main")
    git("add", "content")
    git("commit", "-q", "-m", "Nội dung")
    head = git("rev-parse", "HEAD")
    services = intake_service(
        "sqlite", tmp_path / "service", INTAKE_CONTENT_DIR=str(content),
        INTAKE_GIT_BASE="main",
    )  # fmt: skip
    for intake in services:
        code, _ = send_to_review(intake, expect_file=False)
        slug = next(
            line.split()[-1]
            for line in git("branch", "--list", "hoi-dap/*").splitlines()
        )
        assert slug.endswith(code.lower())
        files = git("show", "--name-only", "--format=%an|%s", slug).splitlines()
        assert files[0] == f"nguoi-duyet|Hỏi đáp: {slug.split('/')[1]} (chờ duyệt)"
        (added,) = [f for f in files[1:] if f]
        assert added.startswith("content/hoi-dap/")
        assert "Status: review" in git("show", f"{slug}:{added}")
        assert git("rev-parse", f"{slug}~1") == head
        # The checkout itself: same branch, same commit, nothing added.
        assert git("rev-parse", "HEAD") == head
        assert git("status", "--porcelain") == ""


def test_one_retention_period_for_the_notice_and_the_erasure(intake, tmp_path):
    """READER_FORMS["RETENTION_DAYS"]: what the forms say, what the service erases."""
    from tools.site_build import build_site  # noqa: PLC0415

    portal = portal_settings_with(tmp_path, RETENTION_DAYS=30)
    content = tmp_path / "content"
    write_content(content)
    output = tmp_path / "output"
    result = build_site(portal, {"PATH": str(content), "OUTPUT_PATH": str(output)})
    assert result.ok, result.errors
    notice = read(output, "/hoi-dap/").select_one("#gui-cau-hoi .portal-form__privacy")
    assert "được xoá sau 30 ngày" in notice.get_text()
    # The running service reads the portal's own settings: 365 days.
    form = BeautifulSoup(
        requests.get(f"{intake.base}/hoi-dap/gui/", timeout=30).text, "html.parser"
    )
    assert (
        "được xoá sau 365 ngày" in form.select_one(".portal-form__privacy").get_text()
    )

    codes = {}
    for days in (29, 31):
        asked = intake.post(
            "/hoi-dap/gui/", {**QUESTION, "contact": f"09000000{days}"}, new_address()
        )
        codes[days] = asked.headers["Location"].split("ma=")[1][:11]
        received = datetime.now(UTC) - timedelta(days=days)
        intake.execute(
            "UPDATE reader_questions_question SET received_at = %s WHERE code = %s",
            received.strftime("%Y-%m-%d %H:%M:%S.%f"),
            codes[days],
        )

    def contact(days: int) -> str:
        return intake.rows(
            "SELECT contact FROM reader_questions_question WHERE code = %s",
            codes[days],
        )[0][0]

    manage(intake.env, "erase_contacts")
    assert (contact(29), contact(31)) == ("0900000029", "0900000031")
    manage({**intake.env, "INTAKE_PELICAN_SETTINGS": str(portal)}, "erase_contacts")
    assert (contact(29), contact(31)) == ("0900000029", "")
