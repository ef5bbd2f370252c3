"""Group a listing by year and month, for period archives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class MonthArchive:
    """The articles of one month of a listing."""

    year: int
    month: int
    url: str
    articles: list[Any] = field(default_factory=list)


@dataclass
class YearArchive:
    """The articles of one year of a listing, and its months (newest first)."""

    year: int
    url: str
    articles: list[Any] = field(default_factory=list)
    months: list[MonthArchive] = field(default_factory=list)


def group_by_period(newest_first: Sequence[Any], base_url: str) -> list[YearArchive]:
    """Years (newest first) of a listing, each with its months.

    URLs are ``<base_url><yyyy>/`` and ``<base_url><yyyy>/<mm>/``; the order of
    articles inside each period is kept (newest first).
    """
    years: dict[int, YearArchive] = {}
    months: dict[tuple[int, int], MonthArchive] = {}
    for article in newest_first:
        year, month = article.date.year, article.date.month
        if year not in years:
            years[year] = YearArchive(year, f"{base_url}{year:04d}/")
        years[year].articles.append(article)
        if (year, month) not in months:
            months[year, month] = MonthArchive(
                year, month, f"{base_url}{year:04d}/{month:02d}/"
            )
            years[year].months.append(months[year, month])
        months[year, month].articles.append(article)
    for archive in years.values():
        archive.months.sort(key=lambda m: m.month, reverse=True)
    return sorted(years.values(), key=lambda y: y.year, reverse=True)
