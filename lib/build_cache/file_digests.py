"""The SHA-1 of each input file, remembered between builds by its status.

Two parts of a build digest every source file: the up-to-date check (has
anything changed since the last build?) and the read cache (what did these
bytes read as?). A git checkout gives every file a new modification time,
so neither trusts times; but a file whose size, inode, modification time
and change time (``st_ctime``, which only the kernel sets) are those
recorded with its digest still holds the bytes digested then, as git's own
index assumes. Such a file is not read again.

One build sees each file as it was when first asked: the up-to-date check
and the read cache then key the same bytes, and each file is looked at once
(at 10,000 articles, 10,000 ``stat`` calls fewer). A change after that is
the next build's (the preview's watch starts it).

The digests are facts about files, not anything the build made from them:
they take no build key. Their store is checked when it is loaded (a damaged
one is as none: every file is digested again), and each entry when used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .checked import load_json, save_json
from .settings import cache_folder

# An entry: size, inode, modification and change times, then the SHA-1.
STATUS_FIELDS = 4
SHA1_HEX = 40


def _status(path: str) -> list[int]:
    stat = os.stat(path)
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]


class FileDigests:
    """File digests of one site, loaded once, saved when they changed."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.known: dict[str, list] = load_json(store) or {}
        self.changed = False
        self.asked: set[str] = set()  # paths digested since loading or saving
        # Each file's digest as this build first asked for it.
        self.this_build: dict[str, str] = {}

    def begin_build(self) -> None:
        """A build starts: every file is looked at again."""
        self.this_build = {}

    def hexdigest(self, path: str) -> str:
        """The SHA-1 of the file's bytes (read only when its status changed).

        Asked again in the same build: the same answer, the file not looked at.
        """
        self.asked.add(path)
        digest = self.this_build.get(path)
        if digest is None:
            digest = self.this_build[path] = self._hexdigest(path)
        return digest

    def _hexdigest(self, path: str) -> str:
        status = _status(path)
        known = self.known.get(path)
        if type(known) is list and known[:STATUS_FIELDS] == status:
            digest = known[STATUS_FIELDS]
            if type(digest) is str and len(digest) == SHA1_HEX:
                return digest
        with open(path, "rb") as source:
            digest = hashlib.sha1(source.read()).hexdigest()
        if status == _status(path):  # not written while it was read
            self.known[path] = [*status, digest]
            self.changed = True
        return digest

    def save(self) -> None:
        """Keep the digests of files that exist, if any was added."""
        if not self.changed:
            return
        self.known = {
            p: v
            for p, v in self.known.items()
            if p in self.asked or os.path.isfile(p)  # asked: it was there then
        }
        save_json(self.store, self.known)
        self.changed = False
        self.asked = set()


_OPEN: dict[Path, FileDigests] = {}


def begin_build() -> None:
    """A build starts: the file digests kept open look at every file again."""
    for digests in _OPEN.values():
        digests.begin_build()


def file_digests(settings: dict) -> FileDigests:
    """The file digests of this site's build cache (one per process)."""
    store = cache_folder(settings) / "file-digests.json"
    if store not in _OPEN:
        _OPEN[store] = FileDigests(store)
    return _OPEN[store]
