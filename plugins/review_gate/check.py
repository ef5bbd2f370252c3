"""``invoke check``: every problem of the content tree, without building.

Reads every file's header and Markdown source with the build's own reader
(no rendering, no writing), so the check and the build agree on what is an
error, and a tree of 10,000 articles is checked in seconds.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from article_model.reader import MARKDOWN_EXTENSIONS, Inspection, PortalMarkdownReader
from build_gate import ContentProblem, display_path
from documents.citations import cited_numbers
from topics import RegistryError

IGNORED_NAMES = (".gitkeep", ".DS_Store", "Thumbs.db")


@dataclass
class CheckResult:
    """Every problem found, and how many files were read."""

    problems: list[ContentProblem] = field(default_factory=list)
    warnings: list[ContentProblem] = field(default_factory=list)
    files: int = 0
    inspections: list[Inspection] = field(default_factory=list)


def content_files(settings: dict) -> list[Path]:
    """Every file under the article and page folders, in a stable order."""
    root = os.path.abspath(settings["PATH"])
    static = tuple(
        os.path.join(root, folder, "") for folder in settings.get("STATIC_PATHS", [])
    )
    files = []
    folders = [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]
    if (Path(root) / settings.get("DOCUMENTS_PATH", "van-ban")).is_dir():
        folders.append(settings.get("DOCUMENTS_PATH", "van-ban"))
    for folder in folders:
        for directory, subfolders, names in os.walk(os.path.join(root, folder)):
            subfolders.sort()
            if os.path.join(directory, "").startswith(static):
                continue
            files += [
                Path(directory, name)
                for name in sorted(names)
                if name not in IGNORED_NAMES
            ]
    return files


def output_path(inspection: Inspection, settings: dict) -> str | None:
    """Where the file will be written once published."""
    metadata = inspection.metadata
    if "slug" not in metadata:
        return None
    if inspection.kind == "page":
        return settings["PAGE_SAVE_AS"].format(slug=metadata["slug"])
    if inspection.kind == "document":
        return (
            f"{settings.get('DOCUMENTS_PATH', 'van-ban')}/{metadata['slug']}/index.html"
        )
    if "date" not in metadata:
        return None
    return settings["ARTICLE_SAVE_AS"].format(
        slug=metadata["slug"], date=metadata["date"]
    )


def main(settings: dict, out: TextIO) -> int:
    """Print every problem, one a line, then a count; return the exit code."""
    result = check_content(settings)
    for problem in result.problems:
        out.write(f"{problem}\n")
    for warning in result.warnings:
        out.write(f"{warning} (cảnh báo)\n")
    if not result.problems:
        out.write(f"Không có lỗi (đã kiểm tra {result.files} tệp).\n")
        return 0
    files = len({problem.path for problem in result.problems})
    out.write(
        f"Có {len(result.problems)} lỗi trong {files} tệp "
        f"(đã kiểm tra {result.files} tệp).\n"
    )
    return 1


def check_content(settings: dict) -> CheckResult:
    """Read every content file and list every problem."""
    result = CheckResult()
    try:
        reader = PortalMarkdownReader(settings)
    except RegistryError as error:
        result.problems += [
            ContentProblem(
                line.split(": ", 1)[0], 1, "danh mục", line.split(": ", 1)[-1]
            )
            for line in str(error).splitlines()
        ]
        return result
    by_url: dict[str, list[Inspection]] = defaultdict(list)
    for path in content_files(settings):
        result.files += 1
        if path.suffix.lstrip(".").lower() not in MARKDOWN_EXTENSIONS:
            result.problems.append(
                ContentProblem(
                    str(path),
                    1,
                    "tệp",
                    "không phải tệp Markdown nên sẽ không được đăng; hãy lưu bài "
                    "thành tệp .md hoặc chuyển tệp ra khỏi thư mục này",
                )
            )
            continue
        inspection = reader.inspect(str(path))
        result.inspections.append(inspection)
        result.problems += inspection.problems
        url = output_path(inspection, settings)
        if url:
            by_url[url].append(inspection)
    for url, group in by_url.items():
        if len(group) == 1:
            continue
        for inspection in group:
            others = ", ".join(
                display_path(o.source_path) for o in group if o is not inspection
            )
            lines = inspection.metadata.get("field_lines", {})
            if inspection.kind == "document":
                key, message = (
                    "So_hieu",
                    (
                        f"số hiệu trùng với {others} (cùng đường dẫn "
                        f"/{url.removesuffix('index.html')}); mỗi văn bản một hồ sơ"
                    ),
                )
            else:
                key = "Slug" if "slug" in lines else "Title"
                message = (
                    f"trùng đường dẫn /{url.removesuffix('index.html')} với {others}; "
                    "hãy đổi tiêu đề hoặc thêm dòng Slug: khác cho một trong hai bài"
                )
            result.problems.append(
                ContentProblem(
                    inspection.source_path, lines.get(key.lower(), 1), key, message
                )
            )
    result.warnings = uncited_numbers(result.inspections)
    result.problems.sort(key=lambda p: (p.display_path, p.line))
    return result


def uncited_numbers(inspections: list[Inspection]) -> list[ContentProblem]:
    """Document numbers cited in articles that have no record in văn bản."""
    known = {
        i.metadata["so_hieu"]
        for i in inspections
        if i.kind == "document" and "so_hieu" in i.metadata
    }
    warnings = []
    for inspection in inspections:
        if inspection.kind != "article":
            continue
        first = inspection.source.body_line
        for line, number in cited_numbers(inspection.source.body):
            if number.upper() not in known:
                warnings.append(
                    ContentProblem(
                        inspection.source_path,
                        first + line - 1,
                        "văn bản",
                        f"số hiệu {number} chưa có hồ sơ trong content/van-ban/; hãy "
                        "thêm hồ sơ để bài viết liên kết tới văn bản",
                    )
                )
    return warnings
