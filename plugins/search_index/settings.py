"""Defaults of the search index, merged once with the site's ``SEARCH``."""

from plugin_settings import merged

DEFAULTS = {
    # The search page, and the folder of its index.
    "URL": "tim-kiem/",
    # Segments, largest first: (articles in a segment, hash buckets of it).
    # Articles, oldest first, fill whole segments of the largest size, then
    # of the next; the newest (fewer than the smallest size) form the tail,
    # one file. A new article therefore rewrites the tail only; an edit
    # rebuilds the segment of the article (2,500 articles: about 2 s).
    "LEVELS": [[2500, 1024], [500, 256], [50, 32]],
}


def search_settings(settings: dict) -> dict:
    """Return the search settings: defaults overridden by ``SEARCH``."""
    return merged(settings, "SEARCH", DEFAULTS)
