"""What a build publishes: drafts, articles in review and scheduled articles.

Pelican's status does the withholding: ``draft`` and ``review`` map to
Pelican's draft (never listed; written only where ``DRAFT_SAVE_AS`` is set,
which production leaves empty), a production build withholds future-dated
articles (``WITH_FUTURE_DATES = False``), and ``retracted`` maps to hidden
(its URL answers with the retraction notice, it is listed nowhere). This
plugin adds the preview's queue of unpublished articles and the flags the
banners use.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from .settings import review_settings


def mark_unpublished(generator) -> None:
    """Flag scheduled articles, and put the review queue in the context."""
    now = datetime.now(ZoneInfo(generator.settings["TIMEZONE"]))
    for article in (*generator.articles, *generator.drafts):
        article.scheduled = article.date > now
    queue = sorted(generator.drafts, key=lambda a: (a.review_state != "review", a.date))
    generator.context["review_queue"] = queue


class ReviewQueueGenerator(Generator):
    """Writes the preview's list of drafts and articles waiting for review."""

    def generate_output(self, writer) -> None:
        """Write /ban-nhap/ in a preview; nothing in production."""
        config = review_settings(self.settings)
        if not config["PREVIEW_UNPUBLISHED"]:
            return
        writer.write_file(
            f"{config['QUEUE_URL']}index.html",
            self.get_template("review_queue"),
            self.context,
            url=config["QUEUE_URL"],
        )


def get_generators(_pelican) -> type[Generator]:
    """Add the review queue generator to the build."""
    return ReviewQueueGenerator


def register() -> None:
    """Connect the review gate to Pelican."""
    signals.article_generator_finalized.connect(mark_unpublished)
    signals.get_generators.connect(get_generators)
