"""The portal's Markdown reader: strict headers, NFC text, registry sections.

It replaces Pelican's Markdown reader so that every field is read with its
line number, every problem is reported (not only the first), the text is
normalised to NFC whatever form the editor's file arrived in, sections and
tags resolve through the registry and the Vietnamese folding rules, slugs are
ASCII, and the body is checked and sanitised.
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from markdown import Markdown
from markupsafe import Markup
from pelican.readers import BaseReader

from build_cache.read_cache import (
    ReadEntry,
    build_read_cache,
    portable,
    restored,
)
from content_problems import ContentProblem, report_problem
from content_tree import MARKDOWN_EXTENSIONS, link_resolver, normalised_url
from html_safety import HtmlPolicy, HtmlSanitizer, same_html, url_attributes
from topic_registry import TopicRegistry
from vietnamese import nfc, slugify

from .body_checks import BodyChecker
from .fields import (
    ARTICLE_FIELDS,
    DEFAULT_REVIEW_STATE,
    DOCUMENT_FIELDS,
    FIRST_YEAR,
    NOT_FOR_READERS,
    PAGE_FIELDS,
    REVIEW_STATES,
    SLUG_MAX,
    STATE_REQUIRES,
    FieldError,
    FieldSpec,
    ReadingContext,
)
from .header import ArticleSource, HeaderField, split_article

logger = logging.getLogger(__name__)

# The fields of problems found in a body's links, images and raw HTML.
BODY_FIELDS = frozenset({"HTML", "liên kết", "ảnh"})
# Letters that only a Vietnamese code page decodes to: tone marks, ư, ơ, đ.
VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323ƯưƠơĐđ")


def decode_source(raw: bytes) -> tuple[str, str | None]:
    """Decode a file as UTF-8; otherwise also say which encoding it looks like."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    vietnamese = raw.decode("cp1258", errors="replace")
    if VIETNAMESE_MARKS.intersection(vietnamese):
        return vietnamese, "Windows-1258"
    return raw.decode("cp1252", errors="replace"), "Windows-1252"


def _first_bad_line(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return raw[: error.start].count(b"\n") + 1
    return 1


@dataclass
class Inspection:
    """An article file read without rendering: fields, metadata, problems."""

    source_path: str
    source: ArticleSource
    metadata: dict
    problems: list[ContentProblem] = field(default_factory=list)
    kind: str = "article"

    @property
    def is_page(self) -> bool:
        """True for a static page."""
        return self.kind == "page"


def for_readers(kind: str, inspection: Inspection) -> bool:
    """Whether a file is meant for readers: its problems then block a publish.

    Pages and văn bản are; an article is unless its ``Status`` says draft or
    review. An article whose ``Status`` cannot be read is taken as meant for
    readers: a mistyped "published" must stop the build, not hide the article.
    """
    if kind != "article" or any(p.field == "Status" for p in inspection.problems):
        return True
    return inspection.metadata.get("review_state") not in NOT_FOR_READERS


def _settle(inspection: Inspection) -> None:
    """Make the problems of a file not for readers yet non-blocking."""
    if not inspection.metadata["for_readers"]:
        inspection.problems = [p.not_blocking() for p in inspection.problems]


class PortalMarkdownReader(BaseReader):
    """Read an article or a page written in Markdown with a ``Key: value`` header."""

    enabled = True
    file_extensions: ClassVar[list[str]] = list(MARKDOWN_EXTENSIONS)

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        # The sections: the build's registry (``use_registry``), or read
        # from the settings when first needed (``invoke check``, a worker).
        self._context: ReadingContext | None = None
        policy = HtmlPolicy.from_settings(settings)
        self.sanitizer = HtmlSanitizer(policy)
        self.content_root = Path(settings["PATH"]).resolve()
        self.links = link_resolver(settings)
        self.body_checker = BodyChecker(self.links, policy)
        markdown_settings = dict(settings.get("MARKDOWN", {}))
        markdown_settings["extensions"] = [
            ext
            for ext in markdown_settings.get("extensions", [])
            if ext not in ("meta", "markdown.extensions.meta")
        ]
        # Made at the first file read: a build makes a reader for each of its
        # generators, most of which read nothing anew (the read cache).
        self._markdown_settings = markdown_settings
        self._markdown_instance: Markdown | None = None
        self._page_roots = tuple(
            os.path.join(self.content_root, folder, "")
            for folder in settings.get("PAGE_PATHS", [])
        )
        self._document_root = os.path.join(
            self.content_root, settings.get("DOCUMENTS_PATH", "van-ban"), ""
        )
        self.cache = build_read_cache(settings)

    @property
    def _markdown(self) -> Markdown:
        if self._markdown_instance is None:
            self._markdown_instance = Markdown(**self._markdown_settings)
        return self._markdown_instance

    @property
    def context(self) -> ReadingContext:
        """The settings and sections the fields are read with."""
        if self._context is None:
            registry = TopicRegistry.from_settings(self.settings)
            self._context = ReadingContext(self.settings, registry)
        return self._context

    def use_registry(self, registry: TopicRegistry) -> None:
        """Read sections through ``registry`` (the build's one registry)."""
        self._context = ReadingContext(self.settings, registry)

    def kind_of(self, source_path: str) -> str:
        """``page`` (under ``PAGE_PATHS``), ``document`` (văn bản) or ``article``."""
        path = os.path.abspath(source_path)
        if path.startswith(self._page_roots):
            return "page"
        if path.startswith(self._document_root):
            return "document"
        return "article"

    def inspect(self, source_path: str, raw: bytes | None = None) -> Inspection:
        """Read and check a file's header and body source, without rendering."""
        if raw is None:
            raw = Path(source_path).read_bytes()
        text, encoding = decode_source(raw)
        source = split_article(nfc(text).replace("\r\n", "\n"))
        kind = self.kind_of(source_path)
        inspection = Inspection(source_path, source, {}, kind=kind)
        if encoding:
            inspection.problems.append(
                ContentProblem(
                    source_path,
                    _first_bad_line(raw),
                    "mã hoá",
                    f"tệp không phải UTF-8 (có vẻ là {encoding}); hãy mở tệp và lưu "
                    "lại với bảng mã UTF-8",
                )
            )
        fields = {
            "article": ARTICLE_FIELDS,
            "page": PAGE_FIELDS,
            "document": DOCUMENT_FIELDS,
        }[kind]
        self._read_fields(inspection, fields)
        if not source.body.strip():
            inspection.problems.append(
                ContentProblem(
                    source_path,
                    source.body_line,
                    "nội dung",
                    "bài không có nội dung; hãy viết nội dung sau dòng trống "
                    "cuối phần đầu bài",
                )
            )
        inspection.problems += self.body_checker.check(
            source_path, source.body, source.body_line
        )
        inspection.metadata["for_readers"] = for_readers(kind, inspection)
        _settle(inspection)
        return inspection

    def read(self, source_path: str) -> tuple[str, dict]:
        """Return the sanitised HTML body and the metadata of one file.

        What a file reads as is kept in the build cache, keyed by its bytes;
        its problems are reported at every build, cached or not.
        """
        key = self.cache.key_of(source_path)
        entry = self.cache.get(key)
        if entry is None:
            key, raw = self.cache.bytes_of(source_path)
            entry = self.read_entry(source_path, raw)
            self.cache.put(key, entry)
        for problem in entry.problems:
            report_problem(problem)
        metadata = restored(
            entry.metadata, self.settings, self.context.registry, self.cache.terms
        )
        metadata["content_problems"] = list(entry.problems)
        if entry.problems:
            self._stand_in(source_path, metadata)
        return entry.html, metadata

    def _stand_in(self, source_path: str, metadata: dict) -> None:
        """Fill what Pelican cannot make content without, in a file with problems.

        Pelican skips an article without a title, a date or a section with an
        ERROR of its own, in English, that would stop the build even for a
        draft. The problem is already told, in Vietnamese, at its line; with
        these stand-ins Pelican makes the content, and the portal leaves it
        out (``leave_out_broken_articles``, ``leave_out_broken_pages``).
        """
        metadata.setdefault("title", Markup.escape(Path(source_path).stem))
        if self.kind_of(source_path) == "article":
            metadata.setdefault("date", datetime(FIRST_YEAR, 1, 1, tzinfo=UTC))
            metadata.setdefault("category", next(iter(self.context.registry)))

    def prefetch(self, source_paths: list[str]) -> None:
        """Read the files the cache lacks, on every core, before Pelican asks."""
        self.cache.fill(source_paths, self.read_entry)

    def read_entry(self, source_path: str, raw: bytes) -> ReadEntry:
        """Check, render and sanitise one file (what the cache keeps)."""
        inspection = self.inspect(source_path, raw)
        self._markdown.reset()
        rendered = self._markdown.convert(inspection.source.body)
        plain_targets = self.links.plain_targets(rendered, source_path)
        rendered = self.links.with_placeholders(rendered, source_path)
        content = self.sanitizer.clean(rendered)
        body_flagged = any(p.field in BODY_FIELDS for p in inspection.problems)
        # Markdown makes only allowed markup unless the source has raw HTML
        # ("<") or attribute lists ("{: ...}"); only then can cleaning change it.
        body = inspection.source.body
        self._report_refused_urls(inspection, rendered, content)
        may_change = "<" in body or "{" in body
        if may_change and not body_flagged and not same_html(rendered, content):
            inspection.problems.append(
                ContentProblem(
                    source_path,
                    inspection.source.body_line,
                    "HTML",
                    "nội dung có HTML không an toàn và đã bị loại bỏ khi dựng trang; "
                    "hãy chỉ dùng cú pháp Markdown",
                )
            )
        _settle(inspection)
        return ReadEntry(
            html=content,
            metadata=portable(inspection.metadata),
            problems=inspection.problems,
            targets={
                **plain_targets,
                **self._header_targets(inspection),
                **self.links.file_targets(body, source_path),
            },
        )

    def _header_targets(self, inspection: Inspection) -> dict[str, bool]:
        """The files ``Image`` and ``File`` name, and whether each exists now."""
        found = {}
        for header_field in inspection.source.fields:
            value = header_field.value.strip()
            if header_field.name not in ("image", "file") or not value:
                continue
            url = value if value.startswith("{") else f"{{static}}{value}"
            link = self.links.resolve(url, inspection.source_path)
            if link is not None and link.file is not None:
                found[str(link.file)] = os.path.lexists(link.file)
        return found

    def _report_refused_urls(
        self, inspection: Inspection, rendered: str, cleaned: str
    ) -> None:
        """A link the sanitiser removed that the source scan did not name.

        The scan of the source finds what ``invoke check`` reports; whatever
        Markdown made of the source that it missed is found here, on the HTML,
        and named at the first line that holds its start (or the body's).
        """
        named = normalised_url(" ".join(p.message for p in inspection.problems))
        lines = inspection.source.body.split("\n")
        for url, reason in self.sanitizer.refused:
            if normalised_url(url) in named:
                continue
            start = url.strip()[:12]
            offset = next((n for n, line in enumerate(lines) if start in line), 0)
            inspection.problems.append(
                ContentProblem(
                    inspection.source_path,
                    inspection.source.body_line + offset,
                    "liên kết",
                    f'"{url}": {reason}; liên kết đã bị loại bỏ, hãy sửa hoặc bỏ nó',
                )
            )
            named += normalised_url(url)
        dropped = url_attributes(rendered) - url_attributes(cleaned)
        flagged = any(p.field in BODY_FIELDS for p in inspection.problems)
        if dropped > len(self.sanitizer.refused) and not flagged:
            inspection.problems.append(
                ContentProblem(
                    inspection.source_path,
                    inspection.source.body_line,
                    "liên kết",
                    "có liên kết hay ảnh với địa chỉ không được phép (không phải "
                    "http, https, mailto, tel hay đường dẫn trong trang) đã bị loại "
                    "bỏ; hãy sửa các địa chỉ đó",
                )
            )

    def _read_fields(
        self, inspection: Inspection, fields: dict[str, FieldSpec]
    ) -> None:
        path, metadata, problems = (
            inspection.source_path,
            inspection.metadata,
            inspection.problems,
        )
        lines: dict[str, int] = {}
        empty: dict[str, int] = {}
        for header_field in inspection.source.fields:
            spec = fields.get(header_field.name)
            if spec is None:
                problems.append(self._unknown_key(path, header_field, fields))
                continue
            if not header_field.value.strip():
                # A key left empty is a key not filled in yet: as if absent.
                empty.setdefault(header_field.name, header_field.line)
                continue
            if header_field.name in lines and not spec.repeatable:
                problems.append(
                    ContentProblem(
                        path,
                        header_field.line,
                        spec.key,
                        f"khai báo lần hai (lần đầu ở dòng "
                        f"{lines[header_field.name]}); hãy giữ một dòng",
                    )
                )
                continue
            lines.setdefault(header_field.name, header_field.line)
            try:
                value = spec.read(header_field.value, self.context)
            except FieldError as error:
                problems.append(
                    ContentProblem(path, header_field.line, spec.key, str(error))
                )
                continue
            if spec.repeatable:
                metadata.setdefault(header_field.name, []).append(value)
            else:
                metadata[header_field.name] = value
        problems += self._missing_fields(inspection, fields, lines, empty)
        self._check_file_fields(path, metadata, lines, problems)
        metadata["field_lines"] = lines
        if inspection.kind == "page":
            metadata.setdefault("status", "published")
            self._home_translation(metadata)
        elif inspection.kind == "document":
            problems += self._comment_deadline_problems(path, metadata, lines)
            self._document_metadata(metadata)
        else:
            self._article_metadata(metadata)
        if "slug" not in metadata and "title" in metadata:
            slug = slugify(Markup(metadata["title"]).unescape())
            # A long title's slug is cut at a word, as a folder name must be.
            metadata["slug"] = (
                slug if len(slug) <= SLUG_MAX else slug[:SLUG_MAX].rsplit("-", 1)[0]
            )

    def _home_translation(self, metadata: dict) -> None:
        """The page translating the home page is its language's folder: /en/."""
        lang = metadata.get("lang", self.settings["DEFAULT_LANG"])
        if (
            metadata.get("translation_of") == "/"
            and lang != self.settings["DEFAULT_LANG"]
        ):
            metadata["url"] = f"{lang}/"
            metadata["save_as"] = f"{lang}/index.html"

    def _check_file_fields(
        self, path: str, metadata: dict, lines: dict[str, int], problems: list
    ) -> None:
        """The ``Image`` and ``File`` fields name files the site may publish."""
        for key, what in (("image", "ảnh"), ("file", "tệp")):
            if key in metadata:
                # A plain path to a file under content/ means its {static} link.
                metadata[key] = self.links.implied(metadata[key], path) or metadata[key]
            link = self.links.resolve(metadata[key], path) if key in metadata else None
            if link is None:
                continue
            if link.problem or link.missing:
                problems.append(
                    ContentProblem(
                        path,
                        lines[key],
                        key.capitalize(),
                        f'"{metadata[key]}": {link.problem}'
                        if link.problem
                        else f'không tìm thấy {what} "{metadata[key]}"; hãy chép '
                        f"{what} vào đúng thư mục hoặc sửa đường dẫn",
                    )
                )
            if link.problem:
                del metadata[key]  # never read from where it points

    @staticmethod
    def _missing_fields(
        inspection: Inspection,
        fields: dict[str, FieldSpec],
        lines: dict[str, int],
        empty: dict[str, int],
    ) -> list[ContentProblem]:
        """Required fields not filled in: absent (line 1) or left empty (its line)."""
        state = inspection.metadata.get("status", DEFAULT_REVIEW_STATE)
        required = [spec for spec in fields.values() if spec.required]
        if inspection.kind == "article":
            required += [fields[k.lower()] for k in STATE_REQUIRES.get(state, ())]
        problems = []
        for spec in required:
            name = spec.key.lower()
            if name in lines:
                continue
            why = "" if spec.required else f" khi Status: {state}"
            message = (
                f"để trống nhưng là trường bắt buộc{why}; hãy điền, ví dụ "
                f'"{spec.key}: {spec.example}"'
                if name in empty
                else f'thiếu trường bắt buộc{why}; hãy thêm dòng "{spec.key}: '
                f'{spec.example}" vào phần đầu bài'
            )
            problems.append(
                ContentProblem(
                    inspection.source_path, empty.get(name, 1), spec.key, message
                )
            )
        return problems

    @staticmethod
    def _comment_deadline_problems(
        path: str, metadata: dict, lines: dict[str, int]
    ) -> list[ContentProblem]:
        """``Han_gop_y`` belongs to a draft (``Loai: Dự thảo``) only."""
        if "han_gop_y" not in metadata or metadata.get("loai", "Dự thảo") == "Dự thảo":
            return []
        del metadata["han_gop_y"]
        return [
            ContentProblem(
                path,
                lines["han_gop_y"],
                "Han_gop_y",
                f'hạn góp ý chỉ dùng cho dự thảo, văn bản này là "{metadata["loai"]}";'
                ' hãy xoá dòng này, hoặc ghi "Loai: Dự thảo" nếu văn bản đang lấy '
                "ý kiến",
            )
        ]

    @staticmethod
    def _document_metadata(metadata: dict) -> None:
        metadata["status"] = "published"
        if "so_hieu" in metadata:
            metadata["slug"] = slugify(metadata["so_hieu"])
            kind = metadata.get("loai", "Văn bản")
            metadata["title"] = Markup.escape(f"{kind} số {metadata['so_hieu']}")
        topics = [metadata["category"]] if "category" in metadata else []
        topics += [t for t in metadata.get("topics", []) if t not in topics]
        metadata["topics"] = topics

    @staticmethod
    def _article_metadata(metadata: dict) -> None:
        state = metadata.pop("status", DEFAULT_REVIEW_STATE)
        metadata["review_state"] = state
        metadata["status"] = REVIEW_STATES[state]
        topics = [metadata["category"]] if "category" in metadata else []
        topics += [t for t in metadata.get("topics", []) if t not in topics]
        metadata["topics"] = topics
        metadata.setdefault("featured", False)
        metadata["correction"] = sorted(metadata.get("correction", []))
        if metadata["correction"]:
            # A correction is a modification: feeds and the sitemap show it.
            corrected = metadata["correction"][-1][0]
            metadata["modified"] = max(corrected, metadata.get("modified", corrected))
        if state == "retracted":
            metadata["template"] = "retracted"

    @staticmethod
    def _unknown_key(
        source_path: str, header_field: HeaderField, fields: dict[str, FieldSpec]
    ) -> ContentProblem:
        keys = [spec.key for spec in fields.values()]
        guess = difflib.get_close_matches(
            header_field.key.capitalize(), keys, n=1, cutoff=0.6
        )
        hint = (
            f'có phải ý bạn là "{guess[0]}"?'
            if guess
            else "các khoá hợp lệ: " + ", ".join(keys) + "."
        )
        return ContentProblem(
            source_path,
            header_field.line,
            header_field.key,
            f'khoá "{header_field.key}" không được hỗ trợ; {hint} Hãy sửa lại tên khoá',
        )
