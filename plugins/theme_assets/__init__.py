"""Theme assets: one CSS and one JS bundle, named by their content hash."""

from .plugin import named_by_content, register

__all__ = ["named_by_content", "register"]
