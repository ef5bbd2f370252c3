"""English date formatting for the English pages, independent of the C locale."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def english_date(day: date) -> str:
    """Format a date as "Friday, 26 April 2024" (British order, as gov.uk)."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def english_date_line(moment: datetime) -> str:
    """Format a date and time as "Friday, 26 April 2024, 10:30"."""
    return f"{english_date(moment)}, {moment.hour:02d}:{moment.minute:02d}"
