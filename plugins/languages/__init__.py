"""Pages in other languages: checked languages, hreflang pairs, English dates."""

from .plugin import register

__all__ = ["register"]
