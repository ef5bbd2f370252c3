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

import bisect
import hashlib
import html
import itertools
import json
import operator
import re
from collections import defaultdict
from dataclasses import dataclass
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
    def digest(self) -> str:
        """A digest of everything the index and the results list take from it."""
        fields = (
            self.url, self.title, self.date.isoformat(), self.date_line,
            self.sections, self.kind, self.labels,
        )  # fmt: skip
        digest = hashlib.sha1(repr(fields).encode())
        digest.update(self.source_html.encode())  # not copied into one string
        return digest.hexdigest()

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

    @property
    def rows(self) -> str:
        """The manifest's characters for the segment's entries, in order."""
        return "".join(doc.row() for doc in self.docs)

    def file_names(self) -> list[str]:
        """The names of its files: the buckets, then one record per article."""
        return segment_file_names(self.buckets, len(self.docs))

    def fingerprint(self, section_names: list[str]) -> str:
        """A digest of everything the segment's files are made from."""
        digest = hashlib.sha1(repr((self.name, self.buckets, section_names)).encode())
        for doc in self.docs:
            digest.update(doc.digest.encode())
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


def _deltas(ids: list[int]) -> list[int]:
    """The first id, then the gap to each next one."""
    return list(map(operator.sub, ids, itertools.chain((0,), ids)))


def _base36(value: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(width):
        value, digit = divmod(value, 36)
        out = digits[digit] + out
    return out


def doc_terms(doc: SearchDoc) -> tuple[set[tuple[str, str]], set[str]]:
    """The (folded word, form) pairs and the folded two-word phrases of a doc.

    A phrase has a space and a word none, so the two never collide.
    """
    written = tokenize(f"{doc.title} {doc.text}")
    folded = list(map(search_fold, written))
    return (
        set(zip(folded, map(search_form, written), strict=True)),
        set(map(" ".join, itertools.pairwise(folded))),
    )


@dataclass
class SegmentPostings:
    """What a segment's bucket files are made from, kept for the next build.

    ``words[b]`` and ``phrases[b]`` hold bucket ``b``'s terms, each with the
    sorted local ids of the articles that contain it.
    """

    doc_digests: list[str]
    section_names: list[str]
    words: list[dict[tuple[str, str], list[int]]]
    phrases: list[dict[str, list[int]]]

    @classmethod
    def of(cls, segment: Segment, section_names: list[str]) -> SegmentPostings:
        """Index every article of a segment."""
        words: dict[tuple[str, str], list[int]] = defaultdict(list)
        phrases: dict[str, list[int]] = defaultdict(list)
        for local_id, doc in enumerate(segment.docs):
            doc_words, doc_phrases = doc_terms(doc)
            for key in doc_words:
                words[key].append(local_id)
            for phrase in doc_phrases:
                phrases[phrase].append(local_id)
        postings = cls(
            [doc.digest for doc in segment.docs],
            list(section_names),
            [{} for _ in range(segment.buckets)],
            [{} for _ in range(segment.buckets)],
        )
        buckets: dict[str, int] = {}
        for key, ids in words.items():
            if key[0] not in buckets:
                buckets[key[0]] = bucket_of(key[0], segment.buckets)
            postings.words[buckets[key[0]]][key] = ids
        for phrase, ids in phrases.items():
            postings.phrases[bucket_of(phrase, segment.buckets)][phrase] = ids
        return postings

    def changed_docs(self, segment: Segment) -> list[int]:
        """Local ids whose article differs from the one indexed (or is new/gone)."""
        old, new = self.doc_digests, [doc.digest for doc in segment.docs]
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        return changed + list(range(min(len(old), len(new)), max(len(old), len(new))))

    def patch(self, segment: Segment, changed: list[int]) -> set[int]:
        """Index the ``changed`` articles again; return the buckets that changed.

        An article's old terms are found by looking for its id in every
        posting list (a binary search each), so the cost grows with the
        number of terms and of changed articles, not with the segment's text.
        """
        touched: set[int] = set()
        new_terms = {
            local_id: doc_terms(segment.docs[local_id])
            if local_id < len(segment.docs)
            else (set(), set())
            for local_id in changed
        }
        for kind, tables in enumerate((self.words, self.phrases)):
            old_terms: dict[int, set] = {local_id: set() for local_id in changed}
            for table in tables:
                for key, ids in table.items():
                    for local_id in changed:
                        at = bisect.bisect_left(ids, local_id)
                        if at < len(ids) and ids[at] == local_id:
                            old_terms[local_id].add(key)
            for local_id in changed:
                now = new_terms[local_id][kind]
                for key in old_terms[local_id] ^ now:
                    number = bucket_of(key[0] if kind == 0 else key, segment.buckets)
                    ids = tables[number].setdefault(key, [])
                    if key in now:
                        bisect.insort(ids, local_id)
                    else:
                        ids.remove(local_id)
                        if not ids:
                            del tables[number][key]
                    touched.add(number)
        self.doc_digests = [doc.digest for doc in segment.docs]
        return touched

    def bucket_file(self, number: int) -> bytes:
        """One bucket's file: its terms in order, each word with its forms."""
        entries: dict[str, list] = {
            phrase: _deltas(ids) for phrase, ids in self.phrases[number].items()
        }
        for (fold, form), ids in sorted(self.words[number].items()):
            entries.setdefault(fold, []).extend((form, _deltas(ids)))
        return dump_json({term: entries[term] for term in sorted(entries)})


def segment_file_names(buckets: int, articles: int) -> list[str]:
    """The files of a segment of ``articles`` with ``buckets`` buckets."""
    return [f"{n}.json" for n in range(buckets)] + [
        f"d/{i}.json" for i in range(articles)
    ]


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
