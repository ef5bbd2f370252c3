"""Find raw HTML, links and images in Markdown source, with their lines.

A scan of the source, not of the rendered HTML, so that every finding names
the line an editor must fix, and so that ``invoke check`` need not render
10,000 articles. Code (fenced blocks, indented blocks, inline spans) is
skipped: what stands there is shown, never run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from content_tree.links import FILE_LINK_IN_TEXT

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s[^<>]*)?)/?>", re.DOTALL)
UNFINISHED_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?$")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Inline links and images: [text](url "title") and ![alt](url "title").
INLINE_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]"
    r"\(\s*<?(?P<url>[^\s)>]*)>?(?:\s+[\"'(][^)]*[\"')])?\s*\)"
)
# The same, read across the lines of one paragraph: Markdown lets both the
# link text and the URL run over a line break ("[bấm](java\nscript:...)").
PARAGRAPH_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]"
    r"\(\s*<?(?P<url>[^\s)>]*(?:\n[^\s)>]*)*)>?(?:\s+[\"'(][^)]*[\"')])?\s*\)"
)
REFERENCE = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*<?(?P<url>\S+?)>?(?:\s|$)")
AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
HEADING_ONE = re.compile(r"^\s{0,3}#(?!#)\s")
# A setext level-one heading: a paragraph line underlined with "=".
SETEXT_ONE = re.compile(r"^\s{0,3}=+\s*$")
# Lines that are no paragraph text, so "===" under them is no heading.
NOT_PARAGRAPH = re.compile(r"^\s{0,3}(?:#|>|[-*+]\s|\d+[.)]\s|\||<|=+\s*$|-+\s*$)")
# A reference definition whose URL is on the next line.
REFERENCE_LABEL = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*$")


@dataclass(frozen=True)
class RawTag:
    """A raw HTML tag written in the Markdown source."""

    line: int
    name: str
    attributes: tuple[tuple[str, str | None], ...]
    text: str
    closing: bool = False


@dataclass(frozen=True)
class LinkRef:
    """A link or image in Markdown syntax or in a raw tag."""

    line: int
    url: str
    is_image: bool = False
    alt: str | None = None
    tag: str = "a"
    attribute: str = "href"


@dataclass(frozen=True)
class PlaceholderText:
    """A file placeholder written in prose, outside any link Markdown makes.

    Pelican replaces such text too when it stands in an attribute (a title
    saying ``src='{static}...'``), and copies the file it names.
    """

    line: int
    url: str


@dataclass(frozen=True)
class HeadingOne:
    """A level-one heading in the body (the title is the page's only h1)."""

    line: int


class _AttributeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.attributes = attrs

    handle_startendtag = handle_starttag


def _attributes(tag_text: str) -> tuple[tuple[str, str | None], ...]:
    parser = _AttributeParser()
    parser.feed(tag_text)
    parser.close()
    return tuple((name.lower(), value) for name, value in parser.attributes)


def _prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Lines outside code, with inline code spans blanked out."""
    fence: str | None = None
    previous_blank = True
    in_indented_code = False
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0]:
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        indented = line.startswith(("    ", "\t")) and line.strip()
        if indented and (previous_blank or in_indented_code):
            in_indented_code = True
            previous_blank = False
            continue
        in_indented_code = in_indented_code and not line.strip()
        previous_blank = not line.strip()
        prose = line
        if "`" in prose:
            prose = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), prose)
        yield number, prose


def scan_markdown(  # noqa: PLR0912 - one branch per construct
    body: str, first_line: int = 1
) -> Iterator[RawTag | LinkRef | HeadingOne | PlaceholderText]:
    """Yield the raw tags, links, images and level-one headings of a body."""
    previous = ""
    paragraph: list[tuple[int, str]] = []
    tag: tuple[int, str] | None = None  # a raw tag whose ">" is on a later line
    reference: int | None = None  # a reference definition without its URL yet
    for number, line in _prose_lines(body, first_line):
        if line.strip():
            paragraph.append((number, line))
        else:
            yield from _links_across_lines(paragraph)
            paragraph = []
        if tag is not None:
            end = line.find(">")
            if end < 0:
                tag = (tag[0], f"{tag[1]} {line}")
                continue
            yield from _raw_tags(tag[0], f"{tag[1]} {line[: end + 1]}")
            tag, line = None, " " * (end + 1) + line[end + 1 :]  # noqa: PLW2901
        if reference is not None and line.strip():
            yield LinkRef(number, line.split()[0].strip("<>"))
            reference = None
        underlined, previous = previous, line
        if (
            "=" in line
            and underlined.strip()
            and SETEXT_ONE.match(line)
            and not NOT_PARAGRAPH.match(underlined)
        ):
            yield HeadingOne(number - 1)
        if "{" in line:
            yield from (
                PlaceholderText(number, match[0])
                for match in FILE_LINK_IN_TEXT.finditer(line)
            )
        if "<" not in line and "[" not in line and "#" not in line:
            continue
        if HEADING_ONE.match(line):
            yield HeadingOne(number)
        if REFERENCE_LABEL.match(line):
            reference = number
        yield from _scan_line(number, line)
        unfinished = UNFINISHED_TAG.search(COMMENT.sub("", line))
        if unfinished:
            tag = (number, unfinished.group(0))
    yield from _links_across_lines(paragraph)
    if tag is not None:
        # Never closed: its name is enough to judge it.
        yield RawTag(tag[0], UNFINISHED_TAG.match(tag[1]).group(1).lower(), (), tag[1])


def _links_across_lines(paragraph: list[tuple[int, str]]) -> Iterator[LinkRef]:
    """Links of a paragraph that run over a line break (others are per line)."""
    if len(paragraph) < 2 or not any("](" in line for _n, line in paragraph):  # noqa: PLR2004
        return
    text = "\n".join(line for _number, line in paragraph)
    for match in PARAGRAPH_LINK.finditer(text):
        if "\n" not in match.group(0):
            continue
        is_image = bool(match["image"])
        yield LinkRef(
            paragraph[text.count("\n", 0, match.start())][0],
            match["url"].replace("\n", ""),
            is_image,
            match["text"] if is_image else None,
            "img" if is_image else "a",
            "src" if is_image else "href",
        )


def _scan_line(number: int, line: str) -> Iterator[RawTag | LinkRef]:
    text = line
    if "<!--" in line:
        text = COMMENT.sub(lambda m: " " * len(m.group(0)), line)
        yield RawTag(number, "!--", (), "<!--")
    if "<" in text:
        yield from _raw_tags(number, text)
    if "](" in text:
        yield from _inline_links(number, text)
    reference = REFERENCE.match(text)
    if reference:
        yield LinkRef(number, reference["url"])


def _raw_tags(number: int, text: str) -> Iterator[RawTag | LinkRef]:
    for match in AUTOLINK.finditer(text):
        yield LinkRef(number, match["url"])
    for match in RAW_TAG.finditer(text):
        name = match.group(2).lower()
        closing = bool(match.group(1))
        attributes = () if closing else _attributes(match.group(0))
        yield RawTag(number, name, attributes, match.group(0), closing)
        for attribute, value in attributes:
            if value is not None and attribute in ("href", "src", "cite"):
                alt = dict(attributes).get("alt") if name == "img" else None
                yield LinkRef(number, value, name == "img", alt, name, attribute)


def _inline_links(number: int, text: str) -> Iterator[LinkRef]:
    for match in INLINE_LINK.finditer(text):
        is_image = bool(match["image"])
        yield LinkRef(
            number,
            match["url"],
            is_image,
            match["text"] if is_image else None,
            "img" if is_image else "a",
            "src" if is_image else "href",
        )
