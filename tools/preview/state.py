"""What the preview tells its open pages: the current build and its problems."""

from __future__ import annotations

import json
import re
import secrets
import threading
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
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._prefix = secrets.token_hex(4)
        self._count = 0
        self._building = False
        self._problems: list[BuildProblem] = []
        self._version = 0
        self._closed = False

    @property
    def build_id(self) -> str:
        """The id of the last finished build (what a page served now shows)."""
        with self._changed:
            return self._current_id()

    def _current_id(self) -> str:
        return f"{self._prefix}-{self._count}"

    def building(self) -> None:
        """A rebuild started."""
        with self._changed:
            self._building = True
            self._changed_now()

    def built(self, problems: list[BuildProblem]) -> None:
        """A rebuild finished with these problems (none: a good build)."""
        with self._changed:
            self._count += 1
            self._building = False
            self._problems = list(problems)
            self._changed_now()

    def close(self) -> None:
        """The preview stops: every waiting event stream ends."""
        with self._changed:
            self._closed = True
            self._changed_now()

    def _changed_now(self) -> None:
        self._version += 1
        self._changed.notify_all()

    def current(self) -> tuple[int, str]:
        """The version now and the state as the script reads it (JSON)."""
        with self._changed:
            return self._version, self._json()

    def _json(self) -> str:
        return json.dumps(
            {
                "build": self._current_id(),
                "building": self._building,
                "problems": [asdict(problem) for problem in self._problems],
            },
            ensure_ascii=False,
        )

    def wait(self, seen: int, timeout: float) -> tuple[int, str | None] | None:
        """After version ``seen``: the next version and its JSON.

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
            return self._version, self._json()
