"""``invoke publish``: content check, production build, output checks, deploy.

Each step must pass before the next; the live site changes only in the last
one, in a single rename. One publish at a time per checkout: a lock beside the
staging folder is held from before the staging folder is emptied until the
deploy ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pelican.settings import read_settings

from tools.content_check import main as check_content
from tools.site_build import build_site

from .deploy import DeployError, Target, deploy
from .output_checks import check_output

logger = logging.getLogger(__name__)

UNCHANGED = "trang đang chạy không thay đổi"


@contextlib.contextmanager
def staging_lock(staging: Path) -> Iterator[None]:
    """Hold the exclusive lock of a staging folder for the block, or refuse."""
    staging.parent.mkdir(parents=True, exist_ok=True)
    lock = staging.parent / f".{staging.name}.lock"
    with lock.open("a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise DeployError(
                f"một lần đăng khác đang chạy (khoá {lock}); chờ nó xong rồi thử lại"
            ) from error
        yield


def publish(  # noqa: PLR0917 - each step needs its own input
    settings_file: Path,
    target: str,
    staging: Path,
    out: TextIO,
    validate_html: bool = True,
    overrides: dict | None = None,
) -> int:
    """Run every step; return the exit code (0 when the site went live)."""
    try:
        destination = Target.parse(target)
        with staging_lock(staging):
            return _publish(
                settings_file, destination, staging, out, validate_html, overrides or {}
            )
    except DeployError as error:
        out.write(f"Dừng: {error}; {UNCHANGED}.\n")
        return 1


def _publish(  # noqa: PLR0917
    settings_file: Path,
    target: Target,
    staging: Path,
    out: TextIO,
    validate_html: bool,
    overrides: dict,
) -> int:
    settings = read_settings(str(settings_file), override=overrides)
    out.write("1/4 Kiểm tra nội dung…\n")
    if check_content(settings, out, blocking_only=True):
        out.write(f"Dừng: nội dung có lỗi; {UNCHANGED}.\n")
        return 1
    out.write("2/4 Dựng bản chính thức…\n")
    shutil.rmtree(staging, ignore_errors=True)
    result = build_site(settings_file, {**overrides, "OUTPUT_PATH": str(staging)})
    if not result.ok:
        for error in result.errors:
            out.write(f"{error}\n")
        out.write(f"Dừng: dựng trang thất bại; {UNCHANGED}.\n")
        return 1
    out.write("3/4 Kiểm tra trang đã dựng…\n")
    problems = check_output(staging, settings["SITEURL"], validate_html)
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        out.write(f"Dừng: {len(problems)} lỗi trong trang đã dựng; {UNCHANGED}.\n")
        return 1
    out.write("4/4 Triển khai…\n")
    release = deploy(staging, target)
    out.write(f"Đã đăng bản {release} lên {target}.\n")
    return 0
