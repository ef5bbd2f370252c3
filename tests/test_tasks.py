"""The tasks editors and CI run: ``invoke --list``, ``new``, ``build``."""

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from article_model.header import split_article
from conftest import ROOT, article_text

TASKS = {"build", "serve", "new", "clean", "test", "lint"}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (code, theme, a small content tree)."""
    copy = tmp_path / "portal"
    for name in ("plugins", "theme", "tasks.py", "pelicanconf.py", "publishconf.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    (copy / "content" / "bai-viet").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", copy / "content")
    return copy


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_task_has_a_one_line_description():
    listing = invoke(ROOT, "--list")
    assert listing.returncode == 0
    lines = [
        line.split(None, 1) for line in listing.stdout.splitlines()[1:] if line.strip()
    ]
    described = {parts[0]: parts[1] if len(parts) > 1 else "" for parts in lines}
    assert set(described) >= TASKS
    assert all(described[name].strip() for name in TASKS)


def test_new_writes_a_draft_with_every_key(project):
    done = invoke(project, "new", "Đại hội Chi bộ ấp Hòa Lợi", "--category", "iuu")
    assert done.returncode == 0, done.stderr
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    path = project / "content" / "bai-viet" / str(year) / "dai-hoi-chi-bo-ap-hoa-loi.md"
    source = split_article(path.read_text(encoding="utf-8"))
    keys = [field.key for field in source.fields]
    for key in (
        "Title",
        "Date",
        "Category",
        "Topics",
        "Tags",
        "Authors",
        "Source",
        "Summary",
        "Image",
        "Image_caption",
        "Slug",
        "Status",
    ):
        assert key in keys
    assert source.first("category").value == "Chống khai thác IUU"
    assert source.first("status").value == "draft"
    assert source.first("date").value.startswith(str(year))
    again = invoke(project, "new", "Đại hội Chi bộ ấp Hòa Lợi", "--category", "iuu")
    assert again.returncode != 0
    unknown = invoke(project, "new", "Bài khác", "--category", "the thao")
    assert unknown.returncode != 0
    assert "Không có chuyên mục" in unknown.stderr


def test_build_fails_with_every_error_listed(project):
    articles = project / "content" / "bai-viet"
    (articles / "tot.md").write_text(article_text(title="Bài tốt"), encoding="utf-8")
    (articles / "mot.md").write_text(
        article_text(title="Một", category="Không có"), "utf-8"
    )
    (articles / "hai.md").write_text(
        article_text(title="Hai", category="Sai nốt"), "utf-8"
    )
    done = invoke(project, "build")
    assert done.returncode != 0
    assert "content/bai-viet/mot.md:3: Category:" in done.stderr
    assert "content/bai-viet/hai.md:3: Category:" in done.stderr
    (articles / "mot.md").unlink()
    (articles / "hai.md").unlink()
    done = invoke(project, "build")
    assert done.returncode == 0, done.stderr
    assert "invoke serve" in done.stdout
    assert (project / "output" / "2024" / "04" / "bai-tot" / "index.html").is_file()


def test_plain_pelican_also_fails_on_a_content_error(project):
    articles = project / "content" / "bai-viet"
    (articles / "sai.md").write_text(article_text(category="Không có"), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", "pelicanconf.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "sai.md:3: Category:" in done.stdout + done.stderr


def test_a_plugin_that_fails_to_load_fails_the_build(site):
    site.article("a")
    result = site.build(PLUGINS=["build_gate", "article_model", "khong_co_plugin"])
    assert result.failed
    assert any("khong_co_plugin" in message for message in result.errors)
