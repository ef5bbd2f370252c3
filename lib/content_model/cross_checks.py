"""Checks that no single file's reading can make, so the read cache never keeps them.

- ``Reviewed_at`` later than now: a review cannot be recorded before it
  happened (it depends on the time of the build, not on the file's bytes);
- a published article or page linking with ``{filename}`` to content that is
  not published (a draft, one in review, a retracted one, or one scheduled
  after the linking one): readers would get the front page instead, so the
  link is an error on the linking file.

``invoke check`` and the build both call these, so they agree.
"""

from __future__ import annotations

from datetime import datetime

from content_problems import ContentProblem

from .fields import DATE_EXAMPLE

# Review states whose content a published page may not link to.
UNPUBLISHED_STATES = {
    "draft": "bản nháp",
    "review": "đang chờ duyệt",
    "retracted": "đã gỡ",
}
# Review states checked for a review time in the future.
REVIEWED_STATES = ("published", "retracted")


def review_in_future(
    source_path: str, metadata: dict, now: datetime
) -> ContentProblem | None:
    """A ``Reviewed_at`` after ``now`` on an article that says it was reviewed."""
    reviewed = metadata.get("reviewed_at")
    if reviewed is None or metadata.get("review_state") not in REVIEWED_STATES:
        return None
    if reviewed <= now:
        return None
    line = metadata.get("field_lines", {}).get("reviewed_at", 1)
    return ContentProblem(
        source_path,
        line,
        "Reviewed_at",
        f"thời điểm duyệt {reviewed:%Y-%m-%d %H:%M} chưa tới; hãy ghi thời điểm bài "
        f"đã được duyệt thật (dạng {DATE_EXAMPLE})",
    )


def unpublished(
    target: dict | None, source_date: datetime | None, now: datetime
) -> str | None:
    """Why linked content (its metadata) is not there for the linking file's readers.

    None when it is published, or scheduled no later than the linking file.
    """
    if target is None:
        return None
    state = target.get("review_state")
    if state in UNPUBLISHED_STATES:
        return UNPUBLISHED_STATES[state]
    date = target.get("date")
    scheduled = state == "published" and date is not None and date > now
    if scheduled and (source_date is None or date > source_date):
        return f"hẹn giờ đăng lúc {date:%Y-%m-%d %H:%M}"
    return None


def link_to_unpublished(
    source_path: str, line: int, url: str, why: str, target: str
) -> ContentProblem:
    """A published file's ``{filename}`` link to content that is not published."""
    return ContentProblem(
        source_path,
        line,
        "liên kết",
        f'"{url}" trỏ tới {target}, bài {why} nên người đọc chưa xem được; hãy bỏ '
        "liên kết, hoặc đăng (hẹn giờ) bài đó trước bài này",
    )


def line_of(source_path: str, text: str, default: int = 1) -> int:
    """The first line of a file holding ``text``, or ``default``."""
    try:
        with open(source_path, encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, 1):
                if text in line:
                    return number
    except OSError:
        pass
    return default
