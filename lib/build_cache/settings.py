"""Defaults of the build cache and the incremental engine: ``INCREMENTAL``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from plugin_settings import merged, site_folder

# Every suffix a compressed copy of an output file can have (``index.html.gz``),
# configured or not: the ledger leaves copies out of what a build produced,
# and ``precompress`` finds stale ones by them.
COMPRESSED_SUFFIXES = (".gz", ".br")

DEFAULTS = {
    # The build cache (file digests, the read cache, each output folder's
    # page fingerprints and up-to-date stamp, compiled templates, search
    # postings, share cards): relative to the folder that holds the content
    # folder, or absolute.
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
        "questions",
        "search",
        "review_queue",
        "site_map",
    ],
}


def incremental_settings(settings: dict) -> dict:
    """Return the engine's settings: defaults overridden by ``INCREMENTAL``."""
    return merged(settings, "INCREMENTAL", DEFAULTS)


def cache_folder(settings: dict) -> Path:
    """Where this site's build cache is kept between builds."""
    return site_folder(settings, incremental_settings(settings)["CACHE"])


def output_cache_file(settings: dict, kind: str) -> Path:
    """A cache file of one output folder (a preview and a publish differ)."""
    output = str(Path(settings["OUTPUT_PATH"]).resolve())
    digest = hashlib.sha1(output.encode()).hexdigest()[:12]
    return cache_folder(settings) / f"{kind}-{digest}.json"
