"""Build the synthetic corpus and measure: time, peak memory, files changed."""

from __future__ import annotations

import compileall
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a child process so that its peak memory is its own.
PORTAL_BUILD = """
import json, resource, sys, time
sys.path[:0] = [{lib!r}, {plugins!r}, {root!r}]
from tools.site_build import build_site
start = time.perf_counter()
result = build_site({settings!r}, {overrides!r})
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": result.ok,
    "errors": result.errors[:5],
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""
VANILLA_BUILD = """
import json, resource, sys, time
from pelican import Pelican
from pelican.settings import read_settings
start = time.perf_counter()
settings = read_settings(None, override={overrides!r})
Pelican(settings).run()
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": True, "errors": [],
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


@dataclass
class BuildRun:
    """One build: how long it took and its peak memory.

    ``peak_mib`` is the most physical memory the build's processes held at
    once: the sum of their proportional set sizes (PSS, shared pages split
    between the processes that share them), sampled four times a second. The
    peak resident sizes of the build process and of its largest worker are
    kept too (each counts the pages it shares with the other in full).
    """

    seconds: float
    peak_mib: float
    process_peak_mib: float = 0.0
    worker_peak_mib: float = 0.0


def _children(pid: int) -> list[int]:
    """Every descendant of a process (from /proc/<pid>/task/*/children)."""
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                listed = Path(f"/proc/{parent}/task/{task}/children").read_text()
                children = [int(child) for child in listed.split()]
            except OSError:
                continue
            found += children
            pending += children
    return found


def pss_kib(pid: int) -> int:
    """A process's proportional set size (KiB); 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the PSS of a process and its descendants until it ends.

    Four times a second: reading a process's PSS walks its page tables, which
    costs the build time when done more often.
    """

    def __init__(self, process: subprocess.Popen) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.peak_kib = 0
        self.samples = 0

    def run(self) -> None:
        """Sample every 250 ms."""
        while self.process.poll() is None:
            pids = [self.process.pid, *_children(self.process.pid)]
            sampled = sum(map(pss_kib, pids))
            self.peak_kib = max(self.peak_kib, sampled)
            self.samples += bool(sampled)  # 0: it ended as it was read
            time.sleep(0.25)

    def covered(self) -> bool:
        """Whether the process outlived its first sample (one that read a size).

        One sample only may have been taken as the process started (a few
        KiB, before its interpreter or binary was loaded): a build that ends
        within a quarter of a second is not sampled.
        """
        return self.samples > 1


def run_build(code: str, sample_memory: bool) -> BuildRun:
    """Run ``code`` in a child Python; its JSON line's time, with memory sampled.

    ``code`` prints one JSON line: seconds, ok, errors and its peak RSS.
    """
    # The last build's files (or the deletion of its output) still being
    # written back to disk would slow this one down: flush them first.
    os.sync()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = MemorySampler(process)
    if sample_memory:
        sampler.start()
    stdout, stderr = process.communicate()
    if sample_memory:
        sampler.join()
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if process.returncode or not lines:
        raise RuntimeError(f"build failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    report = json.loads(lines[-1])
    if not report["ok"]:
        raise RuntimeError(f"build reported errors: {report['errors']}")
    sampled = sampler.peak_kib / 1024 if sampler.covered() else 0.0
    return BuildRun(
        report["seconds"],
        sampled or report["peak_mib"],  # a build too short to sample: its RSS
        report["peak_mib"],
        report.get("worker_peak_mib", 0.0),
    )


def compile_portal_code() -> None:
    """Compile the portal's modules to bytecode, as Python does at a first build.

    A checkout's first build writes each module's bytecode beside it
    (``__pycache__``) and later builds load it, as Pelican's, compiled when
    it was installed, always is. A machine that sets
    ``PYTHONDONTWRITEBYTECODE`` never writes it: every build compiled the
    portal's hundred modules again (0.1 s), which no newsroom's build pays.
    The bench compiles them once, before it measures anything.
    """
    for folder in ("lib", "plugins", "tools"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def set_aside(path: Path) -> None:
    """Move an earlier build's folder out of the way; it goes with the corpus.

    Deleting it would free tens of thousands of inodes just before the next
    build creates as many, and ext4 passes over each inode freed in the last
    half minute or so as it allocates new ones (``recently_deleted``): a
    cold build of 10,000 articles right after ``rm -r`` of the last one's
    output spent 11.5-12.5 s in the kernel instead of 4.3-4.4 s, and took
    31.1-32.2 s instead of 27.5-27.6 s. A build on a fresh machine, or into
    a folder nothing was just deleted from, pays none of it; every builder
    measured here (ours, vanilla Pelican, Hugo) writes into a fresh folder.
    """
    if not path.exists():
        return
    aside = path.parent / "set-aside"
    aside.mkdir(exist_ok=True)
    path.rename(aside / f"{path.name}-{sum(1 for _ in aside.iterdir())}")


def portal_build(content: Path, output: Path, sample_memory: bool = False) -> BuildRun:
    """A production build of our site; its PSS sampled if ``sample_memory``."""
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "LEAD_IMAGES": {"CACHE": str(content.parent / "cache" / "lead-images")},
        # Links from the site root, so the search can be measured on localhost.
        "SITEURL": "",
        "FEED_DOMAIN": "https://chuyende.example.vn",
    }
    return run_build(
        PORTAL_BUILD.format(
            lib=str(ROOT / "lib"),
            plugins=str(ROOT / "plugins"),
            root=str(ROOT),
            settings=str(ROOT / "publishconf.py"),
            overrides=overrides,
        ),
        sample_memory,
    )


def vanilla_build(content: Path, output: Path, sample_memory: bool = False) -> BuildRun:
    """The same corpus through Pelican alone, into a fresh ``output`` (``set_aside``).

    Its PSS sampled if ``sample_memory``.
    """
    set_aside(output)
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "ARTICLE_PATHS": ["bai-viet"],
        "PAGE_PATHS": ["trang"],
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "DELETE_OUTPUT_DIRECTORY": True,
        "SITEURL": "https://chuyende.example.vn",
        "FEED_DOMAIN": "https://chuyende.example.vn",
    }
    return run_build(VANILLA_BUILD.format(overrides=overrides), sample_memory)


def snapshot(output: Path) -> dict[str, str]:
    """Hash of every output file, by path."""
    return {
        str(path.relative_to(output)): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in output.rglob("*")
        if path.is_file()
    }


def changed_files(before: dict[str, str], after: dict[str, str]) -> dict[str, int]:
    """How many files a rebuild changed, added and removed.

    ``*_pages`` count the same without the .gz and .br copies.
    """
    changed = [p for p in before.keys() & after.keys() if before[p] != after[p]]
    added = list(after.keys() - before.keys())
    removed = list(before.keys() - after.keys())
    counts = {"changed": len(changed), "added": len(added), "removed": len(removed)}
    for name, paths in (("changed", changed), ("added", added), ("removed", removed)):
        counts[f"{name}_without_copies"] = sum(
            1 for p in paths if not p.endswith((".gz", ".br"))
        )
    return counts


def timed(action) -> float:
    """Seconds an action takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


PAGEFIND_RUN = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "pagefind_bin", "--site", {site!r},
    "--output-path", {out!r}, *{options!r}], capture_output=True, text=True)
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": done.returncode == 0,
    "errors": [done.stderr[-500:]],
    "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def pagefind_index(
    site: Path, out: Path, options: tuple[str, ...] = ()
) -> BuildRun | None:
    """Pagefind indexing the same built site, for comparison; None if absent."""
    try:
        import pagefind_bin  # noqa: F401, PLC0415
    except ImportError:
        return None
    return run_build(
        PAGEFIND_RUN.format(site=str(site), out=str(out), options=list(options)),
        sample_memory=True,
    )
