"""Defaults of the precompress plugin, merged once with ``PRECOMPRESS``."""

from plugin_settings import merged

DEFAULTS = {
    # Production builds turn it on (publishconf.py); previews need none.
    "ENABLED": False,
    "SUFFIXES": [".html", ".css", ".js", ".xml", ".json", ".txt", ".svg"],
    # The copies to write: "gz" (nginx's own gzip_static, every client) and
    # "br" (brotli_static, an extra nginx module; browsers ask for it over
    # HTTPS only). Brotli is 10-15 % smaller, but each format is one more
    # file to write and upload for every page a new article changes: with
    # both, one article changes 65 files instead of 44 at 10,000 articles.
    "FORMATS": ["gz"],
    # Brotli quality 0-11. Measured here on the portal's pages: 5 is 20 times
    # faster than 9 for files 3 % larger, and 40 times faster than 11.
    "BROTLI_QUALITY": 5,
    # gzip level 1-9. Measured on the portal's pages: 6 is 30 % faster than 9
    # for files 0.2 % larger.
    "GZIP_LEVEL": 6,
    # Smaller files are sent as they are: compressing them saves nothing.
    "MIN_BYTES": 512,
}


def precompress_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``PRECOMPRESS``."""
    return merged(settings, "PRECOMPRESS", DEFAULTS)
