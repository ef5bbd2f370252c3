"""``invoke publish``: content check, production build, output checks, deploy.

Each step must pass before the next; the live site changes only in the last
one, in a single rename.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TextIO

from pelican.settings import read_settings

from build_gate.runner import build_site
from review_gate.check import main as check_content

from .deploy import Target, deploy
from .output_checks import check_output

logger = logging.getLogger(__name__)


def publish(  # noqa: PLR0917 - each step needs its own input
    settings_file: Path,
    target: str,
    staging: Path,
    out: TextIO,
    validate_html: bool = True,
    overrides: dict | None = None,
) -> int:
    """Run every step; return the exit code (0 when the site went live)."""
    overrides = overrides or {}
    settings = read_settings(str(settings_file), override=overrides)
    out.write("1/4 Kiểm tra nội dung…\n")
    if check_content(settings, out):
        out.write("Dừng: nội dung có lỗi; trang đang chạy không thay đổi.\n")
        return 1
    out.write("2/4 Dựng bản chính thức…\n")
    shutil.rmtree(staging, ignore_errors=True)
    result = build_site(settings_file, {**overrides, "OUTPUT_PATH": str(staging)})
    if not result.ok:
        for error in result.errors:
            out.write(f"{error}\n")
        out.write("Dừng: dựng trang thất bại; trang đang chạy không thay đổi.\n")
        return 1
    out.write("3/4 Kiểm tra trang đã dựng…\n")
    problems = check_output(staging, settings["SITEURL"], validate_html)
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        out.write(
            f"Dừng: {len(problems)} lỗi trong trang đã dựng; "
            "trang đang chạy không thay đổi.\n"
        )
        return 1
    out.write("4/4 Triển khai…\n")
    release = deploy(staging, Target.parse(target))
    out.write(f"Đã đăng bản {release} lên {target}.\n")
    return 0
