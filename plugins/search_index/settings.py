"""Defaults of the search index, merged once with the site's ``SEARCH``."""

from plugin_settings import merged

DEFAULTS = {
    # The search page, and the folder of its index.
    "URL": "tim-kiem/",
    # Segments, largest first: (articles in a segment, hash buckets of it).
    # Articles, oldest first, fill whole segments of the largest size, then
    # of the next; the newest (fewer than the smallest size) form the tail,
    # one file. A new article therefore rewrites the tail only; an edit
    # rebuilds the segment of the article (5,000 articles: about 5 s, on a
    # worker while pages render). Segments of 2,500 halve that, but a query
    # at 10,000 articles then fetches twice the files: 336 ms instead of
    # 169 ms for "chong khai thac" in chromium, measured.
    "LEVELS": [[5000, 2048], [500, 256], [50, 32]],
}


def search_settings(settings: dict) -> dict:
    """Return the search settings: defaults overridden by ``SEARCH``."""
    return merged(settings, "SEARCH", DEFAULTS)
