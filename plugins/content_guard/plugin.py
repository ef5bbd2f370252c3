"""Receivers that make Pelican read ``content/`` through the content tree.

Pelican walks content folders following symbolic links, and copies every
file under ``STATIC_PATHS`` and every file a ``{static}`` link names, of any
type, from wherever the path leads. Here each generator walks with
:func:`content_tree.walk_content` instead (no link followed, each one an
error), and the static files Pelican found or was linked to are kept only
when they lie inside ``content/``, are no link, and are of an allowed type.
"""

from __future__ import annotations

import os
from collections.abc import Set as AbstractSet
from pathlib import Path

from pelican import signals

from content_problems import ContentProblem, report_problem
from content_tree import LinkResolver, link_resolver, walk_content

# The field a refused file is reported under.
FIELD = "tệp"


def _report_once(generator, path: str, message: str) -> None:
    """Report a refused file as an ERROR, once a build whichever walk met it."""
    reported = generator.context.setdefault("content_guard_refused", set())
    if path not in reported:
        reported.add(path)
        report_problem(ContentProblem(path, 1, FIELD, message))


def walk_content_safely(generator) -> None:
    """Give a generator a ``get_files`` that follows no link and refuses each.

    Pelican walks a generator's folders to read the files, and again to warn
    about files no reader is enabled for; the read-ahead walks them first.
    The tree does not change during a build: each set of folders is walked
    once (every file but the ``IGNORE_FILES``), and each call takes the
    files of its extensions.
    """
    settings = generator.settings
    resolver = link_resolver({**settings, "PATH": generator.path})
    ignores = tuple(settings.get("IGNORE_FILES", (".*",)))
    walked: dict[tuple, tuple[str, ...]] = {}

    def walk(paths: list[str], exclude) -> tuple[str, ...]:
        key = (tuple(paths), tuple(exclude or ()))
        if key not in walked:
            found = walk_content(
                resolver,
                paths,
                ignores,
                static_folders=settings.get("STATIC_PATHS", ()),
                excluded=exclude or (),
            )
            for path, message in found.refused:
                _report_once(generator, path, message)
            walked[key] = tuple(found.files)
        return walked[key]

    def get_files(paths, exclude=None, extensions=None) -> AbstractSet[str]:
        paths = [paths] if isinstance(paths, str) else list(paths)
        if extensions is None:
            extensions = tuple(generator.readers.extensions)
        # A set, as Pelican's own, that iterates in the walk's sorted order:
        # Pelican reads files in this order, and two files of one name in two
        # folders (trang/gioi-thieu.md, trang/en/gioi-thieu.md) keep it in
        # every list sorted by name, whatever the process's hash seed.
        return dict.fromkeys(
            path
            for path in walk(paths, exclude)
            if extensions is False or os.path.splitext(path)[1][1:] in extensions
        ).keys()

    generator.get_files = get_files


def publish_only_allowed_static_files(generator) -> None:
    """Drop every static file outside ``content/``, linked, or of a refused type."""
    resolver: LinkResolver = link_resolver(
        {**generator.settings, "PATH": generator.path}
    )
    kept = []
    for static in generator.staticfiles:
        relative = static.relative_source_path
        path = os.path.normpath(os.path.join(resolver.root, relative))
        problem = (
            resolver.file_problem(Path(path), static=True)
            if resolver.relative(path) is not None
            else "nằm ngoài thư mục content/ nên không được đăng"
        )
        if problem:
            _report_once(generator, static.source_path, problem)
            generator.context["static_content"].pop(relative, None)
            continue
        kept.append(static)
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def register() -> None:
    """Connect the content guard to Pelican."""
    signals.generator_init.connect(walk_content_safely)
    signals.static_generator_finalized.connect(publish_only_allowed_static_files)
