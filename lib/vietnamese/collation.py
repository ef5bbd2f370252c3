"""Vietnamese alphabetical order, using the ICU collator for locale "vi".

The ICU "vi" tailoring sorts letters in the order of the Vietnamese alphabet
(a < ă < â < b < c < d < đ < e < ê < g < … < o < ô < ơ < … < u < ư < v < x
< y) and treats tones as a secondary difference, in the order ngang (no
mark), huyền, hỏi, ngã, sắc, nặng.  Case is a tertiary difference
(lowercase first).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu

from .text import nfc

__all__ = ["sort_key", "sorted_vi"]

T = TypeVar("T")

_CACHE_SIZE = 1 << 16


@functools.cache
def _collator() -> icu.Collator:
    """Return the shared Vietnamese collator, created on first use."""
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    collator.setAttribute(
        icu.UCollAttribute.NORMALIZATION_MODE, icu.UCollAttributeValue.ON
    )
    return collator


@functools.lru_cache(maxsize=_CACHE_SIZE)
def sort_key(text: str) -> bytes:
    """Return a binary sort key that orders *text* in Vietnamese order.

    Keys compare with ``<`` like the strings would in a Vietnamese
    dictionary.  The text is normalized to NFC first, so NFC and NFD
    spellings of the same text get identical keys.
    """
    return _collator().getSortKey(nfc(text))


def sorted_vi(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """Return *items* sorted in Vietnamese alphabetical order.

    Args:
        items: The objects to sort.
        key: Gives the text to sort an item by; ``str`` by default.

    Returns:
        A new list; the sort is stable, so items with equal text keep their
        relative order.

    """
    return sorted(items, key=lambda item: sort_key(key(item)))
