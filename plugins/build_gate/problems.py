"""Problems in editors' files: one line each, ``path:line: field: message``."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

logger = logging.getLogger("portal.content")


def display_path(path: str) -> str:
    """A path as an editor reads it: relative to the working folder if inside."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass(frozen=True)
class ContentProblem:
    """A problem in a content file, told to an editor in Vietnamese.

    ``message`` says what is wrong and how to fix it.
    """

    path: str
    line: int
    field: str
    message: str

    @property
    def display_path(self) -> str:
        """The path relative to the working folder where possible."""
        return display_path(self.path)

    def __str__(self) -> str:
        return f"{self.display_path}:{self.line}: {self.field}: {self.message}"


def report_problem(problem: ContentProblem) -> None:
    """Log a content problem as an ERROR, which the build gate counts."""
    logger.error("%s", problem)
