"""Rank related articles.

Related articles are *earlier* articles that share sections (chuyên mục) or
tags: the more they share, the more related; among equals, the newest first.
Only earlier articles are related so that publishing a new article never
changes the pages already published (their related lists stay as they were).

For each shared section or tag only the ``pool`` newest earlier articles are
considered, which keeps the cost per article flat as the archive grows.

An article's list therefore depends only on the terms of the articles up to
it, oldest first: a chained digest of them keys the list (as positions), so
a build can keep the lists of the last one and rank only what changed.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import partial
from typing import Any

from listings import oldest_first


def related_articles(
    articles: Sequence[Any],
    terms_of: Callable[[Any], Iterable[Hashable]],
    count: int,
    pool: int,
    remember: Callable[[str, Callable[[], list[int]]], list[int]] | None = None,
) -> dict[int, list[Any]]:
    """Map ``id(article)`` to its related articles, best first.

    ``articles`` may come in any order; ``terms_of`` gives an article's
    sections and tags as sortable, hashable keys. ``remember(key, rank)``,
    if given, returns the positions kept under ``key`` or ranks and keeps them.
    """
    in_order = sorted(articles, key=oldest_first)
    postings: dict[Hashable, list[int]] = defaultdict(list)
    terms = [sorted(set(terms_of(article))) for article in in_order]
    for position, article_terms in enumerate(terms):
        for term in article_terms:
            postings[term].append(position)

    def rank(position: int) -> list[int]:
        scores: Counter[int] = Counter()
        for term in terms[position]:
            posting = postings[term]
            end = bisect.bisect_left(posting, position)
            scores.update(posting[max(0, end - pool) : end])
        # Most shared terms first; among equals, the newest: (score, position)
        # pairs, compared as they are.
        best = heapq.nlargest(count, zip(scores.values(), scores.keys(), strict=True))
        return [other for _score, other in best]

    related: dict[int, list[Any]] = {}
    chain = hashlib.sha1(f"{count}/{pool}".encode())
    for position, article in enumerate(in_order):
        chain.update(repr(terms[position]).encode())
        positions = (
            remember(chain.hexdigest(), partial(rank, position))
            if remember
            else rank(position)
        )
        related[id(article)] = [in_order[other] for other in positions]
    return related
