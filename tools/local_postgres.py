"""A throwaway PostgreSQL on 127.0.0.1, for the intake service's tests and bench.

Finds the server's programs where Debian's ``postgresql`` package puts them
(``/usr/lib/postgresql/<version>/bin``) or on the ``PATH`` (``/usr/local/bin``),
makes a cluster in a temporary folder, starts it on a free port (its socket
in that folder too), creates one database and removes everything at the end.
``initdb`` refuses to run as root: as root, the cluster belongs to the
``postgres`` user and its programs run through ``runuser``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tools.local_nginx import free_port

DATABASE = "hoi_dap"


def postgres_bin() -> Path | None:
    """The folder of ``initdb``, ``pg_ctl`` and ``postgres``, newest version first."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda folder: int(Path(folder).parent.name.split(".")[0]),
        reverse=True,
    )
    on_path = shutil.which("initdb")
    folders = [Path(f) for f in found] + ([Path(on_path).parent] if on_path else [])
    folders.append(Path("/usr/local/bin"))
    for folder in folders:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a PostgreSQL cluster; yield the ``DATABASE_URL`` of its database."""
    import psycopg  # noqa: PLC0415

    folder = postgres_bin()
    if folder is None:
        msg = "PostgreSQL không có (apt-get install postgresql)"
        raise FileNotFoundError(msg)
    # Not under pytest's tmp_path: that is private to root, and the server
    # runs as postgres when the tests run as root.
    work = Path(tempfile.mkdtemp(prefix="portal-postgres-"))
    data, sockets, log = work / "data", work / "socket", work / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    pg_ctl = str(folder / "pg_ctl")
    try:
        subprocess.run(
            _as_owner([str(folder / "initdb"), "-D", str(data), "-U", "postgres",
                       "-A", "trust", "-E", "UTF8", "--no-locale"]),
            check=True, capture_output=True,
        )  # fmt: skip
        options = f"-p {port} -k {sockets} -h 127.0.0.1 -c max_connections=100"
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(log),
                       "-w", "-t", "60", "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        server = f"postgresql://postgres@127.0.0.1:{port}"
        for _ in range(100):
            try:
                with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
                    db.execute(f"CREATE DATABASE {DATABASE}")
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        yield f"{server}/{DATABASE}"
    finally:
        if data.exists():
            subprocess.run(
                _as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False, capture_output=True,
            )  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)
