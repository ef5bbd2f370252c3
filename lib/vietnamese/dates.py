"""Vietnamese date formatting for the theme, independent of the C locale."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["WEEKDAYS", "date_line", "month_name", "month_year", "short_date"]

#: Weekday names indexed by :meth:`datetime.date.weekday` (Monday is 0).
WEEKDAYS: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
)

_MONTHS_IN_YEAR = 12


def short_date(dt: date) -> str:
    """Format *dt* as "26/04/2024" (zero-padded day and month)."""
    return f"{dt.day:02d}/{dt.month:02d}/{dt.year:04d}"


def date_line(dt: datetime) -> str:
    """Format *dt* as "Thứ Sáu, 26/04/2024 - 10:30" (24-hour clock)."""
    return f"{WEEKDAYS[dt.weekday()]}, {short_date(dt)} - {dt.hour:02d}:{dt.minute:02d}"


def _check_month(month: int) -> None:
    """Raise :class:`ValueError` unless *month* is in 1..12."""
    if not 1 <= month <= _MONTHS_IN_YEAR:
        msg = f"month must be in 1..12, not {month!r}"
        raise ValueError(msg)


def month_name(month: int) -> str:
    """Return the name of *month* (1-12), for example "Tháng 4".

    Raises:
        ValueError: If *month* is not in 1..12.

    """
    _check_month(month)
    return f"Tháng {month}"


def month_year(year: int, month: int) -> str:
    """Return a month and year such as "Tháng 4/2024".

    Raises:
        ValueError: If *month* is not in 1..12.

    """
    _check_month(month)
    return f"Tháng {month}/{year}"
