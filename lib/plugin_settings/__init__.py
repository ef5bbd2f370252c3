"""Each plugin's settings: its defaults, overridden by one site setting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


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


def check_colours(config: Mapping[str, Any], name: str, keys: Iterable[str]) -> None:
    """Each of ``keys`` is a colour ``#rrggbb``; otherwise a ValueError naming it."""
    for key in keys:
        if not isinstance(config[key], str) or not COLOUR.fullmatch(config[key]):
            raise ValueError(
                f"{name}: {key} must be a colour #rrggbb, not {config[key]!r}"
            )


def whole_number(value: Any, least: int = 1) -> bool:
    """Whether a setting's value is a whole number (not True or False) >= ``least``."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= least
