"""Changes to the site's sources, as the operating system reports them.

Folders are watched recursively. A single file (``pelicanconf.py``) is
watched through its folder, not recursively and for its name only: an
editor that saves by writing a new file and renaming it over the old one
replaces the file, and a watch on the file itself would end there.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import watchfiles

logger = logging.getLogger(__name__)

# After a change, the changes that follow within STEP_MS of each other are
# taken together (an editor's save is often a write then a rename, a few
# milliseconds apart), for at most DEBOUNCE_MS (a checkout of many files:
# what comes after is the next batch, built as soon as this one is). At
# 50 ms, a save reached the reloaded page about 0.08 s later (1,000 articles).
STEP_MS = 20
DEBOUNCE_MS = 400
# How often (s) the waiting thread looks up, so Ctrl+C is seen at once.
WAKE_SECONDS = 0.25


class ChangeWatcher:
    """Every change under some folders and to some files, in batches."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.folders: list[Path] = []
        self.files: dict[Path, set[str]] = {}
        for path in paths:
            if path.is_dir():
                self.folders.append(path)
            elif path.parent.is_dir():
                self.files.setdefault(path.parent.resolve(), set()).add(path.name)
            else:
                logger.warning("Không theo dõi được %s: không có thư mục này.", path)
        self.stop_event = threading.Event()
        self._changes: queue.Queue[set[Path]] = queue.Queue()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start watching (one thread for the folders, one for the files)."""
        watches = []
        if self.folders:
            watches.append((self.folders, True, watchfiles.DefaultFilter()))
        if self.files:
            watches.append((list(self.files), False, self._only_named_files))
        for paths, recursive, only in watches:
            thread = threading.Thread(
                target=self._watch,
                args=(paths, recursive, only),
                name="preview-watch",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _only_named_files(self, change: watchfiles.Change, path: str) -> bool:
        changed = Path(path)
        return changed.name in self.files.get(changed.parent.resolve(), ())

    def _watch(self, paths: list[Path], recursive: bool, only) -> None:
        for changes in watchfiles.watch(
            *paths,
            watch_filter=only,
            recursive=recursive,
            step=STEP_MS,
            debounce=DEBOUNCE_MS,
            stop_event=self.stop_event,
            raise_interrupt=False,
        ):
            self._changes.put({Path(path) for _change, path in changes})

    def batches(self) -> Iterator[set[Path]]:
        """Each batch of changed paths (with those queued meanwhile) until stopped."""
        while not self.stop_event.is_set():
            try:
                changed = self._changes.get(timeout=WAKE_SECONDS)
            except queue.Empty:
                continue
            while not self._changes.empty():
                changed |= self._changes.get_nowait()
            yield changed

    def pending(self) -> bool:
        """True when changes wait to be taken (a build is to follow)."""
        return not self._changes.empty()

    def stop(self) -> None:
        """Stop watching; the threads end within a step."""
        self.stop_event.set()
        for thread in self._threads:
            thread.join(timeout=5)
