"""Stable pagination: older pages keep their number and content.

Articles are cut into pages of ``per_page`` counted from the oldest, so page
1 always holds the oldest articles. The listing's own URL (the front page)
shows the newest page; when that page is not yet full it also shows the page
before it, so the front page holds between ``per_page`` and ``2 * per_page - 1``
articles and no article appears on two pages. A new article therefore changes
the front page only, and once every ``per_page`` articles one page more
appears behind it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PAGE_SEGMENT = "trang"


@dataclass(frozen=True)
class PageLink:
    """A page of a listing as the others link to it: its number and URL.

    Not the page itself: a page's fingerprint digests what it holds, and its
    links to the other pages hold no articles, so a new article on the front
    page changes no older page (until one page more appears behind it).
    """

    number: int | None
    url: str

    @property
    def is_front(self) -> bool:
        """True for the listing's own URL."""
        return self.number is None


@dataclass
class ListingPage:
    """One page of a listing; ``number`` is None for the front page."""

    number: int | None
    articles: list[Any]
    url: str
    save_as: str
    newer: PageLink | None = None
    older: PageLink | None = None
    # Every page of the listing, the front page first.
    pages: list[PageLink] = field(default_factory=list, repr=False)

    @property
    def is_front(self) -> bool:
        """True for the listing's own URL, which shows the newest articles."""
        return self.number is None

    @property
    def link(self) -> PageLink:
        """The page as the others link to it."""
        return PageLink(self.number, self.url)


def paginate(
    newest_first: Sequence[Any], base_url: str, per_page: int
) -> list[ListingPage]:
    """Cut a listing into pages; the front page comes first in the result.

    ``base_url`` is the listing's folder URL, ending in ``/`` (``""`` for the
    site root). Every page lists its articles newest first.
    """
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    oldest_first = list(reversed(newest_first))
    chunks = [
        oldest_first[start : start + per_page]
        for start in range(0, len(oldest_first), per_page)
    ]
    front_chunks = 1 if not chunks or len(chunks[-1]) == per_page else 2
    front_items = [item for chunk in chunks[-front_chunks:] for item in chunk]
    front = ListingPage(None, front_items[::-1], base_url, f"{base_url}index.html")
    archived = [
        ListingPage(
            number,
            chunk[::-1],
            f"{base_url}{PAGE_SEGMENT}/{number}/",
            f"{base_url}{PAGE_SEGMENT}/{number}/index.html",
        )
        for number, chunk in enumerate(chunks[:-front_chunks] if chunks else [], 1)
    ]
    pages = [front, *reversed(archived)]
    links = [page.link for page in pages]
    for (newer, older), (newer_link, older_link) in zip(
        itertools.pairwise(pages), itertools.pairwise(links), strict=True
    ):
        newer.older = older_link
        older.newer = newer_link
    for page in pages:
        page.pages = links
    return pages
