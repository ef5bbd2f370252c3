"""Vietnamese text handling for the portal's Pelican plugins.

- :mod:`vietnamese.text`: NFC normalization, identity keys for names
  (:func:`canonical_key`), search folding (:func:`fold`), ASCII slugs
  (:func:`slugify`, :func:`distinct_slug`) and "did you mean" suggestions
  (:func:`closest`).
- :mod:`vietnamese.collation`: Vietnamese alphabetical order through ICU
  (:func:`sort_key`, :func:`sorted_vi`).
- :mod:`vietnamese.dates`: locale-independent Vietnamese date formats
  (:func:`date_line`, :func:`short_date`, :func:`month_name`,
  :func:`month_year`).
"""

from .collation import sort_key, sorted_vi
from .dates import WEEKDAYS, date_line, month_name, month_year, short_date
from .text import TONE_MARKS, canonical_key, closest, distinct_slug, fold, nfc, slugify

__all__ = [
    "TONE_MARKS",
    "WEEKDAYS",
    "canonical_key",
    "closest",
    "date_line",
    "distinct_slug",
    "fold",
    "month_name",
    "month_year",
    "nfc",
    "short_date",
    "slugify",
    "sort_key",
    "sorted_vi",
]
