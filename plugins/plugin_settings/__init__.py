"""Each plugin's settings: its defaults, overridden by one site setting."""

from __future__ import annotations

from collections.abc import Mapping
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
