"""Defaults of the browser editor, merged once with ``WEB_EDITOR``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plugin_settings import merged

DEFAULTS: dict[str, Any] = {
    # Where the editor is served.
    "OUTPUT": "quan-tri",
    # The git host the editor commits to (Decap CMS's `backend`): Forgejo on
    # the province's own servers by default; see README "Biên tập trên web".
    "BACKEND": {
        "name": "forgejo",
        "repo": "ban-bien-tap/cong-thong-tin",
        "base_url": "https://git.example.vn",
        "api_root": "https://git.example.vn/api/v1",
        "app_id": "thay-bang-client-id-cua-ung-dung-oauth",
        "branch": "main",
    },
    # A local decap-server (`invoke cms`): its API address, or "" for none.
    # Decap uses it only when the editor is opened on localhost.
    "LOCAL_BACKEND": "",
    # Who signs a review with the local server, which knows no users: the
    # clone's git user.name (`invoke cms` sets it).
    "LOCAL_USER": "",
    # The npm packages' folder holding decap-cms: relative to the project's
    # folder (package.json's), whichever content folder is built.
    "NODE_MODULES": "node_modules",
    # Uploads: the largest file accepted, in bytes, and the image types.
    "MAX_UPLOAD_BYTES": 5_000_000,
    "IMAGE_TYPES": ("jpg", "jpeg", "png", "gif", "webp", "avif"),
    # How the editor names each other language's pages ("Trang tiếng Anh");
    # a language not listed is named as in LANGUAGES.
    "LANGUAGE_LABELS": {"en": "tiếng Anh", "fr": "tiếng Pháp", "zh": "tiếng Trung"},
}


def editor_settings(settings: Mapping[str, Any]) -> dict:
    """The editor's settings: defaults overridden by ``WEB_EDITOR``."""
    return merged(settings, "WEB_EDITOR", DEFAULTS)
