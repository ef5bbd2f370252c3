"""sitemap.xml: every page a reader can reach, in every language; an index past the limit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from conftest import SITEURL
from sitemaps.plugin import SitemapEntry, sitemap_files
from sitemaps.settings import sitemap_settings

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SAMPLE_ROOT = "http://localhost:8000"


def locations(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.iter(f"{NS}loc")]


def test_the_sample_sitemap_lists_documents_and_pages_that_exist(sample_site):
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    assert root.tag == f"{NS}urlset"
    urls = locations(root)
    assert len(urls) == len(set(urls))
    # Every văn bản page: the listings (all, by type, issuer, year) and each
    # document's own page.
    documents = sorted(
        path.parent.relative_to(sample_site).as_posix() + "/"
        for path in (sample_site / "van-ban").rglob("index.html")
        if "trang" not in path.parts
    )
    assert len(documents) > 30
    for document in documents:
        assert f"{SAMPLE_ROOT}/{document}" in urls, document
    for page in ("gioi-thieu/", "lien-he/"):
        if (sample_site / page / "index.html").is_file():
            assert f"{SAMPLE_ROOT}/{page}" in urls
    # English pages are listed, each with its versions (hreflang) both ways.
    alternates = {
        entry.findtext(f"{NS}loc"): {
            link.get("hreflang"): link.get("href")
            for link in entry.findall(f"{XHTML}link")
        }
        for entry in root.findall(f"{NS}url")
    }
    english = alternates[f"{SAMPLE_ROOT}/en/introduction/"]
    assert english["vi"] == f"{SAMPLE_ROOT}/gioi-thieu/"
    assert english["en"] == f"{SAMPLE_ROOT}/en/introduction/"
    assert alternates[f"{SAMPLE_ROOT}/gioi-thieu/"] == english
    assert alternates[f"{SAMPLE_ROOT}/"]["en"] == f"{SAMPLE_ROOT}/en/"
    for url in urls:  # nothing listed that does not answer
        path = sample_site / url.removeprefix(SAMPLE_ROOT).strip("/")
        assert (path / "index.html").is_file(), url
    for lastmod in root.iter(f"{NS}lastmod"):
        datetime.fromisoformat(lastmod.text)


def test_past_the_limit_the_sitemap_is_an_index_of_parts(site):
    for number in range(1, 5):
        site.article(f"bai-{number}", title=f"Bài {number}", date=f"2024-04-0{number}")
    assert site.build().ok, site.result.errors
    whole = locations(ET.parse(site.output / "sitemap.xml").getroot())
    assert len(whole) > 7
    assert site.build(SITEMAPS={"MAX_URLS": 3}).ok, site.result.errors
    index = ET.parse(site.output / "sitemap.xml").getroot()
    assert index.tag == f"{NS}sitemapindex"
    parts = locations(index)
    assert len(parts) == -(-len(whole) // 3)
    found = []
    for number, url in enumerate(parts, start=1):
        assert url == f"{SITEURL}/sitemap-{number}.xml"
        part = ET.parse(site.output / f"sitemap-{number}.xml").getroot()
        assert part.tag == f"{NS}urlset"
        assert 0 < len(locations(part)) <= 3
        found += locations(part)
    assert found == whole
    robots = (site.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    # Back under the limit: one sitemap, and the parts are gone.
    assert site.build().ok, site.result.errors
    assert not (site.output / "sitemap-1.xml").exists()


def test_translated_pages_carry_hreflang_alternates():
    versions = (
        ("vi", "https://t.example/gioi-thieu/"),
        ("en", "https://t.example/en/"),
    )
    files = sitemap_files(
        [SitemapEntry("https://t.example/gioi-thieu/", None, versions)],
        "https://t.example",
        50_000,
    )
    root = ET.fromstring(files["sitemap.xml"])
    links = root.findall(f"{NS}url/{XHTML}link")
    assert [(a.get("hreflang"), a.get("href")) for a in links] == list(versions)
    assert all(a.get("rel") == "alternate" for a in links)


def test_the_limit_is_checked():
    assert sitemap_settings({})["MAX_URLS"] == 50_000
    with pytest.raises(ValueError, match="MAX_URLS"):
        sitemap_settings({"SITEMAPS": {"MAX_URLS": 0}})
