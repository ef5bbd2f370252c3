"""The preview's HTTP server: the built site, its live-reload script and events.

The built files are served as they are, but every HTML page (and the 404
page, for any missing path) gets the preview's stylesheet and script just
before ``</head>``, at serve time only: nothing of the preview is ever
written into the output.

A page is never kept by the browser: each reload shows the last build. A
file named by its content (the theme's bundles, and the preview's own files
at a URL carrying their digest) is kept for good; any other file is kept
and asked for again at each load, by a tag of its time and size, so that
an unchanged image costs a reload an empty answer (304), not its bytes.

A page shown before its build wrote it (an open article's body edit,
``ahead.py``) is served from memory until the build writes it.

The preview's stylesheet and script are same-origin files, so the pages' own
Content-Security-Policy (``script-src 'self'``, ``style-src 'self'``,
``connect-src 'self'``) allows them and their event stream unchanged.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import stat
import threading
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

from .state import PreviewState

logger = logging.getLogger(__name__)

# The preview's own paths; no page of the site lives under this prefix.
PREFIX = "/__xem-thu/"
EVENTS = PREFIX + "su-kien"
# The events' parameter that names the page listening (its path).
PAGE_PARAMETER = "trang"
ASSETS = {
    PREFIX + "tai-lai.js": ("tai-lai.js", "text/javascript; charset=utf-8"),
    PREFIX + "tai-lai.css": ("tai-lai.css", "text/css; charset=utf-8"),
}
# Seconds between comments on an idle event stream: a closed page is
# noticed (the write fails) and its thread ends.
KEEPALIVE_SECONDS = 15
# How soon (ms) a page's EventSource reconnects after the stream drops.
RETRY_MS = 500
HEAD_END = re.compile(rb"</head\s*>", re.I)
# How a response may be kept by the browser (``Cache-Control``).
NEVER_KEPT = "no-store"
KEPT_FOR_GOOD = "max-age=31536000, immutable"
ASKED_AGAIN = "no-cache"
# The parameter of the preview's own files that carries their digest.
VERSION_PARAMETER = "v"
# What a missing page shows before the site has a 404 page (the first build
# is still running): the preview's script reloads it when the build ends.
NOT_BUILT_YET = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Xem thử: chưa có trang này</title></head>
<body><main><h1>Chưa có trang này</h1>
<p>Trang đang được dựng; khi xong, trang sẽ tự tải lại.</p></main></body>
</html>
""".encode()


def asset_url(path: str) -> str:
    """The URL of one of the preview's own files, with the digest of its bytes."""
    return f"{path}?{VERSION_PARAMETER}={_version(_asset(ASSETS[path][0]))}"


def injected_tags(build_id: str) -> bytes:
    """The tags the preview adds to a page: its stylesheet and its script."""
    style, script = asset_url(PREFIX + "tai-lai.css"), asset_url(PREFIX + "tai-lai.js")
    return (
        f'<link rel="stylesheet" href="{style}">'
        f'<script src="{script}" data-build="{build_id}" defer></script>'
    ).encode()


def inject(html: bytes, build_id: str) -> bytes:
    """The page with the preview's tags before ``</head>`` (or at its end)."""
    tags = injected_tags(build_id)
    found = HEAD_END.search(html)
    if found is None:
        return html + tags
    return html[: found.start()] + tags + html[found.start() :]


def _asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def file_tag(path: Path) -> str | None:
    """A regular file's ``ETag``: its modification time (ns) and size.

    A file the build writes again gets another tag (even within a second,
    which ``Last-Modified`` cannot tell); None for no such file.
    """
    try:
        found = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return f'"{found.st_mtime_ns:x}-{found.st_size:x}"'


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder for the preview (quietly: the build logs)."""

    server: PreviewServer
    # This response's ``Cache-Control``, and its ``ETag`` if any.
    keeping = NEVER_KEPT
    tag: str | None = None

    def log_message(self, format: str, *args: object) -> None:
        """Log at DEBUG: the editor reads the build's messages, not requests."""
        logger.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        """How the browser may keep the response (never, for a page)."""
        self.send_header("Cache-Control", self.keeping)
        if self.tag is not None:
            self.send_header("ETag", self.tag)
        super().end_headers()

    def page_file(self, url_path: str) -> str:
        """The output file a page's path is served from (``/``-separated).

        As ``send_head`` finds it, whether it exists or not (a page showing
        the 404 page waits for its own file).
        """
        path = Path(self.translate_path(url_path)).resolve()
        if url_path.endswith("/") or path.is_dir():
            path = path / "index.html"
        try:
            return path.relative_to(Path(self.directory).resolve()).as_posix()
        except ValueError:  # outside the output folder: no page of the site
            return ""

    def do_GET(self) -> None:
        """The preview's own paths, or a file of the site."""
        self.keeping, self.tag = NEVER_KEPT, None
        path = urlsplit(self.path).path
        if path == EVENTS:
            self._send_events()
        elif path.startswith(PREFIX):
            self._send_asset(path)
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        """As GET, without the event stream."""
        self.keeping, self.tag = NEVER_KEPT, None
        path = urlsplit(self.path).path
        if path.startswith(PREFIX):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
        else:
            super().do_HEAD()

    def send_head(self) -> BinaryIO | None:
        """HTML pages with the preview's tags; other files as they are.

        ``translate_path`` keeps every path inside the output folder; a
        folder without ``index.html`` is a 404, as on the portal's nginx.
        """
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
        if path.suffix == ".html":
            if urlsplit(self.path).path.startswith(self.server.untouched):
                html = self._page_bytes(path)
                if html is None:
                    return None
                return self._send_page(HTTPStatus.OK, html, injected=False)
            page = self._requested()
            html = self.server.state.shown_ahead(page) or self._page_bytes(path)
            if html is None:
                return None
            return self._send_page(HTTPStatus.OK, html, page=page)
        return self._send_file_head(path)

    def _page_bytes(self, path: Path) -> bytes | None:
        """A page's file; None, with a 404 sent, when there is none."""
        try:
            return path.read_bytes()
        except OSError:  # none, or removed by the build meanwhile
            self.send_error(HTTPStatus.NOT_FOUND)
            return None

    def _send_file_head(self, path: Path) -> BinaryIO | None:
        """Another file of the site, kept for good or asked for again by its tag."""
        if self.server.named_by_content(urlsplit(self.path).path):
            self.keeping = KEPT_FOR_GOOD
            return super().send_head()
        self.tag = file_tag(path)
        if self.tag is not None:
            self.keeping = ASKED_AGAIN
            asked = self.headers.get("If-None-Match", "")
            if self.tag in (part.strip() for part in asked.split(",")):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
        return super().send_head()

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """A missing path gets the site's 404 page, with the preview's panel."""
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        try:
            html = (Path(self.directory) / "404.html").read_bytes()
        except OSError:
            html = NOT_BUILT_YET
        body = self._send_page(HTTPStatus.NOT_FOUND, html, page=self._requested())
        if self.command != "HEAD":
            self.wfile.write(body.getvalue())

    def _requested(self) -> str:
        return self.page_file(urlsplit(self.path).path)

    def _send_page(
        self, status: int, html: bytes, injected: bool = True, page: str | None = None
    ) -> io.BytesIO:
        build_id = self.server.state.build_id_for(page)
        body = inject(html, build_id) if injected else html
        self.keeping, self.tag = NEVER_KEPT, None
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _send_asset(self, path: str) -> None:
        if path not in ASSETS:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        name, content_type = ASSETS[path]
        body = _asset(name)
        asked = parse_qs(urlsplit(self.path).query).get(VERSION_PARAMETER, [""])[0]
        if asked == _version(body):
            self.keeping = KEPT_FOR_GOOD
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _send_events(self) -> None:
        """Server-sent events: the state now, then at each change, until closed."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        state = self.server.state
        # The page that listens (``?trang=/its/path/``): a build renders it first.
        opened = parse_qs(urlsplit(self.path).query).get(PAGE_PARAMETER, [""])[0]
        page = self.page_file(opened) if opened.startswith("/") else None
        if page:
            state.page_opened(page)
        seen, data = state.current(page)
        try:
            self.wfile.write(f"retry: {RETRY_MS}\ndata: {data}\n\n".encode())
            while True:
                waited = state.wait(seen, KEEPALIVE_SECONDS, page)
                if waited is None:
                    return
                seen, data = waited
                chunk = b": \n\n" if data is None else f"data: {data}\n\n".encode()
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            if page:
                state.page_closed(page)


class PreviewServer(ThreadingHTTPServer):
    """The preview's server on 127.0.0.1: never reachable from another machine."""

    daemon_threads = True

    def __init__(
        self,
        output: Path,
        state: PreviewState,
        port: int = 0,
        untouched: Iterable[str] = (),
        named_by_content: Callable[[str], bool] = lambda _path: False,
    ) -> None:
        self.state = state
        self.untouched = tuple(untouched)
        # Whether a URL path is a file whose name is a digest of its bytes.
        self.named_by_content = named_by_content
        handler = partial(PreviewHandler, directory=str(output))
        super().__init__(("127.0.0.1", port), handler)

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> threading.Thread:
        """Serve in a background thread."""
        thread = threading.Thread(
            target=self.serve_forever, name="preview-server", daemon=True
        )
        thread.start()
        return thread
