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
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import multiprocessing.connection
import multiprocessing.process
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any


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


@dataclass
class RunBeside:
    """A function running in a process of its own; ``result`` waits for it."""

    process: multiprocessing.process.BaseProcess
    receiver: multiprocessing.connection.Connection

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

        None if it raised or its process died (every later one is None too).
        """
        try:
            return self.receiver.recv()
        except EOFError:
            return None

    def result(self) -> Any:
        """Wait for the function's result (a generator's next value, its last).

        None if it raised or its process died.
        """
        try:
            result = self.receiver.recv()
        except EOFError:
            result = None
        self.receiver.close()
        self.process.join()
        return result
