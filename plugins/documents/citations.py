"""Find document numbers in article text and link the known ones.

The usual Vietnamese forms: "Chỉ thị số 32-CT/TW", "Công văn số
7357/VP-KGVX", "Kế hoạch 228-KH/TU", "số 32-CT/TW ngày 10/4/2024". Text in
headings, existing links and code is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from html import escape
from html.parser import HTMLParser

from content_model.fields import DOCUMENT_TYPES

NUMBER = r"\d{1,6}(?:[/-][0-9A-ZĐ]+)+"
KINDS = "|".join(re.escape(kind) for kind in DOCUMENT_TYPES)
CITATION = re.compile(
    rf"(?:(?:(?i:{KINDS}))\s+(?:số\s+)?|\bsố\s+)(?P<number>{NUMBER})"
    r"(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?"
)
# A document number wherever it stands. A citation's number follows a space,
# so it is found whole here; and numbers are found ten times faster than
# citations, whose form words are tried at every character of a body.
NUMBERS = re.compile(NUMBER)
# The number in a linked citation, kept on one line by the theme (as on the
# document's own pages): "32-CT/TW" broken after its hyphen reads as two.
NUMBER_CLASS = "portal-document-number"
SKIPPED = frozenset(
    {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
)


class _Linker(HTMLParser):
    """Re-emit HTML, replacing citations in text outside skipped elements."""

    def __init__(self, link: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=False)
        self.link = link
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.depth += 1
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.depth:
            self.depth -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.out.append(data)
            return
        self.out.append(CITATION.sub(self._replace, data))

    def _replace(self, match: re.Match) -> str:
        url = self.link(match["number"])
        if url is None:
            return match.group(0)
        source, (start, end) = match.string, match.span()
        number_start, number_end = match.span("number")
        return (
            f'<a class="portal-citation" href="{escape(url)}">'
            f"{source[start:number_start]}"
            f'<span class="{NUMBER_CLASS}">{match["number"]}</span>'
            f"{source[number_end:end]}</a>"
        )

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def may_cite(html: str, numbers: Container[str]) -> bool:
    """False when ``html`` cites none of ``numbers``; True when it may."""
    return any(match[0] in numbers for match in NUMBERS.finditer(html))


def link_citations(html: str, link: Callable[[str], str | None]) -> str:
    """The HTML with each citation of a known document made a link.

    ``link`` gives a document number's URL, or None for an unknown number.
    """
    if not CITATION.search(html):
        return html
    linker = _Linker(link)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)


def cited_numbers(text: str) -> list[tuple[int, str]]:
    """(line, number) of every citation in a text, for ``invoke check``."""
    return [
        (text.count("\n", 0, match.start()) + 1, match["number"])
        for match in CITATION.finditer(text)
    ]
