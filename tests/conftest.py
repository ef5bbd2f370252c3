"""Shared fixtures: tiny real sites built in tmp_path, parsed with BeautifulSoup."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from blinker import ANY, Signal
from bs4 import BeautifulSoup
from pelican.plugins import signals
from PIL import Image

from tools.preview import Preview
from tools.site_build import BuildResult, build_site

ROOT = Path(__file__).resolve().parent.parent
# Every package in plugins/: their receivers are dropped after each test.
PLUGIN_MODULES = tuple(
    path.name
    for path in (ROOT / "plugins").iterdir()
    if (path / "__init__.py").exists()
)
SITEURL = "http://portal.test"


@pytest.fixture(autouse=True)
def disconnect_plugin_receivers():
    """Pelican's signals are process-global: drop our receivers after each test."""
    yield
    for name in dir(signals):
        signal = getattr(signals, name)
        if not isinstance(signal, Signal):
            continue
        for receiver in list(signal.receivers_for(ANY)):
            if getattr(receiver, "__module__", "").startswith(PLUGIN_MODULES):
                signal.disconnect(receiver)


def article_text(
    title: str = "Bài viết thử",
    date: str = "2024-04-26 10:30",
    category: str = "Xây dựng Đảng",
    body: str = "Nội dung bài viết.",
    **fields: str,
) -> str:
    """The text of an article file; extra fields are written as ``Key: value``."""
    header = {
        "Title": title,
        "Date": date,
        "Category": category,
        "Summary": fields.pop("Summary", f"Tóm tắt: {title}."),
        "Status": fields.pop("Status", "published"),
        "Reviewed_by": fields.pop("Reviewed_by", "Biên tập viên"),
        # Reviewed when written, or now for an article scheduled later.
        "Reviewed_at": fields.pop(
            "Reviewed_at", min(date, datetime.now().strftime("%Y-%m-%d %H:%M"))
        ),
        **fields,
    }
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body).strip() + "\n"


def nfd(text: str) -> str:
    """The same text, decomposed; asserts the forms really differ."""
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != unicodedata.normalize("NFC", text)
    return decomposed


@dataclass
class TinySite:
    """A site of a few articles in tmp_path, built with the portal's settings."""

    root: Path
    result: BuildResult | None = None
    overrides: dict = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, name: str, **kwargs: str) -> Path:
        return self.write(f"bai-viet/{name}.md", article_text(**kwargs))

    def photo(self, relative: str, size: tuple[int, int] = (1600, 1000)) -> Path:
        """A plain image under content/ (its format from the extension)."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (20, 90, 160)).save(path)
        return path

    def build(self, production: bool = False, **overrides) -> BuildResult:
        settings = ROOT / ("publishconf.py" if production else "pelicanconf.py")
        self.result = build_site(
            settings,
            {
                "PATH": str(self.content),
                "OUTPUT_PATH": str(self.output),
                "SITEURL": SITEURL,
                "FEED_DOMAIN": SITEURL,
                **self.overrides,
                **overrides,
            },
        )
        return self.result

    def exists(self, url: str) -> bool:
        return (self.output / url.strip("/") / "index.html").is_file()

    def page(self, url: str) -> BeautifulSoup:
        path = self.output / url.strip("/") / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def listed_titles(self, url: str) -> list[str]:
        """Titles of the article cards on a listing page, in order."""
        soup = self.page(url)
        return [a.get_text(strip=True) for a in soup.select(".portal-card__title a")]


@pytest.fixture
def site(tmp_path: Path) -> TinySite:
    """An empty site with the real chuyên mục registry."""
    tiny = TinySite(tmp_path)
    tiny.content.mkdir()
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", tiny.content / "chuyen-muc.toml")
    (tiny.content / "bai-viet").mkdir()
    return tiny


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (code, theme, an empty content tree) to run tasks in."""
    copy = tmp_path / "portal"
    # deploy/: tasks.py reads the intake's port from deploy/nginx.conf.
    names = (
        "lib",
        "plugins",
        "tools",
        "theme",
        "deploy",
        "tasks.py",
        "pelicanconf.py",
        "publishconf.py",
    )
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(source, copy / name)
    (copy / "content" / "bai-viet").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", copy / "content")
    return copy


def reader_pages(output: Path, name: str = "*.html") -> list[Path]:
    """The built HTML pages readers get: all but the browser editor (/quan-tri/).

    The editor is Decap CMS's page, with its own policy and no portal layout
    (tests/test_web_editor.py, tests/browser/test_web_editor.py).
    """
    editor = output / "quan-tri"
    return sorted(p for p in output.rglob(name) if not p.is_relative_to(editor))


def copy_project(copy: Path) -> Path:
    """Copy what a fresh clone has (code, theme, sample content) into ``copy``."""
    ignore = shutil.ignore_patterns("__pycache__")
    # deploy/: tasks.py reads the intake's port from deploy/nginx.conf.
    for name in ("lib", "plugins", "tools", "theme", "content", "deploy"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py", ".gitignore"):
        shutil.copy(ROOT / name, copy / name)
    return copy


@pytest.fixture
def fresh_clone(tmp_path) -> Path:
    """The project as a fresh clone has it: code, theme and the sample content."""
    return copy_project(tmp_path / "portal")


def start_preview(site: TinySite) -> Preview:
    """The preview of a tiny site, served on a free port once first built."""
    preview = Preview(
        ROOT / "pelicanconf.py",
        [site.content],
        {"PATH": str(site.content), "OUTPUT_PATH": str(site.output), "SITEURL": ""},
    )
    preview.start(built_first=True)
    return preview


@pytest.fixture
def preview(site: TinySite) -> Iterator[Preview]:
    """The preview of a site of one article, "Tin thử", stopped after the test."""
    site.article("tin-thu", title="Tin thử", body="Nội dung đầu tiên.")
    running = start_preview(site)
    yield running
    running.stop()


def interruptible() -> None:
    """In a child about to run: Ctrl+C (SIGINT) stops it, as in a terminal.

    A shell starts a background job with SIGINT ignored, and a child keeps
    that; Python then never turns Ctrl+C into KeyboardInterrupt. Tests that
    stop a command as a user does pass this as ``preexec_fn``.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``invoke`` in a project folder, as an editor or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample content built once with the dev settings; its output folder."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = build_site(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    assert result.ok, result.errors
    return output


def read_page(output: Path, url: str) -> BeautifulSoup:
    """Parse the page at a site URL (a folder URL or a file)."""
    path = output / url.strip("/")
    if path.is_dir() or not path.suffix:
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
