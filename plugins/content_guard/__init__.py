"""Content guard: the build reads and publishes only what ``content_tree`` allows."""

from .plugin import register

__all__ = ["register"]
