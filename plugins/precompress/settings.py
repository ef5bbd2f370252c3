"""Defaults of the precompress plugin, merged once with ``PRECOMPRESS``."""

from plugin_settings import merged

DEFAULTS = {
    # Production builds turn it on (publishconf.py); previews need none.
    "ENABLED": False,
    "SUFFIXES": [".html", ".css", ".js", ".xml", ".json", ".txt", ".svg"],
    # Brotli quality 0-11: 9 is close to the best at a fraction of the time.
    "BROTLI_QUALITY": 9,
}


def precompress_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``PRECOMPRESS``."""
    return merged(settings, "PRECOMPRESS", DEFAULTS)
