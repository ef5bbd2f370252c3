"""Walk content folders without ever leaving ``content/``.

Symbolic links are never followed nor read: each one is a problem, named by
its path (a hidden one, such as an editor's lock file ``.#bai.md``, is
ignored like every hidden file). A file under a static folder is published
as it is, so only the allowed types pass; each other one is a problem.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .links import LinkResolver, static_type_problem, symlink_problem


@dataclass
class ContentWalk:
    """The files found (relative to the content folder) and what was refused."""

    files: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def ignored(name: str, ignores: Iterable[str]) -> bool:
    """True for a file or folder name that ``IGNORE_FILES`` leaves out."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)


def walk_content(
    resolver: LinkResolver,
    folders: Iterable[str],
    ignores: Iterable[str] = (".*",),
    static_folders: Iterable[str] = (),
    excluded: Iterable[str] = (),
) -> ContentWalk:
    """Every file under ``folders`` (relative paths, sorted), and the refused ones.

    ``refused`` holds ``(absolute path, message)``: symbolic links anywhere,
    and files of a type not allowed under ``static_folders``.
    """
    tree = _Walk(
        resolver,
        tuple(ignores),
        tuple(os.path.join(os.path.normpath(f), "") for f in static_folders if f),
        {os.path.normpath(folder) for folder in excluded},
    )
    root = resolver.given_root
    for folder in sorted({os.path.normpath(f) if f else "" for f in folders}):
        top = os.path.join(root, folder) if folder else root
        if os.path.islink(top):
            tree.walk.refused.append((top, symlink_problem()))
        elif os.path.isdir(top):
            tree.scan(top, folder)
        elif os.path.isfile(top):
            tree.take(top, folder)
    tree.walk.files.sort()
    return tree.walk


@dataclass
class _Walk:
    resolver: LinkResolver
    ignores: tuple[str, ...]
    statics: tuple[str, ...]
    excluded: set[str]
    walk: ContentWalk = field(default_factory=ContentWalk)

    def scan(self, directory: str, relative_dir: str) -> None:
        with os.scandir(directory) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
        for entry in listed:
            if ignored(entry.name, self.ignores):
                continue
            relative = (
                os.path.join(relative_dir, entry.name) if relative_dir else entry.name
            )
            if entry.is_symlink():
                self.walk.refused.append((entry.path, symlink_problem()))
            elif entry.is_dir(follow_symlinks=False):
                if relative not in self.excluded:
                    self.scan(entry.path, relative)
            elif entry.is_file(follow_symlinks=False):
                self.take(entry.path, relative)

    def take(self, path: str, relative: str) -> None:
        static = relative.startswith(self.statics)
        if static and not self.resolver.allows_static(relative):
            self.walk.refused.append((path, static_type_problem(relative)))
            return
        self.walk.files.append(relative)
