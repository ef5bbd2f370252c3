"""Section feeds: the newest 30 articles, valid XML, absolute URLs in production."""

import xml.etree.ElementTree as ET

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
