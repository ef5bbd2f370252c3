"""A new draft article file with every header key, for ``invoke new``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from topic_registry import TopicRegistry
from vietnamese import nfc, slugify

from .fields import ARTICLE_FIELDS
from .header import header_line

# The keys a new draft lists, in this order; the others are added when needed.
DRAFT_KEYS = (
    "Title", "Date", "Category", "Topics", "Tags", "Authors", "Source", "Summary",
    "Image", "Image_caption", "Slug", "Status",
)  # fmt: skip
INTRODUCTION = """\
# Bản nháp tạo bằng "invoke new". Dòng bắt đầu bằng # là hướng dẫn (có thể xoá).
# Mỗi dòng "Khoá: giá trị" là một trường; trường để trống coi như chưa điền.
# Nội dung bài viết ở dưới, sau một dòng trống.
"""
BODY = "Viết nội dung bài ở đây. Tiêu đề mục dùng ## ở đầu dòng.\n"


def draft_text(values: dict[str, str]) -> str:
    """A draft's text: each key of ``DRAFT_KEYS`` after its hint, then the body."""
    lines = [INTRODUCTION.rstrip("\n")]
    for key in DRAFT_KEYS:
        spec = ARTICLE_FIELDS[key.lower()]
        lines.append(f"# {spec.hint}")
        lines.append(header_line(key, values.get(key, "")))
    return "\n".join(lines) + "\n\n" + BODY


def create_draft(
    content_root: Path, registry: TopicRegistry, title: str, section: str, now: datetime
) -> Path:
    """Write a draft article file and return its path.

    Raises ``ValueError`` (in Vietnamese) for an unknown section or a file
    that already exists.
    """
    title = " ".join(nfc(title).split())
    slug = slugify(title)
    if not slug:
        raise ValueError("Tiêu đề cần có chữ hoặc số.")
    resolution = registry.resolve(section)
    if resolution.topic is None:
        near = ", ".join(f'"{name}"' for name in resolution.suggestions) or "không có"
        raise ValueError(f'Không có chuyên mục "{section}"; gần nhất: {near}.')
    path = content_root / "bai-viet" / f"{now:%Y}" / f"{slug}.md"
    if path.exists():
        raise ValueError(f"Tệp {path} đã có; hãy chọn tiêu đề khác.")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = draft_text(
        {
            "Title": title,
            "Date": f"{now:%Y-%m-%d %H:%M}",
            "Category": resolution.topic.name,
            "Slug": slug,
            "Status": "draft",
        }
    )
    path.write_text(text, encoding="utf-8")
    return path
