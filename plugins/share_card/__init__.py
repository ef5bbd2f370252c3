"""The default share card and the publisher's logo, drawn from the site identity."""

from .plugin import register

__all__ = ["register"]
