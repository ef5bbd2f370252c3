"""What the last build wrote: page fingerprints, and what this build produced.

The output folder is kept between builds. A page whose fingerprint is the
one recorded, and whose file is still the one written then (same size and
modification time), is not rendered again. After the build, every file that
this build did not produce is removed, so the output holds exactly what a
clean build would write.

A finished build also records every file it produced and a digest of the
modification times of their folders. When the next build finds the folders
as they were (nothing added, renamed or removed there since) and runs with
the same code and settings, it knows the output without reading a folder:
the files it no longer produces are removed by name, and only the files it
wrote need compressed copies.

The ledger is checked when it is loaded: a damaged one is as none (every
page is rendered, every folder read).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from build_cache import damaged, load_json, save_json
from build_cache.settings import COMPRESSED_SUFFIXES

logger = logging.getLogger(__name__)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it; True if written.

    An unchanged file keeps its modification time, so its compressed copies
    and the next build's checks see it as current.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        path.unlink()  # a hard link made by hand or an older build: not written through
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


class OutputLedger:
    """Fingerprints of the pages in one output folder, and what a build produced."""

    def __init__(self, output_path: Path, manifest: Path, base: str = "") -> None:
        self.output_path = output_path
        self.base = base  # the build's code and settings (``fingerprints``)
        self.output_folder = str(output_path)  # for os.path, faster than pathlib
        self.manifest = manifest
        self.previous: dict[str, list] = {}
        self.pages: dict[str, list] = {}
        self.previous_groups: dict[str, str] = {}
        self.groups: dict[str, str] = {}
        self.produced: set[str] = set()
        # Produced files this build left as they were: the same bytes as the
        # last build wrote, whose compressed copies are therefore current.
        self.untouched: set[str] = set()
        # Present from the first write of a build to its end: a build that
        # stopped half-way may have written files and not made their copies.
        self.unfinished = manifest.with_suffix(".unfinished")
        saved = load_json(manifest) or {}
        if saved.get("output") != str(output_path):
            saved = {}
        elif not _sound_manifest(saved):
            damaged(manifest)
            saved = {}
        self.previous = saved.get("pages", {})
        self.previous_groups = saved.get("groups", {})
        # Each file of a group (``group_is_current``) as the last build left
        # it, its size and modification time: one changed in place since (by
        # hand, a disk, a tool) is not current, as a page is not. The names
        # of each group asked about this build, and the groups it wrote.
        self.previous_group_files: dict[str, list] = saved.get("group_files", {})
        self.group_files: dict[str, list] = {}
        self.group_names: dict[str, list[str]] = {}
        self.groups_written: set[str] = set()
        # Group files found as the last build left them (``_as_left``) this
        # build: one a group keeps is there, and its size and time stand.
        self.seen_as_left: set[str] = set()
        # Every file the last build produced (compressed copies aside).
        self.previous_files: frozenset[str] = frozenset(saved.get("files", ()))
        # The output is as the last build left it, made by the same code and
        # settings (precompressing, for one, may have been off): so are the
        # copies of what this build leaves untouched.
        self.same_as_last_build = (
            not self.unfinished.exists() and saved.get("base") == base
        )
        # ...and nothing was added to it or removed from it since: the last
        # build's files are all that is there (checked before any write).
        self.folder_times: dict[str, int] = {}
        self.previous_folders: list[str] = []  # sorted, once asked for
        self.known_as_left = (
            self.same_as_last_build
            and bool(self.previous_files)
            and saved.get("folders") == self._folders_digest(self.previous_files)
        )
        if not self.known_as_left:
            self.folder_times = {}
        # Folders this build removed files from (their times change).
        self.emptied: set[str] = set()

    def is_current(self, name: str, fingerprint: str) -> bool:
        """True when the page at ``name`` was written with this fingerprint."""
        entry = self.previous.get(name)
        if type(entry) is not list or not entry or entry[0] != fingerprint:
            return False
        try:
            stat = os.stat(os.path.join(self.output_folder, name))
        except FileNotFoundError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != entry[1:]:
            return False
        self.pages[name] = entry
        self.produced.add(name)
        self.untouched.add(name)
        return True

    def keep(self, name: str) -> None:
        """Keep a page as the last build wrote it (found current by a worker)."""
        self.pages[name] = self.previous[name]
        self.produced.add(name)
        self.untouched.add(name)

    def group_is_current(self, key: str, fingerprint: str, names: list[str]) -> bool:
        """True when a group of files was made with this fingerprint and is as left.

        Each file is there with the size and modification time the build
        that made it left it with.
        """
        self.group_names[key] = names
        if self.previous_groups.get(key) != fingerprint or not self._as_left(names):
            return False
        self.groups[key] = fingerprint
        for name in names:
            self.group_files[name] = self.previous_group_files[name]
        self.produced.update(names)
        self.untouched.update(names)
        return True

    def group_was_written(self, key: str, fingerprint: str, names: list[str]) -> bool:
        """True when the last build made a group with this fingerprint, as it left it.

        Each file there with its size and time then: what a plugin kept of
        how it made them (a search segment's postings) still says what they
        hold.
        """
        return self.previous_groups.get(key) == fingerprint and self._as_left(names)

    def _as_left(self, names: list[str]) -> bool:
        """True when each file is there with the size and time it was left with."""
        for name in names:
            try:
                stat = os.stat(os.path.join(self.output_folder, name))
            except FileNotFoundError:
                return False
            if self.previous_group_files.get(name) != [stat.st_size, stat.st_mtime_ns]:
                return False
        self.seen_as_left.update(names)
        return True

    def remember_group(self, key: str, fingerprint: str) -> None:
        """Record the fingerprint of a group of files this build wrote."""
        self.groups[key] = fingerprint
        self.groups_written.add(key)

    def _group_files_written(self) -> None:
        """The size and time of each file of the groups this build wrote.

        A file the group kept as it was (seen as left, not written) keeps the
        size and time it was seen with: a segment of the search index keeps
        thousands for each one it writes.
        """
        for key in self.groups_written:
            for name in self.group_names.get(key, ()):
                if name in self.seen_as_left and name in self.untouched:
                    self.group_files[name] = self.previous_group_files[name]
                    continue
                try:
                    stat = os.stat(os.path.join(self.output_folder, name))
                except FileNotFoundError:
                    continue
                self.group_files[name] = [stat.st_size, stat.st_mtime_ns]

    def rendered(self, name: str, fingerprint: str | None, written: bool) -> None:
        """Record a page this build rendered (fingerprint None: always render)."""
        self.produced.add(name)
        if not written:
            self.untouched.add(name)
        if fingerprint is None:
            return
        stat = (self.output_path / name).stat()
        self.pages[name] = [fingerprint, stat.st_size, stat.st_mtime_ns]

    def record(self, name: str, written: bool = True) -> None:
        """Record a file this build produced (static files, index files...).

        ``written`` False: the file was already there with these bytes.
        """
        name = os.path.normpath(name)
        self.produced.add(name)
        if not written:
            self.untouched.add(name)

    def begin_writing(self) -> None:
        """Mark the output as being written, until ``save`` at the build's end."""
        self.unfinished.parent.mkdir(parents=True, exist_ok=True)
        self.unfinished.touch()

    def written_since_finished_build(self) -> frozenset[str] | None:
        """The files this build wrote, when they are all that changed.

        That is when the output was as the last finished build left it, with
        the same code and settings. None: any file may have changed, or have
        no current copies, so every one must be looked at.
        """
        if not self.known_as_left:
            return None
        return frozenset(self.produced - self.untouched)

    def untouched_since_finished_build(self) -> frozenset[str]:
        """Files this build left as a finished build wrote them (their copies too).

        Empty when the last build stopped half-way (what it wrote is unknown),
        or ran with other code or settings.
        """
        return frozenset(self.untouched) if self.same_as_last_build else frozenset()

    def remove_stale(self, keep: tuple[str, ...] = ()) -> int:
        """Delete every file this build did not produce; return how many.

        Top-level folders and files named in ``keep`` are left alone; folders
        left empty are removed. When the output is as the last build left it,
        the files that build produced and this one did not are removed by
        name; otherwise every folder is read.
        """
        if self.known_as_left:
            return self._remove_dropped(keep)
        return self._sweep(keep)

    def _remove_dropped(self, keep: tuple[str, ...]) -> int:
        """Remove the last build's files this build did not produce, with copies."""
        removed = 0
        folders: set[str] = set()
        for name in self.previous_files - self.produced:
            if _under(name, keep):
                continue
            copies = [
                name + suffix
                for suffix in COMPRESSED_SUFFIXES
                if name + suffix not in self.produced
            ]
            for stale in (name, *copies):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(self.output_folder, stale))
                    removed += 1
            folders.update(_folders_of([name]))
        self.emptied |= folders
        # Deepest first, so that a folder emptied of folders goes too.
        for folder in sorted(folders, key=lambda f: f.count(os.sep), reverse=True):
            if folder:  # not when something in it was produced
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.join(self.output_folder, folder))
        return removed

    def _sweep(self, keep: tuple[str, ...]) -> int:
        """Read every folder of the output and remove what was not produced."""
        removed = 0

        def sweep(folder: str, prefix: str) -> bool:
            """Sweep one folder; True when nothing is left in it."""
            nonlocal removed
            left = 0
            with os.scandir(folder) as scanned:
                entries = list(scanned)
            for entry in entries:
                relative = prefix + entry.name
                if relative in keep:
                    left += 1
                elif entry.is_dir(follow_symlinks=False):
                    if sweep(entry.path, relative + os.sep):
                        os.rmdir(entry.path)
                    else:
                        left += 1
                elif relative in self.produced or (
                    relative.endswith(COMPRESSED_SUFFIXES)
                    and relative[:-3] in self.produced  # a copy of a page
                ):
                    left += 1
                else:
                    os.unlink(entry.path)
                    removed += 1
            return not left

        sweep(str(self.output_path), "")
        return removed

    def _folders_digest(
        self, files: Iterable[str], changed: set[str] = frozenset()
    ) -> str | None:
        """A digest of the modification times of the folders holding ``files``.

        A folder's time changes whenever a file or folder is added to it,
        renamed or removed. None if one of them is gone. The times are kept
        (``folder_times``): those of folders not in ``changed`` are taken
        from there rather than read again.
        """
        digest = hashlib.sha1()
        times = self.folder_times
        if files is self.previous_files or files == self.previous_files:
            # A build that produced the same files as the last: the same folders.
            if not self.previous_folders:
                self.previous_folders = sorted(_folders_of(files))
            folders = self.previous_folders
        else:
            folders = sorted(_folders_of(files))
        for folder in folders:
            time = times.get(folder)
            if time is None or folder in changed:
                try:
                    time = os.stat(os.path.join(self.output_folder, folder)).st_mtime_ns
                except FileNotFoundError:
                    return None
                times[folder] = time
            digest.update(f"{folder}\0{time}\0".encode())
        return digest.hexdigest()

    def save(self) -> None:
        """Keep this build's page fingerprints for the next build."""
        self._group_files_written()
        save_json(
            self.manifest,
            {
                "output": str(self.output_path),
                "base": self.base,
                "pages": self.pages,
                "groups": self.groups,
                "group_files": self.group_files,
                "files": sorted(self.produced),
                "folders": self._folders_digest(
                    self.produced,
                    # Where this build wrote or removed files; the rest
                    # are as this build found them.
                    _folders_of(self.produced - self.untouched) | self.emptied,
                ),
            },
        )
        self.unfinished.unlink(missing_ok=True)


def _sound_manifest(saved: dict) -> bool:
    """True when each part of a saved ledger has the type ``save`` gives it.

    The pages' and group files' entries are checked where they are used
    (``is_current``, ``group_is_current``).
    """
    parts = (
        (saved.get("pages", {}), dict),
        (saved.get("groups", {}), dict),
        (saved.get("group_files", {}), dict),
        (saved.get("files", []), list),
    )
    return (
        all(type(value) is kind for value, kind in parts)
        and set(map(type, saved.get("files", []))) <= {str}
        and set(map(type, saved.get("groups", {}).values())) <= {str}
        and isinstance(saved.get("folders"), (str, type(None)))
    )


def _folders_of(files: Iterable[str]) -> set[str]:
    """Every folder on the way to each file (the output itself: ``""``)."""
    folders = {""}
    for name in files:
        folder = os.path.dirname(name)
        while folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return folders


def _under(name: str, keep: tuple[str, ...]) -> bool:
    """True when ``name`` is, or is in, one of the kept files or folders."""
    return any(name == kept or name.startswith(kept + os.sep) for kept in keep)
