"""The portal's writer: pages are queued, then only changed ones are rendered.

Generators call ``write_file`` as they do with Pelican's writer. Each call is
fingerprinted (see ``fingerprints``); a page whose fingerprint matches the
last build's is left as it is, the others are queued and rendered together,
on every core, by ``render_queued`` (the last generator of the build). Files
are written only when their bytes change. Other files a generator produces
(search index, sitemaps, assets) go through ``write_output``, so that the
build knows every file it produced and can remove the rest.

Forked workers (Linux) share the queue as it is in this process. Workers that
are started anew (``spawn``: Windows, macOS) are each sent the queue once,
pickled (``queue_payload``): templates by their name and environment, card
digests with the articles they belong to.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import hashlib
import io
import logging
import multiprocessing.connection
import multiprocessing.pool
import os
import pickle
import time
import traceback
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.context import BaseContext
from pathlib import Path, PurePath
from typing import Any, ClassVar

from jinja2 import Environment, Template
from jinja2.utils import LRUCache
from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from build_cache.engine import (
    article_pages_rendered,
    pages_changed_after_first,
    pages_wanted_first,
    pages_written_first,
)
from build_cache.settings import cache_folder
from content_tree import files_loaded, output_name
from listings import date_stably
from worker_processes import RunBeside, shares_memory

from .fingerprints import PageFingerprints
from .ledger import OutputLedger, write_if_changed
from .static_copies import static_files_to_copy

logger = logging.getLogger(__name__)


@dataclass
class RenderJob:
    """One page to render: where, with which template and variables."""

    name: str
    path: str
    template: Template
    localcontext: dict
    own: dict
    # Taken before the queue runs (``DigestsAhead``), when ``fingerprinted``.
    fingerprint: str | None = None
    fingerprinted: bool = False


@dataclass
class IncrementalBuild:
    """The state of one build's output: fingerprints, ledger, queued pages."""

    output_path: Path
    fingerprints: PageFingerprints
    ledger: OutputLedger
    always_render: frozenset[str]
    workers: int
    parallel_from: int
    processes: BaseContext  # how worker processes start (``worker_processes``)
    jobs: list[RenderJob] = field(default_factory=list)
    tasks: list[FilesTask] = field(default_factory=list)
    # Tasks already running in a process of their own, by their index.
    tasks_ahead: dict[int, TaskAhead] = field(default_factory=dict)
    context: dict | None = None
    digests_ahead: DigestsAhead | None = None
    valid_until: str | None = None
    # Moments when a file written stops being true with no input changed
    # (an article leaving the news sitemap's window): ``output_expires``.
    expiries: list[datetime] = field(default_factory=list)
    # The files outside the content a setting names (an emblem, a font) that
    # the output was made from, each with its SHA-1: ``read_named_file``.
    named_files: dict[str, str] = field(default_factory=dict)
    # The pages written before the queue ran, asked for first (``_render_first``).
    written_first: set[str] = field(default_factory=set)
    # The pages asked for first and not yet told (by output file: as asked),
    # asked as the first page is queued and again as the queue runs.
    wanted_first: dict[str, str] | None = None
    # Whether Pelican's static generator, the last, will copy a file.
    statics_to_copy: bool | None = None
    # Those told written first, by output file, each with the files it loads;
    # those of them the build then changed (rendered again otherwise, failing,
    # or a file they load written again).
    told_first: dict[str, FirstPage] = field(default_factory=dict)
    changed_after_first: set[str] = field(default_factory=set)
    rendered: int = 0
    skipped: int = 0
    written: int = 0

    @property
    def worker_count(self) -> int:
        """Worker processes for this build (``WORKERS``; 0: one per core)."""
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class FirstPage:
    """A page told written first: its name as asked, and the files it loads."""

    name: str
    loads: frozenset[str]


@dataclass
class FilesTask:
    """Files a generator makes in one go (a search index segment)."""

    key: str
    fingerprint: str
    make: Callable[[], dict[str, bytes | None]]


@dataclass
class Outcome:
    """What a worker did with one job."""

    index: int
    skipped: bool = False
    fingerprint: str | None = None
    written: int = 0
    names: list[str] = field(default_factory=list)  # files a task wrote
    untouched: list[str] = field(default_factory=list)  # and those it left as they were
    error: str | None = None
    seconds: float = 0.0


@dataclass
class ArticlePages:
    """A build's article pages, to render one again with other values.

    Pelican queues every article's page from one context, so they share
    what they start from (``start``); each keeps its template, its output
    file and its own values. Far less than their queued values, which are
    each a copy of the whole context.
    """

    start: dict
    pages: dict[str, tuple[Template, str, dict]]

    @classmethod
    def of(cls, jobs: list[RenderJob]) -> ArticlePages:
        """The article pages among ``jobs`` (those given an ``article``)."""
        pages = {
            str(PurePath(job.name)): (job.template, job.name, job.own)
            for job in jobs
            if "article" in job.own
        }
        first = next((job for job in jobs if "article" in job.own), None)
        start = {} if first is None else dict(first.localcontext)
        for key in [*(first.own if first else ()), "output_file"]:
            start.pop(key, None)
        return cls(start, pages)

    def page(self, name: str) -> tuple[dict, Callable[..., str]] | None:
        """The page at output file ``name``: its own values and how to render it."""
        found = self.pages.get(str(PurePath(name)))
        if found is None:
            return None
        template, output_file, own = found

        def render(**values: Any) -> str:
            return template.render(
                {**self.start, "output_file": output_file, **own, **values}
            )

        return own, render


def failure_report(error: BaseException) -> str:
    """The error, and where in a template it was raised (file and line).

    Jinja puts each template's frames in the traceback under the template's
    file name; the innermost one is where the page failed. Only text crosses
    from a worker process, so this is all the main process gets to say.
    """
    message = "".join(traceback.format_exception_only(error)).strip()
    frames = traceback.extract_tb(error.__traceback__)
    in_templates = [frame for frame in frames if _is_template(frame.filename)]
    if not in_templates:
        return message
    frame = in_templates[-1]
    return f"{message} (mẫu {frame.filename}, dòng {frame.lineno})"


def _is_template(filename: str) -> bool:
    return filename.endswith((".html", ".xml", ".txt", ".json", ".j2"))


def _shown_content(localcontext: dict) -> str:
    """`` (bài content/…)`` for a page made from one article or page."""
    for key in ("article", "page"):
        content = localcontext.get(key)
        source = getattr(content, "source_path", None)
        if source:
            return f" (bài {source})"
    return ""


def _must_exist(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(path)


# The writer whose queue is being run: forked workers inherit it, started
# ones make it from ``queue_payload`` (``receive_queue``).
_ACTIVE: PortalWriter | None = None


# Why a started worker has no queue (``receive_queue`` failed), if it has none.
_NOT_RECEIVED: BaseException | None = None


def _active() -> PortalWriter:
    if _ACTIVE is None:
        raise RuntimeError("this worker received no queue") from _NOT_RECEIVED
    return _ACTIVE


def run_active_job(index: int) -> Outcome:
    """Run one queued job of the active writer (in a worker process)."""
    return _active().run_job(index)


def run_active_jobs(indexes: list[int]) -> list[Outcome]:
    """Run queued jobs of the active writer (in a worker process)."""
    writer = _active()
    return [writer.run_job(index) for index in indexes]


def page_runs(templates: list[str], workers: int) -> list[range]:
    """The pages' indexes cut in runs of one template, handed out whole.

    The pages of one listing share its lists (a section's articles, its page
    links), which each worker digests once: in runs of consecutive pages of
    one template, they are digested by one worker rather than by all. Each
    run is at most a quarter of a worker's share of that template, so that
    the workers still finish together, and at least ``RUN_AT_LEAST`` pages.
    """
    runs, start = [], 0
    for end in range(1, len(templates) + 1):
        if end == len(templates) or templates[end] != templates[start]:
            size = max(RUN_AT_LEAST, -(-(end - start) // (workers * 4)))
            runs += [range(i, min(i + size, end)) for i in range(start, end, size)]
            start = end
    return runs


# The fewest pages handed to a worker at once.
RUN_AT_LEAST = 64


# Context lists whose contents are the cards most pages show.
CARD_LISTS = ("articles", "hidden_articles", "pages")


class PagesInTurns:
    """Pages two processes fingerprint in turns: one from the front, one from the back.

    The process ahead takes runs from the front; the build's own process,
    once it has digested the pages queued after, takes runs from the back.
    Both finish together whatever their speeds (a forked process pays for
    the memory it touches; the build's own is busy queueing meanwhile).
    """

    # Pages taken at a time: about a hundredth of a second's work.
    RUN = 128
    # How long to wait for the other process's turn before giving up taking:
    # one that died holding the lock leaves its pages to the queue.
    PATIENCE = 5.0

    def __init__(self, processes: BaseContext, count: int) -> None:
        self.count = count
        self._lock = processes.Lock()
        self._front = processes.RawValue("i", 0)
        self._back = processes.RawValue("i", count)

    def take_front(self) -> range | None:
        """The next run from the front, or None once they meet."""
        if not self._lock.acquire(timeout=self.PATIENCE):
            return None
        try:
            start = self._front.value
            stop = min(start + self.RUN, self._back.value)
            self._front.value = max(start, stop)
        finally:
            self._lock.release()
        return range(start, stop) if start < stop else None

    def take_back(self) -> range | None:
        """The next run from the back, or None once they meet."""
        if not self._lock.acquire(timeout=self.PATIENCE):
            return None
        try:
            stop = self._back.value
            start = max(stop - self.RUN, self._front.value)
            self._back.value = min(start, stop)
        finally:
            self._lock.release()
        return range(start, stop) if start < stop else None


def _digest_ahead(
    writer: PortalWriter | None, contents: list, pages: PagesInTurns | None
) -> Iterator[Any]:
    """The cards of ``contents``, then the fingerprints of the pages it takes.

    In a process of its own (``RunBeside``, which sends each as it is
    made): a forked one is given the writer, whose queued pages it shares,
    and takes its turns of them; a started one only the contents (the
    digests are of what they hold, not of where they are), and digests no
    page. What fails is digested again by the build, which reports it with
    the page.
    """
    if writer is None or pages is None:
        yield PageFingerprints("").cards(contents)
        return
    yield writer.build.fingerprints.cards(contents)
    taken = []
    while (run := pages.take_front()) is not None:
        jobs = writer.build.jobs[run.start : run.stop]
        taken.append((run.start, [_fingerprint_or_failed(writer, job) for job in jobs]))
    yield taken


# A page whose fingerprint failed beside the build: the queue takes it again.
FAILED = False


def _fingerprint_or_failed(writer: PortalWriter, job: RenderJob) -> str | bool | None:
    try:
        return writer.fingerprint_of(job)
    except Exception:  # taken again, and reported, as the page is run
        return FAILED


@dataclass
class DigestsAhead:
    """Every article's card, and the article pages' fingerprints, digested meanwhile.

    Started as the article pages are queued (``article_writer_finalized``).
    """

    contents: list
    pages: PagesInTurns | None  # None: cards only (a started process)
    running: RunBeside
    cards_taken: bool = False

    @classmethod
    def start(cls, writer: PortalWriter, contents: list) -> DigestsAhead:
        """Start a process that digests the cards, then the pages queued so far."""
        build = writer.build
        pages = None
        if shares_memory(build.processes):
            pages = PagesInTurns(build.processes, len(build.jobs))
        logger.debug(
            "Thẻ của %d bài, vân tay của %d trang: một tiến trình riêng (%s)",
            len(contents),
            pages.count if pages is not None else 0,
            build.processes.get_start_method(),
        )
        running = RunBeside.start(
            build.processes,
            _digest_ahead,
            writer if pages is not None else None,
            contents,
            pages,
        )
        return cls(contents, pages, running)

    def collect_cards(self, writer: PortalWriter) -> None:
        """Wait for the cards (digested first) and hand them to the fingerprints."""
        if self.cards_taken:
            return
        self.cards_taken = True
        cards = self.running.part() if self.pages is not None else self.running.result()
        if cards is not None:
            writer.build.fingerprints.remember_cards(self.contents, cards)

    def collect(self, writer: PortalWriter) -> None:
        """Wait for every digest: the cards, then the fingerprints of its turns."""
        self.collect_cards(writer)
        if self.pages is None:
            return
        jobs = writer.build.jobs
        for start, fingerprints in self.running.result() or ():
            for job, fingerprint in zip(
                jobs[start : start + len(fingerprints)], fingerprints, strict=True
            ):
                if fingerprint is not FAILED:
                    job.fingerprint, job.fingerprinted = fingerprint, True


def _run_task(writer: PortalWriter, index: int) -> Outcome:
    """Run task ``index`` of ``writer`` (in a process of its own)."""
    return writer.run_job(index)


@dataclass
class TaskAhead:
    """A task started as it was queued, in a forked process, beside the build."""

    running: RunBeside
    # Started in this process and not collected yet: a build that stopped
    # before its queue ran leaves its tasks writing. The next build waits for
    # them before it writes anything (``wait_for_unfinished``).
    unfinished: ClassVar[set[RunBeside]] = set()

    @classmethod
    def start(cls, writer: PortalWriter, index: int) -> TaskAhead:
        """Fork a process that runs task ``index`` of ``writer`` now."""
        running = RunBeside.start(writer.build.processes, _run_task, writer, index)
        cls.unfinished.add(running)
        return cls(running)

    def outcome(self) -> Outcome | None:
        """Wait for the task's outcome; None if its process died first."""
        outcome = self.running.result()
        TaskAhead.unfinished.discard(self.running)
        return outcome

    @classmethod
    def wait_for_unfinished(cls) -> None:
        """Wait for the tasks an earlier build started and never collected."""
        for running in list(cls.unfinished):
            logger.info("Chờ tác vụ mà bản dựng trước (dừng giữa chừng) đã bắt đầu")
            running.result()  # what it made is of no more use; one stuck is stopped
            cls.unfinished.discard(running)


class PortalWriter(Writer):
    """Pelican's writer, with page fingerprints and a render queue."""

    build: IncrementalBuild  # set by the plugin for each build

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's rule for a file written twice; False: skip this write."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time'
                )
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(f'"{path}" has already been written')
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def _relative(self, path: str) -> str:
        """A path in the output folder, relative to it (undoes ``sanitised_join``)."""
        base = os.path.join(os.path.abspath(self.output_path), "")
        if path.startswith(base):
            return path[len(base) :]
        return os.path.relpath(path, self.output_path)

    def _record_written(self, path: str, **_context) -> None:
        """Record a file Pelican's own ``write_file`` wrote (``content_written``)."""
        name = os.path.relpath(path, self.output_path)
        self.build.ledger.record(name)
        self._written_after_first(name)

    def write_output(self, name: str, data: bytes) -> None:
        """Write a file a generator produced itself, if its bytes changed."""
        path = Path(sanitised_join(self.output_path, name))
        written = write_if_changed(path, data)
        self.build.written += written
        self.build.ledger.record(name, written)
        if written:
            self._written_after_first(name)

    def _written_after_first(self, name: str) -> None:
        """A file written again: the pages told written first that load it changed."""
        build = self.build
        if not build.told_first:
            return
        name = output_name(name)
        for output_file, page in build.told_first.items():
            if name in page.loads:
                build.changed_after_first.add(output_file)

    def group_is_current(self, key: str, fingerprint: str, names: list[str]) -> bool:
        """True when the files ``names`` were written from these inputs.

        For a generator that makes many files from one set of inputs (a
        search index segment): when True, they are recorded as produced and
        need not be made again.
        """
        salted = hashlib.sha1(f"{self.build.fingerprints.base}{fingerprint}".encode())
        return self.build.ledger.group_is_current(key, salted.hexdigest(), names)

    def group_was_written(self, key: str, fingerprint: str, names: list[str]) -> bool:
        """True when the last build wrote the files ``names`` from these inputs.

        A generator that kept what it made them from (a segment's postings)
        may then make only the files that change.
        """
        salted = hashlib.sha1(f"{self.build.fingerprints.base}{fingerprint}".encode())
        return self.build.ledger.group_was_written(key, salted.hexdigest(), names)

    def remember_group(self, key: str, fingerprint: str) -> None:
        """Record that the group ``key`` was written from these inputs."""
        salted = hashlib.sha1(f"{self.build.fingerprints.base}{fingerprint}".encode())
        self.build.ledger.remember_group(key, salted.hexdigest())

    def read_named_file(self, path: Path | None) -> bytes:
        """The bytes of a file a setting names outside the content; b"" for None.

        An emblem or a font: the build remembers its SHA-1, so that a later
        build whose content and settings are the same but whose file is not
        knows it has something to do.
        """
        if path is None:
            return b""
        data = Path(path).read_bytes()
        named = str(Path(path).resolve())
        self.build.named_files[named] = hashlib.sha1(data).hexdigest()
        return data

    def output_expires(self, moments: Iterable[datetime]) -> None:
        """Files just written stop being true at ``moments`` (those to come count).

        The up-to-date stamp then holds no later than the first of them.
        """
        self.build.expiries.extend(moments)

    def state_folder(self, name: str) -> Path:
        """A folder of the build cache where a generator keeps its own state."""
        folder = cache_folder(self.settings) / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def copy_output(
        self,
        source: Path,
        name: str,
        accept: Callable[[bytes], bool] | None = None,
    ) -> bool:
        """Put a copy of a file (an image, a font) into the output, if not there.

        The copy keeps the source's modification time, so an unchanged one is
        recognised by size and time alone, without reading either file. It is
        never a hard link: damage to the source (a file of the build cache)
        never reaches the output, and whatever was at ``name`` is unlinked
        first, never written through. ``accept``, if given, checks the
        source's bytes before they are copied: when it refuses them, nothing
        is written and the result is False.
        """
        target = Path(sanitised_join(self.output_path, name))
        source_stat = source.stat()
        try:
            stat = target.stat()
            current = stat.st_nlink == 1 and (stat.st_size, stat.st_mtime_ns) == (
                source_stat.st_size,
                source_stat.st_mtime_ns,
            )
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            current = False
        if not current:
            data = source.read_bytes()
            if accept is not None and not accept(data):
                return False
            target.unlink(missing_ok=True)
            target.write_bytes(data)
            os.utime(target, ns=(source_stat.st_atime_ns, source_stat.st_mtime_ns))
            self.build.written += 1
            self._written_after_first(name)
        self.build.ledger.record(name, written=not current)
        return True

    def write_feed(  # noqa: PLR0917 - Pelican's signature
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Write a feed like Pelican, but only when its bytes change.

        Pelican makes the feed (and writes nothing, given no path); it is
        dated as the portal's own feeds are (``listings.date_stably``).
        """
        feed = super().write_feed(
            elements,
            context,
            path=None,
            url=url or path,
            feed_type=feed_type,
            override_output=override_output,
            feed_title=feed_title,
        )
        date_stably(feed)
        if path:
            text = io.StringIO()
            feed.write(text, "utf-8")
            self.write_output(path, text.getvalue().encode("utf-8"))
        return feed

    def write_file(  # noqa: PLR0917 - Pelican's signature
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ) -> None:
        """Queue a page, unless its fingerprint says it is already written."""
        if not name:
            return
        self.build.context = context
        if relative_urls or (
            template_name in self.settings["PAGINATED_TEMPLATES"]
            and (paginated or {"articles", "dates"} & set(kwargs))
        ):
            # Pelican's relative URLs and paginators: rendered here by Pelican,
            # each file it writes recorded as it says so.
            with signals.content_written.connected_to(self._record_written):
                super().write_file(
                    name, template, context, relative_urls, paginated, template_name,
                    override_output, url, **kwargs,
                )  # fmt: skip
            return
        path = sanitised_join(self.output_path, name)
        if not self._claim(path, override_output):
            return
        name = self._relative(path)
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl")
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        job = RenderJob(name, path, template, localcontext, kwargs)
        self.build.jobs.append(job)
        if self.build.wanted_first is None:
            self.build.wanted_first = self._ask_wanted_first()
        if job.name in self.build.wanted_first:
            self._render_first(job)

    def fingerprint_of(self, job: RenderJob) -> str | None:
        """The page's fingerprint; None for a page rendered at every build."""
        base_name = job.template.name.rsplit(".", 1)[0]
        if base_name in self.build.always_render:
            return None
        template = self.build.fingerprints.template(
            job.template.environment, job.template.name
        )
        own = {**job.own, "output_file": job.name}
        return self.build.fingerprints.page(job.name, template, own, job.localcontext)

    def queue_files(
        self, key: str, fingerprint: str, make: Callable[[], dict[str, bytes | None]]
    ) -> None:
        """Queue a task that makes the files of group ``key`` (name: bytes).

        A name mapped to None is a file the last build wrote, kept as it is.

        On a site large enough for worker processes, where they are forked,
        the first tasks start at once, each in a process of its own, one for
        each core but this process's: those cores are idle while this one
        runs the generators that follow. The others run with the pages, in
        the worker processes, before them.
        """
        build = self.build
        build.tasks.append(FilesTask(key, fingerprint, make))
        contents = sum(len((build.context or {}).get(name, ())) for name in CARD_LISTS)
        if (
            len(build.tasks_ahead) < build.worker_count - 1
            and contents >= build.parallel_from
            and shares_memory(build.processes)
        ):
            logger.debug("%s: bắt đầu ngay, trong một tiến trình riêng", key)
            build.tasks_ahead[len(build.tasks) - 1] = TaskAhead.start(
                self, len(build.tasks) - 1
            )

    def run_job(self, index: int) -> Outcome:
        """Run one job: make a task's files, or fingerprint and render a page."""
        tasks, jobs = self.build.tasks, self.build.jobs
        outcome = Outcome(index)
        started = time.perf_counter()
        try:
            if index < len(tasks):
                seen = self.build.ledger.seen_as_left
                for name, data in tasks[index].make().items():
                    if data is None and name in seen:  # "as the last build wrote it"
                        outcome.untouched.append(name)  # and found so this build
                        continue
                    path = Path(sanitised_join(self.output_path, name))
                    if data is not None and write_if_changed(path, data):
                        outcome.written += 1
                        outcome.names.append(name)
                        continue
                    if data is None:
                        _must_exist(path)
                    outcome.untouched.append(name)
                outcome.seconds = time.perf_counter() - started
                return outcome
            job = jobs[index - len(tasks)]
            outcome.fingerprint = (
                job.fingerprint if job.fingerprinted else self.fingerprint_of(job)
            )
            if outcome.fingerprint and self.build.ledger.is_current(
                job.name, outcome.fingerprint
            ):
                outcome.skipped = True
                return outcome
            html = job.template.render(job.localcontext)
            outcome.written = write_if_changed(Path(job.path), html.encode("utf-8"))
        except Exception as error:
            outcome.error = failure_report(error)
        return outcome

    def render_queued(self) -> None:
        """Run the queued tasks and render the pages whose fingerprint changed.

        Where worker processes are forked, the fingerprints are taken before
        (``_found_current``): the article pages' beside the build since they
        were queued (``DigestsAhead``), the others here; the pages found
        current need nothing more. Otherwise they are taken as each page is
        run. The rest runs in worker processes (one per core) when the site
        and what is left are large enough, else here. The pages asked for
        first (``pages_wanted_first``) and not yet written are rendered
        before, in this process; those then changed are told
        (``pages_changed_after_first``).
        """
        build = self.build
        started = time.perf_counter()
        count = len(build.tasks) + len(build.jobs)
        build.wanted_first = self._ask_wanted_first()  # open since the first page
        if build.wanted_first:
            for job in build.jobs:
                if job.name in build.wanted_first:
                    self._render_first(job)
        outcomes = []
        if build.digests_ahead is not None and build.digests_ahead.pages is not None:
            outcomes = self._found_current(build.digests_ahead)
        settled = {outcome.index for outcome in outcomes} | set(build.tasks_ahead)
        waiting = [index for index in range(count) if index not in settled]
        workers = build.worker_count
        tasks = len(build.tasks)
        # Workers for a queue as long as the site is large: many pages still
        # to render, or a task (a search segment: seconds of work).
        if (
            workers > 1
            and count >= build.parallel_from
            and (len(waiting) >= build.parallel_from or any(i < tasks for i in waiting))
        ):
            outcomes += self._run_in_workers(waiting, workers)
        else:
            outcomes += [self.run_job(index) for index in waiting]
        for index, ahead in build.tasks_ahead.items():
            # A process that died ran nothing that counts: run it here.
            outcomes.append(ahead.outcome() or self.run_job(index))
        for outcome in outcomes:
            self._record(outcome)
        self._tell_changed_after_first()
        if article_pages_rendered.receivers:
            article_pages_rendered.send(
                self, output=build.output_path, pages=ArticlePages.of(build.jobs)
            )
        logger.info(
            "Hàng đợi: %d tác vụ, %d trang trong %.1f s",
            len(build.tasks),
            len(build.jobs),
            time.perf_counter() - started,
        )
        build.tasks, build.jobs, build.tasks_ahead = [], [], {}

    def _ask_wanted_first(self) -> dict[str, str]:
        """The pages asked for first (``pages_wanted_first``), not yet told."""
        told = {page.name for page in self.build.told_first.values()}
        wanted = {}
        for _receiver, names in pages_wanted_first.send(
            self, output=self.build.output_path
        ):
            for name in names or ():
                if name not in told:
                    wanted[str(PurePath(name))] = name
        return wanted

    def _render_first(self, job: RenderJob) -> None:
        """Render a page asked for first, as soon as it is queued, and say so.

        The preview asks for the pages open in the browser, and reloads them
        while the build makes the rest. Every context is made by then; the
        page is written, before any fingerprint is taken, when Pelican has
        no static file still to copy and every file it loads is in the
        output already; else it waits for the queue to run, and is tried
        again then. It is rendered with the others as every page is: found
        current, or rendered again to the same bytes (if not, or if a file it
        loads is written again, the build says so as the queue ends). Those
        written here count as written.
        """
        build = self.build
        if build.statics_to_copy is None:
            statics = (build.context or {}).get("staticfiles", [])
            build.statics_to_copy = static_files_to_copy(
                self.settings, self.output_path, statics
            )
        if build.statics_to_copy:
            return
        try:
            html = job.template.render(job.localcontext)
            loads = files_loaded(
                html,
                Path(self.output_path),
                Path(job.path),
                self.settings.get("SITEURL", ""),
            )
            if loads is None:  # a file it loads is not written yet
                return
            if write_if_changed(Path(job.path), html.encode("utf-8")):
                build.written_first.add(job.name)
        except Exception:  # left to the queue, which reports it
            logger.debug("Không dựng trước được %s", job.name, exc_info=True)
            return
        name = build.wanted_first.pop(job.name)
        build.told_first[job.name] = FirstPage(name, loads)
        pages_written_first.send(self, output=build.output_path, names=[name])

    def _tell_changed_after_first(self) -> None:
        """Tell which pages told written first the build then changed.

        The page itself, rendered again to other bytes (something a later
        generator changed) or failing to, or a file it loads, written again
        after it was told or not produced. The receivers reload them at the
        build's end.
        """
        build = self.build
        if not build.told_first:
            return
        # What the build produced, with Pelican's static files (copied after):
        # a file a told page loads and the build did not produce is removed.
        produced = {output_name(name) for name in build.ledger.produced}
        statics = (build.context or {}).get("staticfiles", [])
        produced.update(output_name(static.save_as) for static in statics)
        changed = [
            page.name
            for output_file, page in build.told_first.items()
            if output_file in build.changed_after_first or not page.loads <= produced
        ]
        if changed:
            logger.info("Trang đã hiện trước rồi đổi khi dựng xong: %s", changed)
            pages_changed_after_first.send(
                self, output=build.output_path, names=sorted(changed)
            )

    def _record(self, outcome: Outcome) -> None:
        """Record one job's outcome (a page told written first, then changed, too)."""
        build = self.build
        if outcome.index < len(build.tasks):
            task = build.tasks[outcome.index]
            if outcome.error:
                logger.error("Không tạo được %s: %s", task.key, outcome.error)
                return
            for name in outcome.names:
                build.ledger.record(name)
                self._written_after_first(name)
            for name in outcome.untouched:
                build.ledger.record(name, written=False)
            self.remember_group(task.key, task.fingerprint)
            logger.info("%s: %.1f s", task.key, outcome.seconds)
            build.written += outcome.written
            return
        job = build.jobs[outcome.index - len(build.tasks)]
        if outcome.error:
            logger.error(
                "Không dựng được trang %s%s: %s",
                job.name,
                _shown_content(job.localcontext),
                outcome.error,
            )
            if job.name in build.told_first:  # it reloads, with the problem
                build.changed_after_first.add(job.name)
            new = os.path.normpath(job.name) not in build.ledger.previous_files
            if job.name in build.written_first and new:
                # Written first, new this build, then failed: not left behind.
                Path(job.path).unlink(missing_ok=True)
        elif outcome.skipped and job.name not in build.written_first:
            build.ledger.keep(job.name)  # a worker found it current
            build.skipped += 1
        else:
            logger.debug("Dựng lại %s", job.name)
            written = outcome.written or job.name in build.written_first
            build.rendered += 1
            build.written += bool(written)
            build.ledger.rendered(job.name, outcome.fingerprint, bool(written))
            if outcome.written:  # other bytes than written first; a frame
                if job.name in build.told_first:
                    build.changed_after_first.add(job.name)
                self._written_after_first(job.name)

    def _found_current(self, ahead: DigestsAhead) -> list[Outcome]:
        """The pages found current, every fingerprint taken before the queue runs.

        Here, while the process ahead takes its turns of the article pages:
        the pages queued after them, then turns of the article pages from
        the back. A page whose fingerprint fails is left to the queue, which
        reports it.
        """
        build = self.build
        self._digest_templates()
        ahead.collect_cards(self)
        turns = ahead.pages
        for job in build.jobs[turns.count :]:
            self._fingerprint_here(job)
        while (run := turns.take_back()) is not None:
            for job in build.jobs[run.start : run.stop]:
                self._fingerprint_here(job)
        ahead.collect(self)
        build.digests_ahead = None
        tasks = len(build.tasks)
        return [
            Outcome(tasks + position, skipped=True, fingerprint=job.fingerprint)
            for position, job in enumerate(build.jobs)
            if job.fingerprinted
            and job.fingerprint
            and build.ledger.is_current(job.name, job.fingerprint)
        ]

    def _fingerprint_here(self, job: RenderJob) -> None:
        try:
            job.fingerprint = self.fingerprint_of(job)
        except Exception:  # reported as the page is run
            return
        job.fingerprinted = True

    def _run_in_workers(self, indexes: list[int], workers: int) -> list[Outcome]:
        """Run these jobs (tasks first, then pages) in worker processes."""
        global _ACTIVE  # noqa: PLW0603 - the forked workers' view of the queue
        _ACTIVE = self
        outcomes: list[Outcome] = []
        gc.freeze()  # the workers share the build's objects without copying them
        try:
            self._digest_templates()
            carded = None
            if self.build.digests_ahead is not None:  # cards only
                self.build.digests_ahead.collect(self)
                carded = self.build.digests_ahead.contents
                self.build.digests_ahead = None
            gc.freeze()  # the cards' digests too
            tasks = len(self.build.tasks)
            pages = [index for index in indexes if index >= tasks]
            runs = [
                [pages[position] for position in run]
                for run in page_runs(
                    [self.build.jobs[index - tasks].template.name for index in pages],
                    workers,
                )
            ]
            with self._pool(workers, carded) as pool:
                # Tasks (few, long) first, one at a time; then runs of pages.
                running = [
                    pool.imap_unordered(
                        run_active_job,
                        [index for index in indexes if index < tasks],
                        chunksize=1,
                    ),
                    pool.imap_unordered(run_active_jobs, runs),
                ]
                outcomes += running[0]
                for run in running[1]:
                    outcomes += run
        finally:
            gc.unfreeze()
            _ACTIVE = None
        return outcomes

    def _pool(self, workers: int, carded: list | None) -> multiprocessing.pool.Pool:
        """Workers forked from this process, or started and sent the queue."""
        processes = self.build.processes
        logger.debug(
            "Hàng đợi trên %d tiến trình (%s)", workers, processes.get_start_method()
        )
        if shares_memory(processes):
            return processes.Pool(workers)
        payload = queue_payload(self, carded)
        return processes.Pool(workers, initializer=receive_queue, initargs=(payload,))

    def digest_ahead(self) -> None:
        """Start digesting cards and the pages queued so far beside the build.

        Every generator has shaped its objects by then, and pages show cards
        of articles from all over the site (related articles, listings): each
        page worker would otherwise digest nearly every card itself. One
        process digests them, and the article pages, while this one queues
        the other pages.
        """
        build = self.build
        context = build.context or {}
        contents = [content for name in CARD_LISTS for content in context.get(name, ())]
        if build.worker_count > 1 and len(contents) >= build.parallel_from:
            build.digests_ahead = DigestsAhead.start(self, contents)

    def _digest_templates(self) -> None:
        """Digest each queued template here, once, rather than in every worker."""
        templates = {job.template.name: job.template for job in self.build.jobs}
        for name, template in templates.items():
            if name.rsplit(".", 1)[0] not in self.build.always_render:
                self.build.fingerprints.template(template.environment, name)


# --- workers that are started, not forked -------------------------------------------


def queue_payload(writer: PortalWriter, carded: list | None) -> bytes:
    """What a started worker needs to run the queue, pickled once for all workers.

    One pickle, so that an object shown by many pages is one object there
    too. A template goes as its name and its environment (without the
    templates that environment had loaded: the worker loads them again, from
    the compiled templates' cache). Card digests are kept by object identity,
    which a copy does not share: those of ``carded`` go beside them.
    """
    build = writer.build
    queue = dataclasses.replace(build, context=None, digests_ahead=None)
    digests = build.fingerprints.cards(carded) if carded else None
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    reducers = _template_reducers(build.jobs)
    pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
    pickler.dump((writer.output_path, writer.settings, queue, carded, digests))
    return buffer.getvalue()


def receive_queue(payload: bytes) -> None:
    """Make a started worker's writer from ``queue_payload`` (once per worker).

    A pool starts a worker again whenever one ends, so an initializer that
    raised would start workers for ever: the error is kept, for the first
    job to raise instead.
    """
    global _ACTIVE, _NOT_RECEIVED  # noqa: PLW0603 - this worker's view of the queue
    try:
        output_path, settings, build, carded, digests = pickle.loads(payload)
        if carded:
            build.fingerprints.remember_cards(carded, digests)
        writer = PortalWriter(output_path, settings)
        writer.build = build
        _ACTIVE = writer
    except Exception as error:  # raised by the first job
        _NOT_RECEIVED = error


def _template_reducers(jobs: Iterable[RenderJob]) -> dict[type, Callable]:
    table: dict[type, Callable] = {}
    for job in jobs:
        table[type(job.template)] = _reduce_template
        table[type(job.template.environment)] = _reduce_environment
    return table


def _reduce_template(template: Template) -> tuple:
    globals_ = template.globals
    own = dict(globals_.maps[0]) if isinstance(globals_, ChainMap) else {}
    return (_loaded_template, (template.environment, template.name, own))


def _loaded_template(environment: Environment, name: str, own: dict) -> Template:
    return environment.get_template(name, globals=own or None)


def _reduce_environment(environment: Environment) -> tuple:
    state = dict(vars(environment))
    cache = state.get("cache")
    if isinstance(cache, LRUCache):
        state["cache"] = LRUCache(cache.capacity)
    elif cache is not None:
        state["cache"] = type(cache)()
    return (_bare, (type(environment),), state)


def _bare(cls: type) -> Any:
    return cls.__new__(cls)
