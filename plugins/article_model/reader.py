"""The portal's Markdown reader: strict headers, NFC text, registry sections.

It replaces Pelican's Markdown reader so that every field is read with its
line number, every problem is reported (not only the first), the text is
normalised to NFC whatever form the editor's file arrived in, sections and
tags resolve through the registry and the Vietnamese folding rules, and slugs
are ASCII.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from typing import ClassVar

from markdown import Markdown
from markupsafe import Markup
from pelican.readers import BaseReader

from build_gate import ContentProblem, report_problem
from topics import TopicRegistry
from vietnamese import nfc, slugify

from .fields import (
    ARTICLE_FIELDS,
    DEFAULT_REVIEW_STATE,
    PAGE_FIELDS,
    REVIEW_STATES,
    FieldError,
    FieldSpec,
    ReadingContext,
)
from .header import ArticleSource, split_article

logger = logging.getLogger(__name__)

MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
# Encodings an editor's file may arrive in when it is not UTF-8.
LIKELY_ENCODINGS = ("utf-16", "cp1258", "cp1252", "latin-1")


def decode_source(raw: bytes) -> tuple[str, str | None]:
    """Decode a file as UTF-8; otherwise say which encoding it looks like."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        for encoding in LIKELY_ENCODINGS:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            return text, f"{line}:{encoding}"
        return raw.decode("utf-8", errors="replace"), f"{line}:?"


class PortalMarkdownReader(BaseReader):
    """Read an article or a page written in Markdown with a ``Key: value`` header."""

    enabled = True
    file_extensions: ClassVar[list[str]] = list(MARKDOWN_EXTENSIONS)

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        self.context = ReadingContext(settings, TopicRegistry.from_settings(settings))
        markdown_settings = dict(settings.get("MARKDOWN", {}))
        extensions = [
            ext
            for ext in markdown_settings.get("extensions", [])
            if ext not in ("meta", "markdown.extensions.meta")
        ]
        markdown_settings["extensions"] = extensions
        self._markdown = Markdown(**markdown_settings)
        content_root = Path(settings["PATH"])
        self._page_roots = [
            (content_root / folder).resolve()
            for folder in settings.get("PAGE_PATHS", [])
        ]

    def is_page(self, source_path: str) -> bool:
        """True for a static page (under ``PAGE_PATHS``), not an article."""
        path = Path(source_path).resolve()
        return any(path.is_relative_to(root) for root in self._page_roots)

    def read(self, source_path: str) -> tuple[str, dict]:
        """Return the HTML body and the metadata of one file."""
        problems: list[ContentProblem] = []
        text, bad_encoding = decode_source(Path(source_path).read_bytes())
        if bad_encoding:
            line, encoding = bad_encoding.split(":")
            looks_like = (
                f"có vẻ là {encoding}" if encoding != "?" else "không rõ bảng mã"
            )
            problems.append(
                ContentProblem(
                    source_path,
                    int(line),
                    "mã hoá",
                    f"tệp không phải UTF-8 ({looks_like}); hãy lưu lại tệp với "
                    "bảng mã UTF-8",
                )
            )
        source = split_article(nfc(text))
        fields = PAGE_FIELDS if self.is_page(source_path) else ARTICLE_FIELDS
        metadata = self._read_fields(source_path, source, fields, problems)
        self._markdown.reset()
        content = self._markdown.convert(source.body)
        if not content.strip():
            problems.append(
                ContentProblem(
                    source_path,
                    source.body_line,
                    "nội dung",
                    "bài không có nội dung; hãy viết nội dung sau dòng trống "
                    "cuối phần đầu bài",
                )
            )
        for problem in problems:
            report_problem(problem)
        metadata["content_problems"] = problems
        return content, metadata

    def _read_fields(
        self,
        source_path: str,
        source: ArticleSource,
        fields: dict[str, FieldSpec],
        problems: list[ContentProblem],
    ) -> dict:
        metadata: dict = {}
        lines: dict[str, int] = {}
        for field in source.fields:
            spec = fields.get(field.name)
            if spec is None:
                problems.append(self._unknown_key(source_path, field, fields))
                continue
            if field.name in lines and not spec.repeatable:
                problems.append(
                    ContentProblem(
                        source_path,
                        field.line,
                        spec.key,
                        f"khai báo lần hai (lần đầu ở dòng {lines[field.name]}); "
                        "hãy giữ một dòng",
                    )
                )
                continue
            lines.setdefault(field.name, field.line)
            try:
                value = spec.read(field.value, self.context)
            except FieldError as error:
                problems.append(
                    ContentProblem(source_path, field.line, spec.key, str(error))
                )
                continue
            if spec.repeatable:
                metadata.setdefault(field.name, []).append(value)
            else:
                metadata[field.name] = value
        for name, spec in fields.items():
            if spec.required and name not in lines:
                problems.append(
                    ContentProblem(
                        source_path,
                        1,
                        spec.key,
                        f'thiếu trường bắt buộc; hãy thêm dòng "{spec.key}: '
                        f'{spec.example}" vào phần đầu bài',
                    )
                )
        metadata["field_lines"] = lines
        if fields is ARTICLE_FIELDS:
            self._article_metadata(metadata)
        else:
            metadata.setdefault("status", "published")
        if "slug" not in metadata and "title" in metadata:
            metadata["slug"] = slugify(Markup(metadata["title"]).unescape())
        return metadata

    @staticmethod
    def _article_metadata(metadata: dict) -> None:
        state = metadata.pop("status", DEFAULT_REVIEW_STATE)
        metadata["review_state"] = state
        metadata["status"] = REVIEW_STATES[state]
        topics = [metadata["category"]] if "category" in metadata else []
        topics += [t for t in metadata.get("topics", []) if t not in topics]
        metadata["topics"] = topics
        metadata.setdefault("featured", False)
        metadata.setdefault("correction", [])

    @staticmethod
    def _unknown_key(
        source_path: str, field, fields: dict[str, FieldSpec]
    ) -> ContentProblem:
        keys = [spec.key for spec in fields.values()]
        guess = difflib.get_close_matches(field.key.capitalize(), keys, n=1, cutoff=0.6)
        hint = (
            f'có phải ý bạn là "{guess[0]}"?'
            if guess
            else "các khoá hợp lệ: " + ", ".join(keys)
        )
        return ContentProblem(
            source_path,
            field.line,
            field.key,
            f'khoá "{field.key}" không được hỗ trợ; {hint} Hãy sửa lại tên khoá',
        )
