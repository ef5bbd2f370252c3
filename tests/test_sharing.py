"""Sharing and search engines: Dublin Core, Open Graph, Twitter, JSON-LD, share card."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from PIL import Image

from conftest import SITEURL, read_page, reader_pages
from pelicanconf import SITE_IDENTITY

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DC_FIELDS = {
    "title",
    "creator",
    "date",
    "description",
    "publisher",
    "identifier",
    "language",
    "subject",
}


def json_ld(soup, kind: str) -> dict:
    blocks = [
        json.loads(s.string)
        for s in soup.find_all("script", type="application/ld+json")
    ]
    return next(block for block in blocks if block["@type"] == kind)


def meta(soup, key: str) -> str:
    """The content of ``<meta property=key>`` or ``<meta name=key>``; one only."""
    found = soup.select(f'meta[property="{key}"]') or soup.select(f'meta[name="{key}"]')
    assert len(found) == 1, (key, found)
    return found[0]["content"]


def dublin_core(soup) -> dict[str, str]:
    assert soup.select_one('link[rel="schema.DC"]')["href"] == (
        "http://purl.org/dc/elements/1.1/"
    )
    tags = soup.select('meta[name^="DC."]')
    return {tag["name"].removeprefix("DC."): tag["content"] for tag in tags}


def png(path) -> Image.Image:
    data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def shared_site(site):
    """An article with its own photo, one without, one a day old."""
    site.photo("images/tau-ca.jpg")
    site.article(
        "anh",
        title="Tàu cá cập cảng",
        Tags="thủy sản, tàu cá",
        Authors="Minh Khang, Thu Hà",
        Image="{static}/images/tau-ca.jpg",
        Image_caption="Tàu cá cập cảng Rạch Giá",
    )
    recent = (datetime.now() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    site.article(
        "khong-anh",
        title="Hội nghị không ảnh",
        date=recent,
        Topics="Chống khai thác IUU",
        Source="Báo Kiên Giang",
    )
    assert site.build().ok, site.result.errors
    return site


def test_dublin_core_is_read_from_the_json_ld(site):
    shared_site(site)
    article = site.page("2024/04/tau-ca-cap-cang")
    data = json_ld(article, "NewsArticle")
    dc = dublin_core(article)
    assert set(dc) == DC_FIELDS
    assert dc == {
        "title": data["headline"],
        "creator": "Minh Khang; Thu Hà",
        "date": data["datePublished"],
        "description": data["description"],
        "publisher": data["publisher"]["name"],
        "identifier": f"{SITEURL}/2024/04/tau-ca-cap-cang/",
        "language": "vi",
        "subject": "Xây dựng Đảng; thủy sản; tàu cá",
    }
    home = site.page("")
    website = json_ld(home, "WebSite")
    dc = dublin_core(home)
    assert set(dc) == DC_FIELDS
    assert dc["title"] == website["name"] == meta(home, "og:site_name")
    assert dc["identifier"] == f"{SITEURL}/"
    assert dc["publisher"] == dc["creator"] == website["publisher"]["name"]
    assert dc["date"] == website["dateModified"]  # the newest article's date
    assert "Chống khai thác IUU" in dc["subject"].split("; ")


def test_one_publisher_across_json_ld_open_graph_and_the_news_sitemap(site):
    shared_site(site)
    article = site.page("2024/04/tau-ca-cap-cang")
    publisher = json_ld(article, "NewsArticle")["publisher"]
    assert publisher["url"] == f"{SITEURL}/"
    logo = publisher["logo"]
    assert logo["url"].startswith(f"{SITEURL}/theme/images/")
    image = png(site.output / logo["url"].removeprefix(f"{SITEURL}/"))
    assert image.size == (logo["width"], logo["height"])
    assert logo["width"] >= 112  # Google's least logo size
    assert meta(article, "og:site_name") == publisher["name"]
    news = ET.parse(site.output / "sitemap-tin-tuc.xml").getroot()
    names = {n.text for n in news.iter(f"{NEWS}name")}
    assert names == {publisher["name"]}


def test_open_graph_and_twitter_tags_on_every_page(site):
    shared_site(site)
    pages = reader_pages(site.output, "index.html")
    assert len(pages) > 10
    for path in pages:
        soup = site.page(str(path.parent.relative_to(site.output)))
        where = path.relative_to(site.output)
        description = meta(soup, "og:description")
        assert description.strip(), where
        assert meta(soup, "twitter:card") == "summary_large_image", where
        assert meta(soup, "og:image:alt").strip(), where
        image = meta(soup, "og:image").removeprefix(f"{SITEURL}/")
        with Image.open(site.output / image) as opened:
            assert opened.size == (
                int(meta(soup, "og:image:width")),
                int(meta(soup, "og:image:height")),
            ), where
        assert meta(soup, "twitter:image") == meta(soup, "og:image")
    section = site.page("chuyen-muc/chong-khai-thac-iuu")
    assert meta(section, "og:description") == meta(section, "description")


def test_an_article_without_a_photo_is_shared_with_the_default_card(site):
    shared_site(site)
    with_photo = site.page("2024/04/tau-ca-cap-cang")
    assert "/anh/tau-ca-1200-" in meta(with_photo, "og:image")
    assert meta(with_photo, "og:image:alt") == "Tàu cá cập cảng Rạch Giá"
    data = json_ld(with_photo, "NewsArticle")
    sizes = []
    for url in data["image"]:
        with Image.open(site.output / url.removeprefix(f"{SITEURL}/")) as opened:
            sizes.append(opened.size)
    # 16:9, 4:3 and 1:1, each at least 50,000 pixels.
    assert [round(w / h, 2) for w, h in sizes] == [1.78, 1.33, 1.0]
    assert all(w * h >= 50_000 for w, h in sizes)
    (without,) = [
        site.page(str(p.parent.relative_to(site.output)))
        for p in site.output.glob("20*/*/hoi-nghi-khong-anh/index.html")
    ]
    card = meta(without, "og:image").removeprefix(f"{SITEURL}/")
    assert card.startswith("theme/images/") and "og-default" not in card
    assert png(site.output / card).size == (1200, 630)
    assert "Sở Thông tin và Truyền thông" in meta(without, "og:image:alt")
    crops = [
        png(site.output / url.removeprefix(f"{SITEURL}/")).size
        for url in json_ld(without, "NewsArticle")["image"]
    ]
    assert crops == [(1200, 675), (1200, 900), (1200, 1200)]


def test_the_share_card_is_drawn_from_the_identity_the_same_each_build(site):
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    card = site.output / "theme/images/the-chia-se-1200x630.png"
    first = card.read_bytes()
    (site.root / "cache").rename(site.root / "cache-old")  # drawn again
    (site.output / "theme").rename(site.root / "theme-old")
    assert site.build().ok, site.result.errors
    assert card.read_bytes() == first
    other = site.build(
        SITE_IDENTITY={**SITE_IDENTITY, "governing_body": "Sở Văn hoá tỉnh Cà Mau"},
        SHARE_CARD={"BACKGROUND": "#004b87"},
    )
    assert other.ok, other.errors
    drawn = png(card)
    assert drawn.size == (1200, 630)
    assert card.read_bytes() != first
    assert drawn.convert("RGB").getpixel((1100, 40)) == (0, 0x4B, 0x87)


def test_english_pages_are_shared_in_english(sample_site):
    page = read_page(sample_site, "en")
    assert page.html["lang"] == "en"
    assert meta(page, "og:locale") == "en_GB"
    assert meta(page, "og:description").strip()
    assert meta(read_page(sample_site, ""), "og:locale") == "vi_VN"
