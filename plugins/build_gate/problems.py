"""Problems in editors' files: one line each, ``path:line: field: message``."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

logger = logging.getLogger("portal.content")


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
        try:
            rel = os.path.relpath(self.path)
        except ValueError:
            return self.path
        return self.path if rel.startswith("..") else rel

    def __str__(self) -> str:
        return f"{self.display_path}:{self.line}: {self.field}: {self.message}"


def report_problem(problem: ContentProblem) -> None:
    """Log a content problem as an ERROR, which the build gate counts."""
    logger.error("%s", problem)
