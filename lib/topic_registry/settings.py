"""Defaults of the registry and the chuyên mục plugin, merged once: ``TOPICS``."""

from pathlib import Path

from plugin_settings import merged

DEFAULTS = {
    # The registry of sections, relative to the content folder (PATH).
    "REGISTRY": "chuyen-muc.toml",
    # Articles in a section's Atom and RSS feeds.
    "FEED_SIZE": 30,
    # Newest articles of each section on /chuyen-muc/.
    "OVERVIEW_SIZE": 3,
}


def topic_settings(settings: dict) -> dict:
    """Return the chuyên mục settings: defaults overridden by ``TOPICS``."""
    return merged(settings, "TOPICS", DEFAULTS)


def registry_path(settings: dict) -> Path:
    """Where the registry file of this site is."""
    return Path(settings["PATH"]) / topic_settings(settings)["REGISTRY"]
