"""Site-wide archives: tags, authors and months."""

from .plugin import register

__all__ = ["register"]
