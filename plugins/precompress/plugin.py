"""Write ``file.gz`` and ``file.br`` beside every text file of the output.

nginx (``gzip_static``, ``brotli_static``) then sends them as they are, with
no compression work per request. Each copy is reproducible (no timestamp in
the gzip header) and rewritten only when its source changed.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli
from pelican import signals

from .settings import precompress_settings


def compress_file(job: tuple[str, int]) -> None:
    """Write the .gz and .br copies of one file, unless they are current."""
    name, quality = job
    source = Path(name)
    data = source.read_bytes()
    for suffix, encode in (
        (".gz", lambda raw: gzip.compress(raw, compresslevel=9, mtime=0)),
        (".br", lambda raw: brotli.compress(raw, quality=quality)),
    ):
        target = source.with_name(source.name + suffix)
        if target.exists() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            continue
        target.write_bytes(encode(data))


def compress_output(pelican) -> None:
    """Compress the text files of a finished build, on every core."""
    config = precompress_settings(pelican.settings)
    if not config["ENABLED"]:
        return
    suffixes = tuple(config["SUFFIXES"])
    jobs = [
        (str(path), config["BROTLI_QUALITY"])
        for path in Path(pelican.output_path).rglob("*")
        if path.suffix in suffixes
        and path.is_file()
        and path.stat().st_size >= config["MIN_BYTES"]
    ]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compress_file, jobs, chunksize=64))


def register() -> None:
    """Connect the precompress plugin to Pelican."""
    signals.finalized.connect(compress_output)
