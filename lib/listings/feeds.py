"""Atom, RSS and JSON Feed of a listing, always with absolute URLs.

The three feeds of one listing carry the same items: each article's full
content (Atom ``content``, RSS ``content:encoded``, JSON Feed
``content_html``) beside its summary, its lead image (an enclosure, with its
length and type; JSON Feed's ``image``), its sections and tags, the feed's
language (Atom ``xml:lang``, RSS ``<language>``, JSON Feed ``language``), and
one id that never changes: the ``tag:`` URI of its first URL and date (Atom
``id``; RSS ``guid isPermaLink="false"``; JSON Feed ``id``). Feeds are open
data: free, without sign-up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, get_tag_uri
from markupsafe import Markup
from pelican.utils import set_date_tzinfo

FEED_TYPES = ("atom", "rss")
JSON_FEED = "feed.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The date of a feed with no items (feedgenerator would use the build's time).
EMPTY_FEED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class _StableDate:
    """A feed whose date never depends on when it was built."""

    def latest_post_date(self) -> datetime:
        """The newest item's date; a fixed date for an empty feed."""
        if self.items:
            return super().latest_post_date()
        return EMPTY_FEED_DATE


# Pelican's feed classes (a site may turn its feeds on), dated as ours.
_STABLE_DATE_FEEDS = {
    feed_class: type(feed_class.__name__, (_StableDate, feed_class), {})
    for feed_class in (Atom1Feed, Rss201rev2Feed)
}


def date_stably(feed: Atom1Feed | Rss201rev2Feed) -> None:
    """Date a feed Pelican made by its newest item, or a fixed date when empty.

    feedgenerator dates an empty feed (a section without articles yet) with
    the current time, so each build would write different bytes.
    """
    feed.__class__ = _STABLE_DATE_FEEDS[type(feed)]


class PortalAtomFeed(_StableDate, Atom1Feed):
    """Atom 1.0, with ``xml:lang`` from the feed's language."""


class PortalRssFeed(_StableDate, Rss201rev2Feed):
    """RSS 2.0 with the full content in ``content:encoded``."""

    def rss_attributes(self) -> dict[str, str]:
        """The root's attributes, with the content module's namespace."""
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item) -> None:
        """Pelican's elements, then the full content."""
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


def _image_of(article, context: dict, root: str) -> dict | None:
    """The largest variant of the article's lead image: URL, length, type."""
    lead = getattr(article, "lead_image", None)
    if lead is None:
        return None
    path = Path(context["OUTPUT_PATH"]) / lead.src
    return {
        "url": f"{root}/{lead.src}",
        "length": str(path.stat().st_size) if path.is_file() else "0",
        "type": IMAGE_TYPES.get(lead.src.rsplit(".", 1)[-1], "image/jpeg"),
    }


def feed_items(articles: Sequence[Any], context: dict) -> list[dict]:
    """What every feed says of each article: one dict per item, newest first."""
    root = context["FEED_DOMAIN"]
    timezone = context.get("TIMEZONE")
    items = []
    for article in articles:
        link = f"{root}/{article.url}"
        modified = getattr(article, "modified", None)
        items.append(
            {
                "id": get_tag_uri(link, article.date),
                "url": link,
                "title": Markup(article.title).striptags(),
                "summary": article.summary,
                "content": article.get_content(root),
                "published": set_date_tzinfo(article.date, timezone),
                "modified": set_date_tzinfo(modified, timezone) if modified else None,
                "categories": [
                    term.name
                    for term in [
                        article.category,
                        *(getattr(article, "tags", None) or []),
                    ]
                ],
                "authors": [
                    {"name": author.name, "url": f"{root}/{author.url}"}
                    for author in getattr(article, "authors", None) or []
                ],
                "image": _image_of(article, context, root),
            }
        )
    return items


def _xml_feed(feed_type: str, meta: dict, items: list[dict]) -> bytes:
    feed_class = PortalRssFeed if feed_type == "rss" else PortalAtomFeed
    feed = feed_class(
        title=meta["title"],
        link=meta["home_page_url"],
        feed_url=meta["feed_url"],
        description=meta["description"],
        subtitle=meta["description"] or None,
        language=meta["language"],
    )
    for item in items:
        image = item["image"]
        feed.add_item(
            title=item["title"],
            link=item["url"],
            unique_id=item["id"],
            unique_id_is_permalink=False,
            description=item["summary"],
            content=item["content"],
            categories=item["categories"] or None,
            author_name=item["authors"][0]["name"] if item["authors"] else "",
            pubdate=item["published"],
            updateddate=item["modified"],
            enclosures=[Enclosure(image["url"], image["length"], image["type"])]
            if image
            else None,
        )
    return feed.writeString("utf-8").encode("utf-8")


def json_feed(meta: dict, items: list[dict]) -> dict:
    """A JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of these items."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": meta["title"],
        "home_page_url": meta["home_page_url"],
        "feed_url": meta["feed_url"],
        "description": meta["description"],
        "language": meta["language"],
        "authors": [{"name": meta["publisher"], "url": meta["root"] + "/"}],
        "items": [],
    }
    for item in items:
        entry: dict[str, Any] = {
            "id": item["id"],
            "url": item["url"],
            "title": item["title"],
            "content_html": item["content"],
            "summary": Markup(item["summary"] or "").striptags(),
            "date_published": item["published"].isoformat(),
        }
        if item["modified"]:
            entry["date_modified"] = item["modified"].isoformat()
        if item["image"]:
            entry["image"] = item["image"]["url"]
        if item["categories"]:
            entry["tags"] = item["categories"]
        if item["authors"]:
            entry["authors"] = item["authors"]
        feed["items"].append(entry)
    return feed


def write_feeds(
    writer, context: dict, articles: Sequence[Any], folder: str, title: str | None
) -> None:
    """Write ``<folder>atom.xml``, ``<folder>rss.xml`` and ``<folder>feed.json``.

    Feed readers need absolute links even in a local build, whose pages link
    from the site root: the feeds' base is ``FEED_DOMAIN``.
    """
    root = context["FEED_DOMAIN"]
    sitename = Markup(context["SITENAME"]).striptags()
    publisher = context.get("publisher") or {"name": sitename}
    meta = {
        "title": f"{sitename} - {Markup(title).striptags()}" if title else sitename,
        "home_page_url": f"{root}/{folder}",
        "description": context.get("SITESUBTITLE", ""),
        "language": context.get("DEFAULT_LANG", "vi"),
        "publisher": publisher["name"],
        "root": root,
    }
    items = feed_items(articles, context)
    # The three files say only what ``meta`` and the items say (the code is
    # in the build key): a listing whose newest articles did not change
    # keeps its feeds as they are.
    names = [f"{folder}{feed_type}.xml" for feed_type in FEED_TYPES]
    names.append(f"{folder}{JSON_FEED}")
    group = f"feeds:{folder}"
    inputs = hashlib.sha1(
        json.dumps([meta, items], default=str, sort_keys=True).encode()
    ).hexdigest()
    if writer.group_is_current(group, inputs, names):
        return
    for feed_type in FEED_TYPES:
        path = f"{folder}{feed_type}.xml"
        data = _xml_feed(feed_type, {**meta, "feed_url": f"{root}/{path}"}, items)
        writer.write_output(path, data)
    path = f"{folder}{JSON_FEED}"
    data = json_feed({**meta, "feed_url": f"{root}/{path}"}, items)
    writer.write_output(
        path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )
    writer.remember_group(group, inputs)
