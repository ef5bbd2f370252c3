"""Debian's nginx on 127.0.0.1, for the tests and the benchmark."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_nginx(conf: Path, port: int) -> Iterator[str]:
    """Run nginx with a configuration until the block ends; yield its URL."""
    process = subprocess.Popen([str(NGINX), "-c", str(conf), "-g", "daemon off;"])
    try:
        for _ in range(200):
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), 0.1),
            ):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
