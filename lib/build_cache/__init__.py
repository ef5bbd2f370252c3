"""The build cache's key and its checked files: a library, it imports no plugin."""

from .checked import (
    damaged,
    load_checked,
    load_json,
    load_pickle,
    save_checked,
    save_json,
    save_pickle,
)
from .collector import lasting_objects
from .key import (
    BODY_DIGEST,
    OUTPUT_ONLY_SETTINGS,
    Scope,
    body_digest,
    build_key,
    digest_text,
    settings_digest,
    text_digest,
)

__all__ = [
    "BODY_DIGEST",
    "OUTPUT_ONLY_SETTINGS",
    "Scope",
    "body_digest",
    "build_key",
    "damaged",
    "digest_text",
    "lasting_objects",
    "load_checked",
    "load_json",
    "load_pickle",
    "save_checked",
    "save_json",
    "save_pickle",
    "settings_digest",
    "text_digest",
]
