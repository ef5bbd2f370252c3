"""Where each content file is written, and files that would be written twice.

One computation for the build (which freezes each article's and page's URL
as it is made) and for ``invoke check`` (which has only what the reader
found): both format Pelican's ``*_URL`` and ``*_SAVE_AS`` settings for the
same kind and status, so the check names every clash the build would meet,
drafts included (``DRAFT_SAVE_AS``), with the same message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from string import Formatter
from typing import Any

from content_problems import ContentProblem, display_path


def setting_prefix(kind: str, status: str) -> str:
    """The prefix of the settings a content's URL is formatted from.

    Pelican's ``_expand_settings``: ARTICLE_URL, DRAFT_SAVE_AS,
    DRAFT_PAGE_URL... ``status`` is Pelican's (draft, published, hidden).
    """
    if kind == "page":
        return "draft_page" if status == "draft" else "page"
    return "draft" if status == "draft" else "article"


def formatted(
    settings: dict,
    prefix: str,
    key: str,
    value_of: Callable[[str], Any],
    in_default_lang: bool = True,
) -> str:
    """One URL or file name: the setting's pattern with the content's values."""
    name = f"{prefix}_{key if in_default_lang else 'lang_' + key}".upper()
    pattern = str(settings[name])
    return pattern.format_map({field: value_of(field) for field in fields_of(pattern)})


@cache
def fields_of(pattern: str) -> tuple[str, ...]:
    """The names a URL pattern formats (``{date:%Y}/{slug}/``: date, slug)."""
    names = []
    for _text, field, _spec, _conversion in Formatter().parse(pattern):
        if field is not None:
            name = re.split(r"[.\[]", field, maxsplit=1)[0]
            if name not in names:
                names.append(name)
    return tuple(names)


def becomes_a_draft(settings: dict, date: datetime | None) -> bool:
    """True for a date Pelican makes a draft of: in the future, unless allowed."""
    if settings["WITH_FUTURE_DATES"] or date is None:
        return False
    # The comparison Pelican makes, naive dates against a naive clock.
    now = datetime.now(UTC) if date.tzinfo else datetime.now()
    return date > now


class DateInURL:
    """A content's date as a URL pattern formats it.

    A numeric date spec (``%Y``, ``%m``, ``%-d``) gives the same text for
    every article of a day, so it is formatted once per day and spec: Pelican's
    ``strftime`` was a third of freezing ten thousand URLs. Other specs, and
    attributes (``{date.year}``), are the date's own.
    """

    __slots__ = ("date",)

    def __init__(self, date: datetime) -> None:
        self.date = date

    def __format__(self, spec: str) -> str:
        if not _NUMERIC_DAY.fullmatch(spec):
            return format(self.date, spec)
        key = (spec, self.date.year, self.date.month, self.date.day)
        text = _DAY_TEXTS.get(key)
        if text is None:
            text = _DAY_TEXTS[key] = format(self.date, spec)
        return text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.date, name)

    def __str__(self) -> str:
        return str(self.date)

    def __repr__(self) -> str:
        return repr(self.date)


# A spec of numeric day directives only: the same text whatever the locale.
_NUMERIC_DAY = re.compile(r"(?:[^%]|%%|%-?[Ymdyj])*")
_DAY_TEXTS: dict[tuple[str, int, int, int], str] = {}


def read_save_as(settings: dict, kind: str, metadata: dict, relative: str) -> str:
    """Where the build writes a file the reader read (empty: not written).

    ``metadata`` is the reader's (an article's ``status`` is Pelican's),
    ``relative`` the source's path under ``content/``.
    """
    status = metadata.get("status", "published")
    if kind == "article" and becomes_a_draft(settings, metadata.get("date")):
        status = "draft"
    if metadata.get("save_as") and status != "draft":
        return metadata["save_as"]  # a page translating the home page: /en/

    def value_of(field: str) -> Any:
        if field == "date":
            return DateInURL(metadata.get("date") or datetime.now())
        if field == "path":
            return relative.replace("\\", "/")
        if field == "lang":
            return metadata.get("lang", settings["DEFAULT_LANG"])
        if field in ("category", "author"):
            named = metadata.get(field) or (metadata.get("authors") or [None])[0]
            return getattr(named, "slug", "")
        return metadata.get(field, "")

    in_default_lang = (
        metadata.get("lang", settings["DEFAULT_LANG"]) == settings["DEFAULT_LANG"]
    )
    return formatted(
        settings, setting_prefix(kind, status), "save_as", value_of, in_default_lang
    )


# How to undo a clash, by the field it is told at.
CLASH_FIXES = {
    "So_hieu": "cùng số hiệu, mà mỗi văn bản chỉ một hồ sơ: hãy gộp hoặc xoá hồ sơ "
    "trùng",
}
CLASH_FIX = "hãy đổi tiêu đề hoặc thêm dòng Slug: khác cho một trong các bài"


@dataclass(frozen=True)
class Placed:
    """A file written at ``save_as``; where a clash is told, and how it weighs."""

    save_as: str
    source_path: str
    line: int
    field: str
    blocks_publish: bool = True


def clash_problems(placed: Iterable[Placed]) -> tuple[list[ContentProblem], set[str]]:
    """Files written to one place: a problem for each, and which files to leave out.

    Each file's problem names the others. Where one file of a clash is for
    readers and the others are not (drafts), the drafts give way: they are
    left out with a non-blocking problem and the published file stays.
    Otherwise every file of the clash is left out, and the clash blocks a
    publish if two of them are for readers.
    """
    by_place: dict[str, list[Placed]] = {}
    for item in placed:
        if item.save_as:
            by_place.setdefault(item.save_as, []).append(item)
    problems, left_out = [], set()
    for save_as, group in sorted(by_place.items()):
        if len(group) == 1:
            continue
        for_readers = [item for item in group if item.blocks_publish]
        url = save_as.removesuffix("index.html")
        for item in group:
            if len(for_readers) == 1 and item.blocks_publish:
                continue  # the one published file stays
            others = ", ".join(
                display_path(other.source_path) for other in group if other is not item
            )
            fix = CLASH_FIXES.get(item.field, CLASH_FIX)
            problems.append(
                ContentProblem(
                    item.source_path,
                    item.line,
                    item.field,
                    f"trùng đường dẫn /{url} với {others}; {fix}",
                    blocks_publish=item.blocks_publish,
                )
            )
            left_out.add(item.source_path)
    return problems, left_out


def url_field(metadata: dict) -> tuple[str, int]:
    """The header field a clash is told at: ``Slug`` if written, else ``Title``."""
    lines = metadata.get("field_lines", {})
    field = "Slug" if "slug" in lines else "Title"
    return field, lines.get(field.lower(), 1)
