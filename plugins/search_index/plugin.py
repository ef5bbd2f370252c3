"""Write the search page and its index from the published articles only.

Drafts, articles in review, scheduled and retracted articles are not in
Pelican's ``articles``, so they never reach the index; nor do static pages
or the 404 page.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path, PurePosixPath

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from build_cache import body_digest, load_pickle, save_pickle
from build_cache.engine import require_incremental_engine

from .builder import (
    DOCUMENT,
    INDEX_FORMAT,
    VOCABULARY_FILE,
    SearchDoc,
    Segment,
    SegmentPostings,
    doc_file,
    dump_json,
    plan_segments,
    segment_file_names,
)
from .settings import search_settings

logger = logging.getLogger(__name__)

INDEX_FOLDER = "chi-muc"
# The build cache's folder of each segment's postings, kept between builds.
STATE_FOLDER = "search-index"
# An edit re-indexes its articles in the segment's kept postings; more
# changed articles than this (or a shift, a new layout) index it whole.
PATCH_AT_MOST = 32


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
        # The body as read (``_content``): Pelican's ``content`` also rewrites
        # intra-site links, which changes no word and costs 0.3 s at 10,000.
        sections = [positions[t.slug] for t in article.topics if t.slug in positions]
        if hasattr(article, "subject"):  # a văn bản
            return SearchDoc(
                url=article.url,
                title_html=article.title,
                date=article.date,
                sections=sections,
                source_html=f"{article.subject} {article.content}",
                summary_html=article.subject,
                kind=DOCUMENT,
                labels=[f"Văn bản · {Markup(article.issuer).unescape()}"],
            )
        return SearchDoc(
            url=article.url,
            title_html=article.title,
            date=article.date,
            sections=sections,
            source_html=article._content,
            summary_html=article.metadata.get("summary", ""),
            source_digest=body_digest(article),
        )

    def generate_output(self, writer) -> None:
        """Write the index files and the search page."""
        docs = self.documents()
        topics = self.context["topics"]
        section_names = [topic.name for topic in topics]
        segments = plan_segments(docs, self.config["LEVELS"])
        root = PurePosixPath(self.config["URL"])
        states = writer.state_folder(STATE_FOLDER)
        for segment in segments:
            folder = f"{root / INDEX_FOLDER / segment.name}/"
            fingerprint = segment.fingerprint(section_names)
            names = [folder + name for name in segment.file_names()]
            if writer.group_is_current(folder, fingerprint, names):
                continue
            # Made with the pages, on every core (a whole segment takes seconds).
            writer.queue_files(
                folder,
                fingerprint,
                partial(
                    segment_files,
                    segment,
                    section_names,
                    folder,
                    states / f"{segment.name}-{len(segment.docs)}-{fingerprint}.pickle",
                    previous_postings(writer, states, segment, folder),
                ),
            )
        current = {segment.name for segment in segments}
        for kept in states.glob("*.pickle"):
            if kept.name.rsplit("-", 2)[0] not in current:
                kept.unlink()
        manifest = {
            "version": INDEX_FORMAT,
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


def previous_postings(
    writer, states: Path, segment: Segment, folder: str
) -> Path | None:
    """The kept postings of a segment, if its files are still as made from them."""
    for kept in states.glob(f"{segment.name}-*.pickle"):
        name, articles, fingerprint = [*kept.stem.rsplit("-", 2), "", ""][:3]
        if name != segment.name or not articles.isdigit():
            continue  # not a file this plugin names so
        names = segment_file_names(segment.buckets, int(articles))
        if writer.group_was_written(
            folder, fingerprint, [folder + name for name in names]
        ):
            return kept
    return None


def segment_files(
    segment: Segment,
    section_names: list[str],
    folder: str,
    keep_as: Path,
    previous: Path | None,
) -> dict[str, bytes | None]:
    """The files of one index segment by their name in the output.

    None is a file the last build wrote that stays as it is: with the
    ``previous`` postings, only the articles that changed are indexed again
    and only the buckets they change are made.
    """
    postings, changed = None, []
    if previous:  # None if damaged: the segment is indexed whole
        postings = load_pickle(previous, SegmentPostings)
    if postings is not None:
        changed = postings.changed_docs(segment)
    if (
        postings is None
        or postings.section_names != section_names
        or len(postings.words) != segment.buckets
        or len(changed) > PATCH_AT_MOST
    ):
        postings = SegmentPostings.of(segment, section_names)
        buckets = postings.bucket_files()
        records = range(len(segment.docs))
    else:
        buckets = postings.bucket_files(postings.patch(segment, changed))
        records = [local_id for local_id in changed if local_id < len(segment.docs)]
    files: dict[str, bytes | None] = dict.fromkeys(
        (folder + name for name in segment.file_names()), None
    )
    for name, content in buckets.items():
        files[folder + name] = content
    if buckets:
        files[folder + VOCABULARY_FILE] = postings.vocabulary_file()
    for local_id in records:
        files[f"{folder}d/{local_id}.json"] = doc_file(
            segment.docs[local_id], section_names
        )
    save_pickle(keep_as, postings)
    for older in keep_as.parent.glob(f"{segment.name}-*.pickle"):
        if older != keep_as:  # made with other code, settings or articles
            older.unlink(missing_ok=True)
    return files


def get_generators(_pelican) -> type[Generator]:
    """Add the search index generator to the build."""
    return SearchIndexGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "search_index")


def register() -> None:
    """Connect the search plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
