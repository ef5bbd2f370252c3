"""``invoke check``: one fixture per editor mistake, with file, line and exit code."""

import io
import re
import unicodedata

import pytest
from pelican.settings import read_settings

from conftest import ROOT, article_text, run_invoke
from tools.content_check import main

GOOD = article_text(title="Bài tốt", date="2024-04-01 08:00")
BASE = article_text(title="Bài có lỗi", date="2024-04-02 08:00")


def windows_1258(text: str) -> bytes:
    """Text as a legacy Vietnamese editor saves it: Windows-1258, tones combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def without(field: str, text: str) -> str:
    return "\n".join(
        line for line in text.split("\n") if not line.startswith(f"{field}:")
    )


# (file name, file content, expected line, field, fragment of the message)
CASES = {
    "not-utf8": (
        "khong-utf8.md",
        windows_1258(article_text(title="Thủy sản Kiên Giang")),
        1,
        "mã hoá",
        "không phải UTF-8 (có vẻ là Windows-1258)",
    ),
    "missing-title": (
        "thieu-tieu-de.md",
        without("Title", BASE),
        1,
        "Title",
        "thiếu trường bắt buộc",
    ),
    "empty-title": (
        "tieu-de-trong.md",
        BASE.replace("Title: Bài có lỗi", "Title:"),
        1,
        "Title",
        "để trống",
    ),
    "missing-date": (
        "thieu-ngay.md",
        without("Date", BASE),
        1,
        "Date",
        "thiếu trường bắt buộc",
    ),
    "missing-category": (
        "thieu-chuyen-muc.md",
        without("Category", BASE),
        1,
        "Category",
        "thiếu trường bắt buộc",
    ),
    "missing-summary": (
        "thieu-tom-tat.md",
        without("Summary", BASE),
        1,
        "Summary",
        "thiếu trường bắt buộc",
    ),
    "bad-date": (
        "ngay-sai.md",
        BASE.replace("Date: 2024-04-02 08:00", "Date: 26-04-2024 10h30"),
        2,
        "Date",
        '"26-04-2024 10h30" không phải ngày giờ hợp lệ; hãy viết theo dạng 2024-04-26 10:30',
    ),
    "unknown-key": (
        "khoa-la.md",
        BASE.replace("Status:", "Tgas: a, b\nStatus:"),
        5,
        "Tgas",
        'có phải ý bạn là "Tags"?',
    ),
    "unknown-section": (
        "chuyen-muc-la.md",
        BASE.replace("Category: Xây dựng Đảng", "Category: Chong khai thac thuy san"),
        3,
        "Category",
        'không có chuyên mục "Chong khai thac thuy san"',
    ),
    "unknown-status": (
        "trang-thai-la.md",
        BASE.replace("Status: published", "Status: publised"),
        5,
        "Status",
        'trạng thái "publised" không hợp lệ',
    ),
    "published-unreviewed": (
        "chua-duyet.md",
        without("Reviewed_by", BASE),
        1,
        "Reviewed_by",
        "khi Status: published",
    ),
    "broken-filename-link": (
        "lien-ket-hong.md",
        article_text(body="Xem [bài trước]({filename}/bai-viet/khong-co.md)."),
        9,
        "liên kết",
        '"{filename}/bai-viet/khong-co.md" trỏ tới tệp không có',
    ),
    "missing-image": (
        "anh-thieu.md",
        article_text(
            body="Đoạn đầu.\n\n![Tàu cá cập cảng]({static}/images/khong-co.jpg)"
        ),
        11,
        "ảnh",
        'không tìm thấy ảnh "{static}/images/khong-co.jpg"',
    ),
    "missing-lead-image": (
        "anh-dai-dien.md",
        article_text(Image="{static}/images/khong-co.jpg"),
        8,
        "Image",
        "không tìm thấy ảnh",
    ),
    "image-without-alt": (
        "anh-khong-alt.md",
        article_text(body="![]({static}/images/co-that.jpg)"),
        9,
        "ảnh",
        "thiếu mô tả (alt)",
    ),
    "raw-html": (
        "html-tho.md",
        article_text(body='Đoạn một.\n\n<p onclick="alert(1)">Bấm</p>'),
        11,
        "HTML",
        'mã lệnh "onclick" của thẻ <p> không được phép',
    ),
    "script": (
        "script.md",
        article_text(body="<script>alert(1)</script>"),
        9,
        "HTML",
        "thẻ <script> không được phép",
    ),
    "empty-body": (
        "than-trong.md",
        article_text(body=""),
        9,
        "nội dung",
        "bài không có nội dung",
    ),
}


@pytest.fixture
def settings(site):
    (site.content / "images").mkdir()
    (site.content / "images" / "co-that.jpg").write_bytes(b"\xff\xd8\xff")
    site.write("bai-viet/tot.md", GOOD)
    return read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(site.content)}
    )


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_named_with_file_line_and_field(site, settings, case):
    name, text, line, field, fragment = CASES[case]
    site.write(f"bai-viet/{name}", text)
    out = io.StringIO()
    assert main(settings, out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines  # one problem, the count, the file it blocks
    assert re.search(
        rf"bai-viet/{re.escape(name)}:{line}: {re.escape(field)}: ", lines[0]
    ), lines[0]
    assert fragment in lines[0]
    assert lines[1].startswith("Chặn đăng bài (1 tệp")
    assert lines[1].endswith(f"bai-viet/{name}")
    assert lines[2] == "Có 1 lỗi trong 1 tệp (đã kiểm tra 2 tệp)."


def test_two_articles_with_one_url_name_each_other(site, settings):
    site.write(
        "bai-viet/mot.md", article_text(title="Bài về bão", date="2024-05-01 08:00")
    )
    site.write(
        "bai-viet/hai.md", article_text(title="Bài về báo", date="2024-05-20 08:00")
    )
    out = io.StringIO()
    assert main(settings, out) == 1
    lines = out.getvalue().splitlines()[:-2]
    assert len(lines) == 2
    assert re.search(
        r"hai\.md:1: Title: trùng đường dẫn /2024/05/bai-ve-bao/ với \S*mot\.md",
        lines[0],
    )
    assert re.search(
        r"mot\.md:1: Title: trùng đường dẫn /2024/05/bai-ve-bao/ với \S*hai\.md",
        lines[1],
    )


def test_a_good_tree_passes(site, settings):
    out = io.StringIO()
    assert main(settings, out) == 0
    assert out.getvalue() == "Không có lỗi (đã kiểm tra 1 tệp).\n"


def test_every_problem_is_listed_not_only_the_first(site, settings):
    for case in ("bad-date", "unknown-key", "script", "empty-body"):
        name, text, *_ = CASES[case]
        site.write(
            f"bai-viet/{name}",
            text.replace("Bài có lỗi", case).replace("Bài viết thử", case),
        )
    site.write(
        "bai-viet/nhieu-loi.md",
        article_text(category="Không có", Status="xong", Tgas="x"),
    )
    out = io.StringIO()
    assert main(settings, out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 + 3 + 2
    assert lines[-2].startswith("Chặn đăng bài (5 tệp")
    assert lines[-1] == "Có 7 lỗi trong 5 tệp (đã kiểm tra 6 tệp)."


def test_a_file_that_is_not_markdown_is_reported(site, settings):
    site.write("bai-viet/bai-moi.docx", b"PK\x03\x04")
    out = io.StringIO()
    assert main(settings, out) == 1
    assert "bai-moi.docx:1: tệp: không phải tệp Markdown" in out.getvalue()


def test_invoke_check_exits_non_zero_and_lists_every_error(project):
    articles = project / "content" / "bai-viet"
    (articles / "tot.md").write_text(GOOD, encoding="utf-8")
    (articles / "sai.md").write_text(
        GOOD.replace("Tags", "Tgas").replace("Bài tốt", "Bài sai"), "utf-8"
    )
    (articles / "sai-nua.md").write_text(
        without("Summary", GOOD).replace("Bài tốt", "Khác"), "utf-8"
    )
    done = run_invoke(project, "check")
    assert done.returncode == 1
    assert (
        "content/bai-viet/sai-nua.md:1: Summary: thiếu trường bắt buộc" in done.stdout
    )
    assert done.stdout.strip().endswith(
        "Có 1 lỗi trong 1 tệp (đã kiểm tra 3 tệp)."
    ) or ("lỗi trong" in done.stdout)
    (articles / "sai-nua.md").unlink()
    assert run_invoke(project, "check").returncode == 0


def test_n_broken_among_m_good_give_n_errors_and_m_pages_in_a_preview(site):
    good, broken = 5, 3
    for number in range(good):
        site.article(
            f"tot-{number}",
            title=f"Bài tốt {number}",
            date=f"2024-06-0{number + 1} 08:00",
        )
    site.article("sai-0", title="Sai 0", category="Không có")
    site.article(
        "sai-1", title="Sai 1", date="ngày mai", Reviewed_at="2024-06-01 08:00"
    )
    site.write(
        "bai-viet/sai-2.md", article_text(title="Sai 2", body="<script>x()</script>")
    )
    result = site.build(BUILD_GATE={"STRICT": False})
    assert not result.failed
    content_errors = [m for m in result.errors if re.search(r"\.md:\d+: ", m)]
    assert len(content_errors) == broken
    pages = sorted(site.output.glob("2024/*/*/index.html"))
    assert len(pages) == good
    strict = site.build()
    assert strict.failed
    assert len([m for m in strict.errors if re.search(r"\.md:\d+: ", m)]) == broken


def test_a_tag_split_over_two_lines_is_still_found(site, settings):
    site.write(
        "bai-viet/tach-dong.md",
        article_text(title="Tách dòng", body="Đoạn.\n\n<script\nsrc=x.js></script>"),
    )
    out = io.StringIO()
    assert main(settings, out) == 1
    assert "tach-dong.md:11: HTML: thẻ <script> không được phép" in out.getvalue()


def test_code_is_shown_not_judged(site, settings):
    body = "Viết `<script>` trong mã.\n\n```\n<script>alert(1)</script>\n```\n\n    <iframe src=x>\n"
    site.write("bai-viet/ma.md", article_text(title="Bài về mã", body=body))
    out = io.StringIO()
    assert main(settings, out) == 0, out.getvalue()
