"""Atomic deploys: a release folder, verified, marked finished, one rename.

On the target (a local folder, or ``user@host:/folder`` over rsync and ssh)::

    releases/20260101T080000123456Z-1a2b3c4d/  the release folders
    finished/20260101T080000123456Z-1a2b3c4d   written last: the release's manifest
    current -> releases/...                    what the web server serves
    deploy.lock                                held while a deploy or rollback runs

A release is filled next to the live one (rsync; files whose content is
unchanged are hard-linked to the live release's), given the theme's hashed
bundles of the kept releases that the new build lacks (a page cached before
the switch still finds its CSS), and compared with the build, file by file and
size by size. Only then is its manifest written to ``finished/``, and
``current`` switched in a single rename, so a reader gets the old site or the
new one, never a half-written mix. Only finished releases go live, by a deploy
or a rollback; a deploy that fails removes its folder, and leftovers are
pruned. Files are 644 and folders 755 whatever the umask. Every failure is a
``DeployError`` with a one-line message; the live site is untouched until the switch.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

KEEP = 5
CURRENT = "current"
RELEASES = "releases"
FINISHED = "finished"
LOCK = "deploy.lock"
# The releases that went live, one a line, newest last: a deploy pushes, a
# rollback pops, so a rollback undoes the last switch (never back to a
# release that was rolled away from).
HISTORY = "history"
# The checkout this code runs from: never a deploy target.
CHECKOUT = Path(__file__).resolve().parents[2]
# The theme's bundles, named by content (``theme_assets.named_by_content``: the
# site's and each page's own, as the search page's) and their compressed
# copies: immutable, so kept in later releases for the pages cached before a
# switch.
BUNDLE = r"theme/(css|js)/[^/]+\.[0-9a-f]{12}\.(css|js)(\.gz|\.br)?"
SSH = ("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20")
# user@host of an ssh target: never an option ("-oProxyCommand=...").
HOST = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9_.\[\]:-]+")
# Exit codes of the lock holder: another holds the lock; the folder is missing.
LOCKED = 75
MISSING = 66


class DeployError(Exception):
    """A deploy or rollback that cannot go on: a one-line message in Vietnamese."""


def _first_line(text: str, fallback: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[0] if lines else fallback)[:300]


@dataclass(frozen=True)
class State:
    """What a target holds: release folders, finished ones, the live one."""

    releases: list[str]
    markers: list[str]
    current: str | None

    @property
    def finished(self) -> list[str]:
        """Releases with their folder and their finished marker, oldest first."""
        return [name for name in self.releases if name in self.markers]


@dataclass(frozen=True)
class Target:
    """Where a site is deployed: ``folder`` on this machine or on ``host``."""

    folder: str
    host: str | None = None

    @classmethod
    def parse(cls, spec: str, checkout: Path = CHECKOUT) -> Target:
        """``/srv/site`` or ``user@host:/srv/site``; refuses what cannot be one."""
        spec = spec.strip()
        if not spec:
            raise DeployError(
                "chưa chỉ định nơi đăng: --target /thư/mục hoặc người-dùng@máy:/thư/mục"
            )
        if ":" in spec and not spec.startswith("/") and "@" in spec.split(":", 1)[0]:
            host, folder = spec.split(":", 1)
            if not HOST.fullmatch(host):
                raise DeployError(
                    f"'{host}' không phải người-dùng@máy hợp lệ trong --target"
                )
            if not folder.strip():
                raise DeployError(f"thiếu thư mục sau '{host}:' trong --target")
            return cls(folder, host)
        try:
            folder = Path(spec).expanduser().resolve()
            checkout = checkout.resolve()
            if folder == checkout or checkout in folder.parents:
                raise DeployError(
                    f"không đăng vào thư mục mã nguồn ({folder}): "
                    f"chọn một thư mục ngoài {checkout}"
                )
            existing = next(p for p in (folder, *folder.parents) if p.exists())
            if not existing.is_dir():
                raise DeployError(f"{existing} là một tệp, không phải thư mục")
        except OSError as error:
            raise DeployError(
                f"không dùng được {spec} làm nơi đăng: {error.strerror}"
            ) from error
        return cls(str(folder))

    def __str__(self) -> str:
        return f"{self.host}:{self.folder}" if self.host else self.folder

    def path(self, *parts: str) -> str:
        """A path on the target."""
        return "/".join([self.folder.rstrip("/"), *parts])

    def _argv(self, command: str) -> list[str]:
        command = f"umask 022 && {command}"
        return [*SSH, self.host, command] if self.host else ["sh", "-c", command]

    def _failure(self, code: int, stderr: str) -> DeployError:
        detail = _first_line(stderr, f"mã lỗi {code}")
        if self.host and code == 255:  # noqa: PLR2004 - ssh's own failure
            return DeployError(f"không kết nối được tới {self.host}: {detail}")
        return DeployError(f"thao tác trên {self} thất bại: {detail}")

    def run(self, command: str, stdin: str | None = None) -> str:
        """Run a shell command on the target (umask 022); return its output."""
        argv = self._argv(command)
        try:
            done = subprocess.run(
                argv, input=stdin, capture_output=True, text=True, check=False
            )
        except OSError as error:
            raise DeployError(f"không chạy được {argv[0]}: {error.strerror}") from error
        if done.returncode:
            raise self._failure(done.returncode, done.stderr)
        return done.stdout

    @contextlib.contextmanager
    def locked(self, create: bool = True) -> Iterator[None]:
        """Hold the target's lock (``flock`` on ``deploy.lock``) for the block.

        The lock is held by ``flock`` on the target until its standard input
        closes, so it goes with this process, however that ends.
        """
        folder = shlex.quote(self.folder)
        prepare = (
            f"mkdir -p {folder}"
            if create
            else f"{{ test -d {folder} || exit {MISSING}; }}"
        )
        hold = shlex.quote("echo locked && exec cat")
        command = (
            f"{prepare} && exec flock -n -E {LOCKED} {shlex.quote(self.path(LOCK))}"
            f" -c {hold}"
        )
        argv = self._argv(command)
        try:
            holder = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as error:
            raise DeployError(f"không chạy được {argv[0]}: {error.strerror}") from error
        if holder.stdout.readline().strip() != "locked":
            _, stderr = holder.communicate()
            if holder.returncode == LOCKED:
                raise DeployError(
                    f"một lần đăng hoặc quay lại khác đang chạy trên {self}; "
                    "chờ nó xong rồi thử lại"
                )
            if holder.returncode == MISSING:
                raise DeployError(f"chưa có bản phát hành nào trên {self}")
            raise self._failure(holder.returncode, stderr)
        try:
            yield
        finally:
            holder.communicate()

    def state(self) -> State:
        """The release folders, the finished markers and the live release."""
        listing = self.run(
            f"cd {shlex.quote(self.folder)} && mkdir -p {RELEASES} {FINISHED}"
            f" && ls -1 {RELEASES} | sed 's|^|{RELEASES}/|'"
            f" && ls -1 {FINISHED} | sed 's|^|{FINISHED}/|'"
            f" && echo {CURRENT}/$(readlink {CURRENT} | sed 's|.*/||')"
        )
        found: dict[str, list[str]] = {RELEASES: [], FINISHED: [], CURRENT: []}
        for line in listing.splitlines():
            kind, _, name = line.partition("/")
            if name:
                found[kind].append(name)
        current = found[CURRENT][0] if found[CURRENT] else None
        return State(sorted(found[RELEASES]), sorted(found[FINISHED]), current)

    def releases(self) -> list[str]:
        """The finished releases, oldest first."""
        return self.state().finished

    def current(self) -> str | None:
        """The release ``current`` points to."""
        return self.state().current

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


def manifest(output: Path) -> dict[str, int]:
    """Every regular file of a built site (relative path) with its size."""
    files = {}
    for folder, folders, names in os.walk(output):
        for name in names + folders:
            path = Path(folder, name)
            if path.is_symlink():
                raise DeployError(
                    f"{path} là liên kết tượng trưng: một trang đã dựng không có "
                    "liên kết nào; hãy dựng lại"
                )
            if name in names and path.is_file():
                files[path.relative_to(output).as_posix()] = path.stat().st_size
    return files


def _make_readable(folder: Path) -> None:
    folder.chmod(0o755)
    for parent, folders, names in os.walk(folder):
        for name in folders:
            Path(parent, name).chmod(0o755)
        for name in names:
            path = Path(parent, name)
            if not path.is_symlink():
                path.chmod(0o644)


def copy_release(
    output: Path, target: Target, release: str, previous: str | None
) -> None:
    """Fill the new release folder from the build, sharing unchanged files."""
    destination = target.path(RELEASES, release)
    if not shutil.which("rsync"):
        if target.host:
            raise DeployError(
                "cần rsync để đăng lên máy chủ khác (apt-get install rsync)"
            )
        try:
            shutil.copytree(output, destination, symlinks=True)
            _make_readable(Path(destination))
        except OSError as error:
            raise DeployError(
                f"chép lên {target} thất bại: {_first_line(str(error), '?')}"
            ) from error
        return
    # Compared by content: a page rebuilt within the same second at the same
    # size is not the live release's file, whatever rsync's time check says.
    command = ["rsync", "-a", "--checksum", "--delete", "--chmod=D755,F644"]
    if previous:
        command.append(f"--link-dest=../{previous}")
    if target.host:
        command += ["-e", shlex.join(SSH)]
    remote = f"{target.host}:{destination}/" if target.host else f"{destination}/"
    done = subprocess.run(
        [*command, f"{output}/", remote], capture_output=True, text=True, check=False
    )
    if done.returncode:
        detail = _first_line(done.stderr, f"mã lỗi {done.returncode}")
        raise DeployError(f"chép lên {target} thất bại: {detail}")


def carry_bundles(
    target: Target, release: str, built: dict[str, int], sources: list[str]
) -> None:
    """Give the new release the hashed bundles of ``sources`` that it lacks.

    ``sources`` are finished releases, newest first; their markers say which
    bundles their build made, so a bundle is kept as long as one of them is.
    """
    if not sources:
        return
    pattern = shlex.quote(f"^[0-9]+ {BUNDLE}$")
    found = target.run(
        f"cd {shlex.quote(target.path(FINISHED))}"
        f" && {{ grep -E -H {pattern} -- {shlex.join(sources)} || true; }}"
    )
    origin: dict[str, str] = {}
    for line in found.splitlines():
        source, _, entry = line.partition(":")
        path = entry.partition(" ")[2]
        if path not in built and path not in origin:
            origin[path] = source
    steps = []
    for path, source in sorted(origin.items()):
        held = shlex.quote(f"{source}/{path}")
        copy = shlex.quote(f"{release}/{path}")
        steps.append(
            f"if [ -f {held} ]; then mkdir -p $(dirname {copy})"
            f" && {{ ln -f {held} {copy} 2>/dev/null || cp -p {held} {copy}; }}; fi"
        )
    if steps:
        target.run(f"cd {shlex.quote(target.path(RELEASES))} && " + " && ".join(steps))


def verify(target: Target, release: str, built: dict[str, int]) -> None:
    """Check the release holds every built file at its size, and nothing else."""
    listing = target.run(
        f"cd {shlex.quote(target.path(RELEASES, release))}"
        " && find . -type f -printf '%P\\0%s\\0'"
    )
    fields = listing.split("\0")[:-1]
    copied = dict(zip(fields[::2], map(int, fields[1::2]), strict=True))
    wrong = sorted(path for path, size in built.items() if copied.get(path) != size)
    extra = sorted(
        path for path in copied if path not in built and not re.fullmatch(BUNDLE, path)
    )
    if wrong or extra:
        example = (wrong or extra)[0]
        raise DeployError(
            f"bản phát hành {release} không khớp với bản đã dựng: {len(wrong)} tệp "
            f"thiếu hoặc sai kích thước, {len(extra)} tệp thừa (ví dụ {example})"
        )


def mark_finished(target: Target, release: str, built: dict[str, int]) -> None:
    """Write the release's manifest to ``finished/``, in one rename."""
    marker = shlex.quote(target.path(FINISHED, release))
    temporary = shlex.quote(target.path(FINISHED, f".{release}.tmp"))
    text = "".join(f"{size} {path}\n" for path, size in sorted(built.items()))
    target.run(f"cat > {temporary} && mv -f {temporary} {marker}", stdin=text)


def adopt_live_release(target: Target, state: State) -> State:
    """A target first published before finished markers: its live release counts.

    Releases made before markers existed have none; without this, the first
    deploy would prune the release that was live a moment before, carry none
    of its bundles, and leave nothing to roll back to. The live release was
    served whole, so it is taken as finished (its manifest read from it).
    """
    if state.markers or state.current not in state.releases:
        return state
    folder = shlex.quote(target.path(RELEASES, state.current))
    listing = target.run(f"cd {folder} && find . -type f -printf '%s %P\\n'")
    mark_finished(
        target,
        state.current,
        {
            path: int(size)
            for size, _, path in (line.partition(" ") for line in listing.splitlines())
        },
    )
    return target.state()


def prune(target: Target) -> None:
    """Keep the last KEEP finished releases and the live one; remove the rest."""
    state = target.state()
    keep = set(state.finished[-KEEP:]) | {state.current}
    markers = [f"{FINISHED}/{name}" for name in state.markers if name not in keep]
    folders = [f"{RELEASES}/{name}" for name in state.releases if name not in keep]
    # Markers first: a folder whose removal stops half-way is not finished.
    steps = [f"cd {shlex.quote(target.folder)}", f"rm -f {FINISHED}/.*.tmp"]
    if markers:
        steps.append(f"rm -f -- {shlex.join(markers)}")
    if folders:
        steps.append(f"rm -rf -- {shlex.join(folders)}")
    target.run(" && ".join(steps))


def deploy(output: Path, target: Target) -> str:
    """Publish a built site as a new release and switch to it; return its name."""
    built = manifest(output)
    if "index.html" not in built:
        raise DeployError(f"{output} không có index.html: chưa phải một trang đã dựng")
    release = release_name(output)
    with target.locked():
        state = adopt_live_release(target, target.state())
        previous = state.current if state.current in state.releases else None
        try:
            copy_release(output, target, release, previous)
            carry_bundles(target, release, built, state.finished[::-1][:KEEP])
            verify(target, release, built)
            mark_finished(target, release, built)
        except DeployError:
            with contextlib.suppress(DeployError):
                target.run(f"rm -rf -- {shlex.quote(target.path(RELEASES, release))}")
            raise
        target.switch(release)
        write_history(target, [*read_history(target), release])
        try:
            prune(target)
        except DeployError as error:
            logger.warning(
                "Đã đăng bản %s nhưng chưa dọn được bản cũ: %s", release, error
            )
    return release


def read_history(target: Target) -> list[str]:
    """The releases that went live, oldest first (empty on an older target)."""
    text = target.run(f"cat {shlex.quote(target.path(HISTORY))} 2>/dev/null || true")
    return [line for line in text.splitlines() if line.strip()]


def write_history(target: Target, history: list[str]) -> None:
    """Keep the live releases' history (its last entries), in one rename."""
    path = shlex.quote(target.path(HISTORY))
    temporary = shlex.quote(target.path(f".{HISTORY}.tmp"))
    text = "".join(f"{name}\n" for name in history[-100:])
    target.run(f"cat > {temporary} && mv -f {temporary} {path}", stdin=text)


def rollback(target: Target) -> str:
    """Switch ``current`` to the release live before it; return its name.

    The history of switches says which (a rollback undoes the last deploy);
    without one (a target published before it was kept), the last finished
    release older than the live one.
    """
    with target.locked(create=False):
        state = adopt_live_release(target, target.state())
        history = read_history(target)
        if history and history[-1] == state.current:
            history.pop()
        earlier = [name for name in history if name in state.finished]
        if not earlier:  # no history of switches before the live release
            earlier = [
                name
                for name in state.finished
                if state.current is None or name < state.current
            ]
        earlier = [name for name in earlier if name != state.current]
        if not earlier:
            raise DeployError(
                f"không có bản phát hành hoàn chỉnh nào trước bản đang chạy "
                f"({state.current or 'không có'}) trên {target} để quay lại"
            )
        target.switch(earlier[-1])
        while history and history[-1] != earlier[-1]:
            history.pop()  # entries whose release was pruned since
        write_history(target, history or [earlier[-1]])
    return earlier[-1]
