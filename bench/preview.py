"""(s) ``invoke serve`` measured: from saving a file to the reloaded page.

The preview runs in its own process, as ``invoke serve`` does, on the
corpus, with Debian's chromium. For an edit, the edited article is open:
each run appends a sentence to its Markdown and times, from just before the
write, until the page's ``load`` event after the reload, then checks the
sentence is on the page. For a new article, its section's page is open:
each run writes one new article and times until the section page has
reloaded, then checks the new title is listed. The preview's own log gives
each rebuild's time, so the rest (the watch, the event, the reload) is seen
apart from the build. With ``--saves N``, the server's memory over N more
edits (``measure_server_memory``; the target is 50 at most 1.5 GiB).

Alone: ``PYTHONPATH=lib:plugins:. python3 -m bench.preview --articles 1000``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from tools.local_nginx import free_port

from .builds import MemorySampler, pss_kib
from .edits import (
    NEW_ARTICLE_CATEGORY,
    add_article,
    header_of,
    new_article_title,
    reading_context,
)
from .search import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
# As ``invoke serve`` runs it: builds in the main thread, stopped by Ctrl+C.
PREVIEW_RUN = """
import logging, sys
sys.path[:0] = [{lib!r}, {plugins!r}, {root!r}]
from pathlib import Path
from tools.site_build import configure_logging
from tools.preview import Preview
configure_logging()
logging.getLogger("tools.preview").setLevel(logging.INFO)
Preview(Path({settings!r}), [Path({content!r})], {overrides!r}, {port!r}).run()
"""
BUILT_IN = re.compile(r"Đã dựng lại trong ([0-9.]+) giây")
# Seconds the first build of the preview may take, and one rebuild.
FIRST_BUILD_TIMEOUT = 1800
RELOAD_TIMEOUT_MS = 300_000
# Seconds between runs: the watch and the event stream settle.
PAUSE = 1.0
# The new articles' numbers (the builds' bench adds 0, 1, ...).
NEW_ARTICLE_NUMBERS = 100


@dataclass(frozen=True)
class RunningPreview:
    """A preview started by ``running_preview``: where it serves, its process."""

    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def running_preview(
    content: Path, output: Path, work: Path
) -> Iterator[RunningPreview]:
    """``invoke serve``'s preview of ``content`` in a child process.

    Yields once the first build has ended (its line in the preview's log).
    """
    port = free_port()
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "LEAD_IMAGES": {"CACHE": str(content.parent / "cache" / "lead-images")},
        "SITEURL": "",
    }
    code = PREVIEW_RUN.format(
        lib=str(ROOT / "lib"),
        plugins=str(ROOT / "plugins"),
        root=str(ROOT),
        settings=str(ROOT / "pelicanconf.py"),
        content=str(content),
        overrides=overrides,
        port=port,
    )
    log = work / "preview.log"
    with log.open("w", encoding="utf-8") as written:
        process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=written, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + FIRST_BUILD_TIMEOUT
        while not BUILT_IN.search(log.read_text(encoding="utf-8")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the preview did not start:\n"
                    + log.read_text(encoding="utf-8")[-2000:]
                )
            time.sleep(0.1)
        yield RunningPreview(f"http://127.0.0.1:{port}", process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def article_url(output: Path, source: Path) -> str:
    """The URL of the article built from ``source`` (found by its title)."""
    header = header_of(source)
    # The page whose heading is the title: its neighbours name it too, in
    # their "newer" and "older" links and related articles.
    heading = f">{escape(header['title'])}</h1>"
    year, month = header["date"][:4], header["date"][5:7]
    for page in sorted((output / year / month).glob("*/index.html")):
        if heading in page.read_text(encoding="utf-8"):
            return "/" + page.parent.relative_to(output).as_posix() + "/"
    raise RuntimeError(f"no page of {source} in {output}")


def _timed_reload(page, save, log: Path) -> float:
    """Seconds from ``save()`` to the open page's next ``load`` event.

    The open page reloads as soon as the build has written it, while the
    build goes on: the next step waits for the build's end (its line in the
    preview's log), so that the page it opens, or the load it waits for, is
    never the end of this build's.
    """
    built = _builds_logged(log)
    with page.expect_event("load", timeout=RELOAD_TIMEOUT_MS):
        started = time.perf_counter()
        save()
    seconds = time.perf_counter() - started
    _wait_for_builds(log, built + 1)
    return seconds


def _wait_for_builds(log: Path, count: int) -> None:
    """Wait until the preview has logged ``count`` builds' ends."""
    deadline = time.monotonic() + RELOAD_TIMEOUT_MS / 1000
    while _builds_logged(log) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(
                "the preview did not end its build; its log:\n"
                + log.read_text(encoding="utf-8")[-3000:]
            )
        time.sleep(0.05)


def _figures(seconds: list[float], rebuilds: list[float]) -> dict:
    return {
        "seconds": round(statistics.median(seconds), 2),
        "runs": [round(s, 2) for s in seconds],
        "rebuild_seconds": round(statistics.median(rebuilds), 2) if rebuilds else None,
        "rebuild_runs": [round(s, 2) for s in rebuilds],
    }


def measure_save_to_reload(content: Path, work: Path, runs: int) -> dict:
    """Median seconds from a save to the reloaded page, over ``runs`` each.

    ``edit``: the editor has the article open and saves a sentence more in
    its body; the reloaded article shows it. ``new_article``: a new article
    has no page to have open before its first save, so the editor has its
    section's page open (where it will be listed first, as the newest) and
    saves the new file; the reloaded section page lists its title. The new
    articles are removed at the end.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    output = work / "preview-output"
    sources = sorted((content / "bai-viet").rglob("*.md"))
    source = sources[len(sources) // 3]
    original = source.read_text(encoding="utf-8")
    context = reading_context(content)
    section = context.registry.resolve(NEW_ARTICLE_CATEGORY).topic
    section_url = "/" + context.settings["CATEGORY_URL"].format(slug=section.slug)
    edits: list[float] = []
    added: list[float] = []
    new_files: list[Path] = []
    log = work / "preview.log"
    try:
        with (
            running_preview(content, output, work) as preview,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            page = browser.new_page(base_url=preview.url)
            page.goto(article_url(output, source))
            for attempt in range(runs):
                time.sleep(PAUSE)
                sentence = f"Câu đo thời gian số {attempt}."
                edits.append(
                    _timed_reload(
                        page,
                        lambda sentence=sentence: source.write_text(
                            f"{original}\n{sentence}\n", encoding="utf-8"
                        ),
                        log,
                    )
                )
                if sentence not in page.locator("main").inner_text():
                    raise RuntimeError(
                        f"the reloaded page lacks {sentence!r}; the preview's log:\n"
                        + log.read_text(encoding="utf-8")[-3000:]
                    )
            time.sleep(PAUSE)
            built_before_new = len(BUILT_IN.findall(log.read_text(encoding="utf-8")))
            page.goto(section_url)
            for attempt in range(runs):
                time.sleep(PAUSE)
                number = NEW_ARTICLE_NUMBERS + attempt
                new_files.append(content / "bai-viet" / "2026" / f"bai-moi-{number}.md")
                added.append(
                    _timed_reload(
                        page, lambda number=number: add_article(content, number), log
                    )
                )
                title = new_article_title(number)
                if title not in page.locator("main").inner_text():
                    raise RuntimeError(
                        f"the reloaded section page lacks {title!r}; the preview's "
                        "log:\n" + log.read_text(encoding="utf-8")[-3000:]
                    )
            browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
        for path in new_files:
            path.unlink(missing_ok=True)
    rebuilds = [float(s) for s in BUILT_IN.findall(log.read_text(encoding="utf-8"))]
    return {
        "edit": _figures(edits, rebuilds[1:built_before_new]),
        "new_article": _figures(added, rebuilds[built_before_new:]),
        "section_page": section_url,
    }


def _builds_logged(log: Path) -> int:
    return len(BUILT_IN.findall(log.read_text(encoding="utf-8")))


def measure_server_memory(content: Path, work: Path, saves: int) -> dict:
    """The preview's memory over ``saves`` edits of one article, in MiB (PSS).

    After each rebuild, the server's own process (what it keeps from one
    save to the next: its build workers have ended), and the peak of the
    process with its workers over them all, sampled four times a second.
    """
    output = work / "memory-output"
    sources = sorted((content / "bai-viet").rglob("*.md"))
    source = sources[len(sources) // 2]
    original = source.read_text(encoding="utf-8")
    log = work / "preview.log"
    after: list[float] = []
    try:
        with running_preview(content, output, work) as preview:
            sampler = MemorySampler(preview.process)
            sampler.start()
            first = pss_kib(preview.process.pid) / 1024
            for attempt in range(saves):
                built = _builds_logged(log)
                source.write_text(
                    f"{original}\nCâu đo bộ nhớ số {attempt}.\n", encoding="utf-8"
                )
                _wait_for_builds(log, built + 1)
                after.append(pss_kib(preview.process.pid) / 1024)
                time.sleep(PAUSE)
    finally:
        source.write_text(original, encoding="utf-8")
    sampler.join(timeout=10)
    growth = [later / earlier - 1 for earlier, later in itertools.pairwise(after)]
    return {
        "saves": saves,
        "after_first_build_mib": round(first, 1),
        "after_each_save_mib": [round(mib, 1) for mib in after],
        "peak_with_workers_mib": round(sampler.peak_kib / 1024, 1),
        "largest_growth_from_a_save_percent": round(100 * max(growth, default=0), 1),
        "first_to_last_save_percent": round(100 * (after[-1] / after[0] - 1), 1)
        if after
        else 0.0,
    }


def main() -> None:
    """Measure on a fresh synthetic corpus; print the figures as JSON."""
    from .corpus import generate  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--saves",
        type=int,
        default=0,
        help="then the server's memory over this many saves (the target: 50)",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as folder:
        work = Path(folder)
        generate(work / "content", options.articles)
        figures: dict = {"articles": options.articles}
        if options.runs:
            figures.update(measure_save_to_reload(work / "content", work, options.runs))
        if options.saves:
            figures["m_server_memory"] = measure_server_memory(
                work / "content", work, options.saves
            )
    print(json.dumps(figures, ensure_ascii=False, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
