"""Words as the index and the reader's browser both see them.

``static/js/pages/search.js`` implements the same three functions; a browser test
checks that they agree on Vietnamese text.

- ``search_fold``: what a reader may type: the portal's one folding
  (``vietnamese.fold``: no case, no diacritics, đ → d).
- ``search_form``: the word as written, independent of case, Unicode form
  and tone-mark placement (the tone mark moves to the end of the word), so
  "thuỷ" and "thủy" are one form and "Bão", "Báo" are two.
- ``bucket_of``: FNV-1a (32 bit) of the folded word's UTF-8, modulo buckets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vietnamese import TONE_MARKS, fold

WORD = re.compile(r"[^\W_]+")
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def tokenize(text: str) -> list[str]:
    """The words of a text, in order, as written (NFC)."""
    return WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=200_000)
def search_fold(word: str) -> str:
    """The word as a reader may type it: ``vietnamese.fold`` of it."""
    return fold(word)


@lru_cache(maxsize=200_000)
def search_form(word: str) -> str:
    """The word as written, with its tone mark moved to the end."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    rest = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", rest + tones)


def bucket_of(token: str, buckets: int) -> int:
    """The hash bucket of a folded token (or a folded two-word phrase)."""
    value = FNV_OFFSET
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value % buckets
