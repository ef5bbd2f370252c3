"""Fingerprints of pages: a digest of everything a page's template reads.

A page is rendered again only when its fingerprint changes. The fingerprint
covers the template's source with every template it extends, includes or
imports, the code and settings of the build, and the value of each variable
the template reads, digested by these rules:

- the page's own variables (``article``, ``listing``, ``topic``...) deeply:
  an article with its rendered body and all its fields, the cards (fields,
  not bodies) of the articles a listing or an article shows, and the counts
  of the lists those hold (``month.articles|length``);
- the site-wide variables (``topics``, ``pages``, ``SITE_IDENTITY``...)
  shallowly: their scalar fields, which is what navigation shows. Templates
  that summarise the whole site from them are listed in ``ALWAYS_RENDER``.

Objects are digested once a build (by identity), so fingerprinting 10,000
article pages costs a fraction of rendering one in ten of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from build_cache import BODY_DIGEST, body_digest, text_digest

from .template_reads import TemplateReads

SCALARS = (str, int, float, bool, type(None), dt.date, dt.time, dt.timedelta)
# Scalars digested as their type's name and repr.
PLAIN = frozenset({int, float, bool, type(None)})
# From this depth on, lists count only by length and objects by their scalars.
SHALLOW_LEVEL = 2
# Lists and mappings this short are digested where they are found, not apart.
INLINE_AT_MOST = 16
# Content attributes that are the build's shared state, not the article's, and
# the reader's notes for messages to the editor (where each header field is,
# the problems found), which no template shows (``test_theme`` checks).
EDITOR_NOTES = frozenset({"field_lines", "content_problems"})
# The digest of the body kept beside it (``build_cache.body_digest``) is the
# body's, which a page digests as such.
CONTENT_SKIPS = (
    frozenset({"settings", "_context", "metadata", BODY_DIGEST}) | EDITOR_NOTES
)
# What an article's own page alone shows of it: its related articles and its
# neighbours in its section (``test_theme`` checks that no other template
# reads them). Its page digests them (``_full``); a card, which another
# page shows, leaves them out, so that a new article in a section does not
# render again every listing that shows its neighbour.
OWN_PAGE_ONLY = frozenset({"related", "newer_in_section", "older_in_section"})
# A card's fields: the article's own, but not its body.
CARD_SKIPS = CONTENT_SKIPS | {"_content"}
# What a card leaves out: the above, and what only the article's page shows.
CARD_LEAVES_OUT = CARD_SKIPS | OWN_PAGE_ONLY
# A section, tag or author is its name and slug (Pelican's ``as_dict`` copies
# both into the instance whenever a URL is formatted; those copies are noise).
TERM_SKIPS = CONTENT_SKIPS | {"name", "slug", "_name", "_slug", "_slug_from_name"}
# A body whose links point to other content ({filename}, {static}...): its
# rendered form depends on where those are, so it is digested as rendered.
INTRASITE_LINK = re.compile(r"""=\s*["'][{|]""")


# What each type of value is digested as, decided once per type: a page's
# variables hold a few dozen types but hundreds of thousands of values.
SCALAR, CONTENT, MAPPING, SEQUENCE, TERM, OBJECT, SET, OTHER = range(8)
# Lists and mappings; with them, the kinds whose items or fields are digested.
CONTAINERS = frozenset({MAPPING, SEQUENCE})
COMPOUNDS = CONTAINERS | {TERM, OBJECT}
_KINDS: dict[type, int] = {}


def _kind(value: Any) -> int:
    cls = type(value)
    kind = _KINDS.get(cls)
    if kind is None:
        if issubclass(cls, SCALARS):
            kind = SCALAR
        elif issubclass(cls, Content):
            kind = CONTENT
        elif issubclass(cls, Mapping):
            kind = MAPPING
        elif issubclass(cls, (list, tuple)):
            kind = SEQUENCE
        elif issubclass(cls, URLWrapper):
            kind = TERM
        elif hasattr(value, "__dict__"):
            kind = OBJECT
        elif issubclass(cls, (set, frozenset)):
            kind = SET
        else:
            kind = OTHER
        _KINDS[cls] = kind
    return kind


def _scalar(value: Any) -> str:
    cls = type(value)
    if cls is str:
        return f"s{value}"
    if isinstance(value, Markup):
        return f"m{value}"
    if isinstance(value, str):
        return f"s{value}"
    if isinstance(value, dt.datetime):
        return f"t{value.isoformat()}{_zone(value.tzinfo)}"
    return f"{cls.__name__}{value!r}"


# Each time zone object with its repr (kept with it: ids are reused once freed).
_ZONES: dict[int, tuple[dt.tzinfo | None, str]] = {}


def _zone(tzinfo: dt.tzinfo | None) -> str:
    """A time zone as it digests (the offset in ``isoformat`` is not its name).

    By identity: time zones of one offset and other names are equal.
    """
    known = _ZONES.get(id(tzinfo))
    if known is None:
        known = _ZONES[id(tzinfo)] = (tzinfo, repr(tzinfo))
    return known[1]


def _url(content: Content) -> str:
    """A content's URL; frozen by ``article_model`` (``override_url``) if it can."""
    return vars(content).get("override_url") or content.url


def _attributes(value: Any) -> Iterable[tuple[str, Any]]:
    try:
        items = vars(value)
    except TypeError:
        return ()
    return items.items()


# Kinds a card digests as deeply as the page of their content does.
FLAT = frozenset({SCALAR, TERM})


def _as_deep_in_card(value: Any) -> bool:
    """True for a field the card digests as fully as a page would.

    A scalar, a term (by its scalars, both ways), or a list or mapping of
    those. Not a content (a card names it by URL) nor any other object (a
    card digests only its scalars).
    """
    kind = _kind(value)
    if kind in FLAT:
        return True
    if kind == SEQUENCE:
        return all(_kind(item) in FLAT for item in value)
    if kind == MAPPING:
        return all(_kind(item) in FLAT for item in value.values())
    return False


def _opening(value: Any) -> str:
    return f"<{type(value).__name__}{getattr(value, '__qualname__', '')}"


# An attribute a template reads that the object does not have (Jinja's
# undefined), as digested.
MISSING = "\x00undefined"
# A site-wide variable a template reads that the page's context lacks.
ABSENT = object()


@dataclass(frozen=True)
class TemplateRead:
    """A template with what it includes: their digest and what they read."""

    digest: str
    names: tuple[str, ...]  # the variables read, sorted
    # For each variable every source reads only by attribute, those attributes.
    attributes: dict[str, tuple[str, ...]]


class PageFingerprints:
    """Fingerprints of one build's pages; objects are digested once."""

    def __init__(self, base: str, reads: TemplateReads | None = None) -> None:
        self.base = base
        self.reads = reads or TemplateReads()
        self._cards: dict[int, str] = {}
        self._globals: dict[tuple[str, int], str] = {}
        self._parts: dict[tuple[int, int], str] = {}
        # Objects by their scalars, with the object (its id is its key).
        self._scalars_of: dict[int, tuple[Any, list[str]]] = {}
        self._template_names: dict[str, TemplateRead] = {}
        self._variables_of: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # The site-wide part of pages, by its variables and their values' ids.
        self._shared_parts: dict[tuple, str] = {}

    def __getstate__(self) -> dict:
        """A copy for a started worker: what is kept by object identity stays.

        The copy's objects have other ids: it digests them again, or takes
        the digests it is given (``remember_cards``).
        """
        return {
            **vars(self),
            "_cards": {},
            "_globals": {},
            "_parts": {},
            "_scalars_of": {},
            "_shared_parts": {},
        }

    # --- templates -------------------------------------------------------------
    def template(self, environment: Environment, name: str) -> TemplateRead:
        """The digest of a template's sources and what they read.

        The variables (sorted) and, for each variable every source reads only
        by attribute, those attributes (``TemplateReads``).
        """
        if name not in self._template_names:
            sources, names, pending, seen = [], set(), [name], set()
            attributes: dict[str, set[str]] = {}
            whole: set[str] = set()
            while pending:
                current = pending.pop()
                if current in seen:
                    continue
                seen.add(current)
                source = environment.loader.get_source(environment, current)[0]
                sources.append(f"{current}\0{source}")
                variables, references, read = self.reads.of(environment, source)
                names.update(variables)
                for variable in variables:
                    if variable in read:
                        attributes.setdefault(variable, set()).update(read[variable])
                    else:
                        whole.add(variable)
                pending += references
            digest = hashlib.sha1("\0".join(sorted(sources)).encode()).hexdigest()
            self._template_names[name] = TemplateRead(
                digest,
                tuple(sorted(names)),
                {
                    variable: tuple(sorted(read))
                    for variable, read in attributes.items()
                    if variable not in whole
                },
            )
        return self._template_names[name]

    # --- pages -----------------------------------------------------------------
    def page(
        self,
        name: str,
        template: TemplateRead,
        own: Mapping[str, Any],
        shared: Mapping[str, Any],
    ) -> str:
        """The fingerprint of the page written to ``name`` with ``template``.

        Its own variables each digested; the site-wide ones it reads as one
        part, the same for every page that shares them.
        """
        own_names, shared_names = self._variables(template, tuple(own))
        parts = [self.base, name, template.digest]
        for variable in own_names:
            read = template.attributes.get(variable)
            parts.append(f"{variable}={self._own(own[variable], read)}")
        parts.append(self._shared_part(shared_names, shared))
        return hashlib.sha1("\x1e".join(parts).encode()).hexdigest()

    def _variables(
        self, template: TemplateRead, own: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The variables a template reads: the page's own, and the others."""
        key = (template.digest, own)
        split = self._variables_of.get(key)
        if split is None:
            split = self._variables_of[key] = (
                tuple(name for name in template.names if name in own),
                tuple(name for name in template.names if name not in own),
            )
        return split

    def _shared_part(self, names: tuple[str, ...], shared: Mapping[str, Any]) -> str:
        """The site-wide variables ``names`` as a page reads them, digested once."""
        values = [shared.get(name, ABSENT) for name in names]
        key = (names, *map(id, values))
        part = self._shared_parts.get(key)
        if part is None:
            part = self._shared_parts[key] = "\x1e".join(
                f"{name}~{self._shared(name, value)}"
                for name, value in zip(names, values, strict=True)
                if value is not ABSENT
            )
        return part

    def _own(self, value: Any, read: tuple[str, ...] | None = None) -> str:
        """A page's own variable: whole, or the attributes its template reads."""
        out: list[str] = []
        if read is None or not self._feed_read(value, read, out):
            out.clear()
            self._feed(value, 0, out)
        return hashlib.sha1("\x1f".join(out).encode()).hexdigest()

    def _feed_read(self, value: Any, read: tuple[str, ...], out: list[str]) -> bool:
        """An object by the attributes a template reads of it (False: digest it whole).

        A section or a listing page, not an article (its page digests it
        whole), a mapping or a list. Each attribute as the template sees it
        (a property's value), digested as the object's fields are; whole if
        one is a method, whose result only calling it would show.
        """
        if _kind(value) not in (OBJECT, TERM) or isinstance(value, Mapping):
            return False
        out.append(_opening(value))
        for attribute in read:
            try:
                item = getattr(value, attribute, MISSING)
            except Exception:  # the page reports it: digest it whole
                return False
            if callable(item):  # a method: what calling it shows is not here
                return False
            out.append(attribute)
            self._feed(item, 1, out)
        return True

    def _shared(self, variable: str, value: Any) -> str:
        key = (variable, id(value))
        if key not in self._globals:
            out: list[str] = []
            self._feed_shallow(value, out)
            self._globals[key] = hashlib.sha1("\x1f".join(out).encode()).hexdigest()
        return self._globals[key]

    # --- digest rules ------------------------------------------------------------
    def _feed(self, value: Any, level: int, out: list[str]) -> None:
        kind = _kind(value)
        if kind == SCALAR:
            out.append(_scalar(value))
        elif kind == CONTENT:
            out.append(self._full(value) if level == 0 else self.card(value))
        elif kind == TERM and level > 0:
            self._feed_shallow(value, out)
        elif kind in CONTAINERS and len(value) <= INLINE_AT_MOST:
            # An article's own few tags or fields: digesting them apart
            # and remembering the digest would cost more than they do.
            out.append("(")
            self._feed_compound(value, kind, level, out)
            out.append(")")
        elif kind in COMPOUNDS:
            # Lists and objects are shared by many pages (a listing's pages,
            # a year's articles): each is digested once a build.
            key = (id(value), level)
            digest = self._parts.get(key)
            if digest is None:
                parts: list[str] = []
                self._feed_compound(value, kind, level, parts)
                digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
                self._parts[key] = digest
            out.append(digest)
        elif kind == SET:
            out.append(repr(sorted(map(repr, value))))
        else:
            out.append(getattr(value, "__qualname__", type(value).__name__))

    def _feed_compound(self, value: Any, kind: int, level: int, out: list[str]) -> None:
        if kind == MAPPING:
            for key, item in value.items():
                out.append(_scalar(key) if _kind(key) == SCALAR else repr(key))
                self._feed(item, level, out)
        elif kind == SEQUENCE:
            if level >= SHALLOW_LEVEL:
                out.append(f"len{len(value)}")
                return
            for item in value:
                self._feed(item, level, out)
        else:
            out.append(_opening(value))
            skips = CONTENT_SKIPS
            if kind == TERM:
                out += [value.name, value.slug]  # its URL follows from both
                skips = TERM_SKIPS
            for key, item in _attributes(value):
                if key in skips:
                    continue
                out.append(key)
                if level < SHALLOW_LEVEL:
                    self._feed(item, level + 1, out)
                elif _kind(item) == SCALAR:
                    out.append(_scalar(item))

    def _full(self, content: Content) -> str:
        """A page's own article, page or văn bản: its body and every field.

        Its card holds every field already; what a page shows beyond it are
        the cards of the contents it links (not only their URLs) and the
        fields of the objects it holds (not only their scalars).
        """
        if INTRASITE_LINK.search(content._content):
            body = text_digest(content.content)
        else:
            body = body_digest(content)
        out = [self.card(content), body]
        for key, item in _attributes(content):
            if key in OWN_PAGE_ONLY:  # not in the card, whatever it holds
                out.append(key)
                self._feed(item, 1, out)
                continue
            # A scalar or a term (of a type seen before) is as in the card.
            if _KINDS.get(type(item)) in FLAT or key in CARD_SKIPS:  # body: above
                continue
            if not _as_deep_in_card(item):
                out.append(key)
                self._feed(item, 1, out)
        return hashlib.sha1("\x1f".join(out).encode()).hexdigest()

    def card(self, content: Content) -> str:
        """The digest of what a card or a link shows of an article: its fields."""
        key = id(content)
        digest = self._cards.get(key)
        if digest is None:
            out = [type(content).__name__]
            if "summary" not in content.metadata:  # Pelican cuts one from the body
                out.append(_scalar(content.summary))
            for name, item in _attributes(content):
                if name in CARD_LEAVES_OUT:
                    continue
                cls = type(item)
                # The most common fields inlined, for speed, as ``_scalar``
                # and ``_feed_reference`` have them.
                if cls is str:
                    out += (name, f"s{item}")
                elif cls is Markup:
                    out += (name, f"m{item}")
                elif cls in PLAIN:
                    out += (name, f"{cls.__name__}{item!r}")
                else:
                    out.append(name)
                    self._feed_reference(item, out)
            digest = hashlib.sha1("\x1f".join(out).encode()).hexdigest()
            self._cards[key] = digest
        return digest

    def cards(self, contents: Iterable[Content]) -> list[str]:
        """The card digests of several contents, in their order."""
        return [self.card(content) for content in contents]

    def remember_cards(
        self, contents: Iterable[Content], digests: Iterable[str]
    ) -> None:
        """Take card digests another process computed for these contents."""
        for content, digest in zip(contents, digests, strict=True):
            self._cards[id(content)] = digest

    def _feed_reference(self, value: Any, out: list[str]) -> None:
        """A field of a card: other articles by their URL, objects by scalars."""
        if type(value) is str:
            out.append(f"s{value}")
            return
        known = self._scalars_of.get(id(value))
        if known is not None:  # a section, a tag, an author seen before
            out += known[1]
            return
        kind = _kind(value)
        if kind == SCALAR:
            out.append(_scalar(value))
        elif kind == CONTENT:
            out.append(f"@{_url(value)}")
        elif kind == SEQUENCE:
            out.append("[")
            for item in value:
                self._feed_reference(item, out)
            out.append("]")
        elif kind == MAPPING:
            for key, item in value.items():
                out.append(repr(key))
                self._feed_reference(item, out)
        else:
            self._feed_shallow(value, out)

    def _feed_shallow(self, value: Any, out: list[str]) -> None:
        """A site-wide variable: lists item by item, objects by their scalars."""
        kind = _kind(value)
        if kind == SCALAR:
            out.append(_scalar(value))
        elif kind == CONTENT:
            out.append(self.card(value))
        elif kind == MAPPING:
            for key, item in value.items():
                out.append(repr(key))
                self._feed_shallow(item, out)
        elif kind == SEQUENCE:
            out.append("[")
            for item in value:
                self._feed_shallow(item, out)
            out.append("]")
        else:
            known = self._scalars_of.get(id(value))
            if known is None:
                known = (value, self._scalars(value, kind))
                self._scalars_of[id(value)] = known
            out += known[1]

    def _scalars(self, value: Any, kind: int) -> list[str]:
        """An object (a section, a tag...) by its scalar fields."""
        out = [_opening(value)]
        skips = CONTENT_SKIPS
        if kind == TERM:
            out += [value.name, value.slug]  # its URL follows from both
            skips = TERM_SKIPS
        for key, item in _attributes(value):
            if key not in skips and (type(item) is str or _kind(item) == SCALAR):
                out += (key, _scalar(item))
        out.append(">")
        return out
