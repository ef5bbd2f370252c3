"""Files of the build cache, checked when they are read back.

Every file the build cache keeps starts with a header: a mark, the length of
what follows and its CRC-32. A file cut short, overwritten with other bytes,
or left by something else fails the check and reads as missing: the build
makes that entry again, and the output is what a clean build gives. The CRC
runs over bytes already read (about 0.5 ms a megabyte), and the values are
checked for the type their reader expects: a check that passes never hands a
reader what it cannot use.

Files are written whole, to a temporary name, then renamed: a build stopped
half-way leaves the old file or the new one.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

from .collector import lasting_objects

logger = logging.getLogger(__name__)

MARK = b"portal-cache\x01"
HEADER = struct.Struct(">QI")  # the length and the CRC-32 of the payload
START = len(MARK) + HEADER.size
# What unpickling bytes that passed the check may still raise (a class gone
# or renamed since the file was written).
UNPICKLING_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    IndexError,
    TypeError,
    ValueError,
)


def save_checked(path: Path, payload: bytes) -> None:
    """Keep ``payload`` at ``path`` behind its checksum, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stored:
            stored.write(MARK)
            stored.write(HEADER.pack(len(payload), zlib.crc32(payload)))
            stored.write(payload)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def load_checked(path: Path) -> memoryview | None:
    """The payload kept at ``path``; None if there is none, or it is damaged."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    if data[: len(MARK)] == MARK and len(data) >= START:
        length, crc = HEADER.unpack_from(data, len(MARK))
        payload = memoryview(data)[START:]
        if len(payload) == length and zlib.crc32(payload) == crc:
            return payload
    damaged(path)
    return None


def damaged(path: Path) -> None:
    """Say that a cache file was found damaged (it is made again)."""
    logger.info("Bộ nhớ đệm hỏng, sẽ tạo lại: %s", path)


def save_pickle(path: Path, value: Any) -> None:
    """Keep a Python value (pickled) at ``path``."""
    save_checked(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def load_pickle(path: Path, expected: type | tuple[type, ...]) -> Any:
    """The value kept at ``path`` if it is intact and of type ``expected``."""
    payload = load_checked(path)
    if payload is None:
        return None
    try:
        with lasting_objects():
            value = pickle.loads(payload)
    except UNPICKLING_ERRORS:
        value = None
    if not isinstance(value, expected):
        damaged(path)
        return None
    return value


def save_json(path: Path, value: Any) -> None:
    """Keep a JSON value at ``path``."""
    save_checked(path, json.dumps(value).encode("utf-8"))


def load_json(path: Path, expected: type | tuple[type, ...] = dict) -> Any:
    """The JSON value kept at ``path`` if it is intact and of type ``expected``."""
    payload = load_checked(path)
    if payload is None:
        return None
    try:
        with lasting_objects():
            value = json.loads(bytes(payload))
    except ValueError:
        value = None
    if not isinstance(value, expected):
        damaged(path)
        return None
    return value
