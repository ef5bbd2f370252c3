"""favicon.ico, apple-touch-icon.png and site.webmanifest, from the site identity."""

from .plugin import register

__all__ = ["register"]
