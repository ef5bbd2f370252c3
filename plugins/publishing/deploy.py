"""Atomic deploys: a new release folder, one rename of a symlink, rollback.

On the target (a local folder, or ``user@host:/folder`` over rsync and ssh)::

    releases/20260101T080000Z-1a2b3c/   the last five releases
    current -> releases/...             what the web server serves

A release is filled next to the live one, then ``current`` is switched in a
single rename, so a reader gets either the old site or the new one, never a
half-written mix. Until the switch, the live site is not touched.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEEP = 5
CURRENT = "current"
RELEASES = "releases"


@dataclass(frozen=True)
class Target:
    """Where a site is deployed: ``folder`` on this machine or on ``host``."""

    folder: str
    host: str | None = None

    @classmethod
    def parse(cls, spec: str) -> Target:
        """``/srv/site`` or ``user@host:/srv/site``."""
        if ":" in spec and not spec.startswith("/") and "@" in spec.split(":", 1)[0]:
            host, folder = spec.split(":", 1)
            return cls(folder, host)
        return cls(str(Path(spec).resolve()))

    def run(self, command: str) -> str:
        """Run a shell command on the target; return its output."""
        argv = ["ssh", self.host, command] if self.host else ["sh", "-c", command]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    def path(self, *parts: str) -> str:
        """A path on the target."""
        return "/".join([self.folder.rstrip("/"), *parts])

    def releases(self) -> list[str]:
        """The release names, oldest first."""
        folder = shlex.quote(self.path(RELEASES))
        listing = self.run(f"mkdir -p {folder} && ls -1 {folder}")
        return sorted(name for name in listing.split() if name)

    def current(self) -> str | None:
        """The release ``current`` points to."""
        try:
            link = self.run(f"readlink {shlex.quote(self.path(CURRENT))}").strip()
        except subprocess.CalledProcessError:
            return None
        return link.rsplit("/", 1)[-1] or None

    def switch(self, release: str) -> None:
        """Point ``current`` at a release in one rename."""
        temporary = self.path(f".{CURRENT}.{os.getpid()}")
        self.run(
            f"ln -sfn {shlex.quote(f'{RELEASES}/{release}')} {shlex.quote(temporary)}"
            f" && mv -Tf {shlex.quote(temporary)} {shlex.quote(self.path(CURRENT))}"
        )


def release_name(output: Path) -> str:
    """A new release's name: UTC time and a hash of the built files."""
    digest = hashlib.sha256()
    for path in sorted(output.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(output)).encode())
            digest.update(path.read_bytes())
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{digest.hexdigest()[:8]}"


def copy_release(
    output: Path, target: Target, release: str, previous: str | None
) -> None:
    """Fill the new release folder from the build, sharing unchanged files."""
    destination = target.path(RELEASES, release) + "/"
    if not shutil.which("rsync"):
        if target.host:
            raise RuntimeError("cần rsync để triển khai lên máy chủ khác")
        shutil.copytree(output, destination)
        return
    command = ["rsync", "-a", "--delete"]
    if previous:
        command.append(f"--link-dest=../{previous}")
    remote = f"{target.host}:{destination}" if target.host else destination
    subprocess.run([*command, f"{output}/", remote], check=True, capture_output=True)


def deploy(output: Path, target: Target) -> str:
    """Publish a built site as a new release and switch to it; return its name."""
    target.run(f"mkdir -p {shlex.quote(target.path(RELEASES))}")
    previous = target.current()
    release = release_name(output)
    copy_release(output, target, release, previous)
    target.switch(release)
    for name in target.releases()[:-KEEP]:
        target.run(f"rm -rf {shlex.quote(target.path(RELEASES, name))}")
    return release


def rollback(target: Target) -> str:
    """Switch ``current`` back to the release before it; return its name."""
    releases = target.releases()
    current = target.current()
    if current not in releases or releases.index(current) == 0:
        raise RuntimeError("không có bản phát hành nào trước bản hiện tại để quay lại")
    previous = releases[releases.index(current) - 1]
    target.switch(previous)
    return previous
