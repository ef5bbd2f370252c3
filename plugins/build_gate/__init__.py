"""Strict builds: every error of a build is listed, then the build fails."""

from .gate import register

__all__ = ["register"]
