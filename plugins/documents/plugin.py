"""Văn bản pages: every document, listings by type, issuer and year, details.

Records are read from ``DOCUMENTS_PATH`` (``content/van-ban/``) by the portal's
reader, so they are checked like articles (every problem with its line, a
strict build stops). Articles citing a known number link to its page, and
each document lists the articles that cite it.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from build_cache import body_digest
from build_cache.read_cache import build_read_cache
from content_model.locations import Placed, clash_problems
from content_model.reader import MARKDOWN_EXTENSIONS, PortalMarkdownReader
from content_problems import report_problem
from listings import write_listing
from reader_forms import reader_forms_settings
from topic_registry import build_registry
from vietnamese import slugify, sorted_vi

from .citations import link_citations, may_cite
from .settings import document_settings

logger = logging.getLogger(__name__)


@dataclass
class Document:
    """One official document, as its pages show it."""

    number: str
    kind: str
    issuer: Markup
    issued: datetime
    subject: Markup
    file_url: str
    url: str
    content: str
    source_path: str
    effective: datetime | None = None
    signer: Markup | None = None
    topics: list = field(default_factory=list)
    # A draft (Loai: Dự thảo) open to comments up to this day (Han_gop_y).
    comment_deadline: datetime | None = None
    citing: list = field(default_factory=list)

    @property
    def title(self) -> str:
        """The name readers know it by: Chỉ thị số 32-CT/TW."""
        return f"{self.kind} số {self.number}"

    @property
    def slug(self) -> str:
        """The last part of its URL (``32-ct-tw``), as the comment form posts it."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def comment_closes(self) -> str:
        """The end of the deadline's day, with its offset (for the page's script)."""
        if self.comment_deadline is None:
            return ""
        end = self.comment_deadline.replace(hour=23, minute=59, second=59)
        return end.isoformat()

    @property
    def date(self) -> datetime:
        """The issue date, by which listings are ordered."""
        return self.issued


@dataclass
class DocumentGroup:
    """Documents sharing a type, an issuer or a year."""

    name: str
    url: str
    documents: list[Document] = field(default_factory=list)


def _static_url(reader: PortalMarkdownReader, value: str, source_path: str) -> str:
    """The site path of the file a record's ``File`` names (the reader checked it)."""
    link = reader.links.resolve(value, source_path)
    if link is None or link.file is None:
        return value
    return link.file.relative_to(reader.links.root).as_posix()


class DocumentsGenerator(Generator):
    """Reads the document records and writes their pages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = document_settings(self.settings)
        # The comment form's setting with its defaults, as the templates read it.
        self.context["READER_FORMS"] = reader_forms_settings(self.settings)
        self.folder = Path(self.settings["PATH"]) / self.settings.get(
            "DOCUMENTS_PATH", "van-ban"
        )
        self.documents: list[Document] = []

    def read_documents(self) -> list[Document]:
        """Every valid record; problems are reported, clashing numbers too."""
        if not self.folder.is_dir():
            return []
        reader = PortalMarkdownReader(self.settings)
        reader.use_registry(build_registry(self.context, self.settings))
        found: dict[str, list[Document]] = defaultdict(list)
        lines: dict[str, int] = {}
        # The walk every generator makes: no symbolic link followed or read.
        for relative in sorted(
            self.get_files(
                self.settings.get("DOCUMENTS_PATH", "van-ban"),
                extensions=list(MARKDOWN_EXTENSIONS),
            )
        ):
            path = Path(self.path, relative)
            content, metadata = reader.read(str(path))
            if metadata["content_problems"]:
                continue
            document = Document(
                number=metadata["so_hieu"],
                kind=metadata["loai"],
                issuer=metadata["co_quan"],
                issued=metadata["ngay_ban_hanh"],
                subject=metadata["trich_yeu"],
                file_url=_static_url(reader, metadata["file"], str(path)),
                url=f"{self.config['URL']}{metadata['slug']}/",
                content=content,
                source_path=str(path),
                effective=metadata.get("ngay_hieu_luc"),
                signer=metadata.get("nguoi_ky"),
                topics=metadata["topics"],
                comment_deadline=metadata.get("han_gop_y"),
            )
            found[document.number].append(document)
            lines[str(path)] = metadata["field_lines"].get("so_hieu", 1)
        problems, left_out = clash_problems(
            Placed(f"{d.url}index.html", d.source_path, lines[d.source_path], "So_hieu")
            for same in found.values()
            for d in same
        )
        for problem in problems:
            report_problem(problem)
        documents = [
            d for same in found.values() for d in same if d.source_path not in left_out
        ]
        return sorted(documents, key=lambda d: (d.issued, d.number), reverse=True)

    def generate_context(self) -> None:
        """Read the records, link the articles that cite them."""
        self.documents = self.read_documents()
        by_number = {document.number: document for document in self.documents}
        siteurl = self.settings["SITEURL"]
        urls = {number: f"{siteurl}/{d.url}" for number, d in by_number.items()}
        # Linking is kept in the build cache, keyed by the body and the records.
        cache = build_read_cache(self.settings)
        records = hashlib.sha1(repr(sorted(urls.items())).encode())
        for article in self.context.get("articles", []) if urls else ():
            key = records.copy()
            key.update(body_digest(article).encode())
            linked, numbers = cache.result(
                f"citations-{key.hexdigest()}",
                partial(linked_body, article._content, urls),
            )
            if linked is not None:
                article._content = linked
            for number in numbers:
                by_number[number].citing.append(article)
        self.context["documents"] = self.documents
        self.context["DOCUMENTS_URL"] = self.config["URL"]
        self.context["document_groups"] = self.groups()

    def groups(self) -> dict[str, list[DocumentGroup]]:
        """Listings by type, by issuer (Vietnamese order) and by year."""
        base = self.config["URL"]
        kinds: dict[str, DocumentGroup] = {}
        issuers: dict[str, DocumentGroup] = {}
        years: dict[int, DocumentGroup] = {}
        for document in self.documents:
            kinds.setdefault(
                document.kind,
                DocumentGroup(document.kind, f"{base}loai/{slugify(document.kind)}/"),
            ).documents.append(document)
            issuer = str(document.issuer)
            issuers.setdefault(
                issuer,
                DocumentGroup(
                    Markup(issuer).unescape(),
                    f"{base}co-quan/{slugify(Markup(issuer).unescape())}/",
                ),
            ).documents.append(document)
            year = document.issued.year
            years.setdefault(
                year, DocumentGroup(f"Năm {year}", f"{base}nam/{year}/")
            ).documents.append(document)
        return {
            "kinds": sorted_vi(kinds.values(), key=lambda g: g.name),
            "issuers": sorted_vi(issuers.values(), key=lambda g: g.name),
            "years": sorted(years.values(), key=lambda g: g.name, reverse=True),
        }

    def generate_output(self, writer) -> None:
        """Write the listings and one page per document."""
        listing = self.get_template("documents")
        write_listing(writer, self.context, listing, self.documents, self.config["URL"])
        for family, label in (
            ("kinds", "Loại"),
            ("issuers", "Cơ quan ban hành"),
            ("years", "Năm"),
        ):
            for group in self.context["document_groups"][family]:
                write_listing(
                    writer, self.context, listing, group.documents, group.url,
                    group=group, family=label,
                )  # fmt: skip
        detail = self.get_template("document")
        for document in self.documents:
            writer.write_file(
                f"{document.url}index.html", detail, self.context, url=document.url,
                document=document,
            )  # fmt: skip


def linked_body(html: str, urls: dict[str, str]) -> tuple[str | None, list[str]]:
    """The body with its citations linked, and the numbers it cites, in order.

    None for a body that cites no known document: it stays as it is, and
    the build cache keeps no second copy of it (a shard apart from the
    article's: at 10,000 articles, a quarter of the read cache).
    """
    if not may_cite(html, urls):
        return None, []  # no known document cited: nothing to link
    cited: list[str] = []

    def link(number: str) -> str | None:
        number = number.upper()
        if number not in urls:
            return None
        if number not in cited:
            cited.append(number)
        return urls[number]

    linked = link_citations(html, link)
    return (linked, cited) if cited else (None, [])


def get_generators(_pelican) -> type[Generator]:
    """Add the documents generator to the build."""
    return DocumentsGenerator


def register() -> None:
    """Connect the documents plugin to Pelican."""
    signals.get_generators.connect(get_generators)
