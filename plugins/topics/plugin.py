"""Section pages: /chuyen-muc/, each section, its year and month archives, feeds.

An article is listed under its primary ``Category`` and under each of its
``Topics``.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine
from listings import (
    group_by_period,
    write_feeds,
    write_listing,
    write_period_listings,
)
from topic_registry import build_registry, topic_settings

logger = logging.getLogger(__name__)

OVERVIEW_URL = "chuyen-muc/"


class TopicPagesGenerator(Generator):
    """Writes every page of the chuyên mục family."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = topic_settings(self.settings)
        self.registry = build_registry(self.context, self.settings)

    def generate_context(self) -> None:
        """Attach each section's articles and periods to its Category."""
        for topic in self.registry:
            topic.articles = []
        for article in self.context.get("articles", []):
            for written in article.topics:
                topic = self.registry.by_slug(written.slug)
                if topic is not None:
                    topic.articles.append(article)
        for topic in self.registry:
            topic.years = group_by_period(topic.articles, topic.url)
            self._link_neighbours(topic)
        self.context["topics"] = self.registry.topics
        self.context["TOPICS_OVERVIEW_URL"] = OVERVIEW_URL

    @staticmethod
    def _link_neighbours(topic) -> None:
        """Previous and next article in the primary section of each article."""
        own = [a for a in topic.articles if a.category.slug == topic.slug]
        for index, article in enumerate(own):
            article.newer_in_section = own[index - 1] if index > 0 else None
            article.older_in_section = own[index + 1] if index + 1 < len(own) else None

    def generate_output(self, writer) -> None:
        """Write the overview, the section listings, archives and feeds."""
        writer.write_file(
            f"{OVERVIEW_URL}index.html",
            self.get_template("topics"),
            self.context,
            url=OVERVIEW_URL,
            overview_size=self.config["OVERVIEW_SIZE"],
        )
        for topic in self.registry:
            self._write_topic(writer, topic)

    def _write_topic(self, writer, topic) -> None:
        template = self.get_template("topic")
        write_listing(
            writer, self.context, template, topic.articles, topic.url,
            front_page={"section_years": topic.years}, topic=topic,
        )  # fmt: skip
        write_period_listings(writer, self.context, template, topic.years, topic=topic)
        newest = topic.articles[: self.config["FEED_SIZE"]]
        write_feeds(writer, self.context, newest, topic.url, topic.name)


def get_generators(_pelican) -> type[Generator]:
    """Add the section pages generator to the build."""
    return TopicPagesGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "topics")


def register() -> None:
    """Connect the chuyên mục plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
