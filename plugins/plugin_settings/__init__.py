"""Each plugin's settings: its defaults, overridden by one site setting."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def merged(settings: Mapping[str, Any], name: str, defaults: Mapping[str, Any]) -> dict:
    """``{**defaults, **settings[name]}``; a key the defaults lack is an error.

    Merged once per build, never written back into Pelican's settings.
    """
    overrides = settings.get(name, {})
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    return {**defaults, **overrides}


def site_folder(settings: Mapping[str, Any], folder: str) -> Path:
    """A folder setting: absolute as given, else beside the content folder.

    Caches live there (``cache/...`` next to ``content/``), so each site,
    and each test's site in ``tmp_path``, keeps its own.
    """
    path = Path(folder).expanduser()
    return path if path.is_absolute() else Path(settings["PATH"]).parent / path
