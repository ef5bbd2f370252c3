"""Builds in worker processes started as Windows and macOS start them (``spawn``).

Linux forks the build's workers: they share the build's objects. Windows and
macOS start new interpreters that import our modules and are sent what they
work on. A site with more files than the parallel thresholds is built both
ways; the outputs must be byte-identical.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from multiprocessing import current_process
from pathlib import Path

import pytest
from test_incremental_builds import IncrementalSite, assert_same_tree

import search_index.plugin
import sitemaps.plugin
from build_cache.settings import DEFAULTS as INCREMENTAL_DEFAULTS
from conftest import article_text
from incremental.writer import PagesInTurns, TaskAhead
from worker_processes import RunBeside, start_method

PARALLEL_FROM = INCREMENTAL_DEFAULTS["PARALLEL_FROM"]
TOPICS = ("Xây dựng Đảng", "Chống khai thác IUU", "Thi đua yêu nước")


def add_articles(site: IncrementalSite, count: int) -> None:
    """``count`` more articles over two years, in three sections, with tags."""
    for number in range(count):
        month, day = number % 12 + 1, number % 28 + 1
        path = site.content / "bai-viet" / "them" / f"tin-{number:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = article_text(
            title=f"Tin số {number} về thủy sản và nông thôn mới",
            date=f"{2023 + number % 2}-{month:02d}-{day:02d} {number % 24:02d}:15",
            category=TOPICS[number % len(TOPICS)],
            Tags=f"thủy sản, tuần {number % 7}",
            body=f"Nội dung tin số {number}.\n\nĐoạn thứ hai của tin {number}.",
        )
        path.write_text(text, encoding="utf-8")


def build_with(site: IncrementalSite, method: str, name: str = "") -> Path:
    """Build into the output and cache of ``name``, workers started by ``method``."""
    folder = site.root / (name or method)
    site.overrides = {
        "INCREMENTAL": {"CACHE": str(folder / "cache" / "build"), "WORKERS": 2},
        "WORKER_PROCESSES": {"START_METHOD": method},
    }
    site._build(folder / "output", folder / "cache")
    return folder / "output"


def tasks_started_ahead(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The queued tasks the build started at once, each in a process of its own."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().endswith("bắt đầu ngay, trong một tiến trình riêng")
    ]


def pool_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What the build's pools logged when they started their workers."""
    starts = ("Đọc trước", "Thẻ của", "Hàng đợi trên", "Nén ")
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith(starts)
    ]


FORKS = "fork" in multiprocessing.get_all_start_methods()


@pytest.fixture
def site(tmp_path) -> IncrementalSite:
    """A site with more articles than the parallel thresholds."""
    site = IncrementalSite(tmp_path)
    add_articles(site, PARALLEL_FROM + 10)
    assert len(list(site.content.rglob("*.md"))) > PARALLEL_FROM
    return site


@pytest.mark.skipif(not FORKS, reason="the comparison needs a platform that can fork")
def test_a_build_under_spawn_writes_what_a_build_under_fork_writes(site, caplog):
    for logger in ("build_cache", "incremental", "precompress"):
        caplog.set_level(logging.DEBUG, logger=logger)

    spawned = build_with(site, "spawn")
    spawned_pools = pool_messages(caplog)
    spawned_ahead = tasks_started_ahead(caplog)
    caplog.clear()
    forked = build_with(site, "fork")
    forked_pools = pool_messages(caplog)
    forked_ahead = tasks_started_ahead(caplog)

    # Every pool ran in workers: the read-ahead, the cards' digests, the
    # queue of pages and the compression, each started the way asked.
    assert len(spawned_pools) == len(forked_pools) == 4
    assert all(message.endswith("(spawn)") for message in spawned_pools)
    assert all(message.endswith("(fork)") for message in forked_pools)
    # Forked, the search index's first segment (of many here) started as it was
    # queued, beside the generators still running, on the core they leave
    # idle; the others, and all of them started anew, ran in the queue.
    assert forked_ahead == [
        "tim-kiem/chi-muc/l0-0/: bắt đầu ngay, trong một tiến trình riêng"
    ]
    assert spawned_ahead == []
    assert_same_tree(spawned, forked)

    # A rebuild under spawn: its workers fingerprint every queued page and
    # render only those the edit changed, as a clean build would have them.
    site.edit("bai-viet/them/tin-007.md", "Title: Tin số 7", "Title: Tin số 7 (đã sửa)")
    build_with(site, "spawn")
    assert site.result.ok
    assert_same_tree(spawned, build_with(site, "fork", "fork-after-edit"))


@pytest.mark.skipif(not FORKS, reason="tasks start ahead only in forked processes")
def test_a_task_whose_process_dies_is_run_by_the_build_itself(
    site, tmp_path, monkeypatch
):
    expected = build_with(site, "fork", "whole")

    builder = os.getpid()
    make_segment = search_index.plugin.segment_files
    died = tmp_path / "task-ahead-died"

    def dies_if_ahead(*args, **kwargs):
        # The process started ahead (not a worker of the queue's pool) dies
        # as a killed one would, sending nothing back.
        if os.getpid() != builder and "PoolWorker" not in current_process().name:
            died.touch()
            os._exit(1)
        return make_segment(*args, **kwargs)

    monkeypatch.setattr(search_index.plugin, "segment_files", dies_if_ahead)
    output = build_with(site, "fork", "died")
    assert died.exists()
    assert site.result.ok
    assert_same_tree(expected, output)


@pytest.mark.skipif(not FORKS, reason="tasks start ahead only in forked processes")
def test_a_build_that_stops_half_way_leaves_no_task_writing_into_the_next(
    site, monkeypatch
):
    expected = build_with(site, "fork", "whole")

    def fails(_generator, _writer):
        raise RuntimeError("a generator after the search index fails")

    # The search index's task starts ahead; the build stops before its queue.
    with monkeypatch.context() as patched:
        patched.setattr(sitemaps.plugin.SitemapGenerator, "generate_output", fails)
        with pytest.raises(RuntimeError, match="after the search index"):
            build_with(site, "fork", "stopped")
    assert TaskAhead.unfinished

    # The next build into the same output waits for it, then builds as a
    # clean build does.
    output = build_with(site, "fork", "stopped")
    assert site.result.ok
    assert not TaskAhead.unfinished
    assert_same_tree(expected, output)


def test_the_start_method_is_the_platforms_unless_set():
    default = multiprocessing.get_all_start_methods()[0]
    assert start_method({}) == default
    assert start_method({"WORKER_PROCESSES": {"START_METHOD": ""}}) == default
    assert start_method({"WORKER_PROCESSES": {"START_METHOD": "spawn"}}) == "spawn"
    with pytest.raises(ValueError, match="START_METHOD"):
        start_method({"WORKER_PROCESSES": {"START_METHOD": "thread"}})
    with pytest.raises(ValueError, match="unknown keys"):
        start_method({"WORKER_PROCESSES": {"METHOD": "spawn"}})


def _doubled(number: int) -> int:
    return 2 * number


def _raises() -> None:
    raise ValueError("hỏng")


def _dies() -> None:
    os._exit(3)


def _waits_between_parts(go) -> Iterator[str]:
    yield "thẻ"
    if not go.wait(30):  # sent only at the end, it would never be told to go on
        raise TimeoutError
    yield "trang"


def _goes_on_after_a_large_part(went_on) -> Iterator[str]:
    yield "thủy sản " * 100_000  # far more than a pipe holds
    went_on.set()
    yield "tiếp"


def _fails_after_a_part() -> Iterator[str]:
    yield "thẻ"
    raise ValueError("hỏng")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_work_run_beside_the_build_gives_its_result_or_none(method):
    """A result comes back; a function that raises or a process that dies
    gives None, so that the build does the work itself."""
    context = multiprocessing.get_context(method)
    running = [
        RunBeside.start(context, _doubled, 21),
        RunBeside.start(context, _raises),
        RunBeside.start(context, _dies),
    ]
    assert [each.result() for each in running] == [42, None, None]
    assert [each.process.exitcode for each in running] == [0, 0, 3]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_generator_run_beside_the_build_sends_each_part_as_it_is_made(method):
    """The build takes the first part while the rest is made; a generator
    that fails after a part, or a process that dies, gives None after it."""
    context = multiprocessing.get_context(method)
    go = context.Event()
    waiting = RunBeside.start(context, _waits_between_parts, go)
    assert waiting.part() == "thẻ"
    go.set()
    assert waiting.result() == "trang"
    # A part larger than a pipe holds does not hold up the next one: it is
    # made before the build reads anything.
    went_on = context.Event()
    large = RunBeside.start(context, _goes_on_after_a_large_part, went_on)
    assert went_on.wait(30)
    assert large.part() == "thủy sản " * 100_000
    assert large.result() == "tiếp"
    failing = RunBeside.start(context, _fails_after_a_part)
    assert failing.part() == "thẻ"
    assert failing.result() is None
    dead = RunBeside.start(context, _dies)
    assert dead.part() is None
    assert dead.result() is None


def _stuck(never) -> int:
    never.wait()  # as on a lock another thread held at the fork
    return 1


def _works_without_a_pause(seconds: float) -> int:
    ends, count = time.monotonic() + seconds, 0
    while time.monotonic() < ends:
        count += 1
    return 7


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="Linux's /proc")
def test_a_process_beside_the_build_that_is_stuck_is_stopped(monkeypatch, caplog):
    """One whose CPU time does not move while the build waits is stopped and
    gives None (the build does its work); one that works longer is waited for."""
    monkeypatch.setattr(RunBeside, "PATIENCE", 1.0)
    context = multiprocessing.get_context("fork")
    stuck = RunBeside.start(context, _stuck, context.Event())
    assert stuck.result() is None
    assert stuck.process.exitcode == -signal.SIGKILL
    assert "không dùng CPU" in caplog.text
    working = RunBeside.start(context, _works_without_a_pause, 3.0)
    assert working.result() == 7  # three times the patience, never still


def _takes_from_the_front(turns: PagesInTurns) -> list[int]:
    taken = []
    while (run := turns.take_front()) is not None:
        taken += run
        time.sleep(0.002)
    return taken


@pytest.mark.skipif(not FORKS, reason="pages are taken in turns by a forked process")
def test_pages_taken_in_turns_are_each_taken_once():
    """The process ahead takes pages from the front, the build's own from
    the back, until they meet: each page once, whoever is faster."""
    context = multiprocessing.get_context("fork")
    count = PagesInTurns.RUN * 20 + 7
    turns = PagesInTurns(context, count)
    ahead = RunBeside.start(context, _takes_from_the_front, turns)
    back = []
    while (run := turns.take_back()) is not None:
        back += run
        time.sleep(0.002)
    front = ahead.result()
    assert front and back
    assert front == list(range(len(front)))
    assert sorted(back) == list(range(len(front), count))
