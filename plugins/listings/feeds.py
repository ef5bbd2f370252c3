"""Atom and RSS feeds of a listing, always with absolute URLs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FEED_TYPES = ("atom", "rss")


def write_feeds(
    writer, context: dict, articles: Sequence[Any], folder: str, title: str | None
) -> None:
    """Write ``<folder>atom.xml`` and ``<folder>rss.xml`` for these articles.

    Feed readers need absolute links even in a local build, whose pages link
    from the site root: the feed's base is ``FEED_DOMAIN``.
    """
    feed_context = {**context, "SITEURL": context["FEED_DOMAIN"]}
    for feed_type in FEED_TYPES:
        path = f"{folder}{feed_type}.xml"
        writer.write_feed(
            list(articles),
            feed_context,
            path=path,
            url=path,
            feed_type=feed_type,
            feed_title=title,
        )
