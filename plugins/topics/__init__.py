"""Chuyên mục: the sections' pages, archives and feeds, from the registry."""

from .plugin import register

__all__ = ["register"]
