"""Defaults of the related-articles plugin, merged once with ``RELATED``."""

from plugin_settings import merged

DEFAULTS = {
    # Articles shown under "Tin liên quan".
    "COUNT": 6,
    # For each shared section or tag, the newest earlier articles considered.
    "POOL": 60,
}


def related_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``RELATED``."""
    return merged(settings, "RELATED", DEFAULTS)
