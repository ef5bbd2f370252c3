"""The intake service under gunicorn on 127.0.0.1, for the tests and the bench."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tools.local_nginx import free_port

SERVICE = Path(__file__).resolve().parents[1] / "intake"


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with the given environment; fail loudly."""
    return subprocess.run(
        [sys.executable, str(SERVICE / "manage.py"), *args],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn serving the service on 127.0.0.1:``port``; wait for it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(SERVICE),
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--graceful-timeout", "20", "--log-level", "warning",
         "portal_intake.wsgi"],
        env={**os.environ, **env},
    )  # fmt: skip
    for _ in range(300):
        if process.poll() is not None:
            msg = f"gunicorn stopped at start (code {process.returncode})"
            raise RuntimeError(msg)
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), 0.1),
        ):
            return process
        time.sleep(0.05)
    process.kill()
    msg = "gunicorn did not start"
    raise RuntimeError(msg)


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Graceful stop: requests in progress are finished first."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def running_intake(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Migrate, then serve the service; yield its base URL."""
    manage(env, "migrate", "--no-input", "-v", "0")
    port = free_port()
    process = start_gunicorn(env, port, workers)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_gunicorn(process)
