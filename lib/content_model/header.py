"""The ``Key: value`` header of an article file, with line numbers.

The syntax is Python-Markdown's meta-data syntax, which Pelican uses: the
header is the lines before the first blank line; a line indented by four
spaces or more continues the previous value. Keeping each field's line lets
every message name the line an editor must fix.

A line starting with ``#`` between header lines is a comment for the editor
(``invoke new`` explains each key so): it is a comment only when a key line
follows it before the blank line, so a Markdown heading written straight
after the header, without its blank line, stays in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*?)\s*$")
CONTINUATION_LINE = re.compile(r"^[ ]{4,}(?P<value>.*?)\s*$")
COMMENT_LINE = "#"


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


def header_line(key: str, value: str) -> str:
    """One ``Key: value`` line as ``split_article`` reads it back.

    The value is put on one line (its line breaks and runs of spaces become
    one space), so text from elsewhere (a reader's question) cannot end the
    header or add a key.
    """
    if not KEY_LINE.match(f"{key}: "):
        msg = f"not a header key: {key!r}"
        raise ValueError(msg)
    return f"{key}: {' '.join(value.split())}".rstrip()


def article_text(fields: list[tuple[str, str]], body: str) -> str:
    """An article file: its header lines, a blank line, then the body."""
    header = "\n".join(header_line(key, value) for key, value in fields)
    return f"{header}\n\n{body.strip()}\n"


def split_article(text: str) -> ArticleSource:
    """Split an article's text into header fields and body."""
    lines = text.split("\n")
    fields: list[HeaderField] = []
    body_start = len(lines)
    comments: int | None = None  # the first of the comment lines just read
    for index, line in enumerate(lines):
        if not line.strip():
            body_start = index + 1 if comments is None else comments
            break
        key_match = KEY_LINE.match(line)
        if key_match:
            fields.append(HeaderField(key_match["key"], key_match["value"], index + 1))
            comments = None
            continue
        if line.startswith(COMMENT_LINE):
            comments = index if comments is None else comments
            continue
        continuation = CONTINUATION_LINE.match(line)
        if continuation and fields and comments is None:
            last = fields[-1]
            value = f"{last.value} {continuation['value']}".strip()
            fields[-1] = HeaderField(last.key, value, last.line)
            continue
        body_start = index if comments is None else comments
        break
    else:
        if comments is not None:
            body_start = comments
    return ArticleSource(tuple(fields), "\n".join(lines[body_start:]), body_start + 1)
