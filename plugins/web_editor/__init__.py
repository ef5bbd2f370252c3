"""The browser editor at /quan-tri/: Decap CMS, configured from the article model."""

from .plugin import register

__all__ = ["register"]
