"""Pages in other languages: checked languages, hreflang pairs, English dates."""

from .plugin import register, translation_problem

__all__ = ["register", "translation_problem"]
