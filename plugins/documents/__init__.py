"""Văn bản: the official documents behind the articles, and links to them."""

from .citations import CITATION, link_citations
from .plugin import register

__all__ = ["CITATION", "link_citations", "register"]
