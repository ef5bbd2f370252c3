"""``invoke serve``: build, serve, watch the sources, rebuild, reload open pages."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.settings import read_settings

from build_cache.engine import (
    article_pages_rendered,
    pages_changed_after_first,
    pages_wanted_first,
    pages_written_first,
)
from build_cache.read_cache import keep_between_builds
from theme_assets import named_by_content
from tools.site_build import build_site

from .ahead import page_with_new_body
from .server import PreviewServer
from .state import PreviewState, problems_from_errors
from .watch import ChangeWatcher

logger = logging.getLogger(__name__)
# Pelican's loggers drop a message already logged once in the process; each
# rebuild's line (and the warning about changed code) is told every time.
if hasattr(logger, "disable_filter"):
    logger.disable_filter()

# The preview always builds in the gate's preview mode: a broken article is
# listed and left out, and the rest of the site is built.
PREVIEW_BUILD = {"BUILD_GATE": {"STRICT": False}}
# The dependencies' list: a change means other libraries, loaded at start only.
DEPENDENCIES = "requirements.txt"
# A build leaves its objects in cycles (articles, their context, the sections
# that list them) that only the cycle collector frees, and a whole collection
# holds the process for 0.1 s at 1,000 articles, 0.6 s at 10,000. It runs as
# soon as a build has ended when every open page has reloaded already (each
# was written first) and no change waits, so that the next save does not
# wait for it; else once the preview has been idle this long after a build
# (the open pages have reloaded); and before a build when this many builds
# ran with no collection between them.
IDLE_COLLECT_SECONDS = 1.0
COLLECT_AT_LEAST_EVERY = 3
# While a build runs in its thread, a page reloading asks the server's
# threads for it; each waits for the interpreter at every step, up to
# Python's interval (5 ms). With 0.5 ms, the page a build has just written
# was served in 0.05-0.065 s against 0.06-0.13 s at 10,000 articles. Only
# threads that wait for the interpreter are switched to: no cost otherwise.
SWITCH_INTERVAL_SECONDS = 0.0005


def needs_restart(changed: Iterable[Path], settings_file: Path) -> list[Path]:
    """The changed files a running process cannot take in: a restart must.

    Python code (the plugins, the libraries, the tools, the settings) is
    imported once by a process, and a dependency is installed for the next
    one; everything else (content, registry, theme) is read by each build.
    """
    settings = settings_file.resolve()
    return sorted(
        path
        for path in changed
        if path.suffix == ".py"
        or path.name == DEPENDENCIES
        or path.resolve() == settings
    )


def code_problems(paths: Iterable[Path]) -> list[str]:
    """The changed Python files that do not compile, as ``path:line: message``.

    Restarting on one would end the preview with a traceback; the running
    one tells the mistake and restarts when the file is fixed.
    """
    problems = []
    for path in paths:
        if path.suffix != ".py" or not path.is_file():
            continue
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except SyntaxError as error:
            problems.append(
                f"{path}:{error.lineno or 1}: mã Python có lỗi cú pháp "
                f"({error.msg}); hãy sửa rồi lưu lại, bản xem thử sẽ khởi động lại"
            )
    return problems


def restart_process() -> None:
    """Run this process's command again from its start, in its place.

    ``sys.orig_argv`` is the command as given (``python -m invoke serve``,
    ``invoke serve``, ``python -c ...``); the process id, the working folder
    and the environment stay the same. Never returns.
    """
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


class _RestartNeeded(Exception):
    """Code, settings or dependencies changed: the process starts again."""


class Preview:
    """A preview of the site: a build, its server, and a rebuild on every change.

    ``watched`` are the folders and files whose changes start a rebuild.
    Pages under the paths ``untouched`` (the browser editor, ``/quan-tri/``)
    are served as built: no reload script, so a rebuild never reloads them.
    Builds run in this process, one at a time; the changes made during a
    build start the next one as soon as it ends.
    """

    def __init__(
        self,
        settings_file: Path,
        watched: Iterable[Path],
        overrides: dict | None = None,
        port: int = 0,
        untouched: Iterable[str] = (),
    ) -> None:
        self.settings_file = settings_file
        self.overrides = {**(overrides or {}), **PREVIEW_BUILD}
        settings = read_settings(str(settings_file), override=self.overrides)
        self.content = Path(settings["PATH"])
        self.output = Path(settings["OUTPUT_PATH"])
        self.watched = [Path(path).resolve() for path in watched]
        self.state = PreviewState()
        self.watcher = ChangeWatcher(self.watched)
        self.server = PreviewServer(
            self.output,
            self.state,
            port,
            untouched,
            partial(named_by_content, settings),
        )
        self._thread: threading.Thread | None = None
        self._restarts = False
        # Held while a build or a collection runs; builds since the last one.
        self._busy = threading.Lock()
        self._uncollected = 0
        # The pages open in the browser are rendered first, and reloaded as
        # soon as they are written, while the build makes the rest.
        pages_wanted_first.connect(self._pages_wanted_first)
        pages_written_first.connect(self._pages_written_first)
        pages_changed_after_first.connect(self._pages_changed_after_first)
        # From the last build, to show an open article's body edit at once
        # (``ahead.py``): its articles generator and its article pages.
        self._articles = None
        self._article_pages = None
        signals.article_generator_finalized.connect(self._keep_articles)
        article_pages_rendered.connect(self._keep_article_pages)

    @property
    def url(self) -> str:
        """Where the preview is served."""
        return self.server.url

    def run(self, restart: bool = True) -> None:
        """Serve and rebuild in this thread until Ctrl+C.

        ``restart``: when code, settings or dependencies change, close the
        server and run the process's command again from its start (on the
        same port); the open pages reconnect and reload once it has built.
        Without it, the change is told and the preview goes on with the
        code it loaded.
        """
        self._restarts = restart
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        self._serve()
        try:
            self._build_on_changes()
        except KeyboardInterrupt:
            pass
        except _RestartNeeded:
            self.stop()
            restart_process()
        finally:
            self.stop()

    def start(self, built_first: bool = False) -> None:
        """Serve and rebuild in a background thread (the tests).

        ``built_first``: return only once the first build has ended. A build
        forks its workers from that thread: a lock another thread holds
        then (``sys.stdin``'s, while it waits on a read) stays held in the
        workers, so a caller that blocks so should use ``run``.
        """
        self._serve()
        if built_first:
            self.build()
        self._thread = threading.Thread(
            target=self._build_on_changes,
            args=(not built_first,),
            name="preview-build",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and serving; every open event stream ends."""
        pages_wanted_first.disconnect(self._pages_wanted_first)
        pages_written_first.disconnect(self._pages_written_first)
        pages_changed_after_first.disconnect(self._pages_changed_after_first)
        signals.article_generator_finalized.disconnect(self._keep_articles)
        article_pages_rendered.disconnect(self._keep_article_pages)
        self.watcher.stop()
        self.state.close()
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=60)
        keep_between_builds(keep=False)

    def _builds_here(self, output: Path) -> bool:
        return Path(output).resolve() == self.output.resolve()

    def _pages_wanted_first(self, _writer, output: Path) -> list[str]:
        return self.state.open_pages() if self._builds_here(output) else []

    def _pages_written_first(self, _writer, output: Path, names: list[str]) -> None:
        if self._builds_here(output):
            self._stop_showing_ahead(names)
            self.state.written_first(names)

    def _keep_articles(self, generator) -> None:
        if self._builds_here(generator.output_path):
            self._articles = generator

    def _keep_article_pages(self, _writer, output: Path, pages) -> None:
        if self._builds_here(output):
            self._article_pages = pages

    def _show_ahead(self, changed: Iterable[Path]) -> None:
        """Show the open page of an article whose body alone was saved, at once.

        What the last build left for it is let go here, before the build.
        """
        pages, self._article_pages = self._article_pages, None
        generator, self._articles = self._articles, None
        changed = list(changed)
        if generator is None or pages is None or len(changed) != 1:
            return
        for name in self.state.open_pages():
            found = pages.page(name)
            if found is None:
                continue
            own, render = found
            try:
                html = page_with_new_body(
                    own["article"],
                    render,
                    name,
                    changed=changed[0],
                    generator=generator,
                    output=self.output,
                )
            except Exception:  # the build tells it, if it is not the preview's
                logger.debug("Không hiện trước được %s", name, exc_info=True)
                continue
            if html is not None:
                self.state.show_ahead(name, html.encode("utf-8"))

    def _stop_showing_ahead(self, names: Iterable[str]) -> None:
        """The build wrote these pages: a page shown otherwise reloads at its end."""
        for name in names:
            shown = self.state.stop_showing_ahead(name)
            if shown is None:
                continue
            try:
                written = (self.output / name).read_bytes()
            except OSError:
                written = None
            if written != shown:
                logger.info("Trang đã hiện trước khác bản dựng: %s", name)
                self.state.changed_after_first([name])

    def _pages_changed_after_first(
        self, _writer, output: Path, names: list[str]
    ) -> None:
        if self._builds_here(output):
            self.state.changed_after_first(names)

    def _serve(self) -> None:
        # Watched first, so a change made during the first build is not
        # missed; served at once, so pages open while it runs (the output
        # of the last run, or a page that waits for the build). A page that
        # connects then hears a build is running, and reloads when it ends
        # (a page of the process before a restart, too).
        self.watcher.start()
        self.state.building()
        self.server.start()
        # What the builds read is kept in this process from one to the next.
        keep_between_builds()

    def _build_on_changes(self, build_first: bool = True) -> None:
        if build_first:
            self.build()
        for changed in self.watcher.batches():
            code = needs_restart(changed, self.settings_file)
            if code and self._code_changed(code):
                continue
            self.build(changed)

    def _code_changed(self, code: list[Path]) -> bool:
        """Restart for changed code; True when a mistake in it is told instead."""
        named = ", ".join(str(path) for path in code[:3])
        problems = code_problems(code)
        if problems:
            for problem in problems:
                logger.error("%s", problem)
            self.state.building()
            self.state.built(problems_from_errors(problems, self.content))
            return True
        if self._restarts:
            logger.warning(
                "Mã, thiết lập hoặc thư viện phụ thuộc đã thay đổi (%s): bản xem "
                "thử khởi động lại từ đầu; trang đang mở sẽ tự tải lại khi dựng xong.",
                named,
            )
            raise _RestartNeeded
        logger.warning(
            "Mã Python đã thay đổi (%s): bản xem thử vẫn chạy mã cũ; "
            "hãy dừng (Ctrl+C) rồi chạy lại invoke serve.",
            named,
        )
        # The settings are read again by the build; what was kept from the
        # last one is let go, as a restart would.
        keep_between_builds(keep=False)
        keep_between_builds()
        return False

    def build(self, changed: Iterable[Path] | None = None) -> None:
        """Build once; tell the open pages it started, then how it ended.

        ``changed``: the files saved since the last build, if known.
        """
        with self._busy:
            if self._uncollected >= COLLECT_AT_LEAST_EVERY:
                self._collect()
            reloaded = self._build(changed)
            self._uncollected += 1
            if reloaded and not self.watcher.pending():
                self._collect()
                return
        timer = threading.Timer(IDLE_COLLECT_SECONDS, self._collect_if_idle)
        timer.daemon = True
        timer.start()

    def _collect_if_idle(self) -> None:
        """Free the last builds' garbage, unless another build has started."""
        if not self._busy.acquire(blocking=False):
            return
        try:
            if self._uncollected:
                self._collect()
        finally:
            self._busy.release()

    def _collect(self) -> None:
        gc.collect()
        self._uncollected = 0

    def _build(self, changed: Iterable[Path] | None = None) -> bool:
        """Build; True when every open page had reloaded before the end."""
        self.state.building()
        started = time.perf_counter()
        self._show_ahead(changed or [])
        try:
            result = build_site(self.settings_file, self.overrides)
        except Exception as error:
            # A bug, not an editor's mistake: the preview keeps running and
            # the page says so, with the traceback in the terminal.
            logger.exception("Bản dựng gặp lỗi ngoài dự kiến")
            kind = type(error).__name__
            errors = [f"Bản dựng gặp lỗi ngoài dự kiến: {kind}: {error}"]
        else:
            errors = list(result.errors)
            # A draft's problems are warnings (they never block a publish),
            # but the draft is left out of the preview: the page names them.
            for problem in result.problems:
                if str(problem) not in errors:
                    errors.append(str(problem))
            if result.failed and not errors:
                errors = ["Bản dựng thất bại; xem thông báo trong cửa sổ lệnh."]
        seconds = time.perf_counter() - started
        self._stop_showing_ahead(self.state.pages_shown_ahead())
        reloaded = self.state.open_pages_told()
        # The open pages are told first: once the line is in the terminal, a
        # page opened is the new build's, and never reloads for it.
        self.state.built(problems_from_errors(errors, self.content))
        logger.info("Đã dựng lại trong %.2f giây, %d lỗi.", seconds, len(errors))
        return reloaded
