"""Build the search index: segments of hash-bucketed postings and doc files.

Layout under the search folder (``tim-kiem/``):

- ``chi-muc/manifest.json``, loaded with the search page: the sections, and
  for each segment its name, size, bucket count and eight characters for
  each of its entries, in order: the date (days since 1970-01-01, 4 base-36
  digits), a bitmask of its sections (3 base-36 digits) and its kind (``a``
  an article, ``v`` a văn bản), so that sorting, filters and counts need no
  other file.
- ``chi-muc/<segment>/<bucket>.json``: ``{folded word: [form, ids, form,
  ids, ...]}`` with ids delta-encoded; a folded two-word phrase ("dai hoi")
  is a term too, stored as ``{phrase: ids}``, which is how a quoted phrase
  matches.
- ``chi-muc/<segment>/d/<id>.json``: one article for the results list:
  title, URL, date line, sections and its text for the excerpt.

A segment's name says which articles it holds (its level and its first
position), so an unchanged segment keeps its name and its bytes.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .tokens import bucket_of, search_fold, search_form, tokenize

TAG = re.compile(r"<[^>]+>")
# The tail (the newest articles, fewer than the smallest segment) is one file:
# a query fetches it whole, and a new article rewrites only it and its record.
TAIL_BUCKETS = 1
EPOCH = datetime(1970, 1, 1).date()


@dataclass
class SearchDoc:
    """One article as the index sees it."""

    url: str
    title: str
    date: datetime
    date_line: str
    sections: list[int]
    # The HTML the text comes from (the body; a văn bản's subject and body).
    source_html: str
    kind: str = "a"
    # What the results list shows beside the date; the section names if None.
    labels: list[str] | None = None

    @cached_property
    def text(self) -> str:
        """The plain text that is indexed and shown in excerpts."""
        return plain_text(self.source_html)

    def row(self) -> str:
        """The eight characters of the manifest: date, sections, kind."""
        mask = sum(1 << index for index in self.sections)
        return (
            _base36((self.date.date() - EPOCH).days, 4) + _base36(mask, 3) + self.kind
        )


@dataclass
class Segment:
    """A run of consecutive articles (oldest first), and its bucket count."""

    name: str
    docs: list[SearchDoc]
    buckets: int
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def rows(self) -> str:
        """The manifest's characters for the segment's entries, in order."""
        return "".join(doc.row() for doc in self.docs)

    def file_names(self) -> list[str]:
        """The names of the files ``build_segment`` and ``doc_files`` make."""
        return [f"{n}.json" for n in range(self.buckets)] + [
            f"d/{i}.json" for i in range(len(self.docs))
        ]

    def fingerprint(self, section_names: list[str]) -> str:
        """A digest of everything the segment's files are made from."""
        digest = hashlib.sha1(repr((self.name, self.buckets, section_names)).encode())
        for doc in self.docs:
            digest.update(
                repr(
                    (doc.url, doc.title, doc.date.isoformat(), doc.date_line,
                     doc.sections, doc.kind, doc.labels)
                ).encode()
            )  # fmt: skip
            digest.update(doc.source_html.encode())
        return digest.hexdigest()


def plain_text(content_html: str) -> str:
    """The text of an article body, without tags."""
    return " ".join(html.unescape(TAG.sub(" ", content_html)).split())


def plan_segments(docs: list[SearchDoc], levels: list[list[int]]) -> list[Segment]:
    """Cut the articles (oldest first) into segments, largest levels first."""
    segments, start = [], 0
    for level, (size, buckets) in enumerate(levels):
        while len(docs) - start >= size:
            segments.append(
                Segment(f"l{level}-{start}", docs[start : start + size], buckets)
            )
            start += size
    if start < len(docs):
        segments.append(Segment(f"t-{start}", docs[start:], TAIL_BUCKETS))
    return segments


def dump_json(value) -> bytes:
    """Compact UTF-8 JSON, as every index file is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _terms(doc: SearchDoc) -> Iterable[tuple[str, str | None]]:
    """(folded term, form) of each word, (folded pair, None) of each pair."""
    words = tokenize(f"{doc.title} {doc.text}")
    folded = [search_fold(w) for w in words]
    for word, fold in zip(words, folded, strict=True):
        yield fold, search_form(word)
    for first, second in itertools.pairwise(folded):
        yield f"{first} {second}", None


def _deltas(ids: list[int]) -> list[int]:
    return [ids[0]] + [b - a for a, b in itertools.pairwise(ids)]


def _base36(value: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(width):
        value, digit = divmod(value, 36)
        out = digits[digit] + out
    return out


def build_segment(segment: Segment) -> None:
    """Fill ``segment.files`` with its meta and bucket files."""
    postings: dict[str, dict[str | None, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for local_id, doc in enumerate(segment.docs):
        for term, form in set(_terms(doc)):
            postings[term][form].append(local_id)
    buckets: dict[int, dict] = defaultdict(dict)
    for term in sorted(postings):
        forms = postings[term]
        if None in forms:
            entry = _deltas(forms[None])
        else:
            entry = []
            for form in sorted(forms):
                entry += [form, _deltas(forms[form])]
        buckets[bucket_of(term, segment.buckets)][term] = entry
    for number in range(segment.buckets):
        segment.files[f"{number}.json"] = dump_json(buckets.get(number, {}))


def doc_files(segment: Segment, section_names: list[str]) -> None:
    """Add the results-list record of each article to the segment's files."""
    for local_id, doc in enumerate(segment.docs):
        segment.files[f"d/{local_id}.json"] = doc_file(doc, section_names)


def doc_file(doc: SearchDoc, section_names: list[str]) -> bytes:
    """The results-list record of one article."""
    return dump_json(
        {
            "t": doc.title,
            "u": doc.url,
            "d": doc.date_line,
            "s": doc.labels
            if doc.labels is not None
            else [section_names[i] for i in doc.sections],
            "x": doc.text,
        }
    )
