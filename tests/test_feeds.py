"""Section feeds: the newest 30 articles, valid XML, absolute URLs in production."""

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime

from conftest import SITEURL
from tools.publishing.output_checks import check_xml

ATOM = "{http://www.w3.org/2005/Atom}"


def test_section_feeds_parse_and_hold_absolute_urls(site, monkeypatch):
    monkeypatch.setenv("PORTAL_SITEURL", "https://chuyende.tinh.example")
    for number in range(1, 33):
        site.article(
            f"bai-{number}",
            title=f"Chống khai thác IUU: bài {number}",
            date=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d} 07:{number:02d}",
            category="Chống khai thác IUU",
        )
    result = site.build(
        production=True,
        SITEURL="https://chuyende.tinh.example",
        FEED_DOMAIN="https://chuyende.tinh.example",
    )
    assert result.ok, result.errors
    folder = site.output / "chuyen-muc/chong-khai-thac-iuu"
    atom = ET.parse(folder / "atom.xml").getroot()
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 30
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all(link.startswith("https://chuyende.tinh.example/2024/") for link in links)
    assert "Chống khai thác IUU" in atom.find(f"{ATOM}title").text
    rss = ET.parse(folder / "rss.xml").getroot()
    items = rss.findall("channel/item")
    assert len(items) == 30
    assert all(
        i.find("link").text.startswith("https://chuyende.tinh.example/") for i in items
    )
    # Newest first.
    dates = [e.find(f"{ATOM}published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    empty = ET.parse(site.output / "chuyen-muc/thi-dua-yeu-nuoc/atom.xml").getroot()
    assert empty.findall(f"{ATOM}entry") == []


def test_a_feed_is_made_again_exactly_when_what_it_says_changes(site):
    feed_site(site)
    section = site.output / "chuyen-muc/chong-khai-thac-iuu"
    other = site.output / "chuyen-muc/thi-dua-yeu-nuoc"
    other_feeds = {name: (other / name).read_bytes() for name in FEEDS}
    # The body of the section's article: its feeds carry the new text.
    site.article(
        "anh",
        title="Tàu cá cập cảng",
        date="2024-04-02 08:00",
        category="Chống khai thác IUU",
        Image="{static}/images/tau-ca.jpg",
        body="Đoạn đã sửa.",
    )
    assert site.build().ok, site.result.errors
    for name in FEEDS:
        assert "Đoạn đã sửa." in (section / name).read_text("utf-8")
        assert (other / name).read_bytes() == other_feeds[name]
    # The lead photo's bytes, under the same name: the enclosure's length.
    lengths = [
        ET.parse(section / "rss.xml")
        .getroot()
        .find("channel/item/enclosure")
        .get("length")
    ]
    site.photo("images/tau-ca.jpg", size=(400, 300))
    assert site.build().ok, site.result.errors
    rss = ET.parse(section / "rss.xml").getroot()
    enclosure = rss.find("channel/item/enclosure")
    image = site.output / enclosure.get("url").removeprefix(f"{SITEURL}/")
    assert enclosure.get("length") == str(image.stat().st_size) != lengths[0]
    # A feed gone from the output is made again, as a clean build makes it.
    (section / "atom.xml").unlink()
    (section / "feed.json").unlink()
    assert site.build().ok, site.result.errors
    kept = {name: (section / name).read_bytes() for name in FEEDS}
    shutil.rmtree(site.output)
    assert site.build().ok, site.result.errors
    assert {name: (section / name).read_bytes() for name in FEEDS} == kept


FEEDS = ("atom.xml", "rss.xml", "feed.json")
RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def feed_site(site):
    """Two articles, one with a lead photo; the site and section feeds built."""
    site.photo("images/tau-ca.jpg")
    site.article(
        "anh",
        title="Tàu cá cập cảng",
        date="2024-04-02 08:00",
        category="Chống khai thác IUU",
        Tags="thủy sản",
        Authors="Minh Khang",
        Image="{static}/images/tau-ca.jpg",
        body="Đoạn một.\n\n## Hành trình\n\nĐoạn *hai*.",
    )
    site.article(
        "khong-anh",
        title="Hội nghị & tổng kết",
        date="2024-04-01 08:00",
        Modified="2024-04-03 09:00",
    )
    assert site.build().ok, site.result.errors
    return site


def test_feeds_carry_language_full_content_stable_ids_and_lead_images(site):
    feed_site(site)
    atom = ET.parse(site.output / "atom.xml").getroot()
    assert atom.get(XML_LANG) == "vi"
    entries = atom.findall(f"{ATOM}entry")
    assert "<h2" in entries[0].find(f"{ATOM}content").text
    enclosure = entries[0].find(f"{ATOM}link[@rel='enclosure']")
    image = enclosure.get("href").removeprefix(f"{SITEURL}/")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == (site.output / image).stat().st_size > 0
    assert entries[1].find(f"{ATOM}link[@rel='enclosure']") is None

    rss = ET.parse(site.output / "rss.xml").getroot()
    channel = rss.find("channel")
    assert channel.find("language").text == "vi"
    items = channel.findall("item")
    guids = [item.find("guid") for item in items]
    assert all(g.get("isPermaLink") == "false" for g in guids)
    # The guid is the Atom entry's id: the same article, whichever feed.
    assert [g.text for g in guids] == [e.find(f"{ATOM}id").text for e in entries]
    assert guids[0].text.startswith("tag:")
    content = items[0].find(RSS_CONTENT).text
    assert "<h2" in content and "<em>hai</em>" in content
    assert items[0].find("description").text == "Tóm tắt: Tàu cá cập cảng."
    rss_enclosure = items[0].find("enclosure")
    assert rss_enclosure.attrib == {
        "url": enclosure.get("href"),
        "length": enclosure.get("length"),
        "type": "image/jpeg",
    }
    assert items[1].find("enclosure") is None
    # The ids do not move when a build is made again, or an article edited.
    first = [g.text for g in guids]
    site.article(
        "anh",
        title="Tàu cá cập cảng",
        date="2024-04-02 08:00",
        category="Chống khai thác IUU",
        body="Sửa lại.",
    )
    assert site.build().ok, site.result.errors
    again = ET.parse(site.output / "rss.xml").getroot().findall("channel/item/guid")
    assert [g.text for g in again] == first


def check_json_feed(data: dict) -> None:
    """JSON Feed 1.1's required fields and types (jsonfeed.org/version/1.1)."""
    assert data["version"] == JSON_FEED_VERSION
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["items"], list)
    for key in ("home_page_url", "feed_url"):
        assert data[key].startswith(("https://", "http://")), key
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
        for key in ("date_published", "date_modified"):
            if key in item:
                datetime.fromisoformat(item[key])  # RFC 3339
        for author in item.get("authors", []):
            assert author.get("name") or author.get("url")


def test_json_feeds_of_the_site_and_each_section(site):
    feed_site(site)
    data = json.loads((site.output / "feed.json").read_text(encoding="utf-8"))
    check_json_feed(data)
    assert data["home_page_url"] == f"{SITEURL}/"
    assert data["feed_url"] == f"{SITEURL}/feed.json"
    assert data["language"] == "vi"
    first, second = data["items"]
    atom = ET.parse(site.output / "atom.xml").getroot()
    assert [first["id"], second["id"]] == [
        e.find(f"{ATOM}id").text for e in atom.findall(f"{ATOM}entry")
    ]
    assert first["url"] == f"{SITEURL}/2024/04/tau-ca-cap-cang/"
    assert first["title"] == "Tàu cá cập cảng"
    assert "<h2" in first["content_html"]
    assert first["summary"] == "Tóm tắt: Tàu cá cập cảng."
    assert first["image"].startswith(f"{SITEURL}/anh/tau-ca-1200-")
    assert first["tags"] == ["Chống khai thác IUU", "thủy sản"]
    assert first["authors"][0]["name"] == "Minh Khang"
    assert first["date_published"] == "2024-04-02T08:00:00+07:00"
    assert second["title"] == "Hội nghị & tổng kết"
    assert second["date_modified"] == "2024-04-03T09:00:00+07:00"
    assert "image" not in second
    section = site.output / "chuyen-muc/chong-khai-thac-iuu/feed.json"
    data = json.loads(section.read_text(encoding="utf-8"))
    check_json_feed(data)
    assert data["home_page_url"] == f"{SITEURL}/chuyen-muc/chong-khai-thac-iuu/"
    assert [item["title"] for item in data["items"]] == ["Tàu cá cập cảng"]
    empty = site.output / "chuyen-muc/thi-dua-yeu-nuoc/feed.json"
    check_json_feed(json.loads(empty.read_text(encoding="utf-8")))
    # Linked from the pages, as feed readers discover them.
    home = site.page("")
    link = home.select_one('link[rel="alternate"][type="application/feed+json"]')
    assert link["href"] == f"{SITEURL}/feed.json"
    page = site.page("chuyen-muc/chong-khai-thac-iuu")
    links = page.select('link[rel="alternate"][type="application/feed+json"]')
    assert f"{SITEURL}/chuyen-muc/chong-khai-thac-iuu/feed.json" in [
        link["href"] for link in links
    ]


def test_the_publish_checks_read_json_feeds_and_sitemap_indexes(site):
    feed_site(site)
    assert site.build(SITEMAPS={"MAX_URLS": 2}).ok, site.result.errors
    assert check_xml(site.output, SITEURL) == []
    feed = site.output / "feed.json"
    data = json.loads(feed.read_text(encoding="utf-8"))
    data["items"][0]["content_html"] += '<a href="javascript:alert(1)">x</a>'
    feed.write_text(json.dumps(data), encoding="utf-8")
    (site.output / "sitemap-1.xml").write_text(
        (site.output / "sitemap-1.xml")
        .read_text(encoding="utf-8")
        .replace(SITEURL, "https://khac.example", 1),
        encoding="utf-8",
    )
    problems = check_xml(site.output, SITEURL)
    assert any(p.startswith("feed.json") and "javascript:" in p for p in problems)
    assert any(p.startswith("sitemap-1.xml") for p in problems)
