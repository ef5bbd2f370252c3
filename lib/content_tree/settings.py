"""Defaults of the content tree: which files an editor may publish as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plugin_settings import merged

# Static files (under STATIC_PATHS, or linked with {static}) are published
# byte for byte, so only types a browser never runs as a page are allowed:
# photos, PDF, office documents, audio and video. SVG can carry script and is
# refused (export it as PNG); HTML, JS, CSS and anything unknown too.
STATIC_TYPES = (
    # images
    "jpg", "jpeg", "png", "gif", "webp", "avif",
    # documents
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf",
    # audio
    "mp3", "m4a", "aac", "ogg", "oga", "opus", "wav",
    # video
    "mp4", "m4v", "webm", "ogv",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {"STATIC_TYPES": STATIC_TYPES}


def static_types(settings: Mapping[str, Any]) -> frozenset[str]:
    """The file extensions (lower case, without dot) a static file may have."""
    config = merged(settings, "CONTENT_TREE", DEFAULTS)
    return frozenset(kind.lower().lstrip(".") for kind in config["STATIC_TYPES"])
