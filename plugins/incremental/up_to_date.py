"""A build with nothing to do: same inputs, same clock window, output intact.

After a successful build, a stamp records the digest of every input (the
content folder's bytes, the theme, and the build key: the code of the
plugins and libraries, the settings, Python and every library's version),
the files the build produced, its warnings, and until when its output stays
true: the next scheduled article falls due, or a file stops being true as
its plugin said (``output_expires``: an article leaves the Google News
sitemap's window). A later build with the same digest, before that time and
with every file still there, has nothing to do: it repeats the warnings and
stops. Anything else builds (incrementally), and so does a damaged stamp (it
is checked when it is read).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from build_cache import Scope, build_key, damaged, load_json, save_json
from build_cache.file_digests import FileDigests, file_digests
from build_cache.settings import output_cache_file

logger = logging.getLogger(__name__)


def _tree_digest(digest, root: Path, files_digests: FileDigests) -> None:
    _folder_digest(digest, str(root), "", files_digests)


def _folder_digest(digest, folder: str, relative: str, known: FileDigests) -> None:
    """Each file's name and SHA-1, folders in name order, no symlink followed.

    A symbolic link counts by where it points (the build refuses it): one
    added, removed or changed anywhere, to a file or a folder, is a change.
    """
    with os.scandir(folder) as listed:
        entries = sorted(listed, key=lambda entry: entry.name)
    subfolders = []
    for entry in entries:
        name = os.path.join(relative, entry.name) if relative else entry.name
        if entry.is_symlink():
            digest.update(name.encode())
            digest.update(b"\0link\0" + os.readlink(entry.path).encode())
        elif entry.is_dir():
            subfolders.append((entry.path, name))
        else:
            digest.update(name.encode())
            digest.update(bytes.fromhex(known.hexdigest(entry.path)))
    for path, name in subfolders:
        _folder_digest(digest, path, name, known)


def inputs_digest(settings: dict) -> str:
    """A digest of everything a build reads, taken before Pelican starts."""
    digest = hashlib.sha1()
    known = file_digests(settings)
    for root in (settings["PATH"], settings["THEME"]):
        _tree_digest(digest, Path(root), known)
    known.save()
    digest.update(build_key(settings, Scope.OUTPUT).encode())
    return digest.hexdigest()


def _stamp_path(settings: dict) -> Path:
    return output_cache_file(settings, "stamp")


@dataclass
class BuildStamp:
    """What the last successful build of an output read, wrote and warned."""

    digest: str
    valid_until: str | None
    warnings: list[str]
    produced: list[str]
    # The problems among the warnings, each as [path, line, field, message]
    # (a successful build's problems are drafts' only), for the preview.
    problems: list[list] = field(default_factory=list)
    # The files outside the content a setting names, by SHA-1, as the
    # output was made from them (``PortalWriter.read_named_file``).
    named_files: dict[str, str] = field(default_factory=dict)

    def sound(self) -> bool:
        """True when every field has the type a build gives it."""
        try:
            if self.valid_until is not None:
                datetime.fromisoformat(self.valid_until)
        except (TypeError, ValueError):
            return False
        return (
            isinstance(self.digest, str)
            and all(
                type(names) is list and set(map(type, names)) <= {str}
                for names in (self.warnings, self.produced)
            )
            and type(self.problems) is list
            and type(self.named_files) is dict
            and all(
                type(path) is str and type(sha1) is str
                for path, sha1 in self.named_files.items()
            )
            and all(
                type(told) is list
                and [type(part) for part in told] == [str, int, str, str]
                for told in self.problems
            )
        )

    def still_true(self, settings: dict, digest: str) -> bool:
        """True when a build now would write exactly what is there."""
        if digest != self.digest:
            return False
        now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
        if self.valid_until and now >= datetime.fromisoformat(self.valid_until):
            return False
        for path, sha1 in self.named_files.items():
            try:
                if hashlib.sha1(Path(path).read_bytes()).hexdigest() != sha1:
                    return False
            except OSError:
                return False
        output = Path(settings["OUTPUT_PATH"])
        return all((output / name).is_file() for name in self.produced)


def load_stamp(settings: dict) -> BuildStamp | None:
    """The stamp of the last successful build of this output, if any."""
    path = _stamp_path(settings)
    data = load_json(path)
    if data is None:
        return None
    try:
        stamp = BuildStamp(**data)
    except TypeError:
        stamp = None
    if stamp is None or not stamp.sound():
        damaged(path)
        return None
    return stamp


def forget_stamp(settings: dict) -> None:
    """A build started: until it succeeds, the output is not known to be true."""
    _stamp_path(settings).unlink(missing_ok=True)


def save_stamp(settings: dict, stamp: BuildStamp) -> None:
    """Record a successful build."""
    save_json(_stamp_path(settings), dict(stamp.__dict__))  # fields are flat


def valid_until(
    context: dict, since: datetime, expiries: Iterable[datetime] = ()
) -> str | None:
    """When the output stops being true with no input changed, if ever.

    A scheduled article falls due (Pelican then publishes it); a file
    written stops being true at one of ``expiries``, as its plugin said
    (``PortalWriter.output_expires``: an article leaves the news sitemap's
    window). ``since`` is when the build started, before it decided what was
    due: an article falling due during the build counts.
    """
    moments = [moment for moment in expiries if moment > since]
    for name in ("articles", "drafts", "hidden_articles"):
        for article in context.get(name, []):
            if article.date > since:
                moments.append(article.date)
    return min(moments).isoformat() if moments else None
