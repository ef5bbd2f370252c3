"""``invoke serve`` keeps what it read between saves: its output stays a clean build's.

A preview of a copy of the sample site runs in this process, keeping its
state in memory between builds as ``invoke serve`` does. After each change
an editor or a developer makes, once the preview has rebuilt, the same
sources and settings are built from scratch into a brand-new output and
cache, and the two trees must be byte-identical, every file included.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from pelican import signals
from pelican.contents import Article
from test_incremental_builds import assert_same_tree

from build_cache.checked import load_pickle
from build_cache.engine import pages_changed_after_first, pages_written_first
from build_cache.read_cache import keep_between_builds
from conftest import ROOT, article_text, read_page
from documents.citations import CITATION
from tools.preview import Preview
from tools.preview.runner import PREVIEW_BUILD
from tools.preview.server import EVENTS, PAGE_PARAMETER
from tools.site_build import build_site

# Seconds a rebuild of the small site may take, at most.
REBUILD_TIMEOUT = 180
# After a rebuild, how long no other may start for the changes to be all in.
SETTLED = 1.5


class ServedSite:
    """A copy of the sample site, its settings file and its running preview."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.theme = root / "theme"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme)
        # The portal's settings, changed by lines added to this file.
        self.settings = root / "xem_thu_conf.py"
        self.settings.write_text("from pelicanconf import *  # noqa: F403\n")
        self.clean_builds = 0
        self.preview = Preview(
            self.settings,
            [self.content, self.theme, self.settings],
            self.overrides(root / "preview"),
        )

    def overrides(self, folder: Path) -> dict:
        """The preview's or a clean build's own output and caches."""
        return {
            "PATH": str(self.content),
            "THEME": str(self.theme),
            "OUTPUT_PATH": str(folder / "output"),
            "SITEURL": "",
            "INCREMENTAL": {"CACHE": str(folder / "cache")},
            "LEAD_IMAGES": {"CACHE": str(folder / "lead-images")},
        }

    @property
    def output(self) -> Path:
        return self.root / "preview" / "output"

    def state(self) -> dict:
        return json.loads(self.preview.state.current()[1])

    def change(self, make_change) -> None:
        """Make a change, wait for the preview's rebuild, compare with a clean build."""
        self.rebuilt(make_change)
        assert_same_tree(self.output, self.clean_build())

    def rebuilt(self, make_change) -> None:
        """Make a change and wait for the preview's rebuild (no other build)."""
        before = self.state()["build"]
        make_change()
        deadline = time.monotonic() + REBUILD_TIMEOUT
        while True:
            state = self.state()
            if not state["building"] and state["build"] != before:
                time.sleep(SETTLED)  # a batch of the same change may follow
                if self.state() == state:
                    break
            assert time.monotonic() < deadline, "the preview did not rebuild"
            time.sleep(0.1)
        assert state["problems"] == [], state["problems"]

    def clean_build(self) -> Path:
        self.clean_builds += 1
        folder = self.root / f"clean-{self.clean_builds}"
        overrides = {**self.overrides(folder), **PREVIEW_BUILD}
        result = build_site(self.settings, overrides)
        assert result.ok, result.errors
        return folder / "output"

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def page(self, url: str) -> BeautifulSoup:
        return read_page(self.output, url)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedSite]:
    site = ServedSite(tmp_path)
    site.preview.start(built_first=True)
    assert site.state()["problems"] == []
    assert_same_tree(site.output, site.clean_build())
    yield site
    site.preview.stop()


def a_published_article(content: Path) -> Path:
    """The first sample article that is published, by its ``Status``."""
    for path in sorted((content / "bai-viet").rglob("*.md")):
        if "Status: published" in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError("no published article in the sample")


def page_of(output: Path, source: Path) -> str:
    """The URL of the page whose heading is the article's title."""
    title = next(
        line.split(":", 1)[1].strip()
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.startswith("Title:")
    )
    for page in sorted(output.rglob("index.html")):
        heading = BeautifulSoup(page.read_bytes(), "html.parser").h1
        if heading is not None and heading.get_text(strip=True) == title:
            return "/" + page.parent.relative_to(output).as_posix() + "/"
    raise AssertionError(f"no page of {title!r}")


@contextlib.contextmanager
def pages_open(preview: Preview, urls: list[str]) -> Iterator[None]:
    """Pages open in a browser: their event streams, each naming its page."""
    host, port = preview.server.server_address[:2]
    streams = []
    for url in urls:
        connection = http.client.HTTPConnection(host, port)
        connection.request("GET", f"{EVENTS}?{PAGE_PARAMETER}={quote(url, safe='')}")
        stream = connection.getresponse()
        stream.fp.readline()
        streams.append((connection, stream))
    try:
        yield
    finally:
        for connection, stream in streams:
            stream.close()
            connection.close()


def test_every_change_in_the_preview_builds_what_a_clean_build_does(
    served: ServedSite,
):
    articles = served.content / "bai-viet"
    edited = a_published_article(served.content)
    relative = edited.relative_to(served.content).as_posix()
    body = edited.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    # The edited article's page and the front page are open all along: each
    # build writes them first, then the rest.
    opened = page_of(served.output, edited)
    # The pages told in each build (known by the id of the build before it).
    told: dict[str, set[str]] = {}
    changed: list[list[str]] = []

    def written_first(_writer, output: Path, names: list[str]) -> None:
        told.setdefault(served.preview.state.build_id, set()).update(names)

    first_id = served.preview.state.build_id
    with (
        pages_open(served.preview, ["/", opened]),
        pages_written_first.connected_to(written_first),
        pages_changed_after_first.connected_to(
            lambda _w, output, names: changed.append(names)
        ),
    ):
        assert len(served.preview.state.open_pages()) == 2
        every_change(served, articles, edited, relative, body)
    # The setting (the site's name) rewrites the web manifest the pages load
    # after they were shown: they reload at that build's end, whose id skips
    # one (``invoke serve`` restarts for a setting instead).
    article_page = opened.strip("/") + "/index.html"
    assert changed == [sorted([article_page, "index.html"])]
    ids = build_number(served.preview.state.build_id) - build_number(first_id)
    builds = ids - len(changed)
    assert builds >= 9
    assert len(told) == builds  # each build told the pages open
    assert all("index.html" in names for names in told.values())
    assert sum(article_page in names for names in told.values()) >= 7  # not a draft


def build_number(build_id: str) -> int:
    """The count in a build's id (``<prefix>-<count>``)."""
    return int(build_id.rsplit("-", 1)[1])


def every_change(
    served: ServedSite, articles: Path, edited: Path, relative: str, body: str
) -> None:

    # A body edit.
    served.change(lambda: served.edit(relative, body, body + " Câu mới thêm vào."))
    assert "Câu mới thêm vào." in edited.read_text(encoding="utf-8")

    # A new article, the newest.
    new = articles / "2025" / "tin-moi-nhat.md"
    served.change(
        lambda: new.write_text(
            article_text(
                title="Tin mới nhất của cổng",
                date="2025-12-01 08:00",
                Status="published",
            ),
            encoding="utf-8",
        )
    )
    assert "Tin mới nhất của cổng" in served.page("/").get_text()

    # Renamed, then deleted.
    renamed = articles / "2025" / "tin-moi-doi-ten.md"
    served.change(lambda: new.rename(renamed))
    served.change(renamed.unlink)
    assert "Tin mới nhất của cổng" not in served.page("/").get_text()

    # Retracted: published, then a draft.
    served.change(lambda: served.edit(relative, "Status: published", "Status: draft"))
    # Back again, so later changes show on its pages.
    served.change(lambda: served.edit(relative, "Status: draft", "Status: published"))

    # A template: the footer of every page.
    footer = served.theme / "templates" / "base.html"
    text = footer.read_text(encoding="utf-8")
    assert text.count("</footer>") == 1
    served.change(
        lambda: footer.write_text(
            text.replace("</footer>", '<p class="marker">Dấu mới</p></footer>'),
            encoding="utf-8",
        )
    )
    assert served.page("/").select_one(".marker").get_text() == "Dấu mới"

    # The registry: a section's description.
    registry = served.content / "chuyen-muc.toml"
    registry_text = registry.read_text(encoding="utf-8")
    first = registry_text.index('description = "') + len('description = "')
    served.change(
        lambda: registry.write_text(
            registry_text[:first] + "Mô tả mới. " + registry_text[first:],
            encoding="utf-8",
        )
    )

    # A setting (in this process the preview builds with it at once; in
    # ``invoke serve`` the process restarts, test_preview checks).
    served.change(
        lambda: served.settings.write_text(
            served.settings.read_text(encoding="utf-8")
            + 'SITESUBTITLE = "Phụ đề của bản xem thử"\n',
            encoding="utf-8",
        )
    )
    described = served.page("/").select_one('meta[name="description"]')
    assert described["content"] == "Phụ đề của bản xem thử"

    # And a body edit after all of them.
    served.change(lambda: served.edit(relative, "Câu mới thêm vào.", "Câu sửa."))


@pytest.fixture
def kept_caches() -> Iterator[None]:
    """This process keeps its caches between builds, as ``invoke serve`` does."""
    keep_between_builds()
    yield
    keep_between_builds(keep=False)


def test_a_save_makes_again_only_the_articles_of_changed_files(
    tmp_path: Path, kept_caches: None
):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # A draft with a mistake: read again at every build, its problem told again.
    draft = content / "bai-viet" / "2025" / "ban-nhap-sai-ngay.md"
    draft.write_text(
        article_text(
            title="Bản nháp sai ngày", Status="draft", Reviewed_at=None
        ).replace("Date: 2024-04-26 10:30", "Date: 2024-13-40 10:30"),
        encoding="utf-8",
    )
    # Seven articles spell this tag "Đại hội XIV"; one will spell it otherwise.
    tagged = sorted(
        path
        for path in (content / "bai-viet").rglob("*.md")
        if "Đại hội XIV" in path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    )
    assert len(tagged) > 2
    edited = tagged[0]

    def build(folder: str) -> tuple[Path, set[str], list]:
        overrides = {
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp_path / folder / "output"),
            "SITEURL": "",
            # Files read again are read in worker processes, however few.
            "INCREMENTAL": {
                "CACHE": str(tmp_path / folder / "cache"),
                "PARALLEL_FROM": 1,
            },
            "LEAD_IMAGES": {"CACHE": str(tmp_path / folder / "lead-images")},
            **PREVIEW_BUILD,
        }
        made: set[str] = set()

        def made_one(content_object) -> None:
            if isinstance(content_object, Article):
                made.add(
                    Path(content_object.source_path).relative_to(content).as_posix()
                )

        with signals.content_object_init.connected_to(made_one):
            result = build_site(ROOT / "pelicanconf.py", overrides)
        return tmp_path / folder / "output", made, result.problems

    def relative_path(path: Path) -> str:
        return path.relative_to(content).as_posix()

    output, made, problems = build("preview")
    assert len(made) > len(tagged)
    assert [p.field for p in problems if p.path.endswith(draft.name)] == ["Date"]

    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace("Đại hội XIV", "đại hội xiv", 1) + "\nCâu mới.\n",
        encoding="utf-8",
    )
    output, made, problems = build("preview")
    assert made == {relative_path(edited), relative_path(draft)}
    assert [p.field for p in problems if p.path.endswith(draft.name)] == ["Date"]
    # The others keep their own spelling: the tag shows as most of them write it.
    (tag_folder,) = (output / "tu-khoa").glob("dai-hoi-xiv-*")
    tag_page = read_page(output, f"/tu-khoa/{tag_folder.name}/")
    assert "Đại hội XIV" in tag_page.select_one("h1").get_text()

    # A photo two unchanged articles show is deleted: both are read again,
    # and their problem told, not made from what they were.
    photo = content / "images" / "bien-dao.jpg"
    showing = {
        path.relative_to(content).as_posix()
        for path in (content / "bai-viet").rglob("*.md")
        if "Image: {static}/images/bien-dao.jpg" in path.read_text(encoding="utf-8")
    }
    assert len(showing) == 2
    photo.unlink()
    output, made, problems = build("preview")
    assert made == showing | {relative_path(draft)}
    told = {relative_path(Path(p.path)) for p in problems if p.field == "Image"}
    assert told == showing
    # What the preview read is saved for its next process (a restart), as
    # its build ends: the edited file under the digest of its bytes now.
    saved = set()
    for shard in (tmp_path / "preview" / "cache" / "read").glob("*.pickle"):
        saved |= set(load_pickle(shard, tuple)[1])
    digest = hashlib.sha1(edited.read_bytes()).hexdigest()
    assert (str(edited), digest) in saved
    keep_between_builds(keep=False)
    clean, made, _ = build("clean")
    assert len(made) > len(tagged)
    assert_same_tree(output, clean)


def served_page(preview: Preview, url: str) -> bytes:
    """The page as the preview serves it now (with its script)."""
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        assert response.status == 200
        return response.read()
    finally:
        connection.close()


def an_article_citing_nothing(content: Path, status: str = "published") -> Path:
    """A sample article whose body names no văn bản (nothing to link)."""
    for path in sorted((content / "bai-viet").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n\n", 1)[1]
        if f"Status: {status}" in text and not CITATION.search(body):
            return path
    raise AssertionError("no such article in the sample")


class AtPelicansStart:
    """What the open page was, as the preview's next build started (``initialized``)."""

    def __init__(self, served: ServedSite, url: str) -> None:
        self.served, self.url = served, url
        self.page = url.strip("/") + "/index.html"
        self.state: dict | None = None
        self.html: bytes | None = None

    def __call__(self, pelican) -> None:
        if self.state is not None or not self.served.preview._builds_here(
            pelican.settings["OUTPUT_PATH"]
        ):
            return  # a clean build's, or not the first
        self.state = json.loads(self.served.preview.state.current(self.page)[1])
        self.html = served_page(self.served.preview, self.url)


def an_article_shown(served: ServedSite, status: str) -> tuple[str, str, str]:
    """An article citing nothing: its file, its page's URL and its last line."""
    edited = an_article_citing_nothing(served.content, status)
    body = edited.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    relative = edited.relative_to(served.content).as_posix()
    return relative, page_of(served.output, edited), body


def saved_while_open(served: ServedSite, url: str, make_change) -> AtPelicansStart:
    """Make a change; the open page as the preview's build started, once built."""
    start = AtPelicansStart(served, url)
    with signals.initialized.connected_to(start):
        served.change(make_change)
    return start


# A draft's page (``/ban-nhap/<slug>/``) is what an editor has open as they write.
@pytest.mark.parametrize("status", ["published", "draft"])
def test_a_body_edit_shows_on_the_open_page_before_the_build_starts(
    served: ServedSite, status: str
):
    relative, opened, body = an_article_shown(served, status)
    served.rebuilt(lambda: served.edit(relative, body, body + " Câu thứ nhất."))
    first_id = build_number(served.preview.state.build_id)
    # The page is opened after that build, which did not write it first: the
    # next save of its body alone is shown from that build's article.
    with pages_open(served.preview, [opened]):
        start = saved_while_open(
            served,
            opened,
            lambda: served.edit(relative, "Câu thứ nhất.", "Câu sửa trước khi dựng."),
        )
        ended = served.preview.state.build_id
        # As Pelican started, the page was already the new build's, not building.
        assert start.state == {"build": ended, "building": False, "problems": []}
        assert "Câu sửa trước khi dựng." in start.html.decode()
        assert "Câu thứ nhất." not in start.html.decode()
        # Byte for byte the page the build then wrote, served as it ended:
        # the page did not reload again (the build's id follows the last one).
        assert served_page(served.preview, opened) == start.html
        assert build_number(ended) == first_id + 1

        # A field saved with the body: the page waits for the build.
        served.rebuilt(
            lambda: served.edit(relative, "Câu sửa trước khi dựng.", "Câu giữa.")
        )
        start = saved_while_open(
            served,
            opened,
            lambda: (
                served.edit(relative, "Câu giữa.", "Câu sau.")
                or served.edit(relative, "Title: ", "Title: Đã sửa: ")
            ),
        )
        assert start.state["building"] is True
        assert "Câu sau." not in start.html.decode()
        assert "Câu giữa." in start.html.decode()


def test_a_body_shown_ahead_that_the_build_changes_reloads_at_its_end(
    served: ServedSite,
):
    relative, opened, body = an_article_shown(served, "published")
    plan = (served.content / "van-ban" / "01-kh-mau.md").read_text(encoding="utf-8")
    assert "So_hieu: 01/KH-MAU" in plan
    with pages_open(served.preview, [opened]):
        served.rebuilt(lambda: served.edit(relative, body, body + " Câu thứ nhất."))
        first_id = build_number(served.preview.state.build_id)
        # A citation of a văn bản: the build links it, after the body is read.
        start = saved_while_open(
            served,
            opened,
            lambda: served.edit(
                relative, "Câu thứ nhất.", "Theo Kế hoạch số 01/KH-MAU."
            ),
        )
        assert start.state["building"] is False
        shown = BeautifulSoup(start.html, "html.parser")
        assert "Theo Kế hoạch số 01/KH-MAU." in shown.get_text()
        assert not shown.select('a[href*="van-ban"]:-soup-contains("01/KH-MAU")')
        # The page shown was not the build's: its end skips the id it was
        # served with, and the page, reloaded, has the link.
        assert build_number(served.preview.state.build_id) == first_id + 2
        built = BeautifulSoup(served_page(served.preview, opened), "html.parser")
        assert built.select('a[href*="van-ban"]:-soup-contains("01/KH-MAU")')
