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


@dataclass
class ListingPage:
    """One page of a listing; ``number`` is None for the front page."""

    number: int | None
    articles: list[Any]
    url: str
    save_as: str
    newer: ListingPage | None = None
    older: ListingPage | None = None
    pages: list[ListingPage] = field(default_factory=list, repr=False)

    @property
    def is_front(self) -> bool:
        """True for the listing's own URL, which shows the newest articles."""
        return self.number is None


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
    for newer, older in itertools.pairwise(pages):
        newer.older = older
        older.newer = newer
    for page in pages:
        page.pages = pages
    return pages
