"""The article model: how an editor's Markdown file becomes an article."""

from .plugin import register

__all__ = ["register"]
