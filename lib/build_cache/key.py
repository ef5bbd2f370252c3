"""The build key: what every cache of the build is kept under.

Whatever the build cache holds was made by some code from some inputs. Its
own inputs (a file's bytes, a template's source) key each entry; what made
it is the build key: the portal's code (every ``.py`` under
``PLUGIN_PATHS`` and under ``lib/``, the libraries the plugins import), the
settings, Python's version and every installed
distribution's version (Pelican, Markdown, nh3, Jinja2, Pillow...). After a
security release of nh3, no article body the old sanitiser produced is used
again; after an upgrade of Pillow, no lead image variant it did not encode.

What each cache depends on is decided here, and nowhere else:

- ``Scope.OUTPUT``, everything: the page fingerprints and the ledger of an
  output (and through it the search index's kept postings), the up-to-date
  stamp;
- ``Scope.READING``, everything but the settings that only decide where and
  how the output is written (``OUTPUT_ONLY_SETTINGS``): what each file read
  as, and what is derived from content alone (related lists, the citations
  of văn bản), so that a preview and a publish share them;
- ``Scope.CODE``, the code, Python and the distributions, no setting: caches
  whose entries the portal's code shapes but no setting does beyond their
  own key: lead image variants (keyed by the source's bytes and the
  quality), made again when Pillow or the code that resizes them changes;
- ``Scope.LIBRARIES``, Python and the distributions alone: caches whose
  entries no setting or plugin code shapes beyond their own key: Jinja's
  compiled templates and what each template reads (keyed by the source and
  the environment's options).

No cache keeps a version or a digest of code of its own: what made an entry
is this key, and nothing else.

The file digests (``build_cache.file_digests``) hold facts about files, not
anything made from them: they take no key.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import os
import re
import sys
import types
from collections.abc import Collection, Iterable, Mapping
from functools import cache, partial
from pathlib import Path, PurePath
from typing import Any

# Settings that change where and how the output is written, not what any
# file reads as.
OUTPUT_ONLY_SETTINGS = frozenset(
    {
        "OUTPUT_PATH",
        "SITEURL",
        "FEED_DOMAIN",
        "PRECOMPRESS",
        "INCREMENTAL",
        "WORKER_PROCESSES",
        "REVIEW_GATE",
        "DRAFT_URL",
        "DRAFT_SAVE_AS",
        "WITH_FUTURE_DATES",
        "DELETE_OUTPUT_DIRECTORY",
    }
)
# Folders on sys.path that record an installed distribution and its version
# (``nh3-0.3.8.dist-info``), as installers name them.
DISTRIBUTION_SUFFIXES = (".dist-info", ".egg-info", ".egg")
# The libraries' folder (``lib/``): this package's parent. Their code is the
# plugins' code as much as the plugins' own.
LIBRARIES = Path(__file__).resolve().parent.parent
# How deep a setting's nested values are digested (settings are shallow).
DEEPEST = 8


class Scope(enum.Enum):
    """What a cache's entries depend on beside their own inputs."""

    OUTPUT = "output"
    READING = "reading"
    CODE = "code"
    LIBRARIES = "libraries"


def build_key(settings: Mapping[str, Any], scope: Scope = Scope.OUTPUT) -> str:
    """The key a cache of ``scope`` keeps its entries under for this build."""
    parts = [scope.value, environment_digest()]
    if scope is not Scope.LIBRARIES:
        folders = [LIBRARIES, *(Path(p) for p in settings.get("PLUGIN_PATHS", []))]
        parts.append(code_digest(folders))
    if scope in (Scope.OUTPUT, Scope.READING):
        excluded = OUTPUT_ONLY_SETTINGS if scope is Scope.READING else frozenset()
        parts.append(settings_digest(settings, excluded))
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


def environment_digest() -> str:
    """A digest of Python's version and of every installed distribution's.

    Taken from the names of the distributions' metadata folders on
    ``sys.path`` (one folder listing each): reading every distribution's
    metadata costs a hundred times more, at each build. Read once per
    process and ``sys.path``: a running process (``invoke serve``) keeps the
    modules it imported, whatever is installed since.
    """
    return _environment(tuple(sys.path))


@cache
def _environment(path: tuple[str, ...]) -> str:
    digest = hashlib.sha1(sys.version.encode())
    for name in installed_distributions(path):
        digest.update(f"\0{name}".encode())
    return digest.hexdigest()


def installed_distributions(path: Iterable[str]) -> list[str]:
    """Every distribution on ``path``, as ``name-version`` (sorted, with repeats).

    A metadata folder without its version in its name (an egg-info of a
    development install) gives the version in its metadata.
    """
    found = []
    for entry in path:
        try:
            with os.scandir(entry or ".") as listed:
                names = [item.name for item in listed]
        except OSError:  # a zip file, a folder that is gone
            continue
        for name in names:
            if not name.endswith(DISTRIBUTION_SUFFIXES):
                continue
            stem = name.rsplit(".", 1)[0].removesuffix(".dist-info")
            if "-" not in stem:
                stem = _with_version(Path(entry or ".") / name, stem)
            found.append(stem)
    return sorted(found)


def _with_version(folder: Path, stem: str) -> str:
    from importlib.metadata import PathDistribution  # noqa: PLC0415 - rare

    try:
        return f"{stem}-{PathDistribution(folder).version}"
    except (OSError, ValueError, TypeError):
        return stem


def code_digest(folders: Iterable[Path]) -> str:
    """A digest of the portal's code: every ``.py`` file under ``folders``.

    Each file counts with its folder's name, so that a module moved from
    one folder to another changes the digest.

    Read once per process: code does not change during a build.
    """
    return _code(tuple(folders))


@cache
def _code(folders: tuple[Path, ...]) -> str:
    digest = hashlib.sha1()
    for folder in folders:
        digest.update(f"\0{Path(folder).name}\0".encode())
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_digest(settings: Mapping[str, Any], excluded: Collection[str] = ()) -> str:
    """A digest of the settings, but ``excluded``; the same in every process.

    Functions, classes and modules count by name (their address changes
    every run), other objects by their type and their fields.
    """
    out: list[str] = []
    for key in sorted(settings):
        if key not in excluded:
            out.append(key)
            _stable(settings[key], out, 0)
    return hashlib.sha1("\x1f".join(out).encode()).hexdigest()


def _named(value: Any) -> str:
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", "")
    return f"{getattr(value, '__module__', '')}.{name}"


SCALARS = (bool, int, float, type(None))
CALLABLES = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _stable(value: Any, out: list[str], depth: int) -> None:  # noqa: PLR0912
    """Append a form of ``value`` that never holds an address."""
    if isinstance(value, str):
        out.append(f"s{value}")
    elif isinstance(value, SCALARS):
        out.append(f"{type(value).__name__}{value!r}")
    elif depth >= DEEPEST:
        out.append(type(value).__qualname__)
    elif isinstance(value, PurePath):
        out.append(f"p{value}")
    elif isinstance(value, dt.datetime):
        out.append(f"t{value.isoformat()}{value.tzinfo!r}")
    elif isinstance(value, (dt.date, dt.time, dt.timedelta)):
        out.append(f"{type(value).__name__}{value!r}")
    elif isinstance(value, Mapping):
        out.append("{")
        for key, item in value.items():
            _stable(key, out, depth + 1)
            _stable(item, out, depth + 1)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _stable(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        members = []
        for item in value:  # each member whole, then sorted: set order is random
            parts: list[str] = []
            _stable(item, parts, depth + 1)
            members.append("\x1e".join(parts))
        out.append(f"set{sorted(members)}")
    elif isinstance(value, types.ModuleType):
        out.append(f"module:{value.__name__}")
    elif isinstance(value, CALLABLES):
        out.append(f"callable:{_named(value)}")
    elif isinstance(value, re.Pattern):
        out.append(f"re:{value.pattern!r}:{value.flags}")
    elif isinstance(value, partial):
        out.append(f"partial:{_named(value.func)}")
        _stable([value.args, value.keywords], out, depth + 1)
    else:
        out.append(f"<{_named(type(value))}")
        fields = getattr(value, "__dict__", {})
        for key in sorted(fields):
            out.append(key)
            _stable(fields[key], out, depth + 1)
        out.append(">")


def digest_text(digest: Any, text: str) -> None:
    """Add ``text`` to ``digest`` (a ``hashlib`` object), as UTF-16.

    Python holds Vietnamese text as two bytes a character: encoding it to
    UTF-16 is a copy, four times faster than to UTF-8 (0.016 s against
    0.054 s for the 21 million characters of 10,000 articles), which a
    rebuild pays for each body it digests. ASCII text digests as well, at
    twice its length.
    """
    digest.update(text.encode("utf-16-le"))


def text_digest(text: str) -> str:
    """The SHA-1 of ``text`` as ``digest_text`` adds it, in hexadecimal."""
    digest = hashlib.sha1()
    digest_text(digest, text)
    return digest.hexdigest()


# Where ``body_digest`` keeps an article's body's digest, with that body.
BODY_DIGEST = "_body_digest"


def body_digest(content: Any) -> str:
    """The digest of a content's body as it is now (``_content``), taken once.

    The citations of văn bản, the search index and the page fingerprints
    each need every article's body digested: the digest is kept on the
    content with the body it is of (``BODY_DIGEST``), and a body set anew
    since (its citations linked) is digested again. A process forked after
    it was taken finds it kept; one forked before takes its own.
    """
    body = content._content
    kept = vars(content).get(BODY_DIGEST)
    if kept is not None and kept[0] is body:
        return kept[1]
    digest = text_digest(body)
    setattr(content, BODY_DIGEST, (body, digest))
    return digest
