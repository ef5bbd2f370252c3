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
