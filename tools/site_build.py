"""Run one Pelican build under the gate; used by ``tasks.py`` and the tests."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.contents import Content
from pelican.settings import read_settings
from pelican.utils import memoized

from build_cache import lasting_objects
from build_cache.read_cache import begin_build
from build_gate.gate import BuildFailedError, ErrorCollector
from content_problems import ContentProblem
from incremental.up_to_date import (
    BuildStamp,
    forget_stamp,
    inputs_digest,
    load_stamp,
    save_stamp,
)

logger = logging.getLogger(__name__)

LEVEL_NAMES = {
    logging.DEBUG: "GỠ LỖI",
    logging.INFO: "THÔNG TIN",
    logging.WARNING: "CẢNH BÁO",
    logging.ERROR: "LỖI",
    logging.CRITICAL: "LỖI NGHIÊM TRỌNG",
}


class EditorFormatter(logging.Formatter):
    """One line a message, with the level in Vietnamese."""

    def format(self, record: logging.LogRecord) -> str:
        """Format ``LỖI: path:line: field: message``."""
        level = LEVEL_NAMES.get(record.levelno, record.levelname)
        return f"{level}: {record.getMessage()}"


def configure_logging(verbose: bool = False) -> None:
    """Send log messages to stderr, one a line, for editors and CI logs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EditorFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


@dataclass
class BuildResult:
    """What a build did: where it wrote, and every error it logged."""

    output_path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: bool = False
    # The problems of editors' files among them, as reported (each once).
    problems: list[ContentProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the build finished and logged no error."""
        return not self.failed and not self.errors


def build_site(
    settings_file: str | Path | None, overrides: dict | None = None
) -> BuildResult:
    """Build the site; collect every error, including plugin failures.

    Pelican logs a plugin that fails to import or register and goes on
    without it; here that fails the build.
    """
    collector = ErrorCollector(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(collector)
    # No collection while the build makes what lives until it ends; what it
    # leaves, the preview collects between its builds.
    with lasting_objects():
        begin_build()
        forget_earlier_contents()
        try:
            settings = read_settings(
                str(settings_file) if settings_file else None, override=overrides or {}
            )
            wanted = list(settings.get("PLUGINS") or [])
            result = BuildResult(Path(settings["OUTPUT_PATH"]))
            stamp = _UnchangedCheck(settings) if "incremental" in wanted else None
            pelican = None
            if not (stamp and stamp.nothing_to_do()):
                pelican = Pelican(settings)
                missing = [name for name in wanted if name not in settings["PLUGINS"]]
                if missing:
                    logger.error(
                        "Không nạp được plugin %s; bản dựng dừng lại.",
                        ", ".join(missing),
                    )
                    result.failed = True
                else:
                    try:
                        pelican.run()
                    except BuildFailedError as failure:
                        logger.error("%s", failure)  # noqa: TRY400 - the reason
                        result.failed = True
                    except Exception as error:
                        # An error in editors' files that a library raises
                        # (``for_editors``, as the registry's): its message, no
                        # traceback. Any other is a bug and stays one.
                        if not getattr(error, "for_editors", False):
                            raise
                        logger.error("%s", error)  # noqa: TRY400 - the reason
                        result.failed = True
        finally:
            root.removeHandler(collector)
    for record in collector.records:
        found = result.errors if record.levelno >= logging.ERROR else result.warnings
        found.append(record.getMessage())
        problem = getattr(record, "content_problem", None)
        if problem is not None and problem not in result.problems:
            result.problems.append(problem)
    if stamp and pelican is None:
        result.problems = stamp.problems
    if stamp and pelican is not None and result.ok:
        stamp.remember(pelican, result.warnings, result.problems)
    return result


def forget_earlier_contents() -> None:
    """Let the contents of this process's earlier builds go.

    Pelican memoizes each content's body and summary (``@memoized``) in one
    dict per method, for the life of the process, keyed by the content: a
    process that builds again and again (the preview) would keep every
    build's articles, and all they point to, for ever.
    """
    for method in vars(Content).values():
        if isinstance(method, memoized):
            method.cache.clear()


class _UnchangedCheck:
    """Whether the output is already what a build would write (``incremental``)."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.digest = inputs_digest(settings)
        # The problems the last build told, when it still holds.
        self.problems: list[ContentProblem] = []

    def nothing_to_do(self) -> bool:
        """True (after repeating its warnings) when the last build still holds."""
        stamp = load_stamp(self.settings)
        if stamp is None or not stamp.still_true(self.settings, self.digest):
            forget_stamp(self.settings)
            return False
        self.problems = [
            ContentProblem(path, line, field, message, blocks_publish=False)
            for path, line, field, message in stamp.problems
        ]
        root = logging.getLogger()
        for message in stamp.warnings:
            # Straight to the handlers: Pelican's loggers drop a message they
            # have already logged in this process (as in the build it repeats).
            root.handle(
                logger.makeRecord(
                    logger.name, logging.WARNING, __file__, 0, "%s", (message,), None
                )
            )
        logger.info(
            "Không có gì thay đổi từ lần dựng trước: %s giữ nguyên",
            self.settings["OUTPUT_PATH"],
        )
        return True

    def remember(
        self, pelican, warnings: list[str], problems: list[ContentProblem]
    ) -> None:
        """Record a successful build for the next one."""
        build = getattr(pelican, "incremental_build", None)
        if build is not None:
            save_stamp(
                self.settings,
                BuildStamp(
                    self.digest,
                    build.valid_until,
                    warnings,
                    sorted(build.ledger.produced),
                    [[p.path, p.line, p.field, p.message] for p in problems],
                    dict(build.named_files),
                ),
            )
