"""One draft's comments as CSV or XLSX, with counts per section and district."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook

from portal_intake import site

from .models import Comment


def columns() -> tuple[str, ...]:
    """The comments' columns; the place's is named as the form names it."""
    return (
        "Thời gian", "Họ và tên", "Liên hệ", site.place_label(), "Chuyên mục",
        "Nội dung góp ý",
    )  # fmt: skip


# A cell starting with these is a formula to a spreadsheet: shown as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def comment_rows(comments: Iterable[Comment]) -> list[list[str]]:
    """One row per comment, in the order received."""
    return [
        [
            timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"),
            _cell(c.name),
            _cell(c.contact),
            c.district,
            site.topic_name(c.topic) or c.topic,
            _cell(c.text),
        ]
        for c in comments
    ]


def counts(comments: list[Comment]) -> dict[str, list[tuple[str, int]]]:
    """Comments per section and per place, every one listed (zeros too)."""
    topics = Counter(c.topic for c in comments)
    districts = Counter(c.district for c in comments)
    by_topic = [(name, topics.get(slug, 0)) for slug, name in site.topics()]
    by_district = [(name, districts.get(name, 0)) for name in site.districts()]
    return {"Chuyên mục": by_topic, site.place_label(): by_district}


def as_csv(title: str, comments: list[Comment]) -> bytes:
    """CSV (UTF-8 with BOM, for Excel): the comments, then the counts."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"Góp ý dự thảo: {title}", f"Tổng số: {len(comments)}"])
    writer.writerow(columns())
    writer.writerows(comment_rows(comments))
    for heading, rows in counts(comments).items():
        writer.writerow([])
        writer.writerow([heading, "Số góp ý"])
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(title: str, comments: list[Comment]) -> bytes:
    """XLSX: a sheet of comments, a sheet of counts."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Góp ý"
    sheet.append([f"Góp ý dự thảo: {title}", f"Tổng số: {len(comments)}"])
    sheet.append(columns())
    for row in comment_rows(comments):
        sheet.append(row)
    summary = book.create_sheet("Thống kê")
    for heading, rows in counts(comments).items():
        summary.append([heading, "Số góp ý"])
        for row in rows:
            summary.append(list(row))
        summary.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
