"""Words as the index and the reader's browser both see them.

``static/js/search.js`` implements the same three functions; a browser test
checks that they agree on Vietnamese text.

- ``search_fold``: what a reader may type: no case, no diacritics, đ → d.
- ``search_form``: the word as written, independent of case, Unicode form
  and tone-mark placement (the tone mark moves to the end of the word), so
  "thuỷ" and "thủy" are one form and "Bão", "Báo" are two.
- ``bucket_of``: FNV-1a (32 bit) of the folded word's UTF-8, modulo buckets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
# The combining diacritics block, which every Vietnamese mark belongs to.
COMBINING = re.compile("[\u0300-\u036f]")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def tokenize(text: str) -> list[str]:
    """The words of a text, in order, as written (NFC)."""
    return WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=200_000)
def search_fold(word: str) -> str:
    """The word without case or diacritics; đ and Đ become d."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return COMBINING.sub("", decomposed).replace("đ", "d")


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
