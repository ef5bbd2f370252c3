"""A new draft article file with every header key, for ``invoke new``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from topics import TopicRegistry
from vietnamese import nfc, slugify

TEMPLATE = """\
Title: {title}
Date: {date}
Category: {category}
Topics:
Tags:
Authors:
Source:
Summary:
Image:
Image_caption:
Slug: {slug}
Status: draft

Viết nội dung bài ở đây, sau một dòng trống.
"""


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
    text = TEMPLATE.format(
        title=title,
        date=f"{now:%Y-%m-%d %H:%M}",
        category=resolution.topic.name,
        slug=slug,
    )
    path.write_text(text, encoding="utf-8")
    return path
