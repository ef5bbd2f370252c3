"""Sitemaps for search engines and news aggregators, and robots.txt."""

from .plugin import register

__all__ = ["register"]
