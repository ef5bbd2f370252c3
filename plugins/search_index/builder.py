"""Build the search index: segments of hash-bucketed postings and doc files.

Layout under the search folder (``tim-kiem/``):

- ``chi-muc/manifest.json``, loaded with the search page: the format
  version, the sections, and for each segment its name, size, bucket count
  and seven characters for each of its entries, in order: the date (days
  since 1970-01-01, 3 base-36 digits: until 2097), a bitmask of its
  sections (3 base-36 digits) and its kind (``a`` an article, ``v`` a văn
  bản), so that sorting, filters and counts need no other file.
- ``chi-muc/<segment>/<bucket>.json``: ``{folded word: [form, postings,
  form, postings, ...]}``, in the order of the words; then ``{prefix*:
  [word, articles, ...]}``, the (at most three) most frequent words a
  prefix of two letters or more in the bucket begins, found in more of the
  segment's articles than the prefix as a word, for the last word typed:
  they come with the word's own postings, no other file. ``p<bucket>.json``
  the same for folded two-word phrases ("dai hoi", forms "đại hội", ...): a
  quoted phrase must match one, and words that stand together in the order
  typed rank first, in the phrase's most common form before others. Apart,
  so that a word's lookup does not fetch phrases (three times the words'
  bytes; all the phrases a common word begins, kept with the word, would
  take a query at 10,000 articles from about 250 to 430 KiB).
  ``postings`` is a string of ``DIGITS`` (64 characters, 6 bits
  each), for each article in order: the gap from the previous article's
  local id, 5 bits a character, most significant first, each but the last
  with 32 added; then its weight, one character: 32 if the term is in the
  title, plus its BM25F weight in the article, 1 to 31 (title, summary and
  body counted with their weights, each field's length normalised,
  saturated).
- ``chi-muc/<segment>/v.json``: the segment's vocabulary, ``{folded word:
  articles}``, fetched only for "Có phải bạn muốn tìm" when a query finds
  nothing.
- ``chi-muc/<segment>/d/<id>.json``: one article for the results list:
  title, URL, date line, sections and its text for the excerpt.

A segment's name says which articles it holds (its level and its first
position), so an unchanged segment keeps its name and its bytes; an
article's weights depend on it alone, so an edit changes only its terms.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import json
import operator
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property

from markupsafe import Markup

from build_cache import text_digest
from vietnamese import date_line, short_date

from .tokens import bucket_of, search_fold, search_form, tokenize

TAG = re.compile(r"<[^>]+>")
# The end of a block (a heading, a paragraph, a list item, a cell...): its
# text is a sentence of its own in the excerpts.
BLOCK_END = re.compile(
    r"</(?:h[1-6]|p|li|dt|dd|td|th|caption|figcaption|blockquote|pre)\s*>",
    re.IGNORECASE,
)
# What a block's text may end with and need no full stop after it.
SENTENCE_END = tuple(".!?:;…,")
EPOCH = datetime(1970, 1, 1).date()
# The last day three base-36 digits hold (in 2097).
LAST_DAY = 36**3 - 1
# The index's format, in the manifest (the build key makes old files anew).
INDEX_FORMAT = 3
# BM25F: each field's weight and typical length (in words): a term's count
# in a field is normalised by the field's length against the typical one,
# the fields' weighted counts summed, then saturated. Fixed typical lengths
# keep an article's weights its own: a new article changes no other posting.
FIELD_WEIGHTS = {"title": 5, "summary": 2, "body": 1}
TYPICAL_WORDS = {"title": 12, "summary": 30, "body": 400}
BM25_K1 = 1.2
BM25_B = 0.75
IN_TITLE = 32
VOCABULARY_FILE = "v.json"
# The two kinds of bucket files: a query fetches words' and phrases' apart.
WORDS, PHRASES = 0, 1
# A prefix's completions are under the prefix and this mark (no word has it).
PREFIX_MARK = "*"
# Completions kept for a prefix of at least PREFIX_AT_LEAST characters.
COMPLETIONS = 3
PREFIX_AT_LEAST = 2
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
# A gap's digit with more digits after it has this added.
MORE_DIGITS = 32
# A posting is ``local id << ID_SHIFT | weight``: sorted by id, one int each.
ID_SHIFT = 6
WEIGHT_MASK = (1 << ID_SHIFT) - 1
# Words of the vocabulary: at least two characters, at least one a letter.
VOCABULARY_WORD = re.compile(r"^(?=.*[^\W\d_]).{2,}$")


# The kinds of entry: an article, a văn bản (the manifest's seventh character).
ARTICLE, DOCUMENT = "a", "v"


@dataclass
class SearchDoc:
    """One article as the index sees it: its fields as the article holds them.

    What the index and the results list take from them (the title's text,
    the summary's, the date line) is derived on first use: only for the
    segments a build makes again, in the process that makes them. The
    digest covers the fields as held, which decide all of it.
    """

    url: str
    # The title as the article holds it (HTML-escaped; a văn bản's as shown).
    title_html: str
    date: datetime
    sections: list[int]
    # The HTML the text comes from (the body; a văn bản's subject and body).
    source_html: str
    kind: str = ARTICLE
    # What the results list shows beside the date; the section names if None.
    labels: list[str] | None = None
    # The summary an editor wrote (a văn bản's subject), weighted above the
    # body; HTML as held.
    summary_html: str = ""
    # The digest of ``source_html`` if known (an article's ``body_digest``):
    # the same as the one taken without it.
    source_digest: str = ""

    @cached_property
    def digest(self) -> str:
        """A digest of everything the index and the results list take from it."""
        fields = (
            self.url, self.title_html, self.date.isoformat(), self.sections,
            self.kind, self.labels, self.summary_html,
        )  # fmt: skip
        digest = hashlib.sha1(repr(fields).encode())
        # The body's digest: given, or taken here as ``body_digest`` takes it.
        digest.update((self.source_digest or text_digest(self.source_html)).encode())
        return digest.hexdigest()

    @cached_property
    def title(self) -> str:
        """The title's text."""
        if self.kind == DOCUMENT:  # "Công văn số 3968-CV/BCSĐ": text already
            return self.title_html
        return Markup(self.title_html).unescape()

    @cached_property
    def summary(self) -> str:
        """The summary's text (a văn bản's subject)."""
        if self.kind == DOCUMENT:
            return Markup(self.summary_html).unescape()
        return Markup(self.summary_html).striptags()

    @cached_property
    def date_line(self) -> str:
        """The date the results list shows: a văn bản's day, an article's moment."""
        if self.kind == DOCUMENT:
            return short_date(self.date)
        return date_line(self.date)

    @cached_property
    def text(self) -> str:
        """The plain text that is indexed and shown in excerpts."""
        return plain_text(self.source_html)

    def row(self) -> str:
        """The seven characters of the manifest: date, sections, kind."""
        mask = sum(1 << index for index in self.sections)
        return (
            _base36(min(max((self.date.date() - EPOCH).days, 0), LAST_DAY), 3)
            + _base36(mask, 3)
            + self.kind
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
        """A digest of the content the segment's files are made from.

        The writer salts it with the build key (the code, its index format
        among it), so no version of the format is digested here.
        """
        digest = hashlib.sha1(repr((self.name, self.buckets, section_names)).encode())
        for doc in self.docs:
            digest.update(doc.digest.encode())
        return digest.hexdigest()


def plain_text(content_html: str) -> str:
    """The text of an article body, without tags.

    A block that ends without punctuation (a heading, a list item) ends with
    a full stop, so that an excerpt never runs a heading into the next
    sentence.
    """
    sentences = []
    for block in BLOCK_END.split(content_html):
        text = " ".join(html.unescape(TAG.sub(" ", block)).split())
        if text:
            sentences.append(text if text.endswith(SENTENCE_END) else text + ".")
    return " ".join(sentences)


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
        # The tail (the newest articles, fewer than the smallest segment) has
        # the buckets of the smallest: a new article rewrites only its files.
        segments.append(Segment(f"t-{start}", docs[start:], levels[-1][1]))
    return segments


def dump_json(value) -> bytes:
    """Compact UTF-8 JSON, as every index file is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _base36(value: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(width):
        value, digit = divmod(value, 36)
        out = digits[digit] + out
    return out


def term_weight(counts: dict[str, int], lengths: dict[str, int]) -> int:
    """The BM25F weight (1-31) of a term counted in each field, title bit added."""
    weighted = sum(
        FIELD_WEIGHTS[field]
        * n
        / (1 - BM25_B + BM25_B * lengths[field] / TYPICAL_WORDS[field])
        for field, n in counts.items()
    )
    saturated = weighted / (weighted + BM25_K1)
    weight = max(1, min(WEIGHT_MASK >> 1, round(saturated * (WEIGHT_MASK >> 1))))
    return weight | (IN_TITLE if counts.get("title") else 0)


# A two-word phrase's id: its first word's id shifted, or its second's.
PHRASE_SHIFT = 32
PHRASE_MASK = (1 << PHRASE_SHIFT) - 1


class TermIds(dict):
    """Each word as written: the id of its (folded, form) pair, in one indexing.

    Words of one pair ("Thủy", "thuỷ") share its id. Articles are counted
    by ids, and a two-word phrase is one int (``PHRASE_SHIFT``), so
    counting and gathering postings hash ints: the pairs and the phrases'
    strings are made once per term of a segment, not once per occurrence.
    """

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[tuple[str, str]] = []  # by id
        self._pair_ids: dict[tuple[str, str], int] = {}

    def __missing__(self, written: str) -> int:
        pair = (search_fold(written), search_form(written))
        term_id = self._pair_ids.get(pair)
        if term_id is None:
            term_id = self._pair_ids[pair] = len(self.terms)
            self.terms.append(pair)
        self[written] = term_id
        return term_id

    def word(self, term_id: int) -> tuple[str, str]:
        """The (folded, form) pair of a word's id."""
        return self.terms[term_id]

    def phrase(self, phrase_id: int) -> tuple[str, str]:
        """The (folded, form) pair of a phrase's id: its two words', joined."""
        first, second = (
            self.terms[phrase_id >> PHRASE_SHIFT],
            self.terms[phrase_id & PHRASE_MASK],
        )
        return f"{first[0]} {second[0]}", f"{first[1]} {second[1]}"


def term_counts(doc: SearchDoc, ids: TermIds) -> tuple[dict[int, int], dict[int, int]]:
    """The weights of an article's words and two-word phrases, by their ids.

    Phrases are taken within each field, never across the end of the title.
    """
    words: list[Counter] = []
    phrases: list[Counter] = []
    lengths: dict[str, int] = {}
    first_of_phrase = (1 << PHRASE_SHIFT).__mul__
    for field, text in (
        ("title", doc.title),
        ("summary", doc.summary),
        ("body", doc.text),
    ):
        written = list(map(ids.__getitem__, tokenize(text)))
        lengths[field] = len(written)
        words.append(Counter(written))
        phrases.append(
            Counter(map(operator.or_, map(first_of_phrase, written), written[1:]))
        )
    return _weighted(*words, lengths), _weighted(*phrases, lengths)


def doc_terms(
    doc: SearchDoc,
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """The (folded, form) pairs of words and two-word phrases, weighted.

    A phrase has a space and a word none, so the two never collide. A
    phrase's form is its two words' forms ("tỉnh ủy" and "tính uy" are two
    forms of "tinh uy", the first the more common reading).
    """
    ids = TermIds()
    words, phrases = term_counts(doc, ids)
    return (
        {ids.word(key): weight for key, weight in words.items()},
        {ids.phrase(key): weight for key, weight in phrases.items()},
    )


def _weighted(
    title: Counter, summary: Counter, body: Counter, lengths: dict[str, int]
) -> dict[int, int]:
    """Each term's weight from its count in each field.

    Most terms are in the body alone and share a few counts (once, twice...):
    each count is weighed once. A term of the title or summary is weighed with
    its counts in all three, each set of counts once.
    """
    by_count = {
        count: term_weight({"body": count}, lengths) for count in set(body.values())
    }
    terms = dict(zip(body, map(by_count.__getitem__, body.values()), strict=True))
    weighed: dict[tuple[int, int, int], int] = {}
    for key in dict.fromkeys(itertools.chain(title, summary)):
        counts = (title[key], summary[key], body[key])  # 0 where it is not
        found = weighed.get(counts)
        if found is None:
            # The fields in this order, in which the weight's sum is taken.
            present = zip(("title", "summary", "body"), counts, strict=True)
            found = weighed[counts] = term_weight(
                {field: count for field, count in present if count}, lengths
            )
        terms[key] = found
    return terms


# One posting list: ``local id << ID_SHIFT | weight``, sorted, four bytes each
# (``array`` of C ints, pickled as bytes: a segment's 3 million postings
# unpickle in a third of the time a list of Python ints takes, and free fast).
POSTING_TYPE = "I"


def posting_list(postings: Iterable[int] = ()) -> array:
    """A posting list, as ``SegmentPostings`` keeps them."""
    return array(POSTING_TYPE, postings)


@dataclass
class SegmentPostings:
    """What a segment's bucket files are made from, kept for the next build.

    ``words[b]`` and ``phrases[b]`` hold bucket ``b``'s terms by (folded,
    form), each with its sorted postings (``posting_list``);
    ``prefixes[b]`` its prefixes' completions, ``[word, articles, ...]``.
    """

    doc_digests: list[str]
    section_names: list[str]
    words: list[dict[tuple[str, str], array]]
    phrases: list[dict[tuple[str, str], array]]
    prefixes: list[dict[str, list]]

    def __getstate__(self) -> dict:
        """Posting lists as bytes: one object each to pickle, not one per posting."""
        state = dict(vars(self))
        for kind in ("words", "phrases"):
            state[kind] = [
                {key: entries.tobytes() for key, entries in table.items()}
                for table in state[kind]
            ]
        return state

    def __setstate__(self, state: dict) -> None:
        # A state of another shape fails here (``load_pickle`` then finds
        # the file damaged and the segment is indexed whole).
        if set(state) != set(self.__dataclass_fields__):
            raise ValueError("not a segment's postings")
        for kind in ("words", "phrases"):
            state[kind] = [
                {key: array(POSTING_TYPE, entries) for key, entries in table.items()}
                for table in state[kind]
            ]
        vars(self).update(state)

    @classmethod
    def of(cls, segment: Segment, section_names: list[str]) -> SegmentPostings:
        """Index every article of a segment."""
        ids = TermIds()
        words: dict[int, array] = defaultdict(posting_list)
        phrases: dict[int, array] = defaultdict(posting_list)
        for local_id, doc in enumerate(segment.docs):
            shifted = local_id << ID_SHIFT
            for terms, counted in zip(
                (words, phrases), term_counts(doc, ids), strict=True
            ):
                # Each term's list, given its posting: ``array.append`` mapped
                # over both, in C (a segment holds millions of postings).
                appended = map(
                    array.append,
                    map(terms.__getitem__, counted),
                    map(shifted.__or__, counted.values()),
                )
                any(appended)  # each append gives None: runs them all
        postings = cls(
            [doc.digest for doc in segment.docs],
            list(section_names),
            [{} for _ in range(segment.buckets)],
            [{} for _ in range(segment.buckets)],
            [{} for _ in range(segment.buckets)],
        )
        buckets: dict[str, int] = {}
        for kept, terms, pair_of in (
            (postings.words, words, ids.word),
            (postings.phrases, phrases, ids.phrase),
        ):
            for term_id, entries in terms.items():
                key = pair_of(term_id)
                if key[0] not in buckets:
                    buckets[key[0]] = bucket_of(key[0], segment.buckets)
                kept[buckets[key[0]]][key] = entries
        for prefix, completions in completions_of(postings.vocabulary()).items():
            postings.prefixes[bucket_of(prefix, segment.buckets)][prefix] = completions
        return postings

    def changed_docs(self, segment: Segment) -> list[int]:
        """Local ids whose article differs from the one indexed (or is new/gone)."""
        old, new = self.doc_digests, [doc.digest for doc in segment.docs]
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        return changed + list(range(min(len(old), len(new)), max(len(old), len(new))))

    def patch(self, segment: Segment, changed: list[int]) -> set[tuple[int, int]]:
        """Index the ``changed`` articles again; return the buckets that changed.

        A bucket is (``WORDS`` or ``PHRASES``, its number). A bucket of words
        changes with its words' postings, and with its prefixes' completions
        when the number of articles of a word they begin changes.

        An article's old terms are found by looking for its id in every
        posting list (a binary search each), so the cost grows with the
        number of terms and of changed articles, not with the segment's text.
        """
        touched: set[tuple[int, int]] = set()
        before = self.vocabulary()
        new_terms = {
            local_id: doc_terms(segment.docs[local_id])
            if local_id < len(segment.docs)
            else ({}, {})
            for local_id in changed
        }
        for kind, tables in enumerate((self.words, self.phrases)):
            old_terms: dict[int, set] = {local_id: set() for local_id in changed}
            for table in tables:
                for key, entries in table.items():
                    for local_id in changed:
                        if _find(entries, local_id) is not None:
                            old_terms[local_id].add(key)
            for local_id in changed:
                now = new_terms[local_id][kind]
                for key in old_terms[local_id] | now.keys():
                    number = bucket_of(key[0], segment.buckets)
                    entries = tables[number].setdefault(key, posting_list())
                    at = _find(entries, local_id)
                    new = local_id << ID_SHIFT | now[key] if key in now else None
                    if at is not None and entries[at] == new:
                        continue
                    if at is not None:
                        del entries[at]
                    if new is not None:
                        bisect.insort(entries, new)
                    if not entries:
                        del tables[number][key]
                    touched.add((kind, number))
        self.doc_digests = [doc.digest for doc in segment.docs]
        return touched | self._patch_completions(before, segment.buckets)

    def _patch_completions(
        self, before: dict[str, int], buckets: int
    ) -> set[tuple[int, int]]:
        """Return the buckets whose completions changed, made anew.

        Only the prefixes of words whose article count differs from
        ``before`` can change.
        """
        touched: set[tuple[int, int]] = set()
        after = self.vocabulary()
        prefixes = {
            word[:end]
            for word in before.keys() | after.keys()
            if before.get(word) != after.get(word)
            for end in range(PREFIX_AT_LEAST, len(word) + 1)
        }
        completions = completions_of(after, prefixes)
        for prefix in prefixes:
            number = bucket_of(prefix, buckets)
            table = self.prefixes[number]
            if table.get(prefix) != completions.get(prefix):
                table.pop(prefix, None)
                if prefix in completions:
                    table[prefix] = completions[prefix]
                touched.add((WORDS, number))
        return touched

    def bucket_files(
        self, buckets: Iterable[tuple[int, int]] | None = None
    ) -> dict[str, bytes]:
        """The files of these buckets (of all if None) by their names."""
        if buckets is None:
            buckets = itertools.product((WORDS, PHRASES), range(len(self.words)))
        return {
            bucket_name(kind, number): self.bucket_file(kind, number)
            for kind, number in buckets
        }

    def bucket_file(self, kind: int, number: int) -> bytes:
        """One bucket's file: its words (or phrases) in order, with their forms.

        A bucket of words then has its prefixes' completions, each prefix
        under its ``PREFIX_MARK``.
        """
        entries: dict[str, list] = {}
        terms = (self.words, self.phrases)[kind][number]
        for (fold, form), postings in sorted(terms.items()):
            entries.setdefault(fold, []).extend((form, encoded(postings)))
        if kind == WORDS:
            for prefix, completions in sorted(self.prefixes[number].items()):
                entries[prefix + PREFIX_MARK] = completions
        return dump_json(entries)

    def vocabulary(self) -> dict[str, int]:
        """The segment's words (no number) and in how many articles each is."""
        articles: dict[str, int] = defaultdict(int)
        for table in self.words:
            for (fold, _form), postings in table.items():
                if VOCABULARY_WORD.match(fold):
                    articles[fold] += len(postings)
        return articles

    def vocabulary_file(self) -> bytes:
        """The vocabulary, for corrections: ``{folded word: articles}``."""
        articles = self.vocabulary()
        return dump_json({word: articles[word] for word in sorted(articles)})


def completions_of(
    vocabulary: dict[str, int], prefixes: set[str] | None = None
) -> dict[str, list]:
    """The completions of each prefix (of those in ``prefixes`` if given).

    A prefix's are the most frequent words it begins (at most
    ``COMPLETIONS``) in more articles than the prefix itself as a word, as
    ``[word, articles, ...]``; a prefix with none has no entry.
    """
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for word, articles in vocabulary.items():
        for end in range(PREFIX_AT_LEAST, len(word)):
            if prefixes is None or word[:end] in prefixes:
                candidates[word[:end]].append((-articles, word))
    table = {}
    for prefix, words in candidates.items():
        itself = vocabulary.get(prefix, 0)
        best = sorted(entry for entry in words if -entry[0] > itself)[:COMPLETIONS]
        if best:
            table[prefix] = [x for articles, word in best for x in (word, -articles)]
    return table


def bucket_name(kind: int, number: int) -> str:
    """The file of a bucket of words (``<n>.json``) or phrases (``p<n>.json``)."""
    return f"{'p' if kind == PHRASES else ''}{number}.json"


def _find(postings: array, local_id: int) -> int | None:
    """Where the posting of article ``local_id`` is, if it has one."""
    at = bisect.bisect_left(postings, local_id << ID_SHIFT)
    if at < len(postings) and postings[at] >> ID_SHIFT == local_id:
        return at
    return None


def encoded(postings: Iterable[int]) -> str:
    """Postings as the bucket files hold them: each gap, then each weight."""
    out, previous = [], 0
    gaps = _gap_table()
    for posting in postings:
        local_id = posting >> ID_SHIFT
        gap, previous = local_id - previous, local_id
        out.append(gaps[gap] if gap < len(gaps) else _gap_digits(gap))
        out.append(DIGITS[posting & WEIGHT_MASK])
    return "".join(out)


def _gap_digits(gap: int) -> str:
    """A gap's digits: 5 bits each, most significant first, all but the last marked."""
    digits = [gap & (MORE_DIGITS - 1)]
    while gap := gap >> 5:
        digits.append(MORE_DIGITS | gap & (MORE_DIGITS - 1))
    return "".join(DIGITS[digit] for digit in reversed(digits))


@cache
def _gap_table() -> list[str]:
    """The digits of every gap of up to three digits (32,768), made once."""
    return [_gap_digits(gap) for gap in range(MORE_DIGITS**3)]


def segment_file_names(buckets: int, articles: int) -> list[str]:
    """The files of a segment of ``articles`` with ``buckets`` buckets."""
    return [
        *(bucket_name(kind, n) for kind in (WORDS, PHRASES) for n in range(buckets)),
        VOCABULARY_FILE,
        *(f"d/{i}.json" for i in range(articles)),
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
