"""What reading a file gave, kept between builds and keyed by the file's bytes.

A git checkout gives every file a new modification time, so the key is the
file's path and the SHA-1 of its bytes (``file_digests``: remembered while
the file's status is unchanged), under the build key of reading
(``build_cache.Scope.READING``: the code, the settings but those that only
shape the output, Python and every library) and the chuyên mục registry.
Each shard is checked when it is loaded: a damaged one is as none, its files
are read again and it is written anew. An entry also lists
the local files the source points to (``{static}``, ``{filename}``) and
whether each existed: when one appears or disappears, the file is read again,
so its "file not found" problem comes and goes as it should.

Beside each entry, a shard keeps the state of the article the file made
(``made_state``, taken as Pelican made it, before any generator added its
own), under the build key it was made under: a later build, in this process
or another, makes an unchanged file's article from it (``made_before``)
rather than again through Pelican, which was a third of a rebuild.

A process that builds again and again (the preview of ``invoke serve``)
keeps its caches open between builds (``keep_between_builds``): a build
then takes each unchanged file's entry from memory, not from the shards,
which it still writes for the next process. What a build may change is
its own: ``restored`` makes each build new metadata, and a kept value is
handed out as a copy. What no build used is let go at each save, so the
memory holds one build's entries.

On a build with many files to read (a first build, a new version), they are
read in worker processes, one per core, before Pelican asks for them. Forked
workers share the reader and the files' bytes; started ones (``spawn``) make
their own reader from the settings and are sent each file.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from topic_registry import registry_path
from worker_processes import process_context, shares_memory

from .checked import damaged, load_pickle, save_pickle
from .file_digests import FileDigests, file_digests
from .file_digests import begin_build as begin_file_digests
from .key import Scope, build_key
from .settings import cache_folder, incremental_settings

logger = logging.getLogger(__name__)


@dataclass
class ReadEntry:
    """A file's sanitised HTML, metadata (portable form), problems and targets."""

    html: str
    metadata: dict
    problems: list
    targets: dict[str, bool]


class PortableDict(dict):
    """A dict as ``portable`` makes it: it knows its keys that hold more.

    ``holders`` names the keys whose values ``restored`` must make anew (a
    list, a dict, a section, tag or author); the others are values nothing
    changes in place (text, numbers, dates), copied as they are in one step.
    A remade article's state is mostly such values: 10,000 of them restore in
    0.12 s, against 0.20 s looking at every key.
    """

    __slots__ = ("holders",)


# Where ``portable`` may have put a section, tag or author: it makes plain
# lists and ``PortableDict``s, so their exact types are enough (and faster
# to check). A plain dict (not made by ``portable``) is looked through.
HOLDERS = frozenset({tuple, list, dict, PortableDict})


# Values ``portable`` hands back as they are, by exact type: most of what an
# article holds. Checked first, they make 10,000 articles' states portable in
# a fraction of the time the checks below take (a cold build makes them all).
PLAIN = frozenset(
    {str, Markup, int, float, bool, type(None), date, datetime, SafeDatetime, ZoneInfo}
)


def portable(value: Any) -> Any:
    """Metadata with sections, tags and authors as names (they hold settings)."""
    if type(value) in PLAIN:
        return value
    if isinstance(value, list):
        return [item if type(item) in PLAIN else portable(item) for item in value]
    if isinstance(value, dict):
        made = PortableDict(value)
        others = [key for key, item in value.items() if type(item) not in PLAIN]
        for key in others:
            made[key] = portable(value[key])
        made.holders = tuple(key for key in others if type(made[key]) in HOLDERS)
        return made
    if isinstance(value, Category):
        return ("§category", value.slug, None)
    if isinstance(value, (Tag, Author)):
        return ("§" + type(value).__name__, value.name, value.slug)
    return value


def restored(value: Any, settings: dict, registry, terms: dict) -> Any:
    """The inverse of ``portable``, with this build's objects.

    Every list and dict is a new one (a build may change its own), the
    values in them are shared. ``terms`` keeps the tags and authors made so
    far, one object for each spelling and slug, shared by the articles that
    name it (as the registry's sections are).
    """
    cls = type(value)
    if cls is PortableDict:
        made = dict(value)
        for key in value.holders:
            made[key] = restored(value[key], settings, registry, terms)
        return made
    if cls is dict:  # scalars are returned as they are, uncalled
        return {
            key: restored(item, settings, registry, terms)
            if type(item) in HOLDERS
            else item
            for key, item in value.items()
        }
    if cls is list:
        return [
            restored(item, settings, registry, terms) if type(item) in HOLDERS else item
            for item in value
        ]
    if cls is tuple and value and str(value[0]).startswith("§"):
        kind, name, slug = value
        if kind == "§category":
            return registry.by_slug(name)
        term = terms.get(value)
        if term is None:
            term = terms[value] = (Tag if kind == "§Tag" else Author)(name, settings)
            term.slug = slug
        return term
    return value


def reader_version(settings: dict, registry: Path) -> str:
    """A digest of what decides how a file reads: the build key, the registry."""
    digest = hashlib.sha1(build_key(settings, Scope.READING).encode())
    if registry.is_file():
        digest.update(registry.read_bytes())
    return digest.hexdigest()


class ReadCache:
    """The entries of one content folder, loaded once and saved after a build."""

    def __init__(
        self,
        path: Path,
        version: str,
        workers: int,
        parallel_from: int,
        files: FileDigests | None,
        *,
        processes: BaseContext | None = None,
    ) -> None:
        self.path = path  # a folder of SHARDS pickles
        self.file_digests = files
        self.version = version
        self.workers = workers
        self.parallel_from = parallel_from
        self.processes = processes  # None: a worker's, which only reads
        # The key of each file read ahead this build, so it is read once.
        self.keys: dict[str, tuple[str, str]] = {}
        self.entries: dict[tuple[str, str], ReadEntry] = {}
        self.used: set[tuple[str, str]] = set()
        self.results: dict[str, Any] = {}
        # This build's tags and authors, for ``restored``.
        self.terms: dict[tuple[str, str, str], Tag | Author] = {}
        self.used_results: set[str] = set()
        # The key each file was read under this build, and what each file
        # made: the build key it was made under and its state, for
        # ``made_before``; those this build made or used.
        self.read_as: dict[str, tuple[str, str]] = {}
        self.made: dict[tuple[str, str], tuple[str, PortableDict]] = {}
        self.made_used: set[tuple[str, str]] = set()
        self.loaded: list[set] = [set() for _ in range(SHARDS)]
        self.loaded_made: list[set] = [set() for _ in range(SHARDS)]
        self.dirty: set[int] = set()
        if files is None:
            return  # a worker's: it keeps nothing
        for shard in range(SHARDS):
            self._load(shard)

    def _load(self, shard: int) -> None:
        path = self.path / f"{shard:02d}.pickle"
        saved = load_pickle(path, tuple)
        if saved is None:
            if path.exists():  # damaged: written anew at the end of the build
                self.dirty.add(shard)
            return
        if not _sound_shard(saved):
            damaged(path)
            self.dirty.add(shard)
            return
        saved_version, entries, results, made = saved
        if saved_version == self.version:
            self.entries.update(entries)
            self.results.update(results)
            self.made.update(made)
            self.loaded[shard] = {*entries, *results}
            self.loaded_made[shard] = set(made)

    def idle(self) -> bool:
        """True when this build has not used the cache and it holds nothing unsaved."""
        return not (self.used or self.used_results or self.dirty)

    def get(self, key: tuple[str, str]) -> ReadEntry | None:
        """The entry for these bytes, if the files it points to are as they were."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        if any(Path(path).is_file() != was for path, was in entry.targets.items()):
            return None
        self.used.add(key)
        return entry

    def put(self, key: tuple[str, str], entry: ReadEntry) -> None:
        """Keep a newly read entry (what the file made before is of no more use)."""
        self.entries[key] = entry
        self.made.pop(key, None)
        self.used.add(key)
        self.dirty.add(_shard(key[0]))

    def result(
        self,
        key: str,
        compute: Callable[[], Any],
        sound: Callable[[Any], bool] | None = None,
    ) -> Any:
        """A value derived from content (``key`` digests its inputs), kept too.

        ``sound``, if given, says whether a kept value is one ``compute``
        could have returned; one that is not is computed again.
        """
        if key not in self.results or (sound and not sound(self.results[key])):
            self.results[key] = compute()
            self.dirty.add(_shard(key))
        self.used_results.add(key)
        if _KEEP_BETWEEN_BUILDS:
            return fresh(self.results[key])
        return self.results[key]

    def key_of(self, source_path: str) -> tuple[str, str]:
        """The key of a file: from the read-ahead if it was there, else read."""
        key = self.keys.pop(source_path, None)
        key = key or (source_path, self.file_digests.hexdigest(source_path))
        self.read_as[source_path] = key
        return key

    def bytes_of(self, source_path: str) -> tuple[tuple[str, str], bytes]:
        """A file's bytes to read, and the key of those very bytes.

        Digested as read: a file saved again since its key was taken is
        kept under the key of what was read, never of what is there now.
        """
        raw = Path(source_path).read_bytes()
        key = (source_path, hashlib.sha1(raw).hexdigest())
        self.read_as[source_path] = key
        return key, raw

    def made_before(self, source_path: str, build: str) -> PortableDict | None:
        """What this file made in an earlier build, if still true.

        ``build`` is the key the object was made under (what shapes it beyond
        reading: URLs, dates shown, drafts); the file's bytes and the files
        it points to must be as they were.
        """
        key = self.keys.get(source_path) or (
            source_path,
            self.file_digests.hexdigest(source_path),
        )
        made = self.made.get(key)
        if made is None or made[0] != build:
            return None
        entry = self.get(key)
        if entry is None or entry.problems:  # problems are told as it is read
            return None
        self.keys.pop(source_path, None)
        self.made_used.add(key)
        return made[1]

    def made_last(self, source_path: str) -> PortableDict | None:
        """The state this file's article had as the last build made it, if kept.

        Whatever the file's bytes are now (``made_before`` asks for the same).
        """
        found = [made for key, made in self.made.items() if key[0] == source_path]
        return found[0][1] if len(found) == 1 else None

    def read_between_builds(
        self, source_path: str, read_entry: Callable[[str, bytes], ReadEntry]
    ) -> ReadEntry:
        """A file read outside a build, kept under the digest of its bytes.

        The preview reads a saved file before the build it starts; the
        reader's next ``key_of`` takes these bytes, and the next build finds
        them read.
        """
        key, raw = self.bytes_of(source_path)
        entry = self.get(key)
        if entry is None:
            entry = read_entry(source_path, raw)
            self.put(key, entry)
        self.keys[source_path] = key
        return entry

    def remember_made(self, source_path: str, build: str, state: PortableDict) -> None:
        """Keep what a file read this build made, under the key it was read by."""
        key = self.read_as.get(source_path)
        if key is not None:
            self.made[key] = (build, state)
            self.made_used.add(key)
            # Its shard may hold this key already, made under another build
            # key (a setting that shapes articles changed): written anew.
            self.dirty.add(_shard(key[0]))

    def fill(
        self, paths: list[str], read_entry: Callable[[str, bytes], ReadEntry]
    ) -> None:
        """Read the files not in the cache, in worker processes when many."""
        missing = []
        for path in paths:
            key = self.keys[path] = (path, self.file_digests.hexdigest(path))
            if self.get(key) is None:
                key, raw = self.bytes_of(path)
                self.keys[path] = key
                missing.append((key, path, raw))
        workers = self.workers
        if len(missing) < self.parallel_from or workers <= 1 or not self.processes:
            return  # few: Pelican reads them one by one
        chunk = max(1, min(64, len(missing) // (workers * 16)))
        logger.debug(
            "Đọc trước %d tệp trên %d tiến trình (%s)",
            len(missing),
            workers,
            self.processes.get_start_method(),
        )
        if not shares_memory(self.processes):
            self._fill_in_started_workers(missing, read_entry, chunk)
            return
        global _FILLING  # noqa: PLW0603 - what the forked workers read
        _FILLING = (read_entry, missing)
        gc.collect()
        gc.freeze()
        try:
            with self.processes.Pool(workers) as pool:
                for index, entry in pool.imap_unordered(
                    _read_missing, range(len(missing)), chunksize=chunk
                ):
                    self.put(missing[index][0], entry)
        finally:
            gc.unfreeze()
            _FILLING = None

    def _fill_in_started_workers(
        self,
        missing: list[tuple[tuple[str, str], str, bytes]],
        read_entry: Callable[[str, bytes], ReadEntry],
        chunk: int,
    ) -> None:
        """``fill`` with workers that are not forked (``spawn``).

        Each makes its own reader once, and is sent the files it reads.
        """
        recipe = _reader_recipe(read_entry, self.path, self.version)
        sent = [(index, path, raw) for index, (_, path, raw) in enumerate(missing)]
        with self.processes.Pool(
            self.workers, initializer=_start_reading, initargs=(recipe,)
        ) as pool:
            for index, entry in pool.imap_unordered(_read_sent, sent, chunksize=chunk):
                self.put(missing[index][0], entry)

    def begin_build(self) -> None:
        """Forget what the last build of this process made (kept open)."""
        self.keys = {}
        self.terms = {}
        self.used, self.used_results = set(), set()
        self.read_as, self.made_used = {}, set()

    def save(self) -> None:
        """Write the shards whose entries changed; drop entries this build left.

        A process that does not keep its caches between builds lets go of
        them all once they are saved.
        """
        kept: list[tuple[dict, dict, dict]] = [({}, {}, {}) for _ in range(SHARDS)]
        for key in self.used:
            if key in self.entries:
                kept[_shard(key[0])][0][key] = self.entries[key]
        for key in self.used_results:
            kept[_shard(key)][1][key] = self.results[key]
        for key in self.made_used:
            if key in self.made and key in self.entries:
                kept[_shard(key[0])][2][key] = self.made[key]
        for shard, (entries, results, made) in enumerate(kept):
            if (
                shard not in self.dirty
                and {*entries, *results} == self.loaded[shard]
                and set(made) == self.loaded_made[shard]
            ):
                continue
            save_pickle(
                self.path / f"{shard:02d}.pickle",
                (self.version, entries, results, made),
            )
            self.loaded[shard] = {*entries, *results}
            self.loaded_made[shard] = set(made)
        self.dirty = set()
        self.used, self.used_results = set(), set()
        if _KEEP_BETWEEN_BUILDS:  # in memory: what the shards now hold
            self.entries = {k: v for entries, _, _ in kept for k, v in entries.items()}
            self.results = {k: v for _, results, _ in kept for k, v in results.items()}
            self.terms = {}
            self.made = {k: v for _, _, made in kept for k, v in made.items()}
        else:
            # Saved, and of no more use to this build: let go now rather
            # than held to its end.
            self.entries, self.results, self.made = {}, {}, {}
        self.read_as, self.made_used = {}, set()


# What a made article holds that is the build's, not the article's: given
# again from the build that remakes it.
BUILD_ATTRIBUTES = ("settings", "_context")


def made_state(content: Any) -> dict:
    """What a content object holds of its own as it is made, for ``portable``."""
    return {
        key: value
        for key, value in vars(content).items()
        if key not in BUILD_ATTRIBUTES
    }


def fresh(value: Any) -> Any:
    """A copy of a kept value's lists, dicts and sets (the rest is immutable)."""
    cls = type(value)
    if cls is list or cls is tuple:
        return cls(fresh(item) for item in value)
    if cls is dict:
        return {key: fresh(item) for key, item in value.items()}
    if cls is set:
        return {fresh(item) for item in value}
    return value


def _sound_shard(saved: tuple) -> bool:
    """True for ``(version, entries, results, made)`` as saved."""
    if len(saved) != 4 or not isinstance(saved[0], str):  # noqa: PLR2004
        return False
    entries, results, made = saved[1], saved[2], saved[3]
    return (
        type(entries) is dict
        and type(results) is dict
        and type(made) is dict
        and all(type(entry) is ReadEntry for entry in entries.values())
        and all(type(key) is tuple for key in entries)
        and all(type(key) is str for key in results)
        and all(
            type(key) is tuple
            and type(value) is tuple
            and len(value) == 2  # noqa: PLR2004
            and type(value[0]) is str
            and type(value[1]) is PortableDict
            for key, value in made.items()
        )
    )


# The cache is split in shards by path, so an edit rewrites one of them: a
# 64th of the cache (a 16th, with the articles' states, took 0.1 s to write
# at 10,000 articles).
SHARDS = 64


def _shard(text: str) -> int:
    return zlib.crc32(text.encode()) % SHARDS


_FILLING: tuple[Callable[[str, bytes], ReadEntry], list] | None = None


def _read_missing(index: int) -> tuple[int, ReadEntry]:
    read_entry, missing = _FILLING
    _key, path, raw = missing[index]
    return index, read_entry(path, raw)


# How a started worker gets its ``read_entry``: the reader's class, the
# settings and the method's name (a reader is made from the settings, as
# Pelican makes it), or a function, sent by its name.
ReaderRecipe = tuple[type, dict, str, Path, str] | Callable[[str, bytes], ReadEntry]


def _reader_recipe(
    read_entry: Callable[[str, bytes], ReadEntry], path: Path, version: str
) -> ReaderRecipe:
    reader = getattr(read_entry, "__self__", None)
    if isinstance(reader, BaseReader):
        return (type(reader), reader.settings, read_entry.__name__, path, version)
    return read_entry


def _start_reading(recipe: ReaderRecipe) -> None:
    """Make a started worker's ``read_entry``; its reader loads no cache.

    An error is kept for the first file to raise (a pool starts a worker
    whose initializer raised again, for ever).
    """
    global _READ_ENTRY, _NOT_STARTED  # noqa: PLW0603 - this worker's, for ``_read_sent``
    if not isinstance(recipe, tuple):
        _READ_ENTRY = recipe
        return
    reader_class, settings, name, path, version = recipe
    try:
        # The reader asks for the build's read cache: this worker's is empty.
        _OPEN[(path, version)] = ReadCache(path, version, 1, 0, None)
        _READ_ENTRY = getattr(reader_class(settings), name)
    except Exception as error:  # raised by the first file
        _NOT_STARTED = error


_READ_ENTRY: Callable[[str, bytes], ReadEntry] | None = None
_NOT_STARTED: BaseException | None = None


def _read_sent(item: tuple[int, str, bytes]) -> tuple[int, ReadEntry]:
    if _READ_ENTRY is None:
        raise RuntimeError("this worker has no reader") from _NOT_STARTED
    index, path, raw = item
    return index, _READ_ENTRY(path, raw)


# One cache per content folder and version, shared by the build's readers.
_OPEN: dict[tuple[Path, str], ReadCache] = {}
# Whether the caches stay open after a build, for the next build of this process.
_KEEP_BETWEEN_BUILDS = False


def keep_between_builds(keep: bool = True) -> None:
    """Keep this process's caches in memory between its builds (or no longer)."""
    global _KEEP_BETWEEN_BUILDS  # noqa: PLW0603 - the process's choice
    _KEEP_BETWEEN_BUILDS = keep
    if not keep:
        _OPEN.clear()


def kept_between_builds() -> bool:
    """True in a process that keeps its caches between builds (the preview)."""
    return _KEEP_BETWEEN_BUILDS


# The settings of the build reading now, and its caches' version: every
# reader of a build (a dozen generators make theirs) and the plugins ask for
# the cache with the same settings, whose digest is the costly part.
_READING: tuple[dict, str] | None = None


def begin_build() -> None:
    """A build starts: the caches kept open forget the last build's own state."""
    global _READING  # noqa: PLW0603 - the build's
    _READING = None
    begin_file_digests()
    if not _KEEP_BETWEEN_BUILDS:
        _OPEN.clear()  # as in a new process
        return
    for cache in _OPEN.values():
        cache.begin_build()


def build_read_cache(settings: dict) -> ReadCache:
    """The read cache of a build (one per content folder and version)."""
    global _READING  # noqa: PLW0603 - the build's
    if _READING is None or _READING[0] is not settings:
        _READING = (settings, reader_version(settings, registry_path(settings)))
    version = _READING[1]
    path = cache_folder(settings) / "read"
    key = (path, version)
    if key not in _OPEN:
        # Another version of this folder's cache, kept from an earlier build
        # and saved then, is of no more use (new code, settings or registry).
        for other in [k for k, c in _OPEN.items() if k[0] == path and c.idle()]:
            del _OPEN[other]
        config = incremental_settings(settings)
        workers = config["WORKERS"] or os.cpu_count() or 1
        _OPEN[key] = ReadCache(
            path,
            version,
            workers,
            config["PARALLEL_FROM"],
            file_digests(settings),
            processes=process_context(settings),
        )
    return _OPEN[key]


def save_caches() -> None:
    """Save every cache opened by this build; close them unless kept."""
    global _READING  # noqa: PLW0603 - the build's
    _READING = None  # the build has read everything
    for cache in _OPEN.values():
        cache.save()
        cache.file_digests.save()
    if not _KEEP_BETWEEN_BUILDS:
        _OPEN.clear()
