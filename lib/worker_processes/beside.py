"""One function run in a process of its own beside the build, its result sent back.

The build's own process runs the generators one after the other, and on a
two-core machine the other core waits for the pages. Work that needs nothing
the generators make next starts here, as soon as it is known, and the build
collects its result when it needs it. A function that raises, or a process
that dies, gives None: the caller then does the work itself, as it would
without this, and reports what fails there. A generator function sends each
value it yields as soon as it has it, from a thread of its own (a pipe holds
64 KiB: the function goes on making the next while the build has not read
the last): the build takes the first ones with ``part`` while the others
are made, and the last with ``result``.

A process that is stuck (one forked while another thread held a lock it
then waits for) would hold the build up for ever: while the build waits, a
process whose CPU time has not moved for ``RunBeside.PATIENCE`` seconds is
stopped, said so, and taken as one that died.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import logging
import multiprocessing.connection
import multiprocessing.process
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any, ClassVar

logger = logging.getLogger(__name__)


def _run_and_send(
    sender: multiprocessing.connection.Connection,
    function: Callable[..., Any],
    args: tuple,
) -> None:
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    sending = threading.Thread(target=_send_each, args=(sender, outbox))
    sending.start()
    try:
        result = function(*args)
        for part in result if inspect.isgenerator(result) else (result,):
            outbox.put(part)
    except Exception:  # the caller does it again and reports it
        outbox.put(None)
    finally:
        outbox.put(_SENT)
        sending.join()
        sender.close()


# What ends the values ``_send_each`` sends.
_SENT = object()


def _send_each(
    sender: multiprocessing.connection.Connection, outbox: queue.SimpleQueue
) -> None:
    """Send each value put in ``outbox``, in order, until ``_SENT``.

    One that cannot be sent (the build that asked stopped first, or it
    cannot be pickled) ends the sending: the build then reads None.
    """
    with contextlib.suppress(Exception):
        while (value := outbox.get()) is not _SENT:
            sender.send(value)


@dataclass(eq=False)  # one running process: itself, by identity
class RunBeside:
    """A function running in a process of its own; ``result`` waits for it."""

    process: multiprocessing.process.BaseProcess
    receiver: multiprocessing.connection.Connection
    # Seconds without CPU time, while the build waits, after which the
    # process is taken as stuck. A process beside the build waits for
    # nothing longer than a turn of the pages (5 s, ``PagesInTurns``).
    PATIENCE: ClassVar[float] = 30.0

    @classmethod
    def start(
        cls, context: BaseContext, function: Callable[..., Any], *args: Any
    ) -> RunBeside:
        """Start ``function(*args)`` in a process of ``context``.

        A forked process shares the build's objects as they are: they are
        frozen out of the collector's reach while it starts, so that neither
        process copies them by collecting.
        """
        receiver, sender = context.Pipe(duplex=False)
        gc.freeze()
        try:
            process = context.Process(
                target=_run_and_send, args=(sender, function, args), daemon=True
            )
            process.start()
        finally:
            gc.unfreeze()
        sender.close()
        return cls(process, receiver)

    def part(self) -> Any:
        """The next value a generator function yields, before its last.

        None if it raised or its process died or was stuck (every later one
        is None too).
        """
        return self._receive()

    def result(self) -> Any:
        """Wait for the function's result (a generator's next value, its last).

        None if it raised or its process died or was stuck.
        """
        result = self._receive()
        self.receiver.close()
        self.process.join()
        return result

    def _receive(self) -> Any:
        """The next value sent; None at the end, or once the process is stuck."""
        progress = _Progress(self.process.pid)
        while not self.receiver.poll(min(1.0, self.PATIENCE / 2)):
            if progress.stuck(self.PATIENCE):
                logger.warning(
                    "Tiến trình chạy bên cạnh bản dựng (pid %s) không dùng CPU "
                    "trong %.0f s: dừng nó, bản dựng tự làm phần việc của nó",
                    self.process.pid,
                    self.PATIENCE,
                )
                self.process.kill()
                self.process.join()
                return None
        try:
            return self.receiver.recv()
        except EOFError:
            return None


class _Progress:
    """Whether a process works: its CPU time moves (known on Linux, from /proc)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.cpu = _cpu_ticks(pid)
        self.since = time.monotonic()

    def stuck(self, patience: float) -> bool:
        """True once its CPU time has not moved for ``patience`` seconds."""
        cpu = _cpu_ticks(self.pid)
        now = time.monotonic()
        if cpu is None or cpu != self.cpu:
            self.cpu, self.since = cpu, now
            return False
        return now - self.since >= patience


def _cpu_ticks(pid: int | None) -> int | None:
    """User and system CPU time of a process, in clock ticks; None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime: the 14th and 15th
