"""What reaches readers comes from content/ only, through the one link resolver.

Placeholder links with a script or another host after them, links and lead
images pointing outside content/, symbolic links, and static files of a type a
browser would run are refused by ``invoke check`` and by the build alike, each
with its file, line and field, and nothing of them reaches the output.
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from html import unescape

import pytest
from bs4 import BeautifulSoup
from pelican.contents import Article
from pelican.settings import read_settings

from conftest import ROOT, SITEURL, article_text
from tools.content_check import main as check_main

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

PLACEHOLDERS = ("index", "tag", "category", "author", "filename", "static", "attach")
PAYLOADS = {
    "javascript": "javascript:alert(1)",
    "upper-case": "JaVaScRiPt:alert(1)",
    "entity": "&#106;avascript:alert(1)",
    "named-entity": "javascript&colon;alert(1)",
    "tab": "java&#x09;script:alert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "other-host": "//evil.example/x",
    "https": "https://evil.example/x",
}


def check(site) -> tuple[int, list[str]]:
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(site.content), "OUTPUT_PATH": str(site.output)},
    )
    out = io.StringIO()
    code = check_main(settings, out)
    return code, out.getvalue().splitlines()


def line_of(path, text: str) -> int:
    """The line of a file where a text stands."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def script_urls(output) -> list[str]:
    """Every href/src in the built pages and feeds that a browser would run."""
    found = []
    for path in output.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".xml":  # a feed carries its entries' HTML escaped
            text = unescape(text)
        elif path.suffix == ".json":  # a JSON Feed carries it in its items
            items = json.loads(text).get("items", [])
            text = "".join(item.get("content_html", "") for item in items)
        soup = BeautifulSoup(text, "html.parser")
        for element in soup.find_all(True):
            for attribute in ("href", "src"):
                value = "".join(str(element.get(attribute, "")).split()).lower()
                if value.startswith(("javascript:", "vbscript:", "data:text")):
                    found.append(f"{path}: {value}")
    return found


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("kind", PLACEHOLDERS)
def test_pelican_never_turns_a_placeholder_into_a_script_url(kind, payload):
    """The portal's INTRASITE_LINK_REGEX: Pelican replaces only site paths."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    url = "{" + kind + "}" + PAYLOADS[payload]
    html = f'<p><a href="{url}">a</a> <img src="{url}" alt="x"></p>'
    article = Article(
        html,
        metadata={"title": "Bài", "date": datetime(2024, 4, 26)},
        settings=settings,
        context={
            "generated_content": {},
            "static_content": {},
            "static_links": set(),
            "localsiteurl": SITEURL,
        },
        source_path=str(ROOT / "content" / "bai-viet" / "x.md"),
    )
    soup = BeautifulSoup(article.get_content(SITEURL), "html.parser")
    for element in soup.find_all(["a", "img"]):
        value = element.get("href") or element.get("src")
        assert not value.lower().startswith(("javascript", "vbscript", "data", "//"))
        assert "evil.example" not in value or value.startswith("{")


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("kind", PLACEHOLDERS)
@pytest.mark.parametrize("form", ["markdown", "html"])
def test_a_placeholder_with_a_script_or_host_fails_check_and_build(
    site, kind, payload, form
):
    url = "{" + kind + "}" + PAYLOADS[payload]
    link = f"[bấm]({url})" if form == "markdown" else f'<a href="{url}">bấm</a>'
    path = site.article("xau", title="Bài xấu", body=f"Đoạn đầu.\n\n{link}\n")
    line = line_of(path, "bấm")
    code, lines = check(site)
    assert code == 1
    assert any(f"xau.md:{line}: liên kết:" in entry for entry in lines), lines
    result = site.build(production=True)
    assert result.failed
    assert any(f"xau.md:{line}" in error for error in result.errors)
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    assert script_urls(site.output) == []


def test_the_legacy_bar_placeholders_are_never_replaced(site):
    site.article(
        "vach", title="Bài vạch", body='<a href="|index|javascript:alert(1)">a</a>\n'
    )
    site.build()
    body = site.page("2024/04/bai-vach").select_one(".portal-article__body")
    hrefs = [a.get("href", "") for a in body.find_all("a")]
    assert all(not h.lower().startswith("javascript") for h in hrefs), hrefs


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("[cấu hình]({static}/../pelicanconf.py)", "liên kết"),
        ("[mật khẩu]({filename}../../../etc/passwd)", "liên kết"),
        ("![ảnh]({static}/../../etc/hinh.jpg)", "ảnh"),
        ("[tệp]({attach}../../tasks.py)", "liên kết"),
    ],
)
def test_links_outside_content_are_refused_and_nothing_is_copied(site, written, field):
    path = site.article("ngoai", title="Bài trỏ ra ngoài", body=f"Đoạn.\n\n{written}\n")
    line = line_of(path, written)
    code, lines = check(site)
    assert code == 1
    assert any(
        f"ngoai.md:{line}: {field}:" in entry and "ngoài thư mục content/" in entry
        for entry in lines
    ), lines
    result = site.build(production=True)
    assert result.failed
    assert any("ngoài thư mục content/" in error for error in result.errors)
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    outside = {"pelicanconf.py", "passwd", "tasks.py", "hinh.jpg"}
    assert not [p for p in site.root.rglob("*") if p.name in outside]


def test_a_lead_image_outside_content_is_never_read(site, tmp_path):
    (tmp_path / "bi-mat.jpg").write_bytes(b"\xff\xd8\xff\xe0 not for readers")
    path = site.article(
        "anh-ngoai",
        title="Ảnh ngoài",
        Image="{static}/../bi-mat.jpg",
        Image_caption="Chú thích",
    )
    line = line_of(path, "Image:")
    code, lines = check(site)
    assert code == 1
    assert any(f"anh-ngoai.md:{line}: Image:" in entry for entry in lines), lines
    result = site.build()
    assert result.failed
    assert not list(site.output.rglob("*bi-mat*"))


def test_symlinks_are_refused_everywhere(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    outside = tmp_path / "ngoai"
    (outside / "sau").mkdir(parents=True)
    (outside / "sau" / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (outside / "bai.md").write_text(article_text(title="Bài ngoài"), encoding="utf-8")
    site.article("that", title="Bài thật")
    (site.content / "images").mkdir()
    os.symlink(secret, site.content / "images" / "passwd.jpg")
    os.symlink(outside, site.content / "images" / "thu-muc")
    os.symlink(outside / "bai.md", site.content / "bai-viet" / "bai-ngoai.md")
    os.symlink(outside, site.content / "bai-viet" / "long")
    nested = site.content / "images" / "2024" / "05"
    nested.mkdir(parents=True)
    os.symlink(outside / "sau" / "anh.jpg", nested / "sau-tang.jpg")
    os.symlink(outside / "sau", nested / "thu-muc-sau")
    code, lines = check(site)
    assert code == 1
    refused = [line for line in lines if "liên kết tượng trưng" in line]
    names = ("passwd.jpg", "thu-muc", "bai-ngoai.md", "long", "sau-tang.jpg")
    for name in (*names, "thu-muc-sau"):
        assert any(f"{name}:1: tệp:" in line for line in refused), (name, lines)
    result = site.build()
    assert result.failed
    assert sum("liên kết tượng trưng" in e for e in result.errors) == 6
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    published = {p.name for p in site.output.rglob("*")}
    assert not published & {"passwd.jpg", "anh.jpg", "thu-muc"}
    assert not site.exists("2024/04/bai-ngoai")
    assert site.exists("2024/04/bai-that")


def test_a_dangling_hidden_lock_file_is_ignored(site):
    site.article("bai", title="Bài đang sửa")
    os.symlink("nobody@host.12345:1700000000", site.content / "bai-viet" / ".#bai.md")
    code, lines = check(site)
    assert code == 0, lines
    result = site.build()
    assert result.ok, result.errors


@pytest.mark.parametrize(
    ("relative", "data"),
    [
        ("files/x.html", b'<script src="/files/x.js"></script>'),
        ("files/x.js", b"alert(document.domain)"),
        (
            "images/logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("images/trang.HTM", b"<script>alert(1)</script>"),
        ("files/khong-duoi", b"#!/bin/sh\n"),
        ("van-ban/files/x.xhtml", b"<html/>"),
    ],
)
def test_static_files_of_a_type_a_browser_runs_are_refused(site, relative, data):
    site.article("bai", title="Bài có tệp")
    site.write(relative, data)
    site.write("files/bao-cao.pdf", b"%PDF-1.4\n")
    code, lines = check(site)
    assert code == 1
    name = relative.rsplit("/", 1)[-1]
    assert any(
        f"{name}:1: tệp:" in line and "không được đăng" in line for line in lines
    ), lines
    result = site.build()
    assert result.failed
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    assert not (site.output / relative).exists()
    assert (site.output / "files" / "bao-cao.pdf").is_file()


def test_a_static_link_to_a_refused_type_is_refused(site):
    site.write("tai-lieu/x.html", b"<script>alert(1)</script>")
    path = site.article(
        "lien-ket", title="Bài liên kết", body="[x]({static}/tai-lieu/x.html)\n"
    )
    line = line_of(path, "tai-lieu")
    code, lines = check(site)
    assert code == 1
    assert any(
        f"lien-ket.md:{line}: liên kết:" in entry and ".html" in entry
        for entry in lines
    ), lines
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    assert not (site.output / "tai-lieu" / "x.html").exists()


def test_output_checks_refuse_script_urls_in_pages_and_feeds(site):
    from tools.publishing import check_output  # noqa: PLC0415

    site.article("bai", title="Bài tốt")
    assert site.build(production=True).ok
    assert check_output(site.output, SITEURL, validate_html=False) == []
    page = site.output / "2024" / "04" / "bai-tot" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</main>", '<a href="java&#x09;script:alert(1)">x</a></main>'
        ),
        encoding="utf-8",
    )
    feed = site.output / "atom.xml"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace(
            "</summary>",
            "&lt;a href=&quot;vbscript:x&quot;&gt;y&lt;/a&gt;</summary>",
            1,
        ),
        encoding="utf-8",
    )
    rss = site.output / "rss.xml"
    rss.write_text(
        rss.read_text(encoding="utf-8").replace(
            "</content:encoded>",
            "&lt;img src=&quot;javascript:x&quot;&gt;</content:encoded>",
            1,
        ),
        encoding="utf-8",
    )
    json_feed = site.output / "feed.json"
    data = json.loads(json_feed.read_text(encoding="utf-8"))
    data["items"][0]["content_html"] += '<a href="JaVaScRiPt:alert(1)">z</a>'
    json_feed.write_text(json.dumps(data), encoding="utf-8")
    problems = check_output(site.output, SITEURL, validate_html=False)
    assert any(
        p.startswith("2024/04/bai-tot/index.html: liên kết không an toàn")
        for p in problems
    ), problems
    for feed_name in ("atom.xml", "rss.xml", "feed.json"):
        assert any(
            p.startswith(f"{feed_name}: liên kết không an toàn") for p in problems
        ), (feed_name, problems)
    assert len(script_urls(site.output)) >= 4  # the test's own scan sees them too


@pytest.mark.parametrize(
    ("fields", "body", "field", "fragment"),
    [
        ({"Title": "Tiêu đề " * 63}, "Nội dung.", "Title", "tối đa 200 ký tự"),
        ({"Slug": "duong-dan-" * 20}, "Nội dung.", "Slug", "tối đa 150 ký tự"),
        ({"Tags": "thẻ rất dài " * 12}, "Nội dung.", "Tags", "tối đa 100 ký tự"),
        ({"Date": "0001-01-01"}, "Nội dung.", "Date", "ngoài khoảng 1945–2100"),
        ({"Reviewed_at": "2099-01-01 08:00"}, "Nội dung.", "Reviewed_at", "chưa tới"),
        ({}, "Đoạn.\n\n[bấm\nvào](javascript:alert(1))", "liên kết", "javascript"),
        ({}, "Đoạn.\n\n[bấm](java\nscript:alert(1))", "liên kết", "javascript"),
        ({}, "Tiêu đề to\n=========\n\nĐoạn.", "nội dung", "==="),
    ],
    ids=[
        "long-title",
        "long-slug",
        "long-tag",
        "year-one",
        "reviewed-later",
        "link-text-over-two-lines",
        "script-url-over-two-lines",
        "setext-heading",
    ],
)
def test_editor_input_that_slipped_through_is_named(
    site, fields, body, field, fragment
):
    fields = {"Date": "2024-04-26 10:30", **fields}
    path = site.article(
        "bai", title=fields.pop("Title", "Bài thử"), body=body, **fields
    )
    if field in ("liên kết", "nội dung"):
        line = line_of(path, "[bấm" if field == "liên kết" else "Tiêu đề to")
    else:
        line = line_of(path, f"{field}:")
    expected = f"bai.md:{line}: {field}:"
    code, lines = check(site)
    assert code == 1
    assert any(expected in entry and fragment in entry for entry in lines), lines
    result = site.build(production=True)
    assert result.failed
    assert any(expected in e and fragment in e for e in result.errors), result.errors
    assert not any("Traceback" in e for e in result.errors)


def test_a_long_title_is_cut_at_a_word_for_the_slug(site):
    title = "Hội nghị triển khai " * 9  # 180 characters: allowed
    site.article("dai", title=title.strip())
    result = site.build()
    assert result.ok, result.errors
    folders = [p.name for p in (site.output / "2024" / "04").iterdir() if p.is_dir()]
    assert len(folders) == 1
    assert len(folders[0]) <= 150
    assert not folders[0].endswith("-")


def test_a_published_link_to_unpublished_work_is_an_error(site):
    site.article("nhap", title="Bài nháp", Status="draft")
    site.article(
        "go",
        title="Bài đã gỡ",
        Status="retracted",
        Retraction_note="Sai",
        Retracted_at="2024-04-27 08:00",
    )
    path = site.article(
        "dang",
        title="Bài đã đăng",
        body="Xem [bài nháp]({filename}nhap.md) và [bài gỡ]({filename}go.md).",
    )
    line = line_of(path, "bài nháp")
    code, lines = check(site)
    assert code == 1
    for target in ("nhap.md", "go.md"):
        assert any(
            f"dang.md:{line}: liên kết:" in entry and target in entry for entry in lines
        ), lines
    result = site.build(production=True)
    assert result.failed
    assert sum(f"dang.md:{line}: liên kết:" in e for e in result.errors) == 2
    # A draft linking to a draft blocks nothing.
    path.unlink()
    site.article(
        "nhap-2", title="Nháp khác", Status="draft", body="[x]({filename}nhap.md)"
    )
    assert check(site)[0] == 0
    assert site.build(production=True).ok


@pytest.mark.parametrize(
    "written",
    [
        '[Xem](/gioi-thieu/ "src=\'{tag}") \'" hidden data-x=',
        '<a title="src=\'{index}">\'" href=//evil.example/dang-nhap hidden x=</a>',
        '<a href="{tag}x" title="src=\'{author}y\'">z</a>',
    ],
    ids=["markdown-title", "raw-title", "placeholder-in-title"],
)
def test_a_replacement_never_leaves_its_attribute(site, written):
    """Pelican's markup pattern matches "src=" inside a title: nothing breaks out."""
    site.article("thoat", title="Bài thoát", body=f"Đoạn.\n\n{written}\n")
    site.build(BUILD_GATE={"STRICT": False})
    if site.exists("2024/04/bai-thoat"):
        body = site.page("2024/04/bai-thoat").select_one(".portal-article__body")
        for element in body.find_all(True):
            assert not {"hidden", "data-x", "x"} & set(element.attrs), element
            assert "evil.example" not in element.get("href", ""), element


def test_a_file_name_with_entities_never_injects_markup(site):
    site.write("images/x&y.jpg", b"\xff\xd8\xff\xe0")
    payload = (
        '<a href="{static}/images/x&amp;y.jpg?&quot;&gt;&lt;meta http-equiv=refresh'
        ' content=0;url=//evil.example&gt;">x</a>'
    )
    path = site.article("meta", title="Bài meta", body=f"Đoạn.\n\n{payload}\n")
    line = line_of(path, "x&amp;y")
    code, lines = check(site)
    assert code == 1
    assert any(f"meta.md:{line}: liên kết:" in entry for entry in lines), lines
    assert site.build().failed
    site.build(BUILD_GATE={"STRICT": False})
    for page in site.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select(".portal-article__body meta"), page


@pytest.mark.parametrize(
    ("body", "start"),
    [
        ("[bấm][x]\n\n[x]:\n  javascript:alert(1)", "javascript"),
        ('Xem <a\nhref="javascript:alert(1)">đây</a>', "<a"),
        ("[bấm](/a \"src='{static}/../../../etc/passwd'\")", "passwd"),
        ("[tệp]({static}/images/a%00.jpg)", "a%00"),
        ("[tệp]({filename}//[x)", "//[x"),
        ("[ẩn]({static}/images/.an.jpg)", ".an.jpg"),
    ],
    ids=[
        "reference-url-on-next-line",
        "raw-tag-over-two-lines",
        "placeholder-in-a-title",
        "nul-byte",
        "bad-host",
        "hidden-file",
    ],
)
def test_check_and_build_name_the_same_line(site, body, start):
    site.write("images/.an.jpg", b"\xff\xd8\xff\xe0")
    path = site.article("bai", title="Bài thử", body=f"Đoạn.\n\n{body}\n")
    line = line_of(path, start)
    code, lines = check(site)
    assert code == 1, lines
    assert any(f"bai.md:{line}: " in entry for entry in lines), lines
    assert not any("Traceback" in entry for entry in lines)
    result = site.build()
    assert result.failed
    assert any(f"bai.md:{line}: " in error for error in result.errors), result.errors


def test_no_error_for_what_is_no_link(site):
    site.article("nhap", title="Bài nháp", Status="draft")
    body = (
        "## Mục nhỏ\n===\n\nVí dụ cách viết:\n\n"
        "```\n[bài nháp]({filename}nhap.md)\n```\n\nvà `[x]({filename}nhap.md)`."
    )
    site.article("dang", title="Bài đã đăng", body=body)
    code, lines = check(site)
    assert code == 0, lines
    assert site.build(production=True).ok


def test_a_link_to_an_article_scheduled_later_is_an_error(site):
    site.article("sau", title="Bài hẹn giờ", date="2099-01-01 08:00")
    path = site.article(
        "nay", title="Bài hôm nay", body="Xem [bài sau]({filename}sau.md)."
    )
    line = line_of(path, "bài sau")
    code, lines = check(site)
    assert code == 1
    assert any(
        f"nay.md:{line}: liên kết:" in entry and "hẹn giờ" in entry for entry in lines
    ), lines
    result = site.build(production=True)
    assert any(f"nay.md:{line}: liên kết:" in e for e in result.errors), result.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("Co_quan", "Ban " * 40), ("So_hieu", "1/" + "AB-" * 30 + "X")],
)
def test_long_document_fields_are_refused_by_check_and_build(site, field, value):
    fields = {
        "So_hieu": "32-CT/TW",
        "Loai": "Chỉ thị",
        "Co_quan": "Ban Bí thư",
        "Ngay_ban_hanh": "2024-04-10",
        "Trich_yeu": "Về chống khai thác IUU",
        "File": "{static}/van-ban/files/a.pdf",
        field: value,
    }
    site.write("van-ban/files/a.pdf", b"%PDF-1.4\n")
    path = site.write(
        "van-ban/a.md",
        "".join(f"{key}: {text}\n" for key, text in fields.items()) + "\nNội dung.\n",
    )
    line = line_of(path, f"{field}:")
    code, lines = check(site)
    assert code == 1
    assert any(f"a.md:{line}: {field}:" in entry for entry in lines), lines
    result = site.build()
    assert result.failed
    assert not any("Traceback" in e or "OSError" in e for e in result.errors)


def test_a_new_folder_symlink_is_seen_by_the_next_build(site, tmp_path):
    site.article("bai", title="Bài thật")
    assert site.build().ok
    (tmp_path / "ngoai").mkdir()
    os.symlink(tmp_path / "ngoai", site.content / "bai-viet" / "thu-muc")
    result = site.build()
    assert result.failed
    assert any("thu-muc:1: tệp:" in e for e in result.errors), result.errors


def test_a_symlinked_registry_is_refused(site, tmp_path):
    registry = site.content / "chuyen-muc.toml"
    moved = tmp_path / "chuyen-muc.toml"
    registry.rename(moved)
    registry.symlink_to(moved)
    site.article("bai", title="Bài thật")
    code, lines = check(site)
    assert code == 1
    assert any("liên kết tượng trưng" in line for line in lines), lines
    result = site.build()
    assert result.failed
    assert not any("Traceback" in e for e in result.errors)
