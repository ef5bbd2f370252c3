"""Normalization, identity keys, search folding and slugs for Vietnamese text.

Vietnamese text reaches the site both precomposed (NFC) and decomposed
(NFD), in upper and lower case, and with the tone mark written in either the
"old" or the "new" position ("thuỷ" / "thủy", "hoà" / "hòa").  The helpers
here give every such spelling of a name one identity (:func:`canonical_key`),
one search form (:func:`fold`) and one URL slug (:func:`slugify`,
:func:`distinct_slug`).

All functions are pure; the expensive ones are memoised with
:func:`functools.lru_cache` because they run for every tag and article.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = [
    "TONE_MARKS",
    "canonical_key",
    "closest",
    "distinct_slug",
    "fold",
    "nfc",
    "slugify",
]

#: The five combining tone marks of Vietnamese, in the traditional order
#: huyền (grave), sắc (acute), hỏi (hook above), ngã (tilde), nặng (dot below).
TONE_MARKS: frozenset[str] = frozenset(
    {
        "\u0300",  # COMBINING GRAVE ACCENT: huyền
        "\u0301",  # COMBINING ACUTE ACCENT: sắc
        "\u0309",  # COMBINING HOOK ABOVE: hỏi
        "\u0303",  # COMBINING TILDE: ngã
        "\u0323",  # COMBINING DOT BELOW: nặng
    }
)

# Base letters (after NFD and casefolding) that carry a tone in Vietnamese.
_VOWELS = frozenset("aeiouy")

# Letters that NFKD does not decompose but that fold to an ASCII base
# (applied after casefolding, so only lowercase forms are needed).
_EXTRA_FOLDS = str.maketrans({"đ": "d"})

_NON_SLUG_RUN = re.compile(r"[^a-z0-9]+")

_CACHE_SIZE = 1 << 16
_SUFFIX_LENGTH = 6
_CLOSEST_CUTOFF = 0.5
_MIN_CONTAINED_LENGTH = 3


def nfc(text: str) -> str:
    """Return *text* in Unicode Normalization Form C (precomposed)."""
    return unicodedata.normalize("NFC", text)


def _collapse_whitespace(text: str) -> str:
    """Strip *text* and replace every internal run of whitespace by one space."""
    return " ".join(text.split())


def _is_word_char(char: str) -> bool:
    """Tell whether *char* is a letter or a combining mark."""
    return unicodedata.category(char)[0] in "LM"


def _place_tone(word: list[str]) -> str:
    """Move the single tone mark of an NFD *word* to its canonical place.

    The canonical place is right after the last vowel letter of the word
    (after that vowel's own non-tone marks, such as the circumflex, breve or
    horn), or at the end of the word if it has no vowel.  Words without a
    tone mark, and words with more than one (which are not Vietnamese
    syllables), are returned unchanged.
    """
    tones = [index for index, char in enumerate(word) if char in TONE_MARKS]
    if len(tones) != 1:
        return "".join(word)
    tone = word.pop(tones[0])
    position = len(word)
    for index in range(len(word) - 1, -1, -1):
        if word[index] in _VOWELS:
            position = index + 1
            while position < len(word) and unicodedata.combining(word[position]):
                position += 1
            break
    word.insert(position, tone)
    return "".join(word)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def canonical_key(text: str) -> str:
    """Return the identity key of a name (tag, section name, alias).

    Two names get the same key exactly when they are the same Vietnamese
    name written differently: the key is independent of NFC/NFD, of case
    (it is casefolded), of surrounding whitespace and of the width of
    internal whitespace runs (collapsed to one space), and of the position
    of the tone mark ("thuỷ"/"thủy", "hoà"/"hòa", "Tỉnh uỷ"/"Tỉnh ủy").

    Every distinction Vietnamese makes is kept: the tone ("Bao", "Bão",
    "Báo", "Bảo" all differ), đ versus d, and the vowel marks (a/ă/â,
    e/ê, o/ô/ơ, u/ư).

    Method: the text is decomposed (NFD) and casefolded; in every word (a
    maximal run of letters and combining marks) that carries exactly one
    tone mark, that mark is moved to just after the last vowel letter of
    the word (and that vowel's own marks), or to the end of the word when
    it has no vowel; the result is recomposed (NFC).  So "thủy" and "thuỷ"
    both become "thuỷ", "hòa" and "hoà" both become "hoà".  Only the
    position of the single tone of a syllable is discarded, which carries
    no meaning in Vietnamese.  Words with two or more tone marks are not
    Vietnamese syllables and are left as they are.

    Args:
        text: Any name.

    Returns:
        The key, an NFC string; stable across releases of this module.

    """
    decomposed = unicodedata.normalize(
        "NFD", unicodedata.normalize("NFD", text).casefold()
    )
    parts: list[str] = []
    word: list[str] = []
    for char in decomposed:
        if _is_word_char(char):
            word.append(char)
            continue
        if word:
            parts.append(_place_tone(word))
            word = []
        parts.append(char)
    if word:
        parts.append(_place_tone(word))
    return nfc(_collapse_whitespace("".join(parts)))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """Fold *text* for searching and slugs.

    The text is decomposed with NFKD (so NFC and NFD input, and compatibility
    forms such as full-width letters, fold alike), casefolded, stripped of
    every combining mark, with đ/Đ mapped to "d", and with its
    whitespace stripped and collapsed to single spaces.

    Examples:
        >>> fold("Đại hội  Đảng")
        'dai hoi dang'
        >>> fold("Thuỷ sản") == fold("Thủy sản") == "thuy san"
        True

    """
    decomposed = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text).casefold()
    )
    stripped = "".join(
        char for char in decomposed if unicodedata.category(char) != "Mn"
    )
    return _collapse_whitespace(stripped.translate(_EXTRA_FOLDS))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def slugify(text: str) -> str:
    """Return an ASCII slug of *text*.

    The text is folded with :func:`fold`, then every run of characters other
    than ``[a-z0-9]`` becomes a single "-", and leading and trailing "-" are
    removed.  Input made only of symbols (or of letters without an ASCII
    base) gives "", which callers must handle.

    Examples:
        >>> slugify("Đại hội XIV của Đảng")
        'dai-hoi-xiv-cua-dang'
        >>> slugify("Chỉ thị 32-CT/TW")
        'chi-thi-32-ct-tw'

    """
    return _NON_SLUG_RUN.sub("-", fold(text)).strip("-")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def distinct_slug(text: str) -> str:
    """Return an ASCII URL slug that tells apart names sharing a transliteration.

    The slug is a function of ``canonical_key(text)`` alone, so it never
    changes when other names are added to the site, and equivalent spellings
    ("Tỉnh uỷ", "tỉnh ủy") share it.  When the key is pure ASCII the slug is
    ``slugify(text)`` ("IUU" gives "iuu").  Otherwise it is ``slugify(text)``
    followed by "-" and the first six lowercase hex digits of the SHA-1 of
    the key encoded as UTF-8, so "Bão" and "Báo" give "bao-…" slugs with
    different suffixes.  If the ASCII part is empty, the slug is the six hex
    digits alone; an ASCII key made only of symbols gives "".
    """
    key = canonical_key(text)
    base = slugify(key)
    if key.isascii():
        return base
    suffix = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
    suffix = suffix[:_SUFFIX_LENGTH]
    return f"{base}-{suffix}" if base else suffix


def closest(
    value: str,
    candidates: Mapping[str, str] | Iterable[str],
    n: int = 3,
) -> list[str]:
    """Suggest the candidates closest to *value*, for error messages.

    Matching is done on folded text (see :func:`fold`), so missing or wrong
    diacritics and case do not matter.  A candidate qualifies when the
    :class:`difflib.SequenceMatcher` ratio of the folded strings is at least
    0.5, or when one folded string contains the other (the contained one
    having at least three characters).  Containment ranks first, then the
    ratio; ties are broken by folded text, then by display name, so the
    result is deterministic.

    Args:
        value: The unknown name, as written by the author.
        candidates: Either display names (matched on themselves) or a
            mapping from display name to the string to match on.
        n: The maximum number of suggestions.

    Returns:
        Up to *n* display names, best first, without duplicates.

    """
    if isinstance(candidates, Mapping):
        pairs = list(candidates.items())
    else:
        pairs = [(name, name) for name in candidates]
    target = fold(value)
    seen: set[str] = set()
    scored: list[tuple[bool, float, str, str]] = []
    for name, match_on in pairs:
        if name in seen:
            continue
        seen.add(name)
        folded = fold(match_on)
        shorter, longer = sorted((target, folded), key=len)
        contains = len(shorter) >= _MIN_CONTAINED_LENGTH and shorter in longer
        ratio = difflib.SequenceMatcher(None, target, folded, autojunk=False).ratio()
        if contains or ratio >= _CLOSEST_CUTOFF:
            scored.append((contains, ratio, folded, name))
    scored.sort(key=lambda item: (not item[0], -item[1], item[2], item[3]))
    return [name for _, _, _, name in scored[: max(n, 0)]]
