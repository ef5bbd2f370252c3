"""``invoke check``: every problem of the content tree, without building.

Reads every file's header and Markdown source with the build's own reader
(no rendering, no writing), so the check and the build agree on what is an
error, and a tree of 10,000 articles is checked in seconds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from languages import translation_problem

from content_model.cross_checks import (
    link_to_unpublished,
    review_in_future,
    unpublished,
)
from content_model.locations import Placed, clash_problems, read_save_as, url_field
from content_model.reader import MARKDOWN_EXTENSIONS, Inspection, PortalMarkdownReader
from content_problems import ContentProblem, display_path
from content_tree import ContentWalk, link_resolver, walk_content
from documents.citations import cited_numbers
from documents.settings import document_settings
from html_safety import scan_markdown
from lead_images.planning import LeadImageError, read_source, resolve_source
from topic_registry import RegistryError, TopicRegistry


@dataclass
class CheckResult:
    """Every problem found, and how many files were read."""

    problems: list[ContentProblem] = field(default_factory=list)
    warnings: list[ContentProblem] = field(default_factory=list)
    files: int = 0
    inspections: list[Inspection] = field(default_factory=list)


def content_files(settings: dict) -> ContentWalk:
    """Every file of the content folders, in a stable order, and the refused ones.

    The same walk as the build's (``content_tree``): symbolic links and static
    files of a refused type are refused, whatever folder they are in.
    """
    folders = [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]
    folders += [settings.get("DOCUMENTS_PATH", "van-ban"), *settings["STATIC_PATHS"]]
    return walk_content(
        link_resolver(settings),
        folders,
        settings.get("IGNORE_FILES", (".*",)),
        static_folders=settings["STATIC_PATHS"],
    )


def output_path(inspection: Inspection, settings: dict, relative: str) -> str | None:
    """Where the build writes the file (``locations``: as the build computes it)."""
    metadata = inspection.metadata
    if "slug" not in metadata:
        return None
    if inspection.kind == "document":
        return f"{document_settings(settings)['URL']}{metadata['slug']}/index.html"
    if inspection.kind == "article" and "date" not in metadata:
        return None
    return read_save_as(settings, inspection.kind, metadata, relative)


def placed(inspection: Inspection, save_as: str) -> Placed:
    """A file and where it is written, with the field a clash is told at."""
    if inspection.kind == "document":
        field, line = "So_hieu", inspection.metadata["field_lines"].get("so_hieu", 1)
    else:
        field, line = url_field(inspection.metadata)
    return Placed(
        save_as,
        inspection.source_path,
        line,
        field,
        inspection.metadata.get("for_readers", True),
    )


def main(settings: dict, out: TextIO, blocking_only: bool = False) -> int:
    """Print every problem, one a line, then a count; return the exit code.

    Any problem is an exit code of 1, unless ``blocking_only`` (a publish):
    then only problems of what readers would get count.
    """
    result = check_content(settings)
    for problem in result.problems:
        out.write(f"{problem}\n")
    for warning in result.warnings:
        out.write(f"{warning} (cảnh báo)\n")
    if not result.problems:
        out.write(f"Không có lỗi (đã kiểm tra {result.files} tệp).\n")
        return 0
    blocking = sorted({p.display_path for p in result.problems if p.blocks_publish})
    drafts = sorted(
        {p.display_path for p in result.problems if not p.blocks_publish}
        - set(blocking)
    )
    if blocking:
        out.write(
            f"Chặn đăng bài ({len(blocking)} tệp sẽ đến tay bạn đọc, phải sửa "
            f"trước khi dựng bản chính thức): {', '.join(blocking)}\n"
        )
    if drafts:
        out.write(
            f"Bài nháp hoặc chờ duyệt ({len(drafts)} tệp; không chặn đăng bài, "
            f"chỉ bị bỏ ra cho đến khi sửa): {', '.join(drafts)}\n"
        )
    files = len({problem.path for problem in result.problems})
    out.write(
        f"Có {len(result.problems)} lỗi trong {files} tệp "
        f"(đã kiểm tra {result.files} tệp).\n"
    )
    return 1 if blocking or not blocking_only else 0


def check_content(settings: dict) -> CheckResult:
    """Read every content file and list every problem."""
    result = CheckResult()
    try:
        reader = PortalMarkdownReader(settings)
        # Read first, so that a broken registry is told as the one problem.
        reader.use_registry(TopicRegistry.from_settings(settings))
    except RegistryError as error:
        result.problems += [
            ContentProblem(
                line.split(": ", 1)[0], 1, "danh mục", line.split(": ", 1)[-1]
            )
            for line in str(error).splitlines()
        ]
        return result
    places: list[Placed] = []
    walk = content_files(settings)
    result.files += len(walk.refused)
    result.problems += [
        ContentProblem(path, 1, "tệp", message) for path, message in walk.refused
    ]
    root = settings["PATH"]
    statics = tuple(os.path.join(folder, "") for folder in settings["STATIC_PATHS"])
    for relative in walk.files:
        if relative.startswith(statics):
            continue  # published as it is: its type was checked by the walk
        result.files += 1
        path = Path(root, relative)
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
        where = output_path(inspection, settings, relative)
        if where:
            places.append(placed(inspection, where))
    clashes, _left_out = clash_problems(places)
    result.problems += clashes
    result.problems += cross_problems(result.inspections, settings)
    result.problems += lead_image_problems(result.inspections, settings)
    result.problems += translation_problems(result.inspections, places, settings)
    result.warnings = uncited_numbers(result.inspections)
    result.problems.sort(key=lambda p: (p.display_path, p.line))
    return result


def cross_problems(inspections: list[Inspection], settings: dict) -> list:
    """What the build finds across files or at its time (``cross_checks``)."""
    problems = []
    now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
    resolver = link_resolver(settings)
    by_path = {resolver.relative(i.source_path): i for i in inspections}
    for inspection in inspections:
        metadata = inspection.metadata
        late = review_in_future(inspection.source_path, metadata, now)
        if late:
            for_readers = metadata.get("for_readers", True)
            problems.append(late if for_readers else late.not_blocking())
        published = inspection.is_page or metadata.get("review_state") == "published"
        body = inspection.source.body
        if not published or not (
            "{filename}" in body
            or any(f".{ext}" in body for ext in MARKDOWN_EXTENSIONS)
        ):
            continue
        for finding in scan_markdown(body, inspection.source.body_line):
            url = getattr(finding, "url", None)
            link = url and resolver.resolve(
                resolver.implied(url, inspection.source_path) or url,
                inspection.source_path,
            )
            if not link or link.kind != "filename" or link.file is None:
                continue
            target = by_path.get(resolver.relative(link.file))
            why = target and unpublished(target.metadata, metadata.get("date"), now)
            if why:
                problems.append(
                    link_to_unpublished(
                        inspection.source_path,
                        finding.line,
                        finding.url,
                        why,
                        display_path(target.source_path),
                    )
                )
    return problems


def lead_image_problems(inspections: list[Inspection], settings: dict) -> list:
    """Lead images the build could not use: not images, damaged, refused formats.

    Each is read as the build reads it (``lead_images.planning.read_source``).
    """
    problems = []
    root = Path(settings["PATH"])
    resolver = link_resolver(settings)
    found: dict[Path, LeadImageError | None] = {}
    for inspection in inspections:
        value = inspection.metadata.get("image")
        path = value and resolve_source(str(value), inspection.source_path, resolver)
        if not path or not path.is_file():
            continue  # no lead image, or a problem the reader reported
        if path not in found:
            try:
                read_source(path, root)
                found[path] = None
            except LeadImageError as error:
                found[path] = error
        if found[path] is not None:
            line = inspection.metadata["field_lines"].get("image", 1)
            problem = ContentProblem(
                inspection.source_path, line, "Image", f'"{value}": {found[path]}'
            )
            for_readers = inspection.metadata.get("for_readers", True)
            problems.append(problem if for_readers else problem.not_blocking())
    return problems


def translation_problems(
    inspections: list[Inspection], places: list[Placed], settings: dict
) -> list[ContentProblem]:
    """Pages whose ``Translation_of`` names no page (``languages``' own rule)."""
    default = settings["DEFAULT_LANG"]
    written = {place.source_path: place.save_as for place in places}
    originals = {
        written[i.source_path].removesuffix("index.html")
        for i in inspections
        if i.is_page
        and i.source_path in written
        and i.metadata.get("lang", default) == default
    }
    problems = []
    for inspection in inspections:
        target = inspection.metadata.get("translation_of")
        if not inspection.is_page or not target:
            continue
        lang = inspection.metadata.get("lang", default)
        why = translation_problem(lang, default, target, originals)
        if why:
            line = inspection.metadata["field_lines"].get("translation_of", 1)
            problems.append(
                ContentProblem(inspection.source_path, line, "Translation_of", why)
            )
    return problems


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
