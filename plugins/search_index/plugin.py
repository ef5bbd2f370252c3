"""Write the search page and its index from the published articles only.

Drafts, articles in review, scheduled and retracted articles are not in
Pelican's ``articles``, so they never reach the index; nor do static pages
or the 404 page.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import PurePosixPath

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from vietnamese import date_line, short_date

from .builder import (
    SearchDoc,
    Segment,
    build_segment,
    doc_files,
    dump_json,
    plan_segments,
)
from .settings import search_settings

logger = logging.getLogger(__name__)

INDEX_FOLDER = "chi-muc"


class SearchIndexGenerator(Generator):
    """Writes /tim-kiem/ and its index."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = search_settings(self.settings)

    def generate_context(self) -> None:
        """Tell the templates where the search page and its index are."""
        self.context["SEARCH_URL"] = self.config["URL"]
        self.context["SEARCH_INDEX_URL"] = f"{self.config['URL']}{INDEX_FOLDER}/"

    def documents(self) -> list[SearchDoc]:
        """Published articles and văn bản, oldest first, as the index sees them."""
        positions = {topic.slug: i for i, topic in enumerate(self.context["topics"])}
        entries = [*self.context["articles"], *self.context.get("documents", [])]
        articles = sorted(entries, key=lambda a: (a.date, a.url))
        return [self._entry(article, positions) for article in articles]

    @staticmethod
    def _entry(article, positions: dict[str, int]) -> SearchDoc:
        sections = [positions[t.slug] for t in article.topics if t.slug in positions]
        if hasattr(article, "subject"):  # a văn bản
            return SearchDoc(
                url=article.url,
                title=article.title,
                date=article.date,
                date_line=short_date(article.date),
                sections=sections,
                source_html=f"{article.subject} {article.content}",
                kind="v",
                labels=[f"Văn bản · {Markup(article.issuer).unescape()}"],
            )
        return SearchDoc(
            url=article.url,
            title=Markup(article.title).unescape(),
            date=article.date,
            date_line=date_line(article.date),
            sections=sections,
            source_html=article.content,
        )

    def generate_output(self, writer) -> None:
        """Write the index files and the search page."""
        docs = self.documents()
        topics = self.context["topics"]
        section_names = [topic.name for topic in topics]
        segments = plan_segments(docs, self.config["LEVELS"])
        root = PurePosixPath(self.config["URL"])
        for segment in segments:
            folder = f"{root / INDEX_FOLDER / segment.name}/"
            fingerprint = segment.fingerprint(section_names)
            names = [folder + name for name in segment.file_names()]
            if not writer.group_is_current(folder, fingerprint, names):
                # Made with the pages, on every core (a large one takes seconds).
                writer.queue_files(
                    folder,
                    fingerprint,
                    partial(segment_files, segment, section_names, folder),
                )
        manifest = {
            "version": 1,
            "sections": [[topic.slug, topic.name] for topic in topics],
            "segments": [[s.name, len(s.docs), s.buckets, s.rows] for s in segments],
        }
        writer.write_output(
            str(root / INDEX_FOLDER / "manifest.json"), dump_json(manifest)
        )
        writer.write_file(
            f"{self.config['URL']}index.html",
            self.get_template("search"),
            self.context,
            url=self.config["URL"],
        )
        logger.info("Chỉ mục tìm kiếm: %d bài, %d phân đoạn", len(docs), len(segments))


def segment_files(
    segment: Segment, section_names: list[str], folder: str
) -> dict[str, bytes]:
    """The files of one index segment, by their name in the output."""
    build_segment(segment)
    doc_files(segment, section_names)
    return {folder + name: data for name, data in segment.files.items()}


def get_generators(_pelican) -> type[Generator]:
    """Add the search index generator to the build."""
    return SearchIndexGenerator


def register() -> None:
    """Connect the search plugin to Pelican."""
    signals.get_generators.connect(get_generators)
