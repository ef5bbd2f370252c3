"""Defaults of the sitemaps plugin, merged once with the site's ``SITEMAPS``."""

from plugin_settings import merged

DEFAULTS = {
    # Google News sitemap: articles of the last this many days.
    "NEWS_DAYS": 2,
}


def sitemap_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``SITEMAPS``."""
    return merged(settings, "SITEMAPS", DEFAULTS)
