"""Pre-compressed copies (.gz, .br) of the text files, for the web server."""

from .plugin import register

__all__ = ["register"]
