"""The README's first hour of an editor, run step by step as it is written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, read_page, run_invoke

SECTION = "### Giờ đầu tiên"
INVOKE = "python3 -m invoke "


def guide() -> str:
    """The README's section on an editor's first hour."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n### ", start + len(SECTION))]


def blocks(language: str) -> list[str]:
    """The fenced blocks of the guide written in ``language``, in order."""
    return re.findall(rf"```{language}\n(.*?)```", guide(), flags=re.DOTALL)


@pytest.fixture
def clone(fresh_clone) -> Path:
    """A fresh clone in a git repository of its own."""
    git(fresh_clone, "init", "-q")
    git(fresh_clone, "add", ".")
    git(fresh_clone, "commit", "-qm", "Nội dung mẫu")
    return fresh_clone


def git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Biên tập viên",
        "GIT_AUTHOR_EMAIL": "btv@example.vn",
        "GIT_COMMITTER_NAME": "Biên tập viên",
        "GIT_COMMITTER_EMAIL": "btv@example.vn",
    }
    return subprocess.run(
        ["git", *args], cwd=folder, env=environment, check=True, capture_output=True
    )


def run_block(clone: Path, block: str) -> list[subprocess.CompletedProcess]:
    """Run each line of a shell block: invoke tasks, and git but its push."""
    done = []
    for line in block.strip().splitlines():
        if line.startswith(INVOKE):
            result = run_invoke(clone, *shlex.split(line.removeprefix(INVOKE)))
            assert result.returncode == 0, (line, result.stdout, result.stderr)
            done.append(result)
        elif line.startswith("git push"):
            continue  # the test's repository has no remote
        elif line.startswith("git "):
            done.append(git(clone, *shlex.split(line)[1:]))
        else:
            pytest.fail(f"the guide runs a command the test does not know: {line}")
    return done


def with_fields(text: str, fields: str) -> str:
    """An article's text with header fields replaced or added."""
    header, body = text.split("\n\n", 1)
    lines = header.splitlines()
    for field in fields.strip().splitlines():
        key = field.split(":", 1)[0]
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        lines.append(field)
    return "\n".join(lines) + "\n\n" + body


def test_the_first_hour_of_an_editor_works_as_the_readme_says(clone):
    commands, articles = blocks("sh"), blocks("markdown")
    assert len(commands) == 3 and len(articles) == 2
    # 1. A new draft, and the check that passes on it as it is.
    [made] = run_block(clone, commands[0])
    written = re.search(r"Đã tạo bản nháp (\S+\.md)", made.stdout)
    assert written, made.stdout
    path = clone / written[1]
    assert "Status: draft" in path.read_text(encoding="utf-8")
    [checked] = run_block(clone, commands[1])
    assert "Không có lỗi" in checked.stdout
    # 3. The article as the guide fills it in; 4. checked and previewed.
    path.write_text(articles[0], encoding="utf-8")
    assert run_invoke(clone, "check").returncode == 0
    assert run_invoke(clone, "build").returncode == 0
    slug = re.search(r"^Slug: (\S+)", articles[0], flags=re.MULTILINE)[1]
    assert slug in guide()  # the preview address the guide gives
    draft = read_page(clone / "output", f"ban-nhap/{slug}/")
    assert (
        draft.h1.get_text(strip=True)
        == re.search(r"^Title: (.+)$", articles[0], re.M)[1]
    )
    images = [img["src"] for img in draft.select("img")]
    assert any(src.endswith("/images/tau-ca-cap-cang.jpg") for src in images), images
    # 5. Sent for review, checked and committed as the guide says.
    path.write_text(
        with_fields(path.read_text(encoding="utf-8"), "Status: review"), "utf-8"
    )
    run_block(clone, commands[2])
    assert git(clone, "status", "--porcelain").stdout == b""
    # 6. Published by the reviewing editor, built for readers.
    path.write_text(with_fields(path.read_text(encoding="utf-8"), articles[1]), "utf-8")
    assert run_invoke(clone, "check").returncode == 0
    built = run_invoke(clone, "build", "--production")
    assert built.returncode == 0, built.stderr
    page = read_page(clone / "output", f"2026/11/{slug}/")
    assert "Sáng 30/11, huyện Kiên Hải" in page.get_text()
    assert not (clone / "output" / "ban-nhap").exists()
