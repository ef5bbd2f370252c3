"""Defaults of the incremental plugin, merged once with ``INCREMENTAL``."""

from __future__ import annotations

from pathlib import Path

from plugin_settings import merged

DEFAULTS = {
    # Where the fingerprints of the last build are kept, relative to the
    # folder that holds the content folder (or absolute).
    "CACHE": "cache/build",
    # Worker processes that render pages; 0 is one per core.
    "WORKERS": 0,
    # Fewer queued pages than this are rendered in the build's own process.
    "PARALLEL_FROM": 200,
    # Templates whose pages summarise the whole site from its global lists
    # (the front page, the overviews): few pages, rendered at every build.
    "ALWAYS_RENDER": [
        "index",
        "404",
        "topics",
        "terms",
        "archives",
        "documents",
        "search",
        "review_queue",
    ],
}


def incremental_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``INCREMENTAL``."""
    return merged(settings, "INCREMENTAL", DEFAULTS)


def cache_folder(settings: dict, config: dict) -> Path:
    """Where this site's build fingerprints are kept between builds."""
    folder = Path(config["CACHE"]).expanduser()
    if folder.is_absolute():
        return folder
    return Path(settings["PATH"]).parent / folder
