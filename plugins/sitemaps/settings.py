"""Defaults of the sitemaps plugin, merged once with the site's ``SITEMAPS``."""

from plugin_settings import merged, whole_number

DEFAULTS = {
    # Google News sitemap: articles of the last this many days.
    "NEWS_DAYS": 2,
    # URLs in one sitemap file (the protocol allows 50,000): past it,
    # sitemap.xml becomes a sitemap index of sitemap-1.xml, sitemap-2.xml...
    "MAX_URLS": 50_000,
}


def sitemap_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``SITEMAPS``."""
    config = merged(settings, "SITEMAPS", DEFAULTS)
    limit = config["MAX_URLS"]
    if not whole_number(limit):
        raise ValueError(
            f"SITEMAPS: MAX_URLS must be a positive integer, not {limit!r}"
        )
    return config
