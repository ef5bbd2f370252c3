"""Sơ đồ trang and Trợ năng: pages the portal writes from its own data."""

from .plugin import register

__all__ = ["register"]
