"""Write compressed copies (``file.gz``, optionally ``file.br``) beside every text file.

nginx (``gzip_static``, and ``brotli_static`` where its module is installed)
then sends them as they are, with no compression work per request. Each copy
is reproducible (no timestamp in the gzip header) and made again only when
its source is newer, so a rebuild compresses only the files it changed. A
copy whose source is gone, no longer compressed, or of a format no longer
configured is removed.

After an incremental build (``incremental``) that knows the output was as a
finished build left it, only the files it wrote are looked at; otherwise
every folder is read.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from pelican import signals

from build_cache.settings import COMPRESSED_SUFFIXES
from worker_processes import process_context

from .settings import precompress_settings

logger = logging.getLogger(__name__)

# Fewer files than this are compressed in the build's own process.
PARALLEL_FROM = 64


def _gzip(data: bytes, config: dict) -> bytes:
    return gzip.compress(data, compresslevel=config["GZIP_LEVEL"], mtime=0)


def _brotli(data: bytes, config: dict) -> bytes:
    import brotli  # noqa: PLC0415 - only servers with brotli_static ask for .br

    return brotli.compress(data, quality=config["BROTLI_QUALITY"])


COMPRESSORS: dict[str, Callable[[bytes, dict], bytes]] = {"gz": _gzip, "br": _brotli}


def compress_file(job: tuple[str, dict]) -> None:
    """Write the configured copies of one file."""
    name, config = job
    with open(name, "rb") as source:
        data = source.read()
    for suffix in config["FORMATS"]:
        with open(f"{name}.{suffix}", "wb") as target:
            target.write(COMPRESSORS[suffix](data, config))


def _files_by_folder(output: str):
    """Each folder of the output with its files by name (``os.DirEntry``).

    A folder is named relative to the output, ending in ``/`` (the output
    itself: empty).
    """
    pending = [(output, "")]
    while pending:
        folder, prefix = pending.pop()
        files = {}
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}{os.sep}"))
                else:
                    files[entry.name] = entry
        yield prefix, files


def plan(
    output: str, config: dict, untouched: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """The files to compress (copies missing or older) and the stale copies.

    ``untouched``: files (relative to the output) that the build left as the
    last finished build wrote them; their copies, when there, are current
    without comparing times.
    """
    sources = tuple(config["SUFFIXES"])
    wanted = tuple(f".{suffix}" for suffix in config["FORMATS"])
    to_compress, stale = [], []
    for prefix, files in _files_by_folder(output):
        for name, entry in files.items():
            if name.endswith(COMPRESSED_SUFFIXES):
                if name[:-3] not in files or not name.endswith(wanted):
                    stale.append(entry.path)
                continue
            if not name.endswith(sources):
                continue
            if prefix + name in untouched and all(
                name + suffix in files for suffix in wanted
            ):
                continue
            stat = entry.stat()
            copies = [files.get(name + suffix) for suffix in wanted]
            if stat.st_size < config["MIN_BYTES"]:
                stale += [copy.path for copy in copies if copy is not None]
            elif any(
                copy is None or copy.stat().st_mtime_ns < stat.st_mtime_ns
                for copy in copies
            ):
                to_compress.append(entry.path)
    return to_compress, stale


def plan_written(
    output: str, config: dict, written: frozenset[str]
) -> tuple[list[str], list[str]]:
    """``plan`` for the files a build wrote, when every other copy is current.

    Copies of the files a build no longer produces go with them (``incremental``).
    """
    sources = tuple(config["SUFFIXES"])
    wanted = tuple(f".{suffix}" for suffix in config["FORMATS"])
    to_compress, stale = [], []
    for name in written:
        if not name.endswith(sources):
            continue
        path = os.path.join(output, name)
        try:
            mtime, size = _times_and_size(path)
        except FileNotFoundError:
            continue
        copies = {}
        for suffix in wanted:
            with contextlib.suppress(FileNotFoundError):
                copies[path + suffix] = _times_and_size(path + suffix)[0]
        if size < config["MIN_BYTES"]:
            stale += copies
        elif len(copies) < len(wanted) or min(copies.values()) < mtime:
            to_compress.append(path)
    return to_compress, stale


def _times_and_size(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


def _written(pelican) -> frozenset[str] | None:
    """What an incremental build wrote, if that is all that changed (else None)."""
    build = getattr(pelican, "incremental_build", None)
    if build is None:
        return None
    return build.ledger.written_since_finished_build()


def _untouched(pelican) -> frozenset[str]:
    """What an incremental build (``incremental``) left as the last one wrote it."""
    build = getattr(pelican, "incremental_build", None)
    if build is None:
        return frozenset()
    return build.ledger.untouched_since_finished_build()


def compress_output(pelican) -> None:
    """Compress the text files a build changed, on every core."""
    config = precompress_settings(pelican.settings)
    if not config["ENABLED"]:
        return
    unknown = set(config["FORMATS"]) - COMPRESSORS.keys()
    if unknown:
        raise ValueError(
            f"PRECOMPRESS['FORMATS']: {sorted(unknown)} not supported; "
            f"use {sorted(COMPRESSORS)}"
        )
    output, written = str(pelican.output_path), _written(pelican)
    if written is None:
        to_compress, stale = plan(output, config, _untouched(pelican))
    else:
        to_compress, stale = plan_written(output, config, written)
    for path in stale:
        os.unlink(path)
    jobs = [(path, config) for path in to_compress]
    if len(jobs) < PARALLEL_FROM:
        for job in jobs:
            compress_file(job)
        return
    workers, processes = os.cpu_count() or 1, process_context(pelican.settings)
    logger.debug(
        "Nén %d tệp trên %d tiến trình (%s)",
        len(jobs),
        workers,
        processes.get_start_method(),
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=processes) as pool:
        list(pool.map(compress_file, jobs, chunksize=64))


def register() -> None:
    """Connect the precompress plugin to Pelican."""
    signals.finalized.connect(compress_output)
