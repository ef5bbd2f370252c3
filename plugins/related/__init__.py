"""Tin liên quan: related earlier articles, by shared sections and tags."""

from .plugin import register
from .ranking import related_articles

__all__ = ["register", "related_articles"]
