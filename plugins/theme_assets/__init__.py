"""Theme assets: one CSS and one JS bundle, named by their content hash."""

from .plugin import register

__all__ = ["register"]
