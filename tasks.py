"""Tasks of the portal: ``invoke --list`` is the menu."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "lib"), str(ROOT / "plugins")]

from tools.local_nginx import INTAKE_PORT  # noqa: E402
from tools.site_build import build_site, configure_logging  # noqa: E402

logger = logging.getLogger("tasks")

SETTINGS = {"dev": ROOT / "pelicanconf.py", "production": ROOT / "publishconf.py"}
OUTPUT = ROOT / "output"
# What ``invoke serve`` watches: a change to the code, the settings or the
# dependencies restarts it from the process's start, any other rebuilds.
WATCHED = (
    "content",
    "theme",
    "lib",
    "plugins",
    "tools",
    "pelicanconf.py",
    "publishconf.py",
    "requirements.txt",
)
PREVIEW_PORT = 8000
EDITOR_PROXY_PORT = 8081
EDITOR_PATH = "/quan-tri/"


def _build(production: bool = False, strict: bool = True) -> bool:
    configure_logging()
    settings = SETTINGS["production" if production else "dev"]
    result = build_site(settings, {"BUILD_GATE": {"STRICT": strict}})
    if result.failed:
        logger.error("Dựng trang thất bại: %d lỗi.", len(result.errors))
    return not result.failed


@task(help={"production": "build with publishconf.py (the site readers get)"})
def build(c, production=False):
    """Build the site into output/ (strict: any content error fails the build)."""
    if not _build(production):
        sys.exit(1)
    print(f"Đã dựng trang vào {OUTPUT.relative_to(ROOT)}/. Xem thử: invoke serve")  # noqa: T201


@task(help={"port": f"port of the preview server (default {PREVIEW_PORT})"})
def serve(c, port=PREVIEW_PORT):
    """Preview at http://localhost:8000: rebuilt on every change, open pages reload."""
    from tools.preview import Preview  # noqa: PLC0415

    configure_logging()
    try:
        preview = Preview(
            SETTINGS["dev"],
            [ROOT / name for name in WATCHED],
            port=int(port),
            untouched=[EDITOR_PATH],
        )
    except OSError as error:
        logger.error(  # noqa: TRY400 - the reason, not a crash
            "Không mở được cổng %s (%s); thử cổng khác: invoke serve --port %d",
            port,
            error.strerror,
            int(port) + 1,
        )
        sys.exit(1)
    print(f"Xem thử tại http://localhost:{port}/ (Ctrl+C để dừng)")  # noqa: T201
    preview.run()


def _stop(_signal_number, _frame) -> None:
    """Stop as Ctrl+C does, so that the servers a task started end with it."""
    raise KeyboardInterrupt


@task(
    help={
        "port": f"port of the editor and preview (default {PREVIEW_PORT})",
        "proxy_port": f"port of decap-server (default {EDITOR_PROXY_PORT})",
    }
)
def cms(c, port=PREVIEW_PORT, proxy_port=EDITOR_PROXY_PORT):
    """The browser editor on this clone, no login: decap-server and the preview."""
    from tools.preview import Preview  # noqa: PLC0415

    configure_logging()
    server = ROOT / "node_modules" / ".bin" / "decap-server"
    if not server.exists():
        logger.error("Chưa cài trình biên tập: hãy chạy npm ci rồi chạy lại invoke cms")
        sys.exit(1)
    # decap-server saves with `git add .`: a file left uncommitted in the clone
    # would go into the next article's commit. Refuse, and list them.
    status = c.run(
        f'git -C "{ROOT}" status --porcelain -z --untracked-files=all',
        hide=True,
        warn=True,
        in_stream=False,
    )
    stray, entries = [], iter(status.stdout.split("\0"))
    for entry in entries:
        if entry:
            stray.append(entry[3:])
            if entry[0] in "RC":  # a rename's or copy's source follows
                next(entries, None)
    if stray:
        logger.error(
            "Thư mục dự án có %d tệp chưa commit; trình biên tập sẽ commit cả "
            "chúng vào bài lưu tiếp theo:\n%s\nHãy commit các tệp này (hoặc cất "
            "đi bằng git stash -u) rồi chạy lại invoke cms.",
            len(stray),
            "\n".join(f"  - {name}" for name in stray),
        )
        sys.exit(1)
    # decap-server in git mode commits to this clone; bound to 127.0.0.1 only.
    environment = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(ROOT),
        "PORT": str(int(proxy_port)),
        "BIND_HOST": "127.0.0.1",
    }
    local = f"http://localhost:{int(proxy_port)}/api/v1"
    git_user = c.run("git config user.name", hide=True, warn=True, in_stream=False)
    reviewer = git_user.stdout.strip() if git_user.ok else ""
    signal.signal(signal.SIGTERM, _stop)
    proxy = subprocess.Popen([str(server)], env=environment, cwd=ROOT)
    try:
        preview = Preview(
            SETTINGS["dev"],
            [ROOT / name for name in WATCHED],
            overrides={"WEB_EDITOR": {"LOCAL_BACKEND": local, "LOCAL_USER": reviewer}},
            port=int(port),
            untouched=[EDITOR_PATH],
        )
        print(  # noqa: T201
            f"Biên tập tại http://localhost:{port}/quan-tri/ (Ctrl+C để dừng)",
            flush=True,
        )
        # No restart: decap-server, this command's child, would outlive it,
        # and the command refuses a clone with the changed code uncommitted.
        preview.run(restart=False)
    except OSError as error:
        logger.error("Không mở được cổng %s (%s)", port, error.strerror)  # noqa: TRY400
        sys.exit(1)
    finally:
        proxy.terminate()
        proxy.wait()


@task(
    help={
        "title": "the article's title, in Vietnamese",
        "category": "its chuyên mục: name, slug or alias (e.g. iuu)",
    }
)
def new(c, title, category):
    """Write a new draft article with every key, today's date and a slug."""
    from content_model.new_article import create_draft  # noqa: PLC0415
    from topic_registry import TopicRegistry  # noqa: PLC0415

    settings = _settings()
    now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
    try:
        path = create_draft(
            Path(settings["PATH"]),
            TopicRegistry.from_settings(settings),
            title,
            category,
            now,
        )
    except ValueError as error:
        print(f"LỖI: {error}", file=sys.stderr)  # noqa: T201
        sys.exit(1)
    print(f"Đã tạo bản nháp {path.relative_to(ROOT)}")  # noqa: T201


def _settings(production: bool = False) -> dict:
    from pelican.settings import read_settings  # noqa: PLC0415

    return read_settings(str(SETTINGS["production" if production else "dev"]))


@task
def check(c):
    """Check every content file without building; list every problem."""
    from tools.content_check import main  # noqa: PLC0415

    sys.exit(main(_settings(), sys.stdout))


@task
def report(c):
    """Count articles per section and review state; list those awaiting review."""
    from tools.content_check import check_content  # noqa: PLC0415
    from tools.content_report import build_report  # noqa: PLC0415
    from topic_registry import TopicRegistry  # noqa: PLC0415

    settings = _settings()
    result = check_content(settings)
    sections = [topic.name for topic in TopicRegistry.from_settings(settings)]
    now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
    workflow = build_report(result.inspections, sections, now)
    rows = workflow.rows()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))  # noqa: T201
    print()  # noqa: T201
    if not workflow.waiting:
        print("Không có bài nào chờ duyệt.")  # noqa: T201
    else:
        print("Chờ duyệt lâu nhất:")  # noqa: T201
        for since, title, path in workflow.waiting[:10]:
            days = (now - since).days
            print(f"  {days:>4} ngày  {title}  ({Path(path).relative_to(ROOT)})")  # noqa: T201
    if result.problems:
        print(f"\nLưu ý: nội dung có {len(result.problems)} lỗi; chạy invoke check.")  # noqa: T201


@task(
    help={
        "articles": "size of the synthetic corpus (default 1000)",
        "runs": "runs of each measure; the median is reported (default 3)",
        "search_only": "build once and measure only the search (budgets, relevance)",
        "intake_only": "only (i): the intake service under 200 questions a second",
        "builds_only": "the builds, Hugo and (s) the preview only: no search, web "
        "editor, intake or Pagefind (a quick run)",
    }
)
def bench(
    c, articles=1000, runs=3, search_only=False, intake_only=False, *, builds_only=False
):
    """Measure builds, rebuilds, search and the intake service; table and JSON."""
    if intake_only:
        from bench.intake_load import measure_intake_load  # noqa: PLC0415
        from bench.intake_load import table as intake_table  # noqa: PLC0415

        print(intake_table(measure_intake_load()))  # noqa: T201
        return
    from bench.runner import (  # noqa: PLC0415
        run_bench,
        run_search_bench,
        save,
        search_only_table,
        table,
    )

    if search_only:
        report = run_search_bench(int(articles))
        print(search_only_table(report))  # noqa: T201
    else:
        quick = {"search": False, "intake": False, "editor": False, "pagefind": False}
        report = run_bench(int(articles), int(runs), **(quick if builds_only else {}))
        print(table(report))  # noqa: T201
    print(f"JSON: {save(report).relative_to(ROOT)}")  # noqa: T201


@task
def audit(c):
    """Lighthouse (mobile) on the sample site served by nginx: scores and targets."""
    from bench.lighthouse import audit_sample_site, table  # noqa: PLC0415

    configure_logging()
    results = audit_sample_site()
    print(table(results))  # noqa: T201
    if not all(page.meets_targets() for page in results):
        sys.exit(1)


@task(
    help={
        "target": "a folder, or user@host:/folder over rsync and ssh",
        "skip_html_check": "skip the Nu HTML Checker (it needs Java and npm ci)",
    }
)
def publish(c, target, skip_html_check=False):
    """Check, build for production, check the output, deploy atomically to TARGET."""
    from tools.publishing.pipeline import publish as run_publish  # noqa: PLC0415

    code = run_publish(
        SETTINGS["production"],
        target,
        ROOT / "cache" / "publish-output",
        sys.stdout,
        validate_html=not skip_html_check,
    )
    sys.exit(code)


@task(help={"target": "the folder (or user@host:/folder) published to"})
def rollback(c, target):
    """Switch TARGET back to the release live before it (undo the last deploy)."""
    from tools.publishing import DeployError, Target  # noqa: PLC0415
    from tools.publishing import rollback as switch_back  # noqa: PLC0415

    try:
        release = switch_back(Target.parse(target))
    except DeployError as error:
        print(f"LỖI: {error}; trang đang chạy không thay đổi.", file=sys.stderr)  # noqa: T201
        sys.exit(1)
    print(f"Đã quay lại bản {release}.")  # noqa: T201


@task(help={"port": f"port of the intake service (default {INTAKE_PORT})"})
def intake(c, port=INTAKE_PORT):
    """Run the readers' questions and comments service on 127.0.0.1 (SQLite)."""
    import subprocess  # noqa: PLC0415

    manage = [sys.executable, str(ROOT / "intake" / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True)
    print(  # noqa: T201
        f"Dịch vụ hỏi đáp tại http://127.0.0.1:{int(port)}/ (biểu mẫu /hoi-dap/gui/,"
        " quản trị /quan-tri-hoi-dap/; Ctrl+C để dừng)",
        flush=True,
    )
    address = f"127.0.0.1:{int(port)}"
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(
            [*manage, "runserver", address, "--noreload", "--insecure"], check=False
        )


@task
def document_pdfs(c):
    """Draw the sample văn bản PDFs (content/van-ban/files/) from their records."""
    from tools.sample_pdfs import write_pdfs  # noqa: PLC0415

    for path in write_pdfs(ROOT / "content"):
        print(path.relative_to(ROOT))  # noqa: T201


@task(
    help={
        "base": "the revision to compare the working tree's output with",
        "articles": "articles of the bench corpus (default 1000; 0: sample site only)",
    }
)
def identical(c, base, articles=1000):
    """Build the sample site and a corpus with BASE's code and this tree's; compare."""
    from tools.output_identity import check_identity  # noqa: PLC0415

    if not check_identity(base, int(articles)):
        print("DIFFERENT: the output changed (files listed above)")  # noqa: T201
        sys.exit(1)
    print("IDENTICAL: every file has the same bytes")  # noqa: T201


@task
def clean(c):
    """Delete the built site and caches."""
    for folder in (OUTPUT, ROOT / "cache"):
        shutil.rmtree(folder, ignore_errors=True)


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)


@task
def lint(c):
    """Check code style with ruff (lint and format)."""
    c.run("ruff check .")
    c.run("ruff format --check .")
