"""Incremental builds: page fingerprints, rendering on every core, no stale files."""

from .plugin import register

__all__ = ["register"]
