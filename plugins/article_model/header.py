"""The ``Key: value`` header of an article file, with line numbers.

The syntax is Python-Markdown's meta-data syntax, which Pelican uses: the
header is the lines before the first blank line; a line indented by four
spaces or more continues the previous value. Keeping each field's line lets
every message name the line an editor must fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*?)\s*$")
CONTINUATION_LINE = re.compile(r"^[ ]{4,}(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class HeaderField:
    """One ``Key: value`` line (and its continuation lines)."""

    key: str
    value: str
    line: int

    @property
    def name(self) -> str:
        """The key as Pelican's metadata names it: lower case."""
        return self.key.lower()


@dataclass(frozen=True)
class ArticleSource:
    """An article file split into its header fields and its body."""

    fields: tuple[HeaderField, ...]
    body: str
    body_line: int

    def first(self, name: str) -> HeaderField | None:
        """The first field with this (lower-case) name."""
        return next((f for f in self.fields if f.name == name), None)


def split_article(text: str) -> ArticleSource:
    """Split an article's text into header fields and body."""
    lines = text.split("\n")
    fields: list[HeaderField] = []
    body_start = len(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            body_start = index + 1
            break
        key_match = KEY_LINE.match(line)
        if key_match:
            fields.append(HeaderField(key_match["key"], key_match["value"], index + 1))
            continue
        continuation = CONTINUATION_LINE.match(line)
        if continuation and fields:
            last = fields[-1]
            value = f"{last.value} {continuation['value']}".strip()
            fields[-1] = HeaderField(last.key, value, last.line)
            continue
        body_start = index
        break
    return ArticleSource(tuple(fields), "\n".join(lines[body_start:]), body_start + 1)
