"""Tests for the ``vietnamese`` plugin library (text, collation, dates)."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from datetime import date, datetime

import pytest

from vietnamese import (
    TONE_MARKS,
    WEEKDAYS,
    canonical_key,
    closest,
    date_line,
    distinct_slug,
    fold,
    month_name,
    month_year,
    nfc,
    short_date,
    slugify,
    sort_key,
    sorted_vi,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VIETNAMESE_LETTER_COUNT = 29

SECTION_NAMES = [
    "Xây dựng Đảng",
    "Chống khai thác IUU",
    "Quốc phòng, an ninh",
    "Thi đua yêu nước",
    "Đấu tranh phản bác quan điểm sai trái",
    "Phòng, chống tham nhũng, tiêu cực",
    "Phát triển kinh tế - xã hội",
]

VIETNAMESE_WORDS = [
    "Đại hội Đảng",
    "Tỉnh ủy",
    "Thủy sản",
    "hòa bình",
    "Nghệ An",
    "người",
    "Bão",
    "khỏe",
    "Quốc phòng",
]

# Pairs of spellings that differ only in the position of the tone mark.
TONE_PLACEMENT_PAIRS = [
    ("thuỷ", "thủy"),
    ("uỷ", "ủy"),
    ("hoà", "hòa"),
    ("hoè", "hòe"),
    ("khoẻ", "khỏe"),
    ("Tỉnh uỷ", "Tỉnh ủy"),
    ("Thuỷ sản", "Thủy sản"),
]


def nfd(text: str) -> str:
    """Return the NFD (decomposed) form of *text*."""
    return unicodedata.normalize("NFD", text)


# --- text: nfc, TONE_MARKS --------------------------------------------------


@pytest.mark.parametrize("word", VIETNAMESE_WORDS)
def test_nfc_recomposes_nfd_input(word: str) -> None:
    """nfc() turns decomposed input back into the precomposed form."""
    assert nfd(word) != word
    assert nfc(nfd(word)) == word
    assert nfc(word) == word


def test_tone_marks_are_the_five_vietnamese_tones() -> None:
    """TONE_MARKS holds exactly the five combining tone marks."""
    assert set(TONE_MARKS) == {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
    assert all(unicodedata.combining(mark) for mark in TONE_MARKS)


# --- text: canonical_key ----------------------------------------------------


@pytest.mark.parametrize("word", VIETNAMESE_WORDS)
def test_canonical_key_ignores_normalization_form(word: str) -> None:
    """NFC and NFD spellings get the same key."""
    decomposed = nfd(word)
    assert decomposed != word
    assert canonical_key(decomposed) == canonical_key(word)


@pytest.mark.parametrize(("old_style", "new_style"), TONE_PLACEMENT_PAIRS)
def test_canonical_key_ignores_tone_placement(old_style: str, new_style: str) -> None:
    """Both tone-mark placements give the same key, in NFC and NFD."""
    assert old_style != new_style
    assert nfd(old_style) != nfd(new_style)
    key = canonical_key(new_style)
    assert canonical_key(old_style) == key
    assert canonical_key(nfd(old_style)) == key
    assert canonical_key(nfd(new_style)) == key


@pytest.mark.parametrize(
    "words",
    [
        ["Bão", "Báo", "Bảo", "Bao", "Bào", "Bạo"],
        ["ma", "mà", "má", "mả", "mã", "mạ"],
    ],
)
def test_canonical_key_keeps_tones_distinct(words: list[str]) -> None:
    """Words differing only by their tone get different keys."""
    assert len({canonical_key(word) for word in words}) == len(words)
    assert len({canonical_key(nfd(word)) for word in words}) == len(words)


@pytest.mark.parametrize(
    "words",
    [
        ["đi", "di"],
        ["Đảng", "Dảng"],
        ["đường", "dường"],
        ["tân", "tăn", "tan"],
        ["mê", "me"],
        ["cô", "cơ", "co"],
        ["tư", "tu"],
        ["ước", "uốc"],
    ],
)
def test_canonical_key_keeps_letters_distinct_but_fold_merges_them(
    words: list[str],
) -> None:
    """đ/d and a/ă/â, e/ê, o/ô/ơ, u/ư keep distinct keys but fold alike."""
    assert len({canonical_key(word) for word in words}) == len(words)
    assert len({fold(word) for word in words}) == 1


@pytest.mark.parametrize(
    ("variant", "reference"),
    [
        ("ĐẢNG", "đảng"),
        ("Đảng", "đảng"),
        ("TỈNH ỦY", "tỉnh uỷ"),
        ("Chống Khai Thác IUU", "chống khai thác iuu"),
        ("NGƯỜI", "người"),
    ],
)
def test_canonical_key_is_case_insensitive(variant: str, reference: str) -> None:
    """Upper, title and lower case give the same key."""
    assert variant != reference
    assert canonical_key(variant) == canonical_key(reference)


@pytest.mark.parametrize(
    ("variant", "reference"),
    [
        ("  Tỉnh ủy  ", "Tỉnh ủy"),
        ("Tỉnh   ủy", "Tỉnh ủy"),
        ("Tỉnh\tủy\n", "Tỉnh ủy"),
        ("Tỉnh\u00a0ủy", "Tỉnh ủy"),
        ("\n Quốc phòng,  an \t ninh ", "Quốc phòng, an ninh"),
    ],
)
def test_canonical_key_collapses_whitespace(variant: str, reference: str) -> None:
    """Surrounding whitespace is stripped and internal runs become one space."""
    assert canonical_key(variant) == canonical_key(reference)
    assert fold(variant) == fold(reference)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nghiêng Văn", "nghiêng văn"),
        ("IUU", "iuu"),
        ("Thủy", "thuỷ"),
        ("Hòa", "hoà"),
        ("Tỉnh  Ủy", "tỉnh uỷ"),
        ("", ""),
    ],
)
def test_canonical_key_values(text: str, expected: str) -> None:
    """The key moves the tone after the last vowel and is otherwise lowercase."""
    assert canonical_key(text) == expected


@pytest.mark.parametrize(
    "word", VIETNAMESE_WORDS + [old for old, _ in TONE_PLACEMENT_PAIRS]
)
def test_canonical_key_is_nfc_and_idempotent(word: str) -> None:
    """The key is an NFC string and is its own key."""
    key = canonical_key(nfd(word))
    assert unicodedata.is_normalized("NFC", key)
    assert canonical_key(key) == key


# --- text: fold and slugify -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đại hội Đảng", "dai hoi dang"),
        ("Thuỷ sản", "thuy san"),
        ("Thủy sản", "thuy san"),
        ("  NGƯỜI   Việt ", "nguoi viet"),
        ("Crème brûlée", "creme brulee"),
        ("IUU", "iuu"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    """fold() lowercases, strips every diacritic, maps đ to d and collapses spaces."""
    assert fold(text) == expected
    assert fold(nfd(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đại hội XIV của Đảng", "dai-hoi-xiv-cua-dang"),
        ("Phòng, chống tham nhũng, tiêu cực", "phong-chong-tham-nhung-tieu-cuc"),
        ("Phát triển kinh tế - xã hội", "phat-trien-kinh-te-xa-hoi"),
        ("Chỉ thị 32-CT/TW", "chi-thi-32-ct-tw"),
        ("Xây dựng Đảng", "xay-dung-dang"),
        ("Chống khai thác IUU", "chong-khai-thac-iuu"),
        ("Quốc phòng, an ninh", "quoc-phong-an-ninh"),
        ("Thi đua yêu nước", "thi-dua-yeu-nuoc"),
        (
            "Đấu tranh phản bác quan điểm sai trái",
            "dau-tranh-phan-bac-quan-diem-sai-trai",
        ),
        ("  «Thủy sản» \u2013 2024!  ", "thuy-san-2024"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    """slugify() gives the expected ASCII slug, for NFC and NFD input."""
    assert slugify(text) == expected
    assert slugify(nfd(text)) == expected


@pytest.mark.parametrize("text", ["", "   ", "-", "!!! ???", "—…«»", "/"])
def test_slugify_of_symbols_is_empty(text: str) -> None:
    """Empty or symbol-only input gives an empty slug."""
    assert slugify(text) == ""


@pytest.mark.parametrize(("old_style", "new_style"), TONE_PLACEMENT_PAIRS)
def test_fold_and_slugify_ignore_tone_placement(old_style: str, new_style: str) -> None:
    """Both tone placements fold and slugify alike."""
    assert fold(old_style) == fold(new_style)
    assert slugify(old_style) == slugify(new_style)


# --- text: distinct_slug ----------------------------------------------------


def test_distinct_slug_separates_tones_that_slugify_merges() -> None:
    """Bão/Báo/Bảo/Bao share a slug but get four different distinct slugs."""
    words = ["Bão", "Báo", "Bảo", "Bao"]
    assert {slugify(word) for word in words} == {"bao"}
    slugs = [distinct_slug(word) for word in words]
    assert len(set(slugs)) == len(words)
    assert slugs[-1] == "bao"
    assert all(re.fullmatch(r"bao-[0-9a-f]{6}", slug) for slug in slugs[:-1])


@pytest.mark.parametrize(
    "text", ["IUU", "Chong khai thac IUU", "covid-19", "Chi thi 32-CT/TW"]
)
def test_distinct_slug_of_ascii_name_is_plain_slug(text: str) -> None:
    """A name whose key is pure ASCII gets its plain slug, without suffix."""
    assert canonical_key(text).isascii()
    assert distinct_slug(text) == slugify(text)


@pytest.mark.parametrize(
    "text", [*SECTION_NAMES, *VIETNAMESE_WORDS, "Đại hội XIV của Đảng"]
)
def test_distinct_slug_of_vietnamese_name_has_hash_suffix(text: str) -> None:
    """A non-ASCII name gets its slug plus six hex digits of SHA-1 of its key."""
    digest = hashlib.sha1(canonical_key(text).encode("utf-8"), usedforsecurity=False)
    expected = f"{slugify(text)}-{digest.hexdigest()[:6]}"
    assert distinct_slug(text) == expected
    assert distinct_slug(nfd(text)) == expected
    assert distinct_slug(f"  {text.upper()} ") == expected


@pytest.mark.parametrize(
    "text",
    [
        *SECTION_NAMES,
        *VIETNAMESE_WORDS,
        "IUU",
        "Chỉ thị 32-CT/TW",
        "—",
        "中文",
        "Tỉnh ủy!",
    ],
)
def test_distinct_slug_is_ascii_url_slug(text: str) -> None:
    """distinct_slug() always gives a well-formed ASCII slug for named input."""
    slug = distinct_slug(text)
    assert slug.isascii()
    assert SLUG_RE.fullmatch(slug)


@pytest.mark.parametrize(("old_style", "new_style"), TONE_PLACEMENT_PAIRS)
def test_distinct_slug_ignores_spelling_variants(
    old_style: str, new_style: str
) -> None:
    """Tone placement, case and normalization form do not change the slug."""
    slug = distinct_slug(new_style)
    assert distinct_slug(old_style) == slug
    assert distinct_slug(nfd(old_style).lower()) == slug
    assert distinct_slug(new_style.upper()) == slug


@pytest.mark.parametrize(
    "words", [["đi", "di"], ["cô", "cơ", "co"], ["tân", "tăn", "tan"]]
)
def test_distinct_slug_separates_letters(words: list[str]) -> None:
    """Names differing by đ/d or by a vowel mark get different slugs."""
    assert len({distinct_slug(word) for word in words}) == len(words)


# --- text: closest ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected_first"),
    [
        ("Chong khai thac IUU", "Chống khai thác IUU"),
        ("Xay dung dang", "Xây dựng Đảng"),
        ("xây dựng đảng", "Xây dựng Đảng"),
        ("IUU", "Chống khai thác IUU"),
        ("Quoc phong an ninh", "Quốc phòng, an ninh"),
        ("Thi dua yeu nuoc", "Thi đua yêu nước"),
        ("Dau tranh phan bac", "Đấu tranh phản bác quan điểm sai trái"),
    ],
)
def test_closest_finds_section(value: str, expected_first: str) -> None:
    """The intended section is the first suggestion."""
    suggestions = closest(value, SECTION_NAMES)
    assert suggestions
    assert suggestions[0] == expected_first


def test_closest_respects_n_and_is_deterministic() -> None:
    """At most n names are returned, in the same order for any input order."""
    names = ["Tỉnh ủy", "Tỉnh ủy Nghệ An", "Tỉnh ủy Hà Tĩnh", "Thành ủy"]
    first = closest("tinh uy", names, n=2)
    assert first == ["Tỉnh ủy", "Tỉnh ủy Hà Tĩnh"]
    assert closest("tinh uy", list(reversed(names)), n=2) == first
    assert len(closest("tinh uy", names, n=10)) == len(names)
    assert closest("tinh uy", names, n=0) == []


def test_closest_accepts_mapping_to_match_strings() -> None:
    """With a mapping, matching uses the values and returns the keys."""
    candidates = {"Chống IUU": "Chống khai thác IUU", "An ninh": "Quốc phòng, an ninh"}
    assert closest("khai thac iuu", candidates) == ["Chống IUU"]


@pytest.mark.parametrize("value", ["Thể thao", "zzz", ""])
def test_closest_without_match_is_empty(value: str) -> None:
    """Nothing similar gives no suggestion."""
    assert closest(value, SECTION_NAMES) == []


# --- collation --------------------------------------------------------------


# A dictionary's order, as ICU's "vi" collation gives it: letters in the order
# of the alphabet (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư), then tones
# (ngang, huyền, hỏi, ngã, sắc, nặng), then case (lowercase first). The two
# tone placements of one word are two spellings: ICU puts the one with the mark
# on the later letter first (thuỷ, thuý before thủy). Any collation that
# replaces ICU's must give this order.
DICTIONARY_ORDER = [
    "an",
    "Anh",
    "Ăn",
    "ắt",
    "Ân",
    "ấp",
    "ba",
    "Ba",
    "bà",
    "Bà",
    "bả",
    "bã",
    "bá",
    "bạ",
    "Bao",
    "Bão",
    "Báo",
    "cá",
    "cha",
    "cu",
    "da",
    "dạ",
    "Dương",
    "đá",
    "Đà Nẵng",
    "Đạo",
    "Điện Biên",
    "em",
    "ém",
    "Ém",
    "êm",
    "gà",
    "giá",
    "hà",
    "im",
    "kẻ",
    "khó",
    "lá",
    "mẹ",
    "nghề",
    "nhà",
    "Ong",
    "Ô",
    "ổn",
    "ông",
    "Ơ",
    "ở",
    "ơn",
    "phở",
    "quê",
    "rể",
    "sữa",
    "thuy",
    "thuỷ",
    "thuý",
    "thủy",
    "Thủy",
    "tốt",
    "trễ",
    "ủ",
    "ung",
    "Uống",
    "ưng",
    "Ưu",
    "văn",
    "vịt",
    "xanh",
    "ý",
    "yêu",
]


def test_sorted_vi_follows_vietnamese_alphabet() -> None:
    """Words sort as in a Vietnamese dictionary, whatever their order and form.

    The list has đ/Đ, every tone, ă â ê ô ơ ư, both tone placements
    (thuỷ/thủy) and capitals; half of the input is in NFD.
    """
    words = list(DICTIONARY_ORDER)
    random.Random(18).shuffle(words)
    mixed = [nfd(word) if index % 2 else word for index, word in enumerate(words)]
    assert any(word != nfc(word) for word in mixed)

    assert sorted_vi(words) == DICTIONARY_ORDER
    assert sorted_vi(reversed(DICTIONARY_ORDER)) == DICTIONARY_ORDER
    assert [nfc(word) for word in sorted_vi(mixed)] == DICTIONARY_ORDER
    assert sorted_vi([nfd(word) for word in words]) == [
        nfd(word) for word in DICTIONARY_ORDER
    ]
    assert sorted(words) != DICTIONARY_ORDER


def test_sorted_vi_orders_the_alphabet() -> None:
    """The 29 letters sort in Vietnamese alphabetical order."""
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    assert len(alphabet) == VIETNAMESE_LETTER_COUNT
    assert sorted_vi(sorted(alphabet, reverse=True)) == alphabet
    assert sorted(alphabet) != alphabet


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["bạ", "bá", "bã", "bả", "bà", "ba"], ["ba", "bà", "bả", "bã", "bá", "bạ"]),
        (["bang", "bán"], ["bán", "bang"]),
        (["Bảo", "bao", "Bao"], ["bao", "Bao", "Bảo"]),
    ],
)
def test_sorted_vi_tones_are_secondary(words: list[str], expected: list[str]) -> None:
    """Tones only break ties between equal letters; case only breaks tone ties."""
    assert sorted_vi(words) == expected


@pytest.mark.parametrize("word", VIETNAMESE_WORDS)
def test_sort_key_ignores_normalization_form(word: str) -> None:
    """NFC and NFD input give identical sort keys."""
    assert nfd(word) != word
    assert isinstance(sort_key(word), bytes)
    assert sort_key(nfd(word)) == sort_key(word)


def test_sorted_vi_with_key_function() -> None:
    """sorted_vi() sorts arbitrary items by the text the key gives."""
    items = [{"name": "Đảng"}, {"name": "Dân"}, {"name": "Ấp"}]
    result = sorted_vi(items, key=lambda item: item["name"])
    assert [item["name"] for item in result] == ["Ấp", "Dân", "Đảng"]


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 4, 26, 10, 30), "Thứ Sáu, 26/04/2024 - 10:30"),
        (datetime(2024, 4, 28, 7, 5), "Chủ nhật, 28/04/2024 - 07:05"),
        (datetime(2025, 1, 1, 0, 0), "Thứ Tư, 01/01/2025 - 00:00"),
        (datetime(2024, 4, 22, 23, 59), "Thứ Hai, 22/04/2024 - 23:59"),
        (datetime(2024, 4, 27, 13, 0), "Thứ Bảy, 27/04/2024 - 13:00"),
    ],
)
def test_date_line(moment: datetime, expected: str) -> None:
    """date_line() gives the weekday, zero-padded date and 24-hour time."""
    assert date_line(moment) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 4, 26), "26/04/2024"),
        (datetime(2025, 1, 1, 12, 0), "01/01/2025"),
        (date(2024, 12, 9), "09/12/2024"),
    ],
)
def test_short_date(day: date, expected: str) -> None:
    """short_date() gives a zero-padded day/month/year."""
    assert short_date(day) == expected


@pytest.mark.parametrize(
    ("month", "expected"), [(1, "Tháng 1"), (4, "Tháng 4"), (12, "Tháng 12")]
)
def test_month_name(month: int, expected: str) -> None:
    """month_name() gives "Tháng N"."""
    assert month_name(month) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2024, 4, "Tháng 4/2024"), (2025, 12, "Tháng 12/2025")],
)
def test_month_year(year: int, month: int, expected: str) -> None:
    """month_year() gives "Tháng N/YYYY"."""
    assert month_year(year, month) == expected


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_out_of_range_is_rejected(month: int) -> None:
    """Months outside 1..12 raise ValueError."""
    with pytest.raises(ValueError, match="month"):
        month_name(month)
    with pytest.raises(ValueError, match="month"):
        month_year(2024, month)


def test_weekdays_start_on_monday_and_are_nfc() -> None:
    """WEEKDAYS is indexed like datetime.weekday() and stored in NFC."""
    monday = date(2024, 4, 22)
    assert monday.weekday() == 0
    assert WEEKDAYS[0] == "Thứ Hai"
    assert WEEKDAYS[date(2024, 4, 28).weekday()] == "Chủ nhật"
    assert all(unicodedata.is_normalized("NFC", name) for name in WEEKDAYS)
