"""Hỏi đáp: the published questions and answers, and the readers' forms."""

from .plugin import register

__all__ = ["register"]
