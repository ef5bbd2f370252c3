"""The build gate: counts every ERROR logged during a build and fails it.

Pelican logs a broken article, skips it and exits 0. Here every ERROR record
logged while a build runs, from any logger, is collected; once all content
is read (the ``get_writer`` signal, before anything is written) a strict
build stops with the full list, and any ERROR while writing fails the build
at ``finalized``.
"""

from __future__ import annotations

import logging

from pelican import signals

from .settings import gate_settings

logger = logging.getLogger(__name__)


class BuildFailedError(Exception):
    """Raised to end a build with a non-zero exit code."""

    exitcode = 1


class ErrorCollector(logging.Handler):
    """A logging handler that keeps every record at its level (ERROR) or worse."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level=level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)


class BuildGate:
    """The gate of one build: collects its errors and decides its fate."""

    def __init__(self, settings: dict) -> None:
        self.strict: bool = gate_settings(settings)["STRICT"]
        self.collector = ErrorCollector()
        self.reported = 0

    @property
    def errors(self) -> list[str]:
        """Every error message logged during the build, in order."""
        return [record.getMessage() for record in self.collector.records]

    def open(self) -> None:
        """Start collecting errors."""
        logging.getLogger().addHandler(self.collector)

    def close(self) -> None:
        """Stop collecting errors."""
        logging.getLogger().removeHandler(self.collector)

    def check(self, stage: str) -> None:
        """Fail a strict build that logged errors; a preview only warns."""
        count = len(self.collector.records)
        if count == self.reported:
            return
        self.reported = count
        if self.strict:
            self.close()
            raise BuildFailedError(
                f"Bản dựng dừng lại {stage}: có {count} lỗi, liệt kê ở trên. "
                "Hãy sửa hết rồi dựng lại."
            )
        logger.warning(
            "Bản xem thử vẫn tiếp tục dù có %d lỗi (liệt kê ở trên); các bài lỗi "
            "bị bỏ ra ngoài. Bản dựng chính thức sẽ dừng lại.",
            count,
        )


def open_gate(pelican) -> None:
    """Attach a gate to the build and start collecting its errors."""
    gate = BuildGate(pelican.settings)
    gate.open()
    pelican.build_gate = gate


def check_before_writing(pelican) -> None:
    """Stop a strict build whose content has errors, before writing a file."""
    gate = getattr(pelican, "build_gate", None)
    if gate is not None:
        gate.check("trước khi ghi trang")


def close_gate(pelican) -> None:
    """Fail the build if writing it logged errors."""
    gate = getattr(pelican, "build_gate", None)
    if gate is not None:
        gate.close()
        gate.check("sau khi ghi trang")


def register() -> None:
    """Connect the gate to Pelican's build signals."""
    signals.initialized.connect(open_gate)
    signals.get_writer.connect(check_before_writing)
    signals.finalized.connect(close_gate)
