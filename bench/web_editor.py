"""The browser editor at scale: Decap CMS on decap-server over a large clone.

The corpus is committed to a git repository, decap-server (git mode, as
``invoke cms`` runs it) serves it on 127.0.0.1, and the editor's page (built
from the portal's settings, pointed at that server) is opened in Debian's
chromium. Each run, in a fresh browser context, times:

- the list: from logging in (the local server needs no password) on the
  address of the fullest year's collection (``bai-viet-<năm>``) until it
  shows its first entry;
- an article: from opening one entry's address until its form holds its title.

Alone: ``PYTHONPATH=lib:plugins python3 -m bench.web_editor --articles 10000``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tools.local_nginx import free_port
from tools.site_build import build_site

from .corpus import generate
from .search import CHROMIUM, CHROMIUM_ARGS, served

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
TIMEOUT_MS = 300_000


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def committed_clone(content: Path, repo: Path) -> None:
    """A git repository holding ``content/`` as a newsroom's clone does."""
    repo.mkdir(parents=True)
    shutil.copytree(content, repo / "content")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "content")
    _git(
        repo,
        "-c",
        "user.name=Bench",
        "-c",
        "user.email=bench@example.vn",
        "commit",
        "-q",
        "-m",
        "corpus",
    )


@contextlib.contextmanager
def decap_server(repo: Path) -> Iterator[str]:
    """decap-server in git mode on ``repo``, bound to 127.0.0.1; its API URL."""
    port = free_port()
    environment = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "error",
    }
    process = subprocess.Popen([str(SERVER)], env=environment, cwd=repo)
    url = f"http://localhost:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    url,
                    data=b'{"action":"info"}',
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def editor_site(api: str, work: Path, repo: Path) -> Path:
    """The portal's editor page, configured for the local server at ``api``.

    Built from the registry and the year folders of ``repo``'s articles (each
    a collection), without the articles themselves.
    """
    content = work / "editor-content"
    for year in (repo / "content" / "bai-viet").iterdir():
        (content / "bai-viet" / year.name).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", content)
    output = work / "editor-output"
    result = build_site(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "SITEURL": "",
            "WEB_EDITOR": {"LOCAL_BACKEND": api, "LOCAL_USER": "Bench"},
        },
    )
    if result.failed:
        raise RuntimeError("\n".join(result.errors))
    return output


def measure_editor(content: Path, work: Path, runs: int) -> dict:
    """Median seconds until the article list is usable and until an article opens."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    repo = work / "clone"
    committed_clone(content, repo)
    # The fullest year: the largest list an editor opens.
    years = sorted(
        (sum(1 for _ in folder.glob("*.md")), folder)
        for folder in (repo / "content" / "bai-viet").iterdir()
    )
    in_year, folder = years[-1]
    collection = f"bai-viet-{folder.name}"
    last = sorted(folder.glob("*.md"))[-1]
    title = last.read_text("utf-8").split("\n", 1)[0].removeprefix("Title: ")
    lists, opens = [], []
    with decap_server(repo) as api, served(editor_site(api, work, repo)) as base:
        url = base.replace("127.0.0.1", "localhost") + "/quan-tri/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            for _ in range(runs):
                page = browser.new_context().new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(f"{url}#/collections/{collection}")
                login = page.get_by_role("button", name="Đăng nhập")
                login.wait_for()
                start = time.perf_counter()
                login.click()
                entries = f'a[href*="#/collections/{collection}/entries/"]'
                page.locator(entries).first.wait_for()
                lists.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.goto(f"{url}#/collections/{collection}/entries/{last.stem}")
                field = page.get_by_label("Tiêu đề", exact=True)
                field.wait_for()
                deadline = time.monotonic() + TIMEOUT_MS / 1000
                while field.input_value() != title:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{last}: no title {title!r}")
                    time.sleep(0.02)
                opens.append(time.perf_counter() - start)
                page.context.close()
            browser.close()
    return {
        "articles_in_clone": sum(1 for _ in (repo / "content").rglob("*.md")),
        "articles_in_year_listed": in_year,
        "list_usable_seconds": round(statistics.median(lists), 2),
        "article_open_seconds": round(statistics.median(opens), 2),
        "runs": runs,
    }


def main() -> None:
    """Measure the editor on a corpus of ``--articles`` (``--runs`` times)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-editor-") as folder:
        work = Path(folder)
        work.chmod(0o755)  # nginx's worker reads the editor's page
        generate(work / "content", arguments.articles)
        figures = measure_editor(work / "content", work, arguments.runs)
    print(json.dumps(figures, ensure_ascii=False, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
