"""Write ``file.gz`` and ``file.br`` beside every text file of the output.

nginx (``gzip_static``, ``brotli_static``) then sends them as they are, with
no compression work per request. Each copy is reproducible (no timestamp in
the gzip header) and made again only when its source is newer, so a rebuild
compresses only the files it changed. A copy whose source is gone or no
longer compressed is removed.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ProcessPoolExecutor

import brotli
from pelican import signals

from .settings import precompress_settings

SUFFIXES = (".gz", ".br")
# Fewer files than this are compressed in the build's own process.
PARALLEL_FROM = 64


def compress_file(job: tuple[str, int, int]) -> None:
    """Write the .gz and .br copies of one file."""
    name, level, quality = job
    with open(name, "rb") as source:
        data = source.read()
    with open(name + ".gz", "wb") as target:
        target.write(gzip.compress(data, compresslevel=level, mtime=0))
    with open(name + ".br", "wb") as target:
        target.write(brotli.compress(data, quality=quality))


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def plan(output: str, config: dict) -> tuple[list[str], list[str]]:
    """The files to compress (copies missing or older) and the stale copies."""
    suffixes = tuple(config["SUFFIXES"])
    to_compress, stale = [], []
    for folder, _subfolders, files in os.walk(output):
        present = set(files)
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(SUFFIXES):
                if name[:-3] not in present:
                    stale.append(path)
                continue
            if not name.endswith(suffixes):
                continue
            stat = os.stat(path)
            copies = [_mtime(path + suffix) for suffix in SUFFIXES]
            if stat.st_size < config["MIN_BYTES"]:
                stale += [
                    path + s
                    for s, m in zip(SUFFIXES, copies, strict=True)
                    if m is not None
                ]
            elif any(m is None or m < stat.st_mtime_ns for m in copies):
                to_compress.append(path)
    return to_compress, stale


def compress_output(pelican) -> None:
    """Compress the text files a build changed, on every core."""
    config = precompress_settings(pelican.settings)
    if not config["ENABLED"]:
        return
    to_compress, stale = plan(str(pelican.output_path), config)
    for path in stale:
        os.unlink(path)
    jobs = [
        (path, config["GZIP_LEVEL"], config["BROTLI_QUALITY"]) for path in to_compress
    ]
    if len(jobs) < PARALLEL_FROM:
        for job in jobs:
            compress_file(job)
        return
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compress_file, jobs, chunksize=64))


def register() -> None:
    """Connect the precompress plugin to Pelican."""
    signals.finalized.connect(compress_output)
