"""Incremental production builds: a rebuild gives the bytes a clean build gives.

Each test builds a small site incrementally (one output folder and one build
cache kept between its builds), makes one kind of change an editor or a
developer makes, rebuilds incrementally into the same output, then builds the
same content and settings from scratch into a brand-new output and cache, and
asserts the two trees are byte-identical: the same paths, the same bytes,
the .gz and .br copies included.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import re
import shutil
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from jinja2 import DictLoader, Environment
from pelican import signals
from pelican.contents import Article
from pelican.settings import read_settings
from pelican.urlwrappers import Author, Tag
from PIL import Image

from build_cache import (
    BODY_DIGEST,
    Scope,
    body_digest,
    build_key,
    load_json,
    load_pickle,
    save_json,
    save_pickle,
    text_digest,
)
from build_cache.engine import (
    pages_changed_after_first,
    pages_wanted_first,
    pages_written_first,
)
from build_cache.file_digests import FileDigests
from build_cache.read_cache import portable, restored
from conftest import ROOT, SITEURL, article_text, nfd, read_page
from content_tree import loaded_urls, output_target
from incremental.compiled_templates import CompiledTemplates
from incremental.ledger import OutputLedger
from incremental.template_reads import TemplateReads, attributes_read
from incremental.writer import RUN_AT_LEAST, page_runs
from tools.site_build import BuildResult, build_site
from topic_registry import build_registry
from vietnamese import slugify

PRODUCTION = ROOT / "publishconf.py"
# The portal's own settings, read once: settings tests change one value of
# them, and the cache overrides keep the rest of LEAD_IMAGES.
PORTAL = read_settings(str(PRODUCTION))
SHOWN = 8  # how many paths of each kind a failed comparison names


# --- The site ------------------------------------------------------------------

IUU = "Chống khai thác IUU"
PARTY = "Xây dựng Đảng"
ECONOMY = "Phát triển kinh tế - xã hội"
EMULATION = "Thi đua yêu nước"
# One tag in three spellings: NFC, NFD, and the other tone placement.
FISHERIES = "thủy sản"
FISHERIES_NFD = nfd("thủy sản")
FISHERIES_OLD_TONE = "thuỷ sản"
AUTHORS = ("Thu Hà", "Hữu Tài")
LEAD_IMAGE = "images/tau-ca.jpg"  # of giam-sat-hanh-trinh; 640 px wide
CONGRESS = "Đại hội XIV của Đảng"
CORRUPTION = "Phòng, chống tham nhũng, tiêu cực"
DEFENCE = "Quốc phòng, an ninh"
FALSE_VIEWS = "Đấu tranh phản bác quan điểm sai trái"

# name: fields of article_text. Two years, several months, four main sections,
# two authors, shared tags; ordered oldest first. Every one of the registry's
# eight sections has an article (through Topics) that no test deletes or
# retracts: the feed of an empty section carries the build's clock (see
# test_an_empty_sections_feed_is_reproducible), which no comparison survives.
ARTICLES: dict[str, dict[str, str]] = {
    "hoc-tap-nghi-quyet": {
        "title": "Chi bộ khu phố học tập nghị quyết đầu năm",
        "date": "2023-02-14 08:00",
        "category": PARTY,
        "Topics": CONGRESS,
        "Tags": "học tập nghị quyết, chi bộ",
        "Authors": AUTHORS[0],
        "body": "Các chi bộ khu phố tổ chức học tập nghị quyết đầu năm.",
    },
    "guong-thi-dua": {
        "title": "Gương nông dân thi đua sản xuất giỏi",
        "date": "2023-05-20 09:30",
        "category": EMULATION,
        "Tags": "thi đua, nông dân",
        "Authors": AUTHORS[1],
        "body": "Nhiều hộ nông dân vươn lên khá giả nhờ mô hình tôm - lúa.",
    },
    "doi-tau-ca-2023": {
        "title": "Rà soát đội tàu cá trước mùa biển động",
        "date": "2023-09-03 07:15",
        "category": IUU,
        "Tags": f"{FISHERIES}, tàu cá",
        "Authors": AUTHORS[0],
        "body": "Lực lượng chức năng rà soát từng tàu cá trước mùa biển động.",
    },
    "nong-thon-moi": {
        "title": "Xã đạt chuẩn nông thôn mới nâng cao",
        "date": "2023-11-28 14:00",
        "category": ECONOMY,
        "Tags": "nông thôn mới, Kiên Giang",
        "Authors": AUTHORS[1],
        "body": "Thêm hai xã đạt chuẩn nông thôn mới nâng cao trong năm.",
    },
    "hoi-nghi-can-bo": {
        "title": "Hội nghị cán bộ chủ chốt quán triệt chỉ thị mới",
        "date": "2024-01-09 08:30",
        "category": PARTY,
        "Topics": CORRUPTION,
        "Tags": "chi bộ, Kiên Giang",
        "Authors": f"{AUTHORS[0]}, {AUTHORS[1]}",
        "body": "Hội nghị quán triệt chỉ thị mới đến cán bộ chủ chốt.",
    },
    "giam-sat-hanh-trinh": {
        "title": "Giám sát hành trình tàu cá suốt ngày đêm",
        "date": "2024-02-16 10:00",
        "category": IUU,
        "Tags": f"{FISHERIES_NFD}, giám sát hành trình",
        "Authors": AUTHORS[1],
        "Image": "{static}/" + LEAD_IMAGE,
        "Image_caption": "Tàu cá cập cảng",
        "body": "Trung tâm giám sát hành trình trực suốt ngày đêm.",
    },
    "chuyen-doi-so": {
        "title": "Chuyển đổi số trong quản lý cảng cá",
        "date": "2024-03-05 15:45",
        "category": ECONOMY,
        "Topics": IUU,
        "Tags": f"chuyển đổi số, {FISHERIES_OLD_TONE}",
        "Authors": AUTHORS[0],
        "body": "Cảng cá dùng phần mềm truy xuất nguồn gốc sản phẩm khai thác.",
    },
    "chi-thi-32": {
        "title": "Triển khai Chỉ thị 32 siết chặt quản lý tàu cá",
        "date": "2024-04-12 09:00",
        "category": IUU,
        "Tags": f"{FISHERIES}, tàu cá",
        "Authors": AUTHORS[0],
        "body": (
            "Thực hiện Chỉ thị số 32-CT/TW của Ban Bí thư, tỉnh siết chặt "
            "quản lý tàu cá từ bến đến biển."
        ),
    },
    "khen-thuong": {
        "title": "Khen thưởng tập thể điển hình tiên tiến",
        "date": "2024-04-29 16:00",
        "category": EMULATION,
        "Tags": "thi đua, khen thưởng",
        "Authors": AUTHORS[1],
        "body": "Tỉnh khen thưởng các tập thể điển hình tiên tiến.",
    },
    "ngu-dan-cam-ket": {
        "title": "Ngư dân đồng lòng cam kết không vi phạm vùng biển nước ngoài",
        "date": "2024-05-08 07:00",
        "category": IUU,
        "Tags": f"{FISHERIES_NFD}, ngư dân",
        "Authors": AUTHORS[1],
        "body": "Hàng trăm chủ tàu ký cam kết không vi phạm vùng biển nước ngoài.",
    },
    "ket-nap-dang-vien": {
        "title": "Kết nạp đảng viên trong doanh nghiệp ngoài nhà nước",
        "date": "2024-06-21 11:20",
        "category": PARTY,
        "Topics": FALSE_VIEWS,
        "Tags": "chi bộ, doanh nghiệp",
        "Authors": AUTHORS[0],
        "body": "Các chi bộ doanh nghiệp kết nạp thêm đảng viên mới.",
    },
    "kinh-te-bien": {
        "title": "Phát triển kinh tế biển gắn với bảo vệ nguồn lợi",
        "date": "2024-07-02 08:10",
        "category": ECONOMY,
        "Topics": f"{IUU}; {DEFENCE}",
        "Tags": f"{FISHERIES_OLD_TONE}, kinh tế biển",
        "Authors": AUTHORS[1],
        "body": "Kinh tế biển phát triển gắn với bảo vệ nguồn lợi thủy sản.",
    },
}
# The articles the tests change or watch.
EDITED = "chi-thi-32"  # cites the văn bản; in IUU with the fisheries tag
UNRELATED = "guong-thi-dua"  # older, another section, no tag in common
RETRACTED = "ngu-dan-cam-ket"
RENAMED = "doi-tau-ca-2023"  # older: in the related lists of newer IUU articles

DOCUMENT = "van-ban/32-ct-tw.md"
DOCUMENT_SUBJECT = next(
    line.removeprefix("Trich_yeu: ")
    for line in (ROOT / "content" / DOCUMENT).read_text(encoding="utf-8").splitlines()
    if line.startswith("Trich_yeu: ")
)
PAGE = """\
Title: Liên hệ
Slug: lien-he
Summary: Thông tin liên hệ với Ban Biên tập.

Bạn đọc gửi tin, bài về địa chỉ thư điện tử của tòa soạn.
"""


def write_base_content(content: Path) -> None:
    """Write the site every test starts from into ``content``."""
    content.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", content / "chuyen-muc.toml")
    for name, fields in ARTICLES.items():
        path = content / "bai-viet" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(**fields), encoding="utf-8")
    (content / "trang").mkdir()
    (content / "trang" / "lien-he.md").write_text(PAGE, encoding="utf-8")
    (content / "van-ban" / "files").mkdir(parents=True)
    shutil.copy(ROOT / "content" / DOCUMENT, content / DOCUMENT)
    shutil.copy(
        ROOT / "content" / "van-ban" / "files" / "32-ct-tw.pdf",
        content / "van-ban" / "files" / "32-ct-tw.pdf",
    )
    write_image(content / LEAD_IMAGE, (640, 400), (30, 90, 160))


def write_image(path: Path, size: tuple[int, int], color: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, format="JPEG", quality=90)


def url_of(name: str, title: str | None = None) -> str:
    """The folder URL of a base article: its date, and its title as a slug."""
    fields = ARTICLES[name]
    year, month = fields["date"][:4], fields["date"][5:7]
    return f"{year}/{month}/{slugify(title or fields['title'])}/"


# --- Output trees ----------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: its path relative to it, and its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    """Every file under ``folder``: its path relative to it, and its mtime_ns."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file()
    }


def _first_difference(left: bytes, right: bytes) -> str:
    """Where two byte strings part, with a little of each around it."""
    at = next(
        (i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
        min(len(left), len(right)),
    )
    start = max(at - 30, 0)
    return (
        f"at byte {at} (sizes {len(left)} / {len(right)}): "
        f"{left[start : at + 40]!r} / {right[start : at + 40]!r}"
    )


def tree_differences(incremental: Path, clean: Path) -> list[str]:
    """Lines naming what differs between two output trees; empty when none."""
    ours, theirs = tree(incremental), tree(clean)
    missing = sorted(theirs.keys() - ours.keys())
    extra = sorted(ours.keys() - theirs.keys())
    differing = sorted(p for p in ours.keys() & theirs.keys() if ours[p] != theirs[p])
    lines = []
    for label, paths in (
        ("missing from the incremental output", missing),
        ("only in the incremental output (stale)", extra),
        ("with different bytes", differing),
    ):
        if paths:
            more = f" (first {SHOWN})" if len(paths) > SHOWN else ""
            lines.append(f"{len(paths)} files {label}{more}:")
            lines += [f"  {path}" for path in paths[:SHOWN]]
    # Where the first few text files differ, to tell a stale value from noise.
    for path in [p for p in differing if not p.endswith((".gz", ".br"))][:3]:
        lines.append(f"  {path} {_first_difference(ours[path], theirs[path])}")
    return lines


def assert_same_tree(incremental: Path, clean: Path) -> None:
    """Fail naming the first few missing, extra and differing files."""
    if differences := tree_differences(incremental, clean):
        pytest.fail(
            f"incremental output {incremental} differs from clean build {clean}:\n"
            + "\n".join(differences),
            pytrace=False,
        )


# --- Builds ----------------------------------------------------------------------


class IncrementalSite:
    """A site built incrementally into one output, and cleanly for comparison."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.output = root / "incremental" / "output"
        self.cache = root / "incremental" / "cache"
        self.overrides: dict = {}
        self.clean_builds = 0
        self.result: BuildResult | None = None
        write_base_content(self.content)

    def _build(self, output: Path, cache: Path) -> None:
        result = build_site(
            PRODUCTION,
            {
                "PATH": str(self.content),
                "OUTPUT_PATH": str(output),
                "SITEURL": SITEURL,
                "FEED_DOMAIN": SITEURL,
                "INCREMENTAL": {"CACHE": str(cache / "build")},
                # Both kinds of copy, so both are proved reproducible.
                "PRECOMPRESS": {"ENABLED": True, "FORMATS": ["gz", "br"]},
                # Search segments of 4 and 2 articles, so that every change
                # re-indexes some in a segment's kept postings.
                "SEARCH": {"LEVELS": [[4, 4], [2, 2]]},
                "LEAD_IMAGES": {
                    **PORTAL["LEAD_IMAGES"],
                    "CACHE": str(cache / "lead-images"),
                },
                **self.overrides,
            },
        )
        assert result.ok, result.errors
        self.result = result

    def build(self) -> Path:
        """Build incrementally, keeping the output and the cache."""
        self._build(self.output, self.cache)
        return self.output

    def clean_build(self) -> Path:
        """Build the same content and settings into a brand-new output and cache."""
        self.clean_builds += 1
        folder = self.root / f"clean-{self.clean_builds}"
        assert not folder.exists()
        self._build(folder / "output", folder / "cache")
        return folder / "output"

    def rebuild_and_compare(self) -> Path:
        """Rebuild incrementally, build cleanly, assert the trees are the same."""
        self.build()
        assert_same_tree(self.output, self.clean_build())
        return self.output

    def path(self, relative: str) -> Path:
        return self.content / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace one occurrence of ``old`` in a content file."""
        path = self.path(relative)
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def page(self, url: str) -> BeautifulSoup:
        return read_page(self.output, url)

    def card_titles(self, url: str) -> list[str]:
        """Titles of the article cards on a listing page of the incremental site."""
        return [
            a.get_text(strip=True)
            for a in self.page(url).select(".portal-card__title a")
        ]


@pytest.fixture
def portal(tmp_path: Path) -> IncrementalSite:
    """The base site, built once incrementally."""
    site = IncrementalSite(tmp_path)
    site.build()
    return site


def text_of(soup: BeautifulSoup) -> str:
    return soup.get_text(" ", strip=True)


# --- The baseline -----------------------------------------------------------------


def test_what_the_read_cache_keeps_comes_back_new_at_each_build():
    """Metadata kept (``portable``) and given back (``restored``), pickled between.

    Each build gets its own lists and dicts, the same values, and one object
    for each tag and author, its sections the registry's own.
    """
    settings = read_settings(
        None, override={"PATH": str(ROOT / "content"), "SITENAME": "Cổng"}
    )
    registry = build_registry({}, settings)
    section = next(iter(registry.topics))
    reviewed = datetime(2024, 4, 26, 10, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    tag = Tag("Đại hội XIV", settings)
    metadata = {
        "title": "Tiêu đề",
        "date": reviewed,
        "featured": True,
        "category": section,
        "tags": [tag, Tag("kinh tế biển", settings)],
        "authors": [Author("Hữu Tài", settings)],
        "correction": [],
        "field_lines": {"title": 1, "tags": 4},
        "nested": {"inner": [tag], "pair": (1, 2)},
    }
    kept = pickle.loads(pickle.dumps(portable(metadata), pickle.HIGHEST_PROTOCOL))
    first, second = ({}, {})
    once = restored(kept, settings, registry, first)
    again = restored(kept, settings, registry, second)
    for made in (once, again):
        assert type(made) is dict
        assert type(made["field_lines"]) is type(made["nested"]) is dict
        assert made["category"] is section
        assert made["title"] == "Tiêu đề"
        assert made["date"] == reviewed
        assert made["featured"] is True
        assert made["field_lines"] == {"title": 1, "tags": 4}
        assert made["nested"]["pair"] == (1, 2)
        assert [t.name for t in made["tags"]] == ["Đại hội XIV", "kinh tế biển"]
        assert [t.slug for t in made["tags"]] == [tag.slug, slugify("kinh tế biển")]
        assert [a.name for a in made["authors"]] == ["Hữu Tài"]
        # One object for a tag however often it is named, in one build.
        assert made["nested"]["inner"][0] is made["tags"][0]
    # Nothing shared between builds but the values: one changed, the other not.
    assert once["tags"][0] is not again["tags"][0]
    for key in ("tags", "authors", "correction", "field_lines", "nested"):
        assert once[key] is not again[key]
    assert once["nested"]["inner"] is not again["nested"]["inner"]
    once["correction"].append("Sửa")
    once["field_lines"]["title"] = 9
    assert again["correction"] == [] and again["field_lines"]["title"] == 1
    assert restored(kept, settings, registry, {}) == again  # kept as it was


def test_a_body_is_digested_once_until_it_is_set_anew():
    """The citations, the search index and the page fingerprints share one
    digest of each body, kept beside it; a body set anew (its citations
    linked) is digested again, a text equal to it to the same digest."""
    article = Article("<p>Chống khai thác IUU.</p>", metadata={"title": "IUU"})
    first = body_digest(article)
    kept = vars(article)[BODY_DIGEST]
    assert first == text_digest("<p>Chống khai thác IUU.</p>")
    assert body_digest(article) == first
    assert vars(article)[BODY_DIGEST] is kept  # taken once
    article._content = '<p>Chống khai thác <a href="/van-ban/">IUU</a>.</p>'
    assert body_digest(article) == text_digest(article._content) != first
    article._content = "".join(["<p>Chống khai thác IUU.", "</p>"])
    assert body_digest(article) == first


def test_two_clean_builds_are_byte_identical(tmp_path):
    """Without this, no comparison below means anything."""
    site = IncrementalSite(tmp_path)
    first, second = site.clean_build(), site.clean_build()
    assert_same_tree(first, second)
    files = tree(first)
    assert any(path.endswith(".gz") for path in files)
    assert any(path.endswith(".br") for path in files)
    assert any(path.startswith("anh/") for path in files)


def test_an_empty_sections_feed_is_reproducible(tmp_path):
    """feedgenerator dates a feed with no items by the clock; ours never does."""
    site = IncrementalSite(tmp_path)
    for name in ("hoc-tap-nghi-quyet", "hoi-nghi-can-bo", "ket-nap-dang-vien"):
        site.path(f"bai-viet/{name}.md").unlink()  # three sections have none now
    first = site.clean_build()
    time.sleep(1)  # rss.xml's clock has whole seconds
    assert_same_tree(first, site.clean_build())


def test_an_unchanged_rebuild_rewrites_nothing(portal):
    before = mtimes(portal.output)
    time.sleep(0.05)  # any rewrite now gets a later mtime_ns
    portal.rebuild_and_compare()
    after = mtimes(portal.output)
    assert after.keys() == before.keys()
    # The up-to-date stamp holds: nothing is read, rendered or written.
    rewritten = sorted(path for path in before if after[path] != before[path])
    assert not rewritten, f"{len(rewritten)} files rewritten, e.g. {rewritten[:SHOWN]}"


# --- Content changes -----------------------------------------------------------------


def test_editing_an_article_body(portal):
    unrelated = portal.output / url_of(UNRELATED) / "index.html"
    unrelated_before = unrelated.stat().st_mtime_ns
    time.sleep(0.05)
    sentence = "Đến nay toàn tỉnh không còn tàu cá mất kết nối."
    portal.edit(
        f"bai-viet/{EDITED}.md", "từ bến đến biển.", f"từ bến đến biển. {sentence}"
    )
    portal.rebuild_and_compare()
    body = portal.page(url_of(EDITED)).select_one(".portal-article__body")
    assert sentence in text_of(body)
    # Proves the rebuild was incremental: an older article of another section,
    # sharing no tag, does not show the edited one, so its page is not
    # rewritten.
    assert unrelated.stat().st_mtime_ns == unrelated_before, (
        f"{url_of(UNRELATED)} was rewritten though nothing on it changed"
    )


def test_a_rebuild_makes_again_only_the_articles_whose_files_changed(portal):
    """A new process makes an unchanged file's article from the state the
    read cache kept of it, not through Pelican again; the edited one, and
    every one after a change of the settings that shape them, are made anew."""
    made: list[str] = []

    def made_one(content_object) -> None:
        if isinstance(content_object, Article):
            made.append(Path(content_object.source_path).stem)

    portal.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
    with signals.content_object_init.connected_to(made_one):
        portal.build()
    assert made == [EDITED]
    assert_same_tree(portal.output, portal.clean_build())
    made.clear()
    portal.overrides["ARTICLE_URL"] = "bai/{date:%Y}/{slug}/"
    portal.overrides["ARTICLE_SAVE_AS"] = "bai/{date:%Y}/{slug}/index.html"
    with signals.content_object_init.connected_to(made_one):
        portal.build()
    assert len(made) == len(list(portal.path("bai-viet").glob("*.md")))
    assert_same_tree(portal.output, portal.clean_build())
    # A setting that shapes the articles but not what their files read as
    # (the site's address): made anew once, and kept as made then.
    portal.overrides["SITEURL"] = "https://chuyende-moi.example.vn"
    made.clear()
    with signals.content_object_init.connected_to(made_one):
        portal.build()
    assert len(made) == len(list(portal.path("bai-viet").glob("*.md")))
    portal.edit(f"bai-viet/{EDITED}.md", "từ bến ra biển.", "từ bến đến biển.")
    made.clear()
    with signals.content_object_init.connected_to(made_one):
        portal.build()
    assert made == [EDITED]


def add_the_newest_article(portal: IncrementalSite) -> str:
    """Write an IUU article newer than all, with the fisheries tag; its title."""
    title = "Tuần tra kiểm soát trên biển dịp cao điểm"
    portal.path("bai-viet/tuan-tra.md").write_text(
        article_text(
            title=title,
            date="2024-08-15 06:30",
            category=IUU,
            Tags=f"{FISHERIES}, tuần tra",
            Authors=AUTHORS[0],
        ),
        encoding="utf-8",
    )
    return title


def test_adding_the_newest_article(portal):
    title = add_the_newest_article(portal)
    portal.rebuild_and_compare()
    assert portal.card_titles("")[0] == title
    assert portal.card_titles("chuyen-muc/chong-khai-thac-iuu")[0] == title


def test_a_new_article_renders_again_no_numbered_page_of_its_listings(portal):
    """A new article changes the front pages of its section, tags and periods.

    Their numbered pages hold the same articles and link to the same pages
    (unless one page more appears behind the front page): their fingerprints
    stay, so they are not rendered again. Their links to the other pages are
    numbers and URLs, and what a template reads of a section or a period is
    what it shows of it, not the articles it holds.
    """
    portal.overrides["DEFAULT_PAGINATION"] = 2
    portal.build()
    before = page_fingerprints(portal)
    add_the_newest_article(portal)
    portal.rebuild_and_compare()
    after = page_fingerprints(portal)

    def numbered(pages: dict, listing: str) -> set[str]:
        return {
            name
            for name in pages
            if re.fullmatch(f"{listing}trang/\\d+/index.html", name)
        }

    kept = []
    for listing in {
        re.sub(r"trang/\d+/index.html$", "", name)
        for name in before
        if "/trang/" in name
    }:
        if numbered(before, listing) == numbered(after, listing):  # no page more
            kept += sorted(numbered(before, listing))
    families = {name.split("/")[0] for name in kept}
    assert {"chuyen-muc", "tu-khoa", "luu-tru"} <= families, sorted(kept)
    assert [name for name in kept if after[name] != before[name]] == []
    # Their front pages show the new article (and the months' counts).
    for front in (
        "chuyen-muc/chong-khai-thac-iuu/index.html",
        "luu-tru/2024/index.html",
    ):
        assert after[front] != before[front], front


def test_deleting_an_article(portal):
    url = url_of(RENAMED)
    assert (portal.output / url / "index.html").is_file()
    portal.path(f"bai-viet/{RENAMED}.md").unlink()
    portal.rebuild_and_compare()
    assert not (portal.output / url).exists()
    title = ARTICLES[RENAMED]["title"]
    assert title not in portal.card_titles("chuyen-muc/chong-khai-thac-iuu")


def test_retracting_an_article(portal):
    title = ARTICLES[RETRACTED]["title"]
    assert title in portal.card_titles("chuyen-muc/chong-khai-thac-iuu")
    portal.edit(
        f"bai-viet/{RETRACTED}.md",
        "Status: published\n",
        "Status: retracted\n"
        "Retraction_note: Thông tin chưa được kiểm chứng.\n"
        "Retracted_at: 2024-05-09 15:00\n",
    )
    portal.rebuild_and_compare()
    assert title not in portal.card_titles("chuyen-muc/chong-khai-thac-iuu")
    assert title not in portal.card_titles("")
    notice = portal.page(url_of(RETRACTED))
    assert "Bài viết đã được gỡ bỏ" in notice.h1.get_text()
    assert "Hàng trăm chủ tàu" not in str(notice)


def test_changing_a_title_shown_on_other_pages(portal):
    old = ARTICLES[RENAMED]["title"]
    new = "Rà soát toàn bộ đội tàu cá trước mùa mưa bão"
    newer = portal.page(url_of(EDITED))
    assert old in text_of(newer)  # in its related list, before the change
    portal.edit(f"bai-viet/{RENAMED}.md", f"Title: {old}\n", f"Title: {new}\n")
    portal.rebuild_and_compare()
    # The slug comes from the title: the article moves, its old page goes.
    assert not (portal.output / url_of(RENAMED)).exists()
    assert (portal.output / url_of(RENAMED, new) / "index.html").is_file()
    assert new in portal.card_titles("chuyen-muc/chong-khai-thac-iuu")
    related = text_of(portal.page(url_of(EDITED)))
    assert new in related
    assert old not in related


def test_editing_a_document_record(portal):
    old = DOCUMENT_SUBJECT
    new = "Về tăng cường sự lãnh đạo của Đảng đối với chống khai thác IUU (sửa)"
    portal.edit(DOCUMENT, f"Trich_yeu: {old}\n", f"Trich_yeu: {new}\n")
    portal.rebuild_and_compare()
    page = portal.page("van-ban/32-ct-tw")
    assert new in text_of(page)
    assert [a.get_text() for a in page.select(".portal-document__citing a")] == [
        ARTICLES[EDITED]["title"]
    ]
    citing = portal.page(url_of(EDITED)).select_one(".portal-article__body")
    assert [a["href"] for a in citing.select("a.portal-citation")] == [
        f"{SITEURL}/van-ban/32-ct-tw/"
    ]


# --- Developer changes: templates, settings, the registry -----------------------------


@pytest.mark.parametrize(
    ("template", "anchor", "marker", "shown_at"),
    [
        (
            "base.html",
            '<p class="portal-footer__name">',
            "Dấu mốc chân trang",
            (url_of(UNRELATED), ".portal-footer"),
        ),
        (
            "components/article_card.html",
            '<p class="portal-card__meta">',
            "Dấu mốc thẻ bài",
            ("chuyen-muc/thi-dua-yeu-nuoc", ".portal-card"),
        ),
    ],
    ids=["base-footer", "article-card"],
)
def test_changing_a_template(tmp_path, template, anchor, marker, shown_at):
    site = IncrementalSite(tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site.overrides["THEME"] = str(theme)
    site.build()
    path = theme / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    path.write_text(
        text.replace(anchor, f'<p class="marker">{marker}</p>\n{anchor}'),
        encoding="utf-8",
    )
    site.rebuild_and_compare()
    url, selector = shown_at
    assert marker in text_of(site.page(url).select_one(selector))


@pytest.mark.parametrize(
    ("setting", "value", "shown_at"),
    [
        # The footer of every page.
        (
            "SITE_IDENTITY",
            {**PORTAL["SITE_IDENTITY"], "phone": "(0297) 3 999 999"},
            ("", url_of(UNRELATED), "van-ban/32-ct-tw"),
        ),
        # The description of pages that have none of their own.
        ("SITESUBTITLE", "Phụ đề mới của cổng thông tin", ("",)),
    ],
    ids=["identity-phone", "subtitle"],
)
def test_changing_a_setting(portal, setting, value, shown_at):
    assert PORTAL[setting] != value
    portal.overrides[setting] = value
    portal.rebuild_and_compare()
    shown = value["phone"] if isinstance(value, dict) else value
    for url in shown_at:
        assert shown in str(portal.page(url)), url


def install_distribution(folder: Path, name: str, version: str) -> None:
    """Install a distribution's metadata in ``folder``, as pip would record it."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )


def plant_in_read_cache(site: IncrementalSite, name: str, marker: str) -> None:
    """Add ``marker`` to the body the read cache keeps for article ``name``.

    Both where it keeps it: what the file read as, and the article it made.
    """
    planted = 0
    for shard in (site.cache / "build" / "read").glob("*.pickle"):
        version, entries, results, made = load_pickle(shard, tuple)
        for (path, _digest), entry in entries.items():
            if path.endswith(f"/{name}.md"):
                entry.html += f"<p>{marker}</p>"
                planted += 1
        for (path, _digest), (_build, state) in made.items():
            if path.endswith(f"/{name}.md"):
                state["_content"] += f"<p>{marker}</p>"
                planted += 1
        save_pickle(shard, (version, entries, results, made))
    assert planted == 2  # the entry and the article


def test_a_new_library_version_reads_every_file_again(portal, monkeypatch):
    """After a security release of nh3 no body the old sanitiser produced is
    published: the read cache and the up-to-date stamp are keyed by every
    installed distribution's version."""
    packages = portal.root / "site-packages"
    install_distribution(packages, "nh3", "0.3.8")
    monkeypatch.syspath_prepend(str(packages))
    forget_last_build(portal)
    portal.build()
    # What the old sanitiser made of the article, as the read cache keeps it.
    marker = "Thân bài do phiên bản cũ làm ra"
    plant_in_read_cache(portal, EDITED, marker)
    forget_last_build(portal)
    portal.build()
    assert marker in text_of(portal.page(url_of(EDITED)))  # the cache is used
    # An upgrade, seen by the next process (a running one keeps what it imported).
    upgraded = portal.root / "site-packages-2"
    install_distribution(upgraded, "nh3", "0.3.9")
    monkeypatch.setattr(
        sys, "path", [str(upgraded), *(p for p in sys.path if p != str(packages))]
    )
    portal.rebuild_and_compare()  # the stamp kept: the new version voids it
    assert marker not in text_of(portal.page(url_of(EDITED)))


def page_fingerprints(site: IncrementalSite) -> dict[str, object]:
    """Each page's fingerprint as the last build's ledger keeps it."""
    (manifest,) = (site.cache / "build").glob("pages-*.json")
    pages = load_json(manifest)["pages"]
    assert pages, "the ledger keeps the fingerprint of every page"
    return pages


def read_cache_versions(site: IncrementalSite) -> set[str]:
    """The version every shard of the read cache was saved under."""
    return {
        load_pickle(shard, tuple)[0]
        for shard in (site.cache / "build" / "read").glob("*.pickle")
    }


def test_a_new_library_version_voids_every_fingerprint_and_read(portal, monkeypatch):
    """The read cache and every page's fingerprint take their key from the one
    build key: a distribution upgraded is a new key for both, with nothing
    else changed."""
    pages, versions = page_fingerprints(portal), read_cache_versions(portal)
    assert len(versions) == 1
    forget_last_build(portal)
    portal.build()  # the same code and libraries: the same keys
    assert page_fingerprints(portal) == pages
    assert read_cache_versions(portal) == versions
    install_distribution(portal.root / "site-packages", "Markdown", "9.0")
    monkeypatch.syspath_prepend(str(portal.root / "site-packages"))
    portal.rebuild_and_compare()
    after = page_fingerprints(portal)
    assert after.keys() == pages.keys()
    same = [page for page in pages if after[page] == pages[page]]
    assert not same, f"{len(same)} fingerprints kept, e.g. {same[:SHOWN]}"
    new_versions = read_cache_versions(portal)
    assert len(new_versions) == 1
    assert new_versions.isdisjoint(versions)


def test_the_build_key_follows_code_settings_and_libraries(tmp_path, monkeypatch):
    settings = {**PORTAL, "PLUGIN_PATHS": [str(tmp_path / "plugins")]}
    (tmp_path / "plugins" / "a").mkdir(parents=True)
    code = tmp_path / "plugins" / "a" / "plugin.py"
    code.write_text("X = 1\n", encoding="utf-8")
    keys = {scope: build_key(settings, scope) for scope in Scope}
    assert len(set(keys.values())) == len(Scope)
    # A setting that shapes only the output leaves what files read as.
    output_only = {**settings, "SITEURL": "https://khac.example"}
    assert build_key(output_only, Scope.READING) == keys[Scope.READING]
    assert build_key(output_only) != keys[Scope.OUTPUT]
    assert build_key(output_only, Scope.LIBRARIES) == keys[Scope.LIBRARIES]
    subtitle = {**settings, "SITESUBTITLE": "Phụ đề khác"}
    assert build_key(subtitle, Scope.READING) != keys[Scope.READING]
    # No setting reaches the code's key.
    assert build_key(subtitle, Scope.CODE) == keys[Scope.CODE]
    # Plugin code changes every key but the libraries' (a new process: code
    # is digested once a process).
    code.write_text("X = 2\n", encoding="utf-8")
    key_module = sys.modules[build_key.__module__]
    key_module._code.cache_clear()
    changed = {scope: build_key(settings, scope) for scope in Scope}
    assert changed[Scope.LIBRARIES] == keys[Scope.LIBRARIES]
    assert all(changed[s] != keys[s] for s in Scope if s is not Scope.LIBRARIES)
    # A distribution installed, or upgraded, changes every key.
    install_distribution(tmp_path / "site-packages", "Markdown", "9.0")
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    assert all(build_key(settings, s) != keys[s] for s in Scope)


def test_an_edit_built_without_copies_gets_them_at_the_next_build(portal):
    """Copies of a page rewritten by a build that made none are made again.

    A rebuild takes the copies of the files it leaves as they were for
    current without comparing times: that holds only after a build with the
    same settings, which here had compressing off.
    """
    page = portal.output / url_of(EDITED) / "index.html"
    copy = page.with_name("index.html.gz")
    sentence = "Đến nay toàn tỉnh không còn tàu cá mất kết nối."
    portal.edit(
        f"bai-viet/{EDITED}.md", "từ bến đến biển.", f"từ bến đến biển. {sentence}"
    )
    portal.overrides["PRECOMPRESS"] = {"ENABLED": False}
    portal.build()
    assert sentence.encode() in page.read_bytes()
    assert gzip.decompress(copy.read_bytes()) != page.read_bytes()  # left behind
    del portal.overrides["PRECOMPRESS"]
    portal.rebuild_and_compare()
    assert gzip.decompress(copy.read_bytes()) == page.read_bytes()


def _new_description(text: str) -> str:
    old = 'description = "Chống khai thác thủy sản bất hợp pháp'
    return text.replace(old, 'description = "Mô tả mới của chuyên mục. Chống khai')


def _new_name(text: str) -> str:
    return text.replace('name = "Chống khai thác IUU"', 'name = "Chống IUU, thủy sản"')


@pytest.mark.parametrize(
    ("change", "shown", "url"),
    [
        (
            _new_description,
            "Mô tả mới của chuyên mục.",
            "chuyen-muc/chong-khai-thac-iuu",
        ),
        # The name is in every page's menu, and on cards of other sections'
        # articles that list IUU among their topics. Articles still say
        # "Category: Chống khai thác IUU", an alias of the section.
        (_new_name, "Chống IUU, thủy sản", url_of(UNRELATED)),
    ],
    ids=["description", "name"],
)
def test_changing_the_section_registry(
    portal, change: Callable[[str], str], shown, url
):
    registry = portal.path("chuyen-muc.toml")
    text = registry.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    registry.write_text(changed, encoding="utf-8")
    portal.rebuild_and_compare()
    assert shown in text_of(portal.page(url))


def lead_variants(portal: IncrementalSite) -> dict[int, str]:
    """The lead image's variants in the output, by width, checking their names:
    ``tau-ca-<width>-<8 hex of the source's SHA-256>.jpg``; its crops
    (``tau-ca-<width>x<height>-<hex>.jpg``) are named by the same digest."""
    digest = hashlib.sha256(portal.path(LEAD_IMAGE).read_bytes()).hexdigest()[:8]
    found = {}
    for path in (portal.output / "anh").iterdir():
        slug, width, named_digest = path.name.removesuffix(".jpg").rsplit("-", 2)
        assert (slug, named_digest) == ("tau-ca", digest), path.name
        if "x" not in width:
            found[int(width)] = path.name
    return found


@pytest.mark.parametrize(
    ("size", "widths"),
    [
        ((1000, 625), [480, 800]),  # one more variant
        ((400, 250), [400]),  # narrower than all: its own width
    ],
    ids=["larger", "smaller"],
)
def test_replacing_a_lead_image_in_place(portal, size, widths):
    """A static file changes under the same name: its variants get new URLs
    (readers' caches keep /anh/ for 30 days), the old ones go."""
    before = lead_variants(portal)
    assert list(before) == [480]
    write_image(portal.path(LEAD_IMAGE), size, (200, 120, 20))
    portal.rebuild_and_compare()
    after = lead_variants(portal)
    assert sorted(after) == widths
    assert not set(before.values()) & set(after.values())
    figure = portal.page(url_of("giam-sat-hanh-trinh")).select_one(".portal-figure img")
    assert figure["src"] == f"{SITEURL}/anh/{after[max(widths)]}"
    assert int(figure["width"]) == max(widths)
    with Image.open(portal.output / LEAD_IMAGE) as copied:
        assert copied.size == size


# --- Time: no file changes, the output must -----------------------------------------


def test_a_scheduled_article_falls_due_between_builds(tmp_path):
    """Beyond editors' changes: the clock alone changes what is published."""
    site = IncrementalSite(tmp_path)
    # Far enough ahead for the first build to end before it, on a busy machine.
    due = datetime.now(ZoneInfo(PORTAL["TIMEZONE"])) + timedelta(seconds=20)
    title = "Bài hẹn giờ đăng"
    site.path("bai-viet/hen-gio.md").write_text(
        article_text(
            title=title,
            date=due.strftime("%Y-%m-%d %H:%M:%S"),
            category=EMULATION,
            Authors=AUTHORS[0],
        ),
        encoding="utf-8",
    )
    site.build()
    assert title not in site.card_titles("")
    wait = due - datetime.now(ZoneInfo(PORTAL["TIMEZONE"]))
    time.sleep(max(0.0, wait.total_seconds()) + 0.5)
    site.rebuild_and_compare()
    assert site.card_titles("")[0] == title
    assert title in (site.output / "sitemap-tin-tuc.xml").read_text(encoding="utf-8")


def stamp_valid_until(site: IncrementalSite) -> datetime | None:
    """Until when the last build's up-to-date stamp says its output holds."""
    (stamp,) = (site.cache / "build").glob("stamp-*.json")
    until = load_json(stamp)["valid_until"]
    return datetime.fromisoformat(until) if until else None


def test_the_stamp_holds_until_an_article_leaves_the_news_sitemap(tmp_path):
    """The sitemaps plugin tells the engine (``output_expires``), not the reverse."""
    now = datetime.now(ZoneInfo(PORTAL["TIMEZONE"]))
    date = (now - timedelta(days=1)).replace(second=0, microsecond=0)
    title = "Tin trong cửa sổ tin tức"
    with_sitemaps = IncrementalSite(tmp_path / "with")
    without = IncrementalSite(tmp_path / "without")
    without.overrides = {
        "PLUGINS": [name for name in PORTAL["PLUGINS"] if name != "sitemaps"]
    }
    # Without first: a plugin's receivers stay connected until the test ends.
    for site in (without, with_sitemaps):
        site.path("bai-viet/tin-moi.md").write_text(
            article_text(
                title=title,
                date=date.strftime("%Y-%m-%d %H:%M"),
                category=EMULATION,
                Authors=AUTHORS[0],
            ),
            encoding="utf-8",
        )
        site.build()
    news = (with_sitemaps.output / "sitemap-tin-tuc.xml").read_text(encoding="utf-8")
    assert title in news
    assert stamp_valid_until(with_sitemaps) == date + timedelta(days=2)
    # Without a news sitemap nothing expires: no article is scheduled.
    assert not (without.output / "sitemap-tin-tuc.xml").exists()
    assert stamp_valid_until(without) is None


# --- What a rebuild skips ------------------------------------------------------------


def forget_last_build(site: IncrementalSite) -> None:
    """Remove the up-to-date stamp: the next build fingerprints every page."""
    stamps = list((site.cache / "build").glob("stamp-*.json"))
    assert stamps, "a successful build leaves a stamp"
    for stamp in stamps:
        stamp.unlink()


def test_a_checkout_that_touches_every_file_renders_nothing(portal):
    """A git checkout gives every file a new mtime: reads and pages are keyed by
    bytes, so with the stamp gone every page is fingerprinted and none rewritten."""
    before = mtimes(portal.output)
    later = time.time() + 60
    for path in portal.content.rglob("*"):
        if path.is_file():
            os.utime(path, (later, later))
    forget_last_build(portal)
    time.sleep(0.05)
    portal.rebuild_and_compare()
    after = mtimes(portal.output)
    rewritten = sorted(path for path in before if after.get(path) != before[path])
    # Static files are copied again when their source is newer, as Pelican does.
    assert all(path.startswith(("images/", "van-ban/files/")) for path in rewritten)
    pages = [path for path in rewritten if path.endswith(".html")]
    assert not pages, f"{len(pages)} pages rewritten, e.g. {pages[:SHOWN]}"


def test_a_rebuild_with_nothing_to_do_repeats_the_warnings(tmp_path):
    site = IncrementalSite(tmp_path)
    site.edit(
        f"bai-viet/{UNRELATED}.md", "Category:", "Image: anh-o-ngoai.jpg\nCategory:"
    )
    results = []
    for _ in range(2):
        results.append(
            build_site(
                PRODUCTION,
                {
                    "PATH": str(site.content),
                    "OUTPUT_PATH": str(site.output),
                    "SITEURL": SITEURL,
                    "FEED_DOMAIN": SITEURL,
                    "INCREMENTAL": {"CACHE": str(site.cache / "build")},
                },
            )
        )
    first, second = results
    assert first.ok and second.ok
    assert any("anh-o-ngoai.jpg" in warning for warning in first.warnings)
    assert second.warnings == first.warnings


# --- Rendering on worker processes -----------------------------------------------------


def test_worker_processes_write_what_one_process_writes(tmp_path):
    """Large sites render on one worker per core; the bytes are the same."""
    site = IncrementalSite(tmp_path)
    in_process = site.clean_build()
    site.overrides = {"INCREMENTAL": {"PARALLEL_FROM": 1, "WORKERS": 2}}
    site.cache = tmp_path / "workers" / "cache"
    site.output = tmp_path / "workers" / "output"
    site._build(site.output, site.cache)
    assert_same_tree(site.output, in_process)


def test_a_page_that_fails_to_render_fails_the_build(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace("{% block content %}", "{% block content %}{{ 1 // 0 }}", 1),
        encoding="utf-8",
    )
    site = IncrementalSite(tmp_path / "site")
    result = build_site(
        PRODUCTION,
        {
            "PATH": str(site.content),
            "OUTPUT_PATH": str(site.output),
            "THEME": str(theme),
            "INCREMENTAL": {
                "CACHE": str(site.cache / "build"),
                "PARALLEL_FROM": 1,
                "WORKERS": 2,
            },
        },
    )
    assert not result.ok
    failed = [e for e in result.errors if "Không dựng được trang" in e]
    assert len(failed) == len(list(site.content.glob("bai-viet/*.md")))
    assert all("ZeroDivisionError" in message for message in failed)
    # Each names the template and its line, and the article the page shows.
    line = 1 + text.splitlines().index(
        next(row for row in text.splitlines() if "{% block content %}" in row)
    )
    assert all(f"article.html, dòng {line})" in message for message in failed)
    sources = {str(path) for path in site.content.glob("bai-viet/*.md")}
    named = {re.search(r"\(bài (.+?\.md)\)", message)[1] for message in failed}
    assert named == sources


def test_the_sweep_removes_only_what_the_build_did_not_produce(tmp_path):
    """Stale pages, their copies and emptied folders go; the rest stays."""
    output = tmp_path / "output"
    present = [
        "2024/05/bai/index.html",
        "2024/05/bai/index.html.gz",
        "2024/05/bai/index.html.br",
        "2024/05/bai-cu/index.html",  # an article deleted since
        "2024/05/bai-cu/index.html.gz",
        "2023/01/xa/index.html",  # its whole folder goes
        "tai-lieu/ho-so.gz",  # a file produced as it is, named like a copy
        ".well-known/security.txt",  # named in OUTPUT_RETENTION
        "google1234.html",
    ]
    for name in present:
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(name, encoding="utf-8")
    ledger = OutputLedger(output, tmp_path / "pages.json")
    for name in ("2024/05/bai/index.html", "tai-lieu/ho-so.gz"):
        ledger.record(name)
    removed = ledger.remove_stale((".well-known", "google1234.html"))
    assert removed == 3
    assert tree(output).keys() == {
        "2024/05/bai/index.html",
        "2024/05/bai/index.html.gz",
        "2024/05/bai/index.html.br",
        "tai-lieu/ho-so.gz",
        ".well-known/security.txt",
        "google1234.html",
    }
    assert not (output / "2023").exists()
    assert not (output / "2024/05/bai-cu").exists()


def test_only_a_finished_build_vouches_for_the_copies_of_untouched_files(tmp_path):
    """Files a build leaves as they were have current copies only if the build
    before it finished, with the same code and settings."""
    output, manifest = tmp_path / "output", tmp_path / "pages.json"
    output.mkdir()

    def build(base: str, finish: bool) -> frozenset[str]:
        ledger = OutputLedger(output, manifest, base)
        ledger.begin_writing()
        ledger.record("index.html", written=False)
        ledger.record("atom.xml")  # written by this build
        untouched = ledger.untouched_since_finished_build()
        if finish:
            ledger.save()
        return untouched

    assert build("settings 1", finish=True) == frozenset()  # no build before it
    assert build("settings 1", finish=False) == {"index.html"}
    assert build("settings 1", finish=True) == frozenset()  # the last one stopped
    assert build("settings 2", finish=True) == frozenset()  # other settings
    assert build("settings 2", finish=True) == {"index.html"}


def test_a_finished_build_lets_the_next_know_the_output_without_reading_it(
    tmp_path,
):
    """The next build removes what it no longer produces by name, and only
    what it writes needs copies, until something else changes the output."""
    output, manifest = tmp_path / "output", tmp_path / "pages.json"
    for name in ("a/index.html", "a/index.html.gz", "b/c/index.html"):
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(name, encoding="utf-8")

    def ledger(base: str = "settings 1") -> OutputLedger:
        return OutputLedger(output, manifest, base)

    def finished_build(*names: str) -> None:
        build = ledger()
        build.begin_writing()
        for name in names:
            build.record(name, written=False)
        build.save()

    first = ledger()
    assert not first.known_as_left  # no build before it
    assert first.written_since_finished_build() is None
    first.begin_writing()
    first.record("a/index.html")
    first.record("b/c/index.html")
    first.save()

    second = ledger()
    assert second.known_as_left
    second.begin_writing()
    second.record("a/index.html", written=False)
    second.record("atom.xml")
    (output / "atom.xml").write_text("atom", encoding="utf-8")
    assert second.written_since_finished_build() == {"atom.xml"}
    assert second.remove_stale() == 1  # b/c/index.html, by name, and b/c/ and b/
    assert tree(output).keys() == {"a/index.html", "a/index.html.gz", "atom.xml"}
    assert not (output / "b").exists()
    second.save()

    assert ledger().known_as_left
    assert ledger("settings 2").written_since_finished_build() is None
    ledger().begin_writing()  # a build that stopped half-way
    assert not ledger().known_as_left
    finished_build("a/index.html", "atom.xml")
    assert ledger().known_as_left
    (output / "a" / "ghi-chu.txt").write_text("by hand", encoding="utf-8")
    assert not ledger().known_as_left
    (output / "a" / "ghi-chu.txt").unlink()
    assert not ledger().known_as_left  # the folder's time still tells


def test_files_changed_in_the_output_by_hand_are_made_right_again(portal):
    """A file added, or a copy removed, since the last build: found, and mended."""
    folder = portal.output / url_of(UNRELATED)
    (folder / "ghi-chu.txt").write_text("viết tay", encoding="utf-8")
    (portal.output / "tam").mkdir()
    (portal.output / "tam" / "ban-sao.html").write_text("<p>x</p>", encoding="utf-8")
    (folder / "index.html.gz").unlink()
    portal.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
    portal.rebuild_and_compare()
    assert not (folder / "ghi-chu.txt").exists()
    assert (folder / "index.html.gz").is_file()


def test_files_of_a_group_changed_in_place_are_made_again(portal):
    """Feeds, icons and search index files rewritten in the output since the
    last build (by hand, a tool, a disk), their inputs unchanged: made again,
    as a page would be, not kept as they are now."""
    output = portal.output
    edited_title = ARTICLES[EDITED]["title"]
    # One feed of a listing the edit leaves alone, changed to the same size
    # and given back its time: as left, by a page's rule (size and time).
    kept = next(
        path
        for path in sorted(output.rglob("rss.xml"))
        if edited_title not in path.read_text(encoding="utf-8")
    )
    index = output / "tim-kiem" / "chi-muc"
    group_files = [
        *sorted(output.rglob("atom.xml")),
        *sorted(output.rglob("feed.json")),
        output / "favicon.ico",
        output / "site.webmanifest",
        *sorted(set(index.rglob("*.json")) - {index / "manifest.json"}),
    ]
    group_files = [path for path in group_files if path.parent != kept.parent]
    assert len(group_files) > 20
    for path in group_files:
        path.write_bytes(b"hong " + path.read_bytes()[:8])
    before = kept.stat()
    kept.write_bytes(kept.read_bytes().replace(b"<rss", b"<RSS", 1))
    os.utime(kept, ns=(before.st_atime_ns, before.st_mtime_ns))
    portal.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
    portal.build()
    assert b"<RSS" in kept.read_bytes()
    kept.write_bytes(kept.read_bytes().replace(b"<RSS", b"<rss", 1))
    assert_same_tree(output, portal.clean_build())


def test_a_patched_search_segment_records_its_files_as_they_are(portal):
    """An edit re-indexes one article of a segment and keeps its other files:
    the ledger holds each file of the index with its size and time on disk,
    those kept as those written; a kept file changed by hand after that
    build is made again."""
    index = portal.output / "tim-kiem" / "chi-muc"
    before = mtimes(index)
    portal.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
    portal.build()
    after = mtimes(index)
    kept = [name for name, mtime in after.items() if before.get(name) == mtime]
    written = [name for name, mtime in after.items() if before.get(name) != mtime]
    assert kept and written  # the segment was patched, not made whole
    (manifest,) = (portal.cache / "build").glob("pages-*.json")
    recorded = load_json(manifest)["group_files"]
    for name in after:
        if name.endswith(".json") and name != "manifest.json":
            stat = (index / name).stat()
            assert recorded[f"tim-kiem/chi-muc/{name}"] == [
                stat.st_size,
                stat.st_mtime_ns,
            ], name
    changed = next(
        index / name
        for name in kept
        if name.endswith(".json") and name != "manifest.json"
    )
    changed.write_bytes(changed.read_bytes() + b" ")
    forget_last_build(portal)  # the stamp vouches for inputs, not the output
    portal.build()
    assert_same_tree(portal.output, portal.clean_build())


def test_what_a_template_reads_is_remembered_by_its_source(tmp_path):
    environment = Environment()
    source = "{% extends 'base.html' %}{{ article.title }} {{ SITENAME }}"
    store = tmp_path / "template-reads.json"
    reads = TemplateReads(store, "build 1")
    assert reads.of(environment, source) == (
        ["SITENAME", "article"],
        ["base.html"],
        {"article": ["title"]},
    )
    reads.save()
    # Remembered: a marker put in the store comes back instead of a parse.
    saved = load_json(store)
    (entry,) = saved["templates"].values()
    entry[0] = ["remembered"]
    save_json(store, saved)
    assert TemplateReads(store, "build 1").of(environment, source)[0] == ["remembered"]
    # Another source, or another build key (a new Jinja), is parsed again.
    changed = source.replace("SITENAME", "SITEURL")
    assert TemplateReads(store, "build 1").of(environment, changed)[0] == [
        "SITEURL",
        "article",
    ]
    assert TemplateReads(store, "build 2").of(environment, source)[0] == [
        "SITENAME",
        "article",
    ]


class CountingEnvironment(Environment):
    """An environment that counts the templates it compiles."""

    compiled = 0

    def compile(self, *args, **kwargs):
        self.compiled += 1
        return super().compile(*args, **kwargs)


@pytest.mark.parametrize(
    ("source", "name", "attributes"),
    [
        ("{{ topic.name }} {{ topic.url }}", "topic", ["name", "url"]),
        # Only tested for being defined: no attribute read.
        ("{% if topic is defined %}{{ topic.name }}{% endif %}", "topic", ["name"]),
        ("{% if y is defined %}{% endif %}", "y", []),
        # Whole (None): printed, passed to a macro or a filter, assigned, compared.
        ("{{ topic }}", "topic", None),
        ("{{ m(topic) }}{{ topic.name }}", "topic", None),
        ("{{ topic|string }}", "topic", None),
        ("{% set t = topic %}{{ t.name }}", "topic", None),
        ("{{ topic.name == other }}{{ topic == other }}", "topic", None),
        # A loop's variable of the same name adds what it reads, or makes it whole.
        (
            "{{ topic.name }}{% for topic in topics %}{{ topic.url }}{% endfor %}",
            "topic",
            ["name", "url"],
        ),
        (
            "{{ topic.name }}{% for topic in topics %}{{ m(topic) }}{% endfor %}",
            "topic",
            None,
        ),
        # What an attribute holds is digested whole: the first step is what counts.
        ("{{ topic.years|length }}{{ topic.a.b }}", "topic", ["a", "years"]),
    ],
)
def test_what_a_template_reads_of_a_variable_by_attribute(source, name, attributes):
    assert attributes_read(Environment().parse(source)).get(name) == attributes


def test_a_template_is_compiled_once_for_environments_alike(tmp_path):
    """Compiled templates are kept; another source or another syntax option
    compiles afresh."""
    sources = {"trang.html": "{% if x %}\n{{ x|upper }}{% endif %}"}

    def rendered(x: str = "thuỷ sản", filters=None, **options) -> tuple[str, int]:
        environment = CountingEnvironment(
            loader=DictLoader(sources),
            bytecode_cache=CompiledTemplates(str(tmp_path)),
            **options,
        )
        environment.filters.update(filters or {})
        text = environment.get_template("trang.html").render(x=x)
        return text, environment.compiled

    assert rendered() == ("\nTHUỶ SẢN", 1)
    assert rendered() == ("\nTHUỶ SẢN", 0)  # from the cache
    assert rendered(trim_blocks=True) == ("THUỶ SẢN", 1)
    assert rendered(trim_blocks=True) == ("THUỶ SẢN", 0)
    sources["trang.html"] = sources["trang.html"].replace("upper", "title")
    assert rendered() == ("\nThuỷ Sản", 1)
    assert rendered() == ("\nThuỷ Sản", 0)
    # Filters are found by name when a page renders: one replaced is used,
    # and one the template names that was missing when it compiled works.
    assert rendered(filters={"title": str.swapcase}) == ("\nTHUỶ SẢN", 0)
    sources["trang.html"] = "{% if x %}{{ x|ho_ten }}{% endif %}"
    assert rendered(x="") == ("", 1)
    assert rendered(filters={"ho_ten": str.title})[0] == "Thuỷ Sản"


def test_a_file_rewritten_with_its_old_size_and_time_is_digested_again(tmp_path):
    """Digests are remembered by file status; the change time gives it away."""
    source = tmp_path / "bai.md"
    source.write_text("Thủy sản", encoding="utf-8")
    store = tmp_path / "file-digests.json"
    remembered = FileDigests(store)
    first = remembered.hexdigest(str(source))
    remembered.save()
    assert FileDigests(store).known[str(source)][4] == first
    status = source.stat()
    time.sleep(0.05)
    source.write_text("Thuỷ sản", encoding="utf-8")  # the same length in bytes
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size
    digests = FileDigests(store)
    assert digests.hexdigest(str(source)) != first
    digests.save()
    assert FileDigests(store).hexdigest(str(source)) == digests.hexdigest(str(source))


def test_one_build_sees_a_file_as_it_first_looked_at_it(tmp_path):
    """The up-to-date check and the read cache key the same bytes in a build."""
    source = tmp_path / "bai.md"
    source.write_text("Thủy sản", encoding="utf-8")
    digests = FileDigests(tmp_path / "file-digests.json")
    first = digests.hexdigest(str(source))
    source.write_text("Thuỷ sản, bản sửa", encoding="utf-8")
    assert digests.hexdigest(str(source)) == first
    digests.begin_build()
    assert (
        digests.hexdigest(str(source)) == hashlib.sha1(source.read_bytes()).hexdigest()
    )


def test_a_file_saved_while_a_build_runs_is_built_by_the_next(portal):
    """Saved after the build first looked at it: the next build shows it."""
    sentence = "Câu lưu khi bản dựng đang chạy."
    saved: list[bool] = []

    def save_while_building(_pelican) -> None:
        if not saved:
            portal.edit(
                f"bai-viet/{EDITED}.md",
                "từ bến đến biển.",
                f"từ bến đến biển. {sentence}",
            )
            saved.append(True)

    # Another article added: a build to run (else the stamp stops it).
    portal.path("bai-viet/bai-them.md").write_text(
        article_text(title="Bài thêm", date="2024-04-27 08:00"), encoding="utf-8"
    )
    with signals.initialized.connected_to(save_while_building):
        portal.build()
    assert saved
    portal.rebuild_and_compare()
    body = portal.page(url_of(EDITED)).select_one(".portal-article__body")
    assert sentence in text_of(body)


def test_pages_are_handed_to_workers_in_runs_of_one_template():
    templates = ["article.html"] * 1000 + ["topic.html"] * 300 + ["term.html"] * 10
    templates += ["article.html"] * 3
    runs = page_runs(templates, workers=2)
    # Every page once, in order.
    assert [i for run in runs for i in run] == list(range(len(templates)))
    for run in runs:
        assert len({templates[i] for i in run}) == 1
    sizes = [len(run) for run in runs]
    # A quarter of each worker's share of a template at most (not less than
    # RUN_AT_LEAST): the workers still finish together.
    assert sizes[:8] == [125] * 8
    assert sizes[8:] == [RUN_AT_LEAST, RUN_AT_LEAST, RUN_AT_LEAST, RUN_AT_LEAST,
                         300 - 4 * RUN_AT_LEAST, 10, 3]  # fmt: skip


def test_files_pelicans_own_writer_methods_write_are_kept_as_produced(site):
    """Pages Pelican's ``write_file`` renders itself (a paginated template)
    and a feed of Pelican's ``write_feed`` are in the output after the build:
    the engine counts them as produced, and removes only what was not."""
    for number in (1, 2):
        site.article(
            f"bai-{number}", title=f"Bài số {number}", date=f"2024-04-2{number}"
        )
    result = site.build(
        PAGINATED_TEMPLATES={"index": 1},
        FEED_ALL_ATOM="feeds/tat-ca.atom.xml",
    )
    assert result.ok, result.errors
    assert (site.output / "index.html").is_file()
    assert (site.output / "index2.html").is_file()  # Pelican's second page
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site.output / "feeds" / "tat-ca.atom.xml").getroot()
    assert feed.find(f"{atom}updated").text.startswith("2024-04-22")
    titles = [entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")]
    assert titles == ["Bài số 2", "Bài số 1"]


@pytest.mark.parametrize("in_workers", [False, True], ids=["one-process", "workers"])
def test_the_pages_asked_for_first_are_written_before_the_others(tmp_path, in_workers):
    """The preview's open page is written first, and it is told so, while
    the other changed pages are still as the last build left them; the
    output is then the clean build's."""
    site = IncrementalSite(tmp_path)
    if in_workers:
        site.overrides = {
            "INCREMENTAL": {
                "CACHE": str(site.cache / "build"),
                "PARALLEL_FROM": 1,
                "WORKERS": 2,
            }
        }
    site.build()
    opened = url_of(EDITED) + "index.html"
    other = url_of(UNRELATED) + "index.html"
    first, later = "Câu sửa của trang đang mở.", "Câu sửa của một trang khác."
    site.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", f"từ bến đến biển. {first}")
    site.edit(
        f"bai-viet/{UNRELATED}.md", "mô hình tôm - lúa.", f"mô hình tôm - lúa. {later}"
    )
    told: list[tuple[list[str], str, str]] = []

    def wanted(_writer, output: Path) -> list[str]:
        assert output == site.output.resolve()
        return [opened, "khong-co-trang-nay/index.html"]

    def written(_writer, output: Path, names: list[str]) -> None:
        told.append(
            (
                names,
                (site.output / opened).read_text(encoding="utf-8"),
                (site.output / other).read_text(encoding="utf-8"),
            )
        )

    with (
        pages_wanted_first.connected_to(wanted),
        pages_written_first.connected_to(written),
    ):
        site.build()
    [(names, opened_then, other_then)] = told
    assert names == [opened]
    assert first in opened_then
    assert later not in other_then
    assert later in (site.output / other).read_text(encoding="utf-8")
    assert_same_tree(site.output, site.clean_build())


def test_an_open_page_is_not_told_before_a_new_image_it_shows_is_copied(tmp_path):
    """Pelican copies static files after the pages: while one is still to be
    copied, the pages asked for first are not told they are written (the
    browser would show them without it); once it is, they are."""
    site = IncrementalSite(tmp_path)
    site.build()
    opened = url_of(EDITED) + "index.html"
    write_image(site.path("images/ban-do.jpg"), (320, 200), (10, 120, 60))
    photo = "![Bản đồ vùng biển]({static}/images/ban-do.jpg)"
    site.edit(
        f"bai-viet/{EDITED}.md", "từ bến đến biển.", f"từ bến đến biển.\n\n{photo}"
    )
    told: list[list[str]] = []

    def written(_writer, output: Path, names: list[str]) -> None:
        told.append(names)
        # Told: every file the page shows is there.
        page = BeautifulSoup((site.output / opened).read_bytes(), "html.parser")
        for image in page.select("img[src^='/']"):
            assert (site.output / image["src"].lstrip("/")).is_file(), image["src"]

    with (
        pages_wanted_first.connected_to(lambda _writer, output: [opened]),
        pages_written_first.connected_to(written),
    ):
        site.build()
        assert told == []
        assert site.page(url_of(EDITED)).select_one("img[src$='ban-do.jpg']")
        assert (site.output / "images" / "ban-do.jpg").is_file()
        site.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
        site.build()
        assert told == [[opened]]
    assert_same_tree(site.output, site.clean_build())


def test_open_pages_are_written_as_queued_once_what_they_load_is(tmp_path):
    """Two new articles open in the preview: each is written and told as soon
    as it is queued, before the generators after the articles write theirs
    (the sitemap does not list it yet), unless a file it loads is not written
    yet (the variants of a photo never a lead image before, made after the
    articles' pages): then as the queue starts, with every file it loads
    there. No page is told it changed after; the output is then the clean
    build's."""
    site = IncrementalSite(tmp_path)
    write_image(site.path("images/cang-ca.jpg"), (800, 500), (90, 40, 160))
    site.build()  # the photo is copied, and is no lead image yet
    plain = {"title": "Xã ra mắt hợp tác xã thi đua", "date": "2024-06-01 08:00"}
    pictured = {
        "title": "Ngư dân gắn thiết bị giám sát mới",
        "date": "2024-06-02 08:00",
    }
    pages = {}
    for name, fields, extra in (
        ("hop-tac-xa", plain, {"category": EMULATION}),
        (
            "thiet-bi-moi",
            pictured,
            {"category": IUU, "Image": "{static}/images/cang-ca.jpg"},
        ),
    ):
        site.path(f"bai-viet/{name}.md").write_text(
            article_text(**fields, **extra), encoding="utf-8"
        )
        year, month = fields["date"][:4], fields["date"][5:7]
        pages[name] = f"{year}/{month}/{slugify(fields['title'])}/index.html"
    told: list[tuple[str, bool, list[str]]] = []
    changed: list[list[str]] = []

    def written(_writer, output: Path, names: list[str]) -> None:
        [name] = names
        page = site.output / name
        sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
        missing = [
            url
            for url in loaded_urls(page.read_text(encoding="utf-8"))
            if (target := output_target(site.output, url, page, SITEURL))
            and not target.is_file()
        ]
        told.append((name, name.removesuffix("index.html") in sitemap, missing))

    with (
        pages_wanted_first.connected_to(lambda _w, output: list(pages.values())),
        pages_written_first.connected_to(written),
        pages_changed_after_first.connected_to(
            lambda _w, output, names: changed.append(names)
        ),
    ):
        site.build()
    (plain_told, listed_then, missing), (pictured_told, listed_later, missing_later) = (
        told
    )
    assert (plain_told, pictured_told) == (pages["hop-tac-xa"], pages["thiet-bi-moi"])
    assert not listed_then  # told before the sitemap was written
    assert listed_later  # told as the queue starts
    assert missing == missing_later == []
    figure = site.page(pages["thiet-bi-moi"].removesuffix("index.html"))
    assert "/anh/cang-ca-" in figure.select_one(".portal-figure img")["src"]
    assert changed == []
    assert_same_tree(site.output, site.clean_build())


# After the articles' pages are queued, a change to what they show, or to a
# file they load: what no plugin of the portal does.
LATE_CHANGE = """
from pathlib import Path
from pelican import signals


class FailingTemplate:
    def __init__(self, template):
        self.name, self.environment = template.name, template.environment

    def render(self, *args, **kwargs):
        raise RuntimeError("hỏng muộn")


def late_change(generator, writer):
    if {change!r} == "page":
        for article in generator.context["articles"]:
            article.title = article.title + " (sửa muộn)"
    elif {change!r} == "failure":  # the page fails once the queue renders it
        for job in writer.build.jobs:
            if job.name.endswith("bai-moi-hong-muon/index.html"):
                job.template = FailingTemplate(job.template)
    else:
        output = Path(writer.output_path)
        for css in sorted(output.glob("theme/**/*.css")):
            name = css.relative_to(output).as_posix()
            writer.write_output(name, css.read_bytes() + b"/* late */")


def register():
    signals.article_writer_finalized.connect(late_change)
"""


@pytest.mark.parametrize("change", ["page", "load", "failure"])
def test_a_page_changed_after_it_was_told_is_told_so(tmp_path, change):
    """The preview's open page is written as soon as queued. Should the build
    then change it, or a file it loads, or fail to render it, the build says
    so as the queue ends, and the preview reloads it at the build's end (a
    new page that failed is not left in the output)."""
    plugins = tmp_path / "plugins" / "late_change"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text("from .plugin import register\n")
    (plugins / "plugin.py").write_text(LATE_CHANGE.format(change=change))
    site = IncrementalSite(tmp_path)
    site.build()
    site.overrides = {
        "PLUGIN_PATHS": [*PORTAL["PLUGIN_PATHS"], str(tmp_path / "plugins")],
        "PLUGINS": [*PORTAL["PLUGINS"], "late_change"],
    }
    if change == "failure":
        title = "Bài mới hỏng muộn"
        site.path("bai-viet/hong.md").write_text(
            article_text(title=title, date="2024-06-01 08:00", category=IUU),
            encoding="utf-8",
        )
        opened = f"2024/06/{slugify(title)}/index.html"
    else:
        opened = url_of(EDITED) + "index.html"
        site.edit(f"bai-viet/{EDITED}.md", "từ bến đến biển.", "từ bến ra biển.")
    told: list[list[str]] = []
    changed: list[list[str]] = []
    try:
        with (
            pages_wanted_first.connected_to(lambda _w, output: [opened]),
            pages_written_first.connected_to(
                lambda _w, output, names: told.append(names)
            ),
            pages_changed_after_first.connected_to(
                lambda _w, output, names: changed.append(names)
            ),
        ):
            if change == "failure":
                with pytest.raises(AssertionError, match="hỏng muộn"):
                    site.build()
            else:
                site.build()
        if change != "failure":
            assert_same_tree(site.output, site.clean_build())
    finally:  # not one of the portal's plugins: dropped here
        signals.article_writer_finalized.disconnect(
            sys.modules["late_change.plugin"].late_change
        )
        for name in ("late_change.plugin", "late_change"):
            sys.modules.pop(name, None)
    assert told == [[opened]]
    assert changed == [[opened]]
    if change == "page":
        assert "(sửa muộn)" in site.page(url_of(EDITED)).h1.get_text()
    if change == "failure":
        assert not (site.output / opened).exists()
