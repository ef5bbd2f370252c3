"""Tìm kiếm: a static search index that folds Vietnamese as readers type it."""

from .plugin import register
from .tokens import bucket_of, search_fold, search_form, tokenize

__all__ = ["bucket_of", "register", "search_fold", "search_form", "tokenize"]
