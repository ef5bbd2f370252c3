"""Tag, author and site-wide month archives, with Vietnamese ordering.

The year and month folders of articles' URLs (``/2024/05/``) send on to the
archive of that period (``/luu-tru/2024/05/``).

Pelican groups articles by tag and author slug; spellings of one tag that
differ only in Unicode form or tone placement share a slug, so they are one
tag here, shown under its most used spelling.
"""

from __future__ import annotations

import logging
from collections import Counter

from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine
from listings import (
    group_by_period,
    write_feeds,
    write_listing,
    write_period_listings,
)
from vietnamese import sorted_vi

logger = logging.getLogger(__name__)

TAGS_URL = "tu-khoa/"
AUTHORS_URL = "tac-gia/"
ARCHIVES_URL = "luu-tru/"
# Articles' URLs start with their year and month: those folders get a page
# that sends on to the archive (``period_redirect``).
DATED_ARTICLE_URL = "{date:%Y}/{date:%m}/"


def unify_spellings(groups: list[tuple]) -> None:
    """Show each tag or author under the spelling most articles use."""
    # Each article's own tags (or authors) by slug, sorted out once: an
    # article is in the group of each of its tags.
    by_slug: dict[int, dict[str, list]] = {}
    for term, articles in groups:
        attribute = "tags" if term.__class__.__name__ == "Tag" else "authors"
        spellings: Counter[str] = Counter()
        instances = []
        for article in articles:
            own_terms = by_slug.get(id(article))
            if own_terms is None:
                own_terms = by_slug[id(article)] = {}
                for own in getattr(article, attribute, []):
                    own_terms.setdefault(own.slug, []).append(own)
            for own in own_terms.get(term.slug, ()):
                spellings[own.name] += 1
                instances.append(own)
        if not spellings:
            continue
        name = min(spellings, key=lambda s: (-spellings[s], s))
        for instance in (term, *instances):
            # Pelican's ``name`` setter makes the slug again from the new
            # name unless a slug was set: the slug is set back, as it was.
            slug = instance.slug
            instance.name = name
            instance.slug = slug


class SiteArchivesGenerator(Generator):
    """Writes /tu-khoa/, /tac-gia/ and /luu-tru/ with their listings."""

    def generate_context(self) -> None:
        """Order tags and authors alphabetically in Vietnamese."""
        tags = list(self.context.get("tags", []))
        authors = list(self.context.get("authors", []))
        unify_spellings(tags)
        unify_spellings(authors)
        self.context["tags"] = sorted_vi(tags, key=lambda pair: pair[0].name)
        self.context["authors"] = sorted_vi(authors, key=lambda pair: pair[0].name)
        self.context["archive_years"] = group_by_period(
            self.context.get("articles", []), ARCHIVES_URL
        )
        self.context["TAGS_URL"] = TAGS_URL
        self.context["AUTHORS_URL"] = AUTHORS_URL
        self.context["ARCHIVES_URL"] = ARCHIVES_URL

    def generate_output(self, writer) -> None:
        """Write the term indexes, the term listings and the period archives."""
        for url, kind, terms in (
            (TAGS_URL, "tag", self.context["tags"]),
            (AUTHORS_URL, "author", self.context["authors"]),
        ):
            writer.write_file(
                f"{url}index.html",
                self.get_template("terms"),
                self.context,
                url=url,
                kind=kind,
                terms=terms,
            )
            for term, articles in terms:
                write_listing(
                    writer,
                    self.context,
                    self.get_template("term"),
                    articles,
                    term.url,
                    kind=kind,
                    term=term,
                )
        self._write_periods(writer)
        newest = self.context.get("articles", [])[: self.settings["FEED_MAX_ITEMS"]]
        write_feeds(writer, self.context, newest, "", None)

    def _write_periods(self, writer) -> None:
        years = self.context["archive_years"]
        writer.write_file(
            f"{ARCHIVES_URL}index.html",
            self.get_template("archives"),
            self.context,
            url=ARCHIVES_URL,
        )
        write_period_listings(writer, self.context, self.get_template("period"), years)
        if self.settings["ARTICLE_URL"].startswith(DATED_ARTICLE_URL):
            self._write_period_redirects(writer, years)

    def _write_period_redirects(self, writer, years) -> None:
        """``/<yyyy>/`` and ``/<yyyy>/<mm>/``: pages that send on to the archive.

        An article's address is ``/<yyyy>/<mm>/<slug>/``; a reader who trims
        it gets that period's archive, not a 404.
        """
        template = self.get_template("period_redirect")
        for year in years:
            path = f"{year.year:04d}/"
            writer.write_file(
                f"{path}index.html", template, self.context, url=path, year_archive=year
            )
            for month in year.months:
                path = f"{month.year:04d}/{month.month:02d}/"
                writer.write_file(
                    f"{path}index.html",
                    template,
                    self.context,
                    url=path,
                    month_archive=month,
                )


def skip_pelican_term_pages(generator) -> None:
    """Pelican's own tag, section and author pages are off: skip making them.

    With ``*_SAVE_AS = ""`` Pelican still sorts every tag's articles before
    finding it has nothing to write (about 5 s for 10,000 articles).
    """
    for kind, method in (
        ("TAG", "generate_tags"),
        ("CATEGORY", "generate_categories"),
        ("AUTHOR", "generate_authors"),
    ):
        if not generator.settings.get(f"{kind}_SAVE_AS"):
            setattr(generator, method, _write_nothing)


def _write_nothing(_write) -> None:
    """In place of a Pelican page family that is switched off."""


def get_generators(_pelican) -> type[Generator]:
    """Add the site archives generator to the build."""
    return SiteArchivesGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "archives")


def register() -> None:
    """Connect the archives plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(skip_pelican_term_pages)
