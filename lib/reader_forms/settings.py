"""Defaults of ``READER_FORMS``, merged with the site's and checked once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plugin_settings import merged, whole_number

DEFAULTS: dict[str, Any] = {
    # Where the intake service takes each form, on the site's own origin
    # (nginx passes these paths to it).
    "QUESTION_URL": "/hoi-dap/gui/",
    "TRACK_URL": "/hoi-dap/theo-doi/",
    "RATE_URL": "/hoi-dap/danh-gia/",
    "COMMENT_URL": "/gop-y/",
    # The places a comment on a draft may say it comes from, and what they
    # are: a province lists its communes, wards and special zones ("Xã,
    # phường, đặc khu").
    "DISTRICTS": ["Trong tỉnh", "Ngoài tỉnh"],
    "PLACE_LABEL": "Nơi ở",
    # The longest value of each field, in characters (the forms' maxlength,
    # checked again by the service).
    "LIMITS": {"name": 100, "contact": 200, "question": 4000, "comment": 8000},
    # Days names and contacts are kept (the service's erase_contacts; 0:
    # erased at its next run).
    "RETENTION_DAYS": 365,
    # Under each form; {days}: RETENTION_DAYS.
    "PRIVACY_NOTICE": (
        "Thông tin cá nhân (họ tên, liên hệ) không bắt buộc, chỉ dùng để trả lời "
        "bạn và không công bố; được xoá sau {days} ngày. Địa chỉ mạng của bạn không "
        "được lưu."
    ),
}
URL_KEYS = ("QUESTION_URL", "TRACK_URL", "RATE_URL", "COMMENT_URL")


def reader_forms_settings(settings: Mapping[str, Any]) -> dict:
    """``READER_FORMS`` over its defaults (``LIMITS`` key by key), checked.

    A ValueError names the setting, the key and what it must be.
    """
    config = merged(settings, "READER_FORMS", DEFAULTS)
    given = config["LIMITS"]
    if not isinstance(given, Mapping) or set(given) - set(DEFAULTS["LIMITS"]):
        _wrong("LIMITS", f"a mapping of {sorted(DEFAULTS['LIMITS'])}", given)
    limits = config["LIMITS"] = {**DEFAULTS["LIMITS"], **given}
    for key in URL_KEYS:
        url = config[key]
        if not (isinstance(url, str) and url.startswith("/") and url.endswith("/")):
            _wrong(key, "a path from the site root, starting and ending with /", url)
    places = config["DISTRICTS"]
    if (
        not isinstance(places, list | tuple)
        or not places
        or not all(isinstance(place, str) and place.strip() for place in places)
    ):
        _wrong("DISTRICTS", "a non-empty list of place names", places)
    if not isinstance(config["PLACE_LABEL"], str) or not config["PLACE_LABEL"].strip():
        _wrong("PLACE_LABEL", "the name of what the places are", config["PLACE_LABEL"])
    for key, limit in limits.items():
        if not whole_number(limit):
            _wrong(f"LIMITS[{key!r}]", "a positive whole number of characters", limit)
    days = config["RETENTION_DAYS"]
    if not whole_number(days, least=0):
        _wrong("RETENTION_DAYS", "a whole number of days, 0 or more", days)
    notice = config["PRIVACY_NOTICE"]
    try:
        notice.format(days=1)
    except (AttributeError, IndexError, KeyError, ValueError):
        _wrong("PRIVACY_NOTICE", "text with no placeholder but {days}", notice)
    return config


def _wrong(key: str, must_be: str, value: Any) -> None:
    raise ValueError(f"READER_FORMS: {key} must be {must_be}, not {value!r}")
