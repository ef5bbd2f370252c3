"""The editor's first hour: a new draft builds, drafts never block a publish,
check and build agree, plain image paths work, dates are read as written."""

from __future__ import annotations

import io
import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pelican.settings import read_settings
from PIL import Image

from conftest import ROOT, SITEURL, article_text, read_page, run_invoke
from content_model.header import split_article
from content_model.reader import PortalMarkdownReader
from tools.content_check import main as check_main

NOW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))


def settings_of(site, **overrides) -> dict:
    return read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(site.content), **overrides},
    )


def check(site, **overrides) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check_main(settings_of(site, **overrides), out)
    return code, out.getvalue().splitlines()


def jpeg(path: Path, size=(1200, 675)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (20, 90, 160)).save(path, format="JPEG")
    return path


# --- invoke new ------------------------------------------------------------


def test_a_new_draft_passes_check_and_both_builds_as_it_is(fresh_clone):
    clone = fresh_clone
    made = run_invoke(clone, "new", "Ngư dân Hòn Đất nói không với IUU", "-c", "iuu")
    assert made.returncode == 0, made.stderr
    path = (
        clone
        / "content"
        / "bai-viet"
        / f"{NOW:%Y}"
        / "ngu-dan-hon-dat-noi-khong-voi-iuu.md"
    )
    text = path.read_text(encoding="utf-8")
    # Every key comes after a comment, in Vietnamese, that says what it is for.
    lines = text.split("\n\n", 1)[0].splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[A-Z][a-z_]+:", line):
            assert lines[number - 1].startswith("# "), line
    assert "# Thẻ, cách nhau bằng dấu phẩy" in text
    checked = run_invoke(clone, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Không có lỗi" in checked.stdout
    built = run_invoke(clone, "build")
    assert built.returncode == 0, built.stderr
    draft = read_page(clone / "output", "ban-nhap/ngu-dan-hon-dat-noi-khong-voi-iuu/")
    assert draft.h1.get_text(strip=True) == "Ngư dân Hòn Đất nói không với IUU"
    body = draft.select_one(".portal-article__body") or draft.body
    assert "Viết nội dung bài ở đây" in body.get_text()
    assert "Bản nháp tạo bằng" not in draft.get_text()  # comments stay in the file
    production = run_invoke(clone, "build", "--production")
    assert production.returncode == 0, production.stderr
    assert not list((clone / "output").rglob("ngu-dan-hon-dat-noi-khong-voi-iuu*"))


@pytest.mark.parametrize(
    "section", ["Chống khai thác IUU", "chong-khai-thac-iuu", "iuu"]
)
def test_new_takes_a_section_by_name_slug_or_alias(project, section):
    made = run_invoke(project, "new", "Bài mới", "--category", section)
    assert made.returncode == 0, made.stderr
    path = project / "content" / "bai-viet" / f"{NOW:%Y}" / "bai-moi.md"
    source = split_article(path.read_text(encoding="utf-8"))
    assert source.first("category").value == "Chống khai thác IUU"


def test_header_comments_are_skipped_but_a_heading_after_the_header_is_body():
    source = split_article(
        "# Hướng dẫn\nTitle: Một\n# Ngày đăng\nDate: 2024-05-14\n\nThân bài\n"
    )
    assert [(f.key, f.value, f.line) for f in source.fields] == [
        ("Title", "Một", 2),
        ("Date", "2024-05-14", 4),
    ]
    assert source.body == "Thân bài\n"
    glued = split_article("Title: Hai\n# Mục một\nĐoạn văn\n")
    assert [f.key for f in glued.fields] == ["Title"]
    assert glued.body.startswith("# Mục một")
    assert glued.body_line == 2
    only = split_article("Title: Ba\n## Mục\n\nĐoạn\n")
    assert only.body.startswith("## Mục")


def test_an_empty_key_is_a_key_not_filled_in(site):
    site.article(
        "trong",
        Tags="",
        Authors="",
        Source="",
        Image="",
        Image_caption="",
        Topics="",
    )
    assert check(site) == (0, ["Không có lỗi (đã kiểm tra 1 tệp)."])
    site.article("thieu", title="Thiếu tóm tắt", Summary="")
    code, lines = check(site)
    assert code == 1
    assert re.search(
        r"thieu\.md:4: Summary: để trống nhưng là trường bắt buộc khi Status: "
        r"published; hãy điền",
        lines[0],
    ), lines


# --- drafts never block a publish ------------------------------------------

HALF_WRITTEN = """\
Title: Bài đang viết dở
Date: 2024-05-20 08:00
Category: Không có chuyên mục này
Summary:
Modified: hôm qua
Status: draft

Đoạn có [liên kết hỏng]({filename}/khong-co.md) và ![](/images/khong-co.jpg).
"""


def test_a_half_written_draft_never_blocks_the_production_build(site):
    site.article("da-dang", title="Bài đã đăng", date="2024-05-02 08:00")
    site.write("bai-viet/dang-viet.md", HALF_WRITTEN)
    site.write(
        "bai-viet/cho-duyet.md",
        article_text(title="Bài chờ duyệt", Status="review", Summary=""),
    )
    for production in (True, False):
        result = site.build(production=production)
        assert result.ok, result.errors
        assert site.exists("2024/05/bai-da-dang/")
        assert not site.exists("ban-nhap/bai-dang-viet-do/")
        drafts = {
            (Path(p.path).name, p.line, p.field)
            for p in result.problems
            if not p.blocks_publish
        }
        assert drafts >= {
            ("dang-viet.md", 3, "Category"),
            ("dang-viet.md", 5, "Modified"),
            ("dang-viet.md", 8, "liên kết"),
            ("dang-viet.md", 8, "ảnh"),
            ("cho-duyet.md", 4, "Summary"),
        }, drafts
        assert not [p for p in result.problems if p.blocks_publish]
        said = "\n".join(result.warnings)
        assert "dang-viet.md:3: Category:" in said
        assert "bài chưa đăng (nháp hoặc chờ duyệt): không chặn bản dựng" in said
    code, lines = check(site)
    assert code == 1  # check names every problem, drafts included
    assert any(
        line.startswith("Bài nháp hoặc chờ duyệt (2 tệp") and "dang-viet.md" in line
        for line in lines
    ), lines
    assert not any(line.startswith("Chặn đăng bài") for line in lines)
    out = io.StringIO()
    assert check_main(settings_of(site), out, blocking_only=True) == 0


def test_a_draft_lead_image_is_published_only_in_the_preview(site):
    jpeg(site.content / "images" / "nhap.jpg")
    site.write(
        "bai-viet/nhap.md",
        article_text(title="Bản nháp có ảnh", Status="draft", Image="/images/nhap.jpg"),
    )
    site.article("da-dang", title="Bài đã đăng")
    assert site.build().ok
    assert list((site.output / "anh").glob("nhap-*.jpg"))
    shutil.rmtree(site.output)
    assert site.build(production=True).ok
    assert not list(site.output.rglob("anh/nhap-*"))


@pytest.mark.parametrize("missing", ["Title", "Date", "Category"])
def test_a_draft_without_what_places_it_is_left_out_in_vietnamese_only(site, missing):
    site.article("da-dang", title="Bài đã đăng")
    text = article_text(title="Nháp", Status="draft", Summary="Tóm tắt.")
    text = text.replace(
        f"{missing}: ", f"{missing}: ???" if missing == "Date" else "X: "
    )
    site.write("bai-viet/nhap.md", text)
    result = site.build(production=True)
    assert result.ok, result.errors
    said = "\n".join(result.warnings)
    assert "nhap.md:" in said
    assert "Skipping" not in said and "could not find" not in said
    assert not list(site.output.rglob("*nhap*"))
    assert site.build().ok
    assert site.exists("ban-nhap/")  # the preview's list of drafts, without it
    assert [p.name for p in (site.output / "ban-nhap").iterdir()] == ["index.html"]


def test_a_build_with_nothing_to_do_tells_the_drafts_problems_again(site):
    site.article("da-dang", title="Bài đã đăng")
    site.write("bai-viet/dang-viet.md", HALF_WRITTEN)
    first = site.build()
    assert first.ok and first.problems
    again = site.build()  # nothing changed: the last build's output holds
    assert again.ok
    assert again.problems == first.problems
    assert again.warnings == first.warnings


def test_a_mistyped_status_blocks_the_build_rather_than_hiding_the_article(site):
    site.article("sai", title="Bài sai trạng thái", Status="publshed")
    result = site.build(production=True)
    assert result.failed
    assert any("sai.md:5: Status:" in error for error in result.errors)
    code, lines = check(site)
    assert code == 1
    assert any(line.startswith("Chặn đăng bài (1 tệp") for line in lines)


def test_a_published_article_with_a_problem_still_blocks(site):
    site.article("hong", title="Bài hỏng", category="Không có")
    site.write("bai-viet/nhap.md", HALF_WRITTEN)
    result = site.build(production=True)
    assert result.failed
    assert any("hong.md:3: Category:" in error for error in result.errors)
    assert not any("dang-viet.md" in error for error in result.errors)


# --- check and build agree on where files go --------------------------------


def clash_lines(lines) -> set[str]:
    return {line for line in lines if "trùng đường dẫn" in line}


def test_check_and_build_agree_on_drafts_with_one_title(site):
    for month in ("04", "05"):
        site.write(
            f"bai-viet/nhap-{month}.md",
            article_text(
                title="Hội nghị cán bộ chủ chốt",
                date=f"2024-{month}-10 08:00",
                Status="draft",
            ),
        )
    code, lines = check(site)
    from_check = clash_lines(lines)
    assert code == 1
    assert len(from_check) == 2, lines
    assert all("/ban-nhap/hoi-nghi-can-bo-chu-chot/" in line for line in from_check)
    result = site.build()
    assert result.ok, result.errors
    from_build = clash_lines(result.warnings)
    assert from_build == from_check  # one computation, one message
    assert not site.exists("ban-nhap/hoi-nghi-can-bo-chu-chot/")
    # Drafts are not written in production: there they cannot clash.
    assert check(site, DRAFT_SAVE_AS="", DRAFT_URL="")[0] == 0
    assert site.build(production=True).ok


def test_a_draft_gives_way_to_a_published_page_at_the_same_url(site):
    overrides = {"DRAFT_URL": "{slug}/", "DRAFT_SAVE_AS": "{slug}/index.html"}
    site.write("trang/gioi-thieu.md", "Title: Giới thiệu\n\nTrang giới thiệu.\n")
    site.write(
        "bai-viet/nhap.md",
        article_text(title="Giới thiệu", Status="draft", Summary="Bản nháp."),
    )
    _code, lines = check(site, **overrides)
    clashes = clash_lines(lines)
    assert len(clashes) == 1 and "nhap.md" in next(iter(clashes)), lines
    result = site.build(**overrides)
    assert result.ok, result.errors
    assert clash_lines(result.warnings) == clashes
    assert site.page("gioi-thieu/").h1.get_text(strip=True) == "Giới thiệu"
    assert "Trang giới thiệu." in site.page("gioi-thieu/").get_text()


def test_two_published_articles_at_one_url_block_in_check_and_build(site):
    site.article("mot", title="Bài về bão", date="2024-05-01 08:00")
    site.article("hai", title="Bài về báo", date="2024-05-20 08:00")
    code, lines = check(site)
    assert code == 1 and len(clash_lines(lines)) == 2
    result = site.build(production=True)
    assert result.failed
    assert clash_lines(result.errors) == clash_lines(lines)


# --- plain paths to files under content/ -------------------------------------


def test_plain_paths_to_content_files_are_links_to_those_files(site):
    jpeg(site.content / "images" / "2023" / "01" / "tau-ca.jpg")
    jpeg(site.content / "images" / "ben-canh.jpg", (800, 600))
    site.write("files/ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n")
    site.article(
        "anh",
        title="Tàu cá cập cảng",
        Image="/images/2023/01/tau-ca.jpg",
        Image_caption="Tàu cá",
        body="""
        ![Tàu cá về bến](/images/2023/01/tau-ca.jpg)

        ![Ảnh bên cạnh](../images/ben-canh.jpg)

        [Tải kế hoạch](/files/ke-hoach.pdf#page=2) và [giới thiệu](/gioi-thieu/).
        """,
    )
    code, lines = check(site, STATIC_PATHS=["images", "files"])
    assert code == 0, lines
    result = site.build(STATIC_PATHS=["images", "files"], SITEURL=f"{SITEURL}/cong")
    assert result.ok, result.errors
    page = site.page("2024/04/tau-ca-cap-cang/")
    sources = [img["src"] for img in page.select("article img")]
    assert f"{SITEURL}/cong/images/2023/01/tau-ca.jpg" in sources
    assert f"{SITEURL}/cong/images/ben-canh.jpg" in sources  # from the source's folder
    assert (site.output / "images" / "ben-canh.jpg").is_file()
    links = {a.get_text(): a["href"] for a in page.select("article a")}
    assert links["Tải kế hoạch"] == f"{SITEURL}/cong/files/ke-hoach.pdf#page=2"
    assert links["giới thiệu"] == "/gioi-thieu/"  # a site URL, as written
    # The lead image, named by a plain path, has its smaller copies.
    assert page.select_one("img[srcset*='/anh/tau-ca-480-']") is not None


def test_a_plain_path_to_a_missing_image_says_where_it_was_looked_for(site):
    site.article("thieu-anh", body="![Tàu cá](/images/2023/01/tau-ca.jpg)")
    code, lines = check(site)
    assert code == 1
    message = next(line for line in lines if "thieu-anh.md:9: ảnh:" in line)
    assert 'không tìm thấy ảnh "/images/2023/01/tau-ca.jpg" trong content/' in message
    assert "tính từ thư mục content/" in message
    assert site.build().failed
    # Once the file is there, the next build finds it (its read is redone).
    jpeg(site.content / "images" / "2023" / "01" / "tau-ca.jpg")
    assert check(site)[0] == 0
    result = site.build()
    assert result.ok, result.errors
    page = site.page("2024/04/bai-viet-thu/")
    assert page.select_one("article img")["src"].endswith("/images/2023/01/tau-ca.jpg")


def test_a_plain_path_to_a_refused_file_is_refused_as_its_placeholder_is(site):
    site.write("images/.an/anh.jpg", b"\xff\xd8\xff")
    site.write("images/trang.svg", "<svg/>")
    site.article(
        "an", body="![Ảnh ẩn](/images/.an/anh.jpg)\n\n![Hình](/images/trang.svg)"
    )
    code, lines = check(site)
    assert code == 1
    said = "\n".join(lines)
    assert "an.md:9: ảnh:" in said and "tệp hoặc thư mục ẩn" in said
    assert "an.md:11: ảnh:" in said and "hãy xuất ảnh SVG sang PNG" in said


def test_check_reads_a_lead_image_as_the_build_does(site):
    site.write("images/hong.jpg", b"day la van ban, khong phai anh")
    site.article("hong", title="Ảnh hỏng", Image="/images/hong.jpg")
    code, lines = check(site)
    assert code == 1
    [said] = [line for line in lines if ": Image: " in line]
    assert "hong.md:8: Image:" in said and "tệp không phải ảnh" in said
    result = site.build()
    assert result.failed
    assert said in result.errors


# --- dates as editors write them --------------------------------------------


@pytest.mark.parametrize(
    ("written", "when", "text"),
    [
        ("2026-11-11 — Sửa tên đơn vị", "2026-11-11 00:00", "Sửa tên đơn vị"),
        ("2026-11-11 – Sửa tên đơn vị", "2026-11-11 00:00", "Sửa tên đơn vị"),
        ("2026-11-11 - Sửa tên", "2026-11-11 00:00", "Sửa tên"),
        ("2026-11-11: Sửa tên", "2026-11-11 00:00", "Sửa tên"),
        ("11/11/2026 08:15: Sửa tên", "2026-11-11 08:15", "Sửa tên"),
        ("2026-11-11 08:15 | Sửa tên", "2026-11-11 08:15", "Sửa tên"),
        ("2026-11-11T08:15 Sửa tên", "2026-11-11 08:15", "Sửa tên"),
        ("11/11/2026 Sửa tên", "2026-11-11 00:00", "Sửa tên"),
    ],
)
def test_a_correction_takes_any_date_form_and_common_separators(
    site, written, when, text
):
    site.article("dinh-chinh", date="2024-04-26 10:30", Correction=written)
    settings = settings_of(site)
    inspection = PortalMarkdownReader(settings).inspect(
        str(site.content / "bai-viet" / "dinh-chinh.md")
    )
    assert not inspection.problems, inspection.problems
    [(date, said)] = inspection.metadata["correction"]
    assert f"{date:%Y-%m-%d %H:%M}" == when
    assert said == text


@pytest.mark.parametrize("field", ["Modified", "Reviewed_at"])
@pytest.mark.parametrize(
    "written", ["2024-05-14", "2024-05-14 08:15", "14/05/2024", "14/05/2024 08:15"]
)
def test_every_date_field_takes_what_date_takes(site, field, written):
    site.article("ngay", date="2024-05-14 07:00", **{field: written})
    assert check(site)[0] == 0
    retracted = article_text(
        title="Bài gỡ",
        date="2024-05-14 07:00",
        Status="retracted",
        Retraction_note="Sai số liệu",
        Retracted_at=written,
    )
    site.write("bai-viet/go.md", retracted)
    assert check(site)[0] == 0


def test_a_correction_without_a_date_says_how_to_write_one(site):
    site.article("sai", Correction="hôm qua sửa tên")
    code, lines = check(site)
    assert code == 1
    assert 'Correction: hãy viết "Correction: 2024-04-26 10:30 — nội dung' in lines[0]
