"""Write the pages of a listing with the site's writer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .pagination import paginate


def write_listing(
    writer,
    context: dict,
    template,
    articles: Sequence[Any],
    base_url: str,
    *,
    front_page: Mapping[str, Any] | None = None,
    **variables: Any,
) -> None:
    """Write every page of one listing (front page and numbered pages).

    The template receives ``listing`` (the current page, with ``articles``,
    ``newer``, ``older`` and ``pages``) and the given ``variables``; the
    front page also ``front_page``'s, what it alone shows (a section's years
    with their counts): the numbered pages, which do not hold them, are not
    rendered again when they change.
    """
    per_page = context.get("DEFAULT_PAGINATION") or 20
    for page in paginate(articles, base_url, per_page):
        shown = {**variables, **(front_page or {})} if page.is_front else variables
        writer.write_file(
            page.save_as, template, context, url=page.url, listing=page, **shown
        )


def write_period_listings(
    writer, context: dict, template, years: Sequence[Any], **variables: Any
) -> None:
    """Write the year and month listings of a listing's periods.

    The template receives ``year_archive`` and, on a month, ``month_archive``;
    a year's front page, ``year_months``: its months.
    """
    for year in years:
        write_listing(
            writer, context, template, year.articles, year.url,
            front_page={"year_months": year.months}, year_archive=year, **variables,
        )  # fmt: skip
        for month in year.months:
            write_listing(
                writer, context, template, month.articles, month.url,
                year_archive=year, month_archive=month, **variables,
            )  # fmt: skip
