"""Problems in editors' files: one line each, ``path:line: field: message``."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace

logger = logging.getLogger("portal.content")
# Pelican's loggers drop a WARNING already logged once in the process: a
# draft's problem must be told at every build (a preview builds many times).
if hasattr(logger, "disable_filter"):
    logger.disable_filter()


def display_path(path: str) -> str:
    """A path as an editor reads it: relative to the working folder if inside."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


# Said after a problem of a file that readers would not get yet (a draft, an
# article in review): the build goes on without the file.
NOT_FOR_READERS_YET = (
    " [bài chưa đăng (nháp hoặc chờ duyệt): không chặn bản dựng, bài bị bỏ ra "
    "cho đến khi sửa]"
)


@dataclass(frozen=True)
class ContentProblem:
    """A problem in a content file, told to an editor in Vietnamese.

    ``message`` says what is wrong and how to fix it. ``blocks_publish`` is
    False for a file readers would not get yet (a draft, an article in
    review): its problem is listed and the file left out, and the build of
    what is published goes on.
    """

    path: str
    line: int
    field: str
    message: str
    blocks_publish: bool = True

    @property
    def display_path(self) -> str:
        """The path relative to the working folder where possible."""
        return display_path(self.path)

    def __str__(self) -> str:
        said = f"{self.display_path}:{self.line}: {self.field}: {self.message}"
        return said if self.blocks_publish else said + NOT_FOR_READERS_YET

    def not_blocking(self) -> ContentProblem:
        """The same problem, in a file readers would not get yet."""
        return replace(self, blocks_publish=False)


def report_problem(problem: ContentProblem) -> None:
    """Log a content problem: an ERROR (the gate counts it) or a WARNING.

    A WARNING for a file readers would not get yet (it is left out). The
    record carries the problem itself (``content_problem``), for those who
    show it other than as a line (the preview).
    """
    level = logging.ERROR if problem.blocks_publish else logging.WARNING
    logger.log(level, "%s", problem, extra={"content_problem": problem})
