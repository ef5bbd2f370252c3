"""Debian's nginx on 127.0.0.1, for the tests and the benchmark."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
PORTAL_CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"
# deploy/nginx.conf sends the readers' forms to the intake service here.
INTAKE_PROXY = re.compile(r"proxy_pass http://127\.0\.0\.1:([0-9]+);")


def configured_intake_port(conf: Path = PORTAL_CONF) -> int:
    """The intake service's port on 127.0.0.1: where ``conf`` sends the forms."""
    ports = set(INTAKE_PROXY.findall(conf.read_text(encoding="utf-8")))
    if len(ports) != 1:
        msg = f"{conf}: expected one intake service port, found {sorted(ports)}"
        raise ValueError(msg)
    return int(ports.pop())


# The one source of the service's local port (`invoke intake` serves there).
INTAKE_PORT = configured_intake_port()


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
            if process.poll() is not None:
                raise RuntimeError(
                    f"nginx stopped at start (code {process.returncode})"
                )
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


def portal_conf(
    root: Path,
    work: Path,
    port: int,
    user: str | None = None,
    *,
    intake_port: int | None = None,
    intake_static: Path | None = None,
) -> Path:
    """``deploy/nginx.conf`` serving ``root`` on 127.0.0.1:``port``; its file.

    The workers run as ``user`` (e.g. ``"nobody nogroup"``, as a server's
    ``www-data`` would); by default as whoever runs the tests. The forms'
    paths go to the intake service on ``intake_port`` (by default the
    production port, where nothing may listen: the service is then down);
    the admin's CSS and JS come from ``intake_static`` (``collectstatic``'s
    folder) instead of the production one.
    """
    server = PORTAL_CONF.read_text(encoding="utf-8")
    if intake_port is not None:
        server = INTAKE_PROXY.sub(f"proxy_pass http://127.0.0.1:{intake_port};", server)
    if intake_static is not None:
        server = re.sub(
            r"alias /srv/hoi-dap/data/static/;", f"alias {intake_static}/;", server
        )
    server = re.sub(
        r"listen 80;\n\s*listen \[::\]:80;", f"listen 127.0.0.1:{port};", server
    )
    server = re.sub(r"root [^;]+;", f"root {root};", server)
    modules = ""
    if BROTLI_MODULE.exists():  # always in CI: the .br copies are served too
        modules = f"load_module {BROTLI_MODULE};\n"
        server = server.replace("# brotli_static on;", "brotli_static on;")
    if user is None and os.geteuid() == 0:
        user = "root root"
    workers = f"user {user};\n" if user else ""
    conf = work / "nginx.conf"
    conf.write_text(
        f"{modules}{workers}worker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {work}/b; proxy_temp_path {work}/p;"
        f" fastcgi_temp_path {work}/f; uwsgi_temp_path {work}/u;"
        f" scgi_temp_path {work}/s;\n{server}\n}}\n",
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def portal_nginx(
    root: Path,
    work: Path,
    user: str | None = None,
    intake_port: int | None = None,
    intake_static: Path | None = None,
) -> Iterator[str]:
    """The portal's nginx configuration serving ``root``; yield its URL."""
    port = free_port()
    conf = portal_conf(
        root, work, port, user, intake_port=intake_port, intake_static=intake_static
    )
    with running_nginx(conf, port) as base:
        yield base
