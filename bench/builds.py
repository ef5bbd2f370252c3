"""Build the synthetic corpus and measure: time, peak memory, files changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a child process so that its peak memory is its own.
PORTAL_BUILD = """
import json, resource, sys, time
sys.path[:0] = [{plugins!r}, {root!r}]
from build_gate.runner import build_site
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

    ``peak_mib`` is an upper bound of the build's memory: the build process's
    peak plus, for each core, the peak of its largest worker process (forked
    workers share most of their pages with the build, which this counts twice).
    """

    seconds: float
    peak_mib: float
    process_peak_mib: float = 0.0
    worker_peak_mib: float = 0.0


def _run(code: str) -> BuildRun:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(
            f"build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    report = json.loads(lines[-1])
    if not report["ok"]:
        raise RuntimeError(f"build reported errors: {report['errors']}")
    workers = report.get("worker_peak_mib", 0.0)
    return BuildRun(
        report["seconds"],
        report["peak_mib"] + (os.cpu_count() or 1) * workers,
        report["peak_mib"],
        workers,
    )


def portal_build(content: Path, output: Path) -> BuildRun:
    """A production build of our site."""
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "LEAD_IMAGES": {"CACHE": str(content.parent / "cache" / "lead-images")},
        # Links from the site root, so the search can be measured on localhost.
        "SITEURL": "",
        "FEED_DOMAIN": "https://chuyende.example.vn",
    }
    return _run(
        PORTAL_BUILD.format(
            plugins=str(ROOT / "plugins"),
            root=str(ROOT),
            settings=str(ROOT / "publishconf.py"),
            overrides=overrides,
        )
    )


def vanilla_build(content: Path, output: Path) -> BuildRun:
    """The same corpus through Pelican alone: no plugins, its default theme."""
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
    return _run(VANILLA_BUILD.format(overrides=overrides))


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
    "--output-path", {out!r}], capture_output=True, text=True)
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": done.returncode == 0,
    "errors": [done.stderr[-500:]],
    "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def pagefind_index(site: Path, out: Path) -> BuildRun | None:
    """Pagefind indexing the same built site, for comparison; None if absent."""
    try:
        import pagefind_bin  # noqa: F401, PLC0415
    except ImportError:
        return None
    return _run(PAGEFIND_RUN.format(site=str(site), out=str(out)))
