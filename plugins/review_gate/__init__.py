"""Kiểm duyệt: what may reach readers, and the editors' check and report."""

from .plugin import register

__all__ = ["register"]
