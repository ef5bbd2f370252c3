"""Rank related articles.

Related articles are *earlier* articles that share sections (chuyên mục) or
tags: the more they share, the more related; among equals, the newest first.
Only earlier articles are related so that publishing a new article never
changes the pages already published (their related lists stay as they were).

For each shared section or tag only the ``pool`` newest earlier articles are
considered, which keeps the cost per article flat as the archive grows.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any


def related_articles(
    articles: Sequence[Any],
    terms_of: Callable[[Any], Iterable[Hashable]],
    count: int,
    pool: int,
) -> dict[int, list[Any]]:
    """Map ``id(article)`` to its related articles, best first.

    ``articles`` may come in any order; ``terms_of`` gives an article's
    sections and tags as hashable keys.
    """
    oldest_first = sorted(articles, key=lambda a: (a.date, a.source_path))
    rank = {id(article): position for position, article in enumerate(oldest_first)}
    postings: dict[Hashable, list[int]] = defaultdict(list)
    terms = {}
    for position, article in enumerate(oldest_first):
        terms[id(article)] = set(terms_of(article))
        for term in terms[id(article)]:
            postings[term].append(position)
    related: dict[int, list[Any]] = {}
    for article in oldest_first:
        position = rank[id(article)]
        scores: Counter[int] = Counter()
        for term in terms[id(article)]:
            posting = postings[term]
            end = bisect.bisect_left(posting, position)
            scores.update(posting[max(0, end - pool) : end])
        # Most shared terms first; among equals, the newest.
        best = heapq.nlargest(
            count, scores.items(), key=lambda item: (item[1], item[0])
        )
        related[id(article)] = [oldest_first[other] for other, _score in best]
    return related
