"""What the preview tells its open pages: the current build and its problems."""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

# ``path:line: message``, the form of every content problem the build logs
# (``content_problems.ContentProblem``); other errors have no file.
PROBLEM_LINE = re.compile(r"(?P<path>[^\n]+?):(?P<line>\d+): (?P<message>.*)", re.S)


@dataclass(frozen=True)
class BuildProblem:
    """One error of a build, as the page shows it: file, line and message."""

    message: str
    file: str | None = None
    line: int | None = None


def problems_from_errors(errors: list[str], content: Path) -> list[BuildProblem]:
    """The build's error messages, split into file, line and message.

    A file inside the content folder is named from that folder's parent
    (``content/bai-viet/a.md``), wherever the preview runs from.
    """
    problems = []
    for error in errors:
        found = PROBLEM_LINE.fullmatch(error)
        if found is None:
            problems.append(BuildProblem(error))
            continue
        problems.append(
            BuildProblem(
                found["message"],
                _shown_path(found["path"], content),
                int(found["line"]),
            )
        )
    return problems


def _shown_path(path: str, content: Path) -> str:
    absolute = Path(path)
    if not absolute.is_absolute():
        absolute = Path.cwd() / absolute
    try:
        return absolute.resolve().relative_to(content.resolve().parent).as_posix()
    except ValueError:
        return path


class PreviewState:
    """The last finished build, whether another is running, and its problems.

    Every change gets a new version; the pages' event streams wait for one.
    A build's id is unique to this server (a random prefix and a count), so
    a page served before a restart of the preview reloads too.

    The pages open in the browser (their output files) are rendered first
    by a build; once they are written (``written_first``), each of them is
    told the build has ended, so that it reloads while the rest is made, and
    is served with the id of the build running, so that it does not reload
    again when that build ends. Unless the build then changed one of them
    (``changed_after_first``): that build's end gets the id after, which
    every open page reloads for.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._prefix = secrets.token_hex(4)
        self._count = 0
        self._building = False
        self._problems: list[BuildProblem] = []
        self._version = 0
        self._closed = False
        self._open: Counter[str] = Counter()
        self._ready: frozenset[str] = frozenset()
        self._shown_too_early = False
        # The pages shown before the build wrote them (``show_ahead``).
        self._ahead: dict[str, bytes] = {}

    @property
    def build_id(self) -> str:
        """The id of the last finished build (what a page served now shows)."""
        with self._changed:
            return self._current_id()

    def _current_id(self) -> str:
        return f"{self._prefix}-{self._count}"

    def build_id_for(self, page: str | None) -> str:
        """The id of the build a page served now shows (``page``: its file)."""
        with self._changed:
            return self._id_for(page)

    def _id_for(self, page: str | None) -> str:
        if self._building and page in self._ready:
            return f"{self._prefix}-{self._count + 1}"
        return self._current_id()

    def building(self) -> None:
        """A rebuild started."""
        with self._changed:
            self._building = True
            self._ready = frozenset()
            self._shown_too_early = False
            self._ahead = {}
            self._changed_now()

    def show_ahead(self, page: str, html: bytes) -> None:
        """The running build will write this page (output file) as ``html``: serve it.

        Until the build writes it (``stop_showing_ahead``) or ends, the page
        is served from memory, as written first.
        """
        with self._changed:
            if self._building:
                self._ahead[page] = html
                self._ready |= {page}
                self._changed_now()

    def shown_ahead(self, page: str | None) -> bytes | None:
        """The page (output file) as shown before its build wrote it, if it is."""
        with self._changed:
            return self._ahead.get(page) if page else None

    def pages_shown_ahead(self) -> list[str]:
        """The pages (output files) served from memory now."""
        with self._changed:
            return sorted(self._ahead)

    def stop_showing_ahead(self, page: str) -> bytes | None:
        """The build has written the page: it is served from its file again.

        Returns what was shown (None: it was not), to compare with the file.
        """
        with self._changed:
            return self._ahead.pop(page, None)

    def written_first(self, pages: list[str]) -> None:
        """The running build has written these pages (output files) as it makes them."""
        with self._changed:
            if self._building:
                self._ready |= frozenset(pages)
                self._changed_now()

    def changed_after_first(self, pages: list[str]) -> None:
        """The running build changed pages it wrote first: they reload at its end."""
        with self._changed:
            if self._building and self._ready & frozenset(pages):
                self._shown_too_early = True
                self._changed_now()  # they show the build running again

    def built(self, problems: list[BuildProblem]) -> None:
        """A rebuild finished with these problems (none: a good build)."""
        with self._changed:
            # The id the pages shown too early were served with is skipped.
            self._count += 2 if self._shown_too_early else 1
            self._building = False
            self._ready = frozenset()
            self._shown_too_early = False
            self._ahead = {}
            self._problems = list(problems)
            self._changed_now()

    def page_opened(self, page: str) -> None:
        """A page (its output file) is open in a browser, listening for builds."""
        with self._changed:
            self._open[page] += 1

    def page_closed(self, page: str) -> None:
        """A page opened is closed (or hidden: its connection let go)."""
        with self._changed:
            self._open[page] -= 1
            if self._open[page] <= 0:
                del self._open[page]

    def open_pages_told(self) -> bool:
        """True when the running build has told every open page it is written."""
        with self._changed:
            return (
                self._building
                and not self._shown_too_early
                and self._open.keys() <= self._ready
            )

    def open_pages(self) -> list[str]:
        """The output files of the pages open now, for a build to render first."""
        with self._changed:
            return sorted(self._open)

    def close(self) -> None:
        """The preview stops: every waiting event stream ends."""
        with self._changed:
            self._closed = True
            self._changed_now()

    def _changed_now(self) -> None:
        self._version += 1
        self._changed.notify_all()

    def current(self, page: str | None = None) -> tuple[int, str]:
        """The version now and the state as the script of ``page`` reads it (JSON)."""
        with self._changed:
            return self._version, self._json(page)

    def _json(self, page: str | None) -> str:
        ready = self._building and page in self._ready and not self._shown_too_early
        return json.dumps(
            {
                "build": self._id_for(page),
                "building": self._building and not ready,
                "problems": [asdict(problem) for problem in self._problems],
            },
            ensure_ascii=False,
        )

    def wait(
        self, seen: int, timeout: float, page: str | None = None
    ) -> tuple[int, str | None] | None:
        """After version ``seen``: the next version and its JSON for ``page``.

        None once the preview stops; ``(seen, None)`` when nothing changed
        within ``timeout`` seconds.
        """
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self._version != seen, timeout
            )
            if self._closed:
                return None
            if self._version == seen:
                return seen, None
            return self._version, self._json(page)
