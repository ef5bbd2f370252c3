"""``invoke report``: where every article stands in the review workflow."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from content_model.reader import Inspection

COLUMNS = ("published", "review", "draft", "scheduled", "retracted")
COLUMN_TITLES = {
    "published": "Đã đăng",
    "review": "Chờ duyệt",
    "draft": "Bản nháp",
    "scheduled": "Hẹn giờ",
    "retracted": "Đã gỡ",
}


@dataclass
class WorkflowReport:
    """Counts per section and state, and the review queue, oldest first."""

    sections: list[str]
    counts: dict[str, Counter] = field(default_factory=dict)
    waiting: list[tuple[datetime, str, str]] = field(default_factory=list)

    def rows(self) -> list[list[str]]:
        """The table, one row per section, with a header and a total."""
        rows = [["Chuyên mục", *(COLUMN_TITLES[c] for c in COLUMNS)]]
        total: Counter = Counter()
        for name in self.sections:
            counts = self.counts.get(name, Counter())
            total.update(counts)
            rows.append([name, *(str(counts[c]) for c in COLUMNS)])
        rows.append(["Tổng cộng", *(str(total[c]) for c in COLUMNS)])
        return rows


def workflow_state(metadata: dict, now: datetime) -> str:
    """The column an article counts in."""
    state = metadata.get("review_state", "draft")
    if state == "published" and metadata.get("date") and metadata["date"] > now:
        return "scheduled"
    return state


def build_report(
    inspections: list[Inspection], section_names: list[str], now: datetime
) -> WorkflowReport:
    """Count articles per primary section and state; list the review queue."""
    report = WorkflowReport(section_names)
    for inspection in inspections:
        metadata = inspection.metadata
        if inspection.kind != "article" or "category" not in metadata:
            continue
        state = workflow_state(metadata, now)
        report.counts.setdefault(metadata["category"].name, Counter())[state] += 1
        if state == "review":
            since = metadata.get("modified") or metadata.get("date") or now
            report.waiting.append(
                (
                    since,
                    Markup(metadata.get("title", "")).unescape(),
                    inspection.source_path,
                )
            )
    report.waiting.sort()
    return report
