"""Write the pages of a listing with the site's writer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .pagination import paginate


def write_listing(
    writer,
    context: dict,
    template,
    articles: Sequence[Any],
    base_url: str,
    **variables: Any,
) -> None:
    """Write every page of one listing (front page and numbered pages).

    The template receives ``listing`` (the current page, with ``articles``,
    ``newer``, ``older`` and ``pages``) and the given ``variables``.
    """
    per_page = context.get("DEFAULT_PAGINATION") or 20
    for page in paginate(articles, base_url, per_page):
        writer.write_file(
            page.save_as,
            template,
            context,
            url=page.url,
            listing=page,
            **variables,
        )


def write_period_listings(
    writer, context: dict, template, years: Sequence[Any], **variables: Any
) -> None:
    """Write the year and month listings of a listing's periods.

    The template receives ``year_archive`` and, on a month, ``month_archive``.
    """
    for year in years:
        write_listing(
            writer, context, template, year.articles, year.url,
            year_archive=year, **variables,
        )  # fmt: skip
        for month in year.months:
            write_listing(
                writer, context, template, month.articles, month.url,
                year_archive=year, month_archive=month, **variables,
            )  # fmt: skip
