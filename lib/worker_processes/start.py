"""The start method of the build's worker processes, chosen here and nowhere else.

Where Python forks by default (Linux up to 3.13), the workers are forked:
they share the build's objects as they are, with nothing sent to them, and
start at once. Elsewhere (Windows and macOS start new interpreters:
``spawn``) each worker imports our modules by name and is sent what it
works on, pickled; every pool of the build works both ways.
``WORKER_PROCESSES = {"START_METHOD": "spawn"}`` makes a Linux build start
its workers as Windows does (the tests do).
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections.abc import Mapping
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from plugin_settings import merged

logger = logging.getLogger(__name__)

DEFAULTS = {
    # "fork" or "spawn" (or "forkserver"); empty: the platform's default.
    "START_METHOD": "",
}


def start_method(settings: Mapping[str, Any]) -> str:
    """The start method of this build's worker processes."""
    chosen = merged(settings, "WORKER_PROCESSES", DEFAULTS)["START_METHOD"]
    available = multiprocessing.get_all_start_methods()  # the default first
    if not chosen:
        return available[0]
    if chosen not in available:
        raise ValueError(
            f"WORKER_PROCESSES['START_METHOD']: {chosen!r} is not available on "
            f"this machine; use one of {available}"
        )
    return chosen


def process_context(settings: Mapping[str, Any]) -> BaseContext:
    """The ``multiprocessing`` context every pool of this build is made from.

    A worker that is not forked imports the portal's modules by name, from
    the ``sys.path`` this process hands it: the plugin folders and the
    libraries' folder are put there.
    """
    method = start_method(settings)
    if method != "fork":
        _plugin_folders_on_path(settings)
    return multiprocessing.get_context(method)


def shares_memory(context: BaseContext) -> bool:
    """True when a worker starts as a copy of this process (``fork``)."""
    return context.get_start_method() == "fork"


def _plugin_folders_on_path(settings: Mapping[str, Any]) -> None:
    on_path = {str(Path(entry or ".").resolve()) for entry in sys.path}
    libraries = Path(__file__).resolve().parent.parent
    for folder in [libraries, *settings.get("PLUGIN_PATHS", [])]:
        resolved = str(Path(folder).resolve())
        if resolved not in on_path:
            logger.debug("%s added to sys.path for the worker processes", resolved)
            sys.path.append(resolved)
            on_path.add(resolved)
