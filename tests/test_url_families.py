"""Every URL family of the portal, in a tiny real build."""

import xml.etree.ElementTree as ET

import pytest

from conftest import SITEURL, nfd


@pytest.fixture
def built(site):
    site.article(
        "2024/iuu",
        title="Đại hội chi bộ nghề cá bàn giải pháp chống khai thác IUU",
        date="2024-04-26 10:30",
        category="Chống khai thác IUU",
        Topics="Xây dựng Đảng; Quốc phòng, an ninh",
        Tags="thủy sản, Tỉnh ủy",
        Authors="Thu Anh, Minh Khang",
    )
    site.article(
        "2023/kinh-te",
        title="Nông dân Tân Hiệp làm giàu",
        date="2023-11-02 08:00",
        category="phat-trien-kinh-te-xa-hoi",
        Tags=nfd("Tỉnh uỷ"),
        Authors="Thu Anh",
    )
    site.write("trang/gioi-thieu.md", "Title: Giới thiệu\n\nVề cổng thông tin.\n")
    result = site.build()
    assert result.ok, result.errors
    return site


def test_articles_live_at_year_month_slug(built):
    soup = built.page(
        "2024/04/dai-hoi-chi-bo-nghe-ca-ban-giai-phap-chong-khai-thac-iuu"
    )
    assert (
        soup.h1.get_text() == "Đại hội chi bộ nghề cá bàn giải pháp chống khai thác IUU"
    )
    assert built.exists("2023/11/nong-dan-tan-hiep-lam-giau")


def test_static_pages_live_at_their_slug(built):
    assert built.page("gioi-thieu").h1.get_text() == "Giới thiệu"


def test_home_lists_the_newest_articles(built):
    titles = built.listed_titles("")
    assert "Nông dân Tân Hiệp làm giàu" in titles


def test_topic_overview_lists_every_section_in_registry_order(built):
    soup = built.page("chuyen-muc")
    headings = [h.get_text(strip=True) for h in soup.select("h2.portal-section-title")]
    assert headings[0] == "Xây dựng Đảng"
    assert "Phòng, chống tham nhũng, tiêu cực" in headings
    assert len(headings) == 8
    counts = {
        h.get_text(strip=True): int(
            h.find_parent("section").select_one(".portal-topic-block__count").text
        )
        for h in soup.select("h2.portal-section-title")
    }
    assert counts["Chống khai thác IUU"] == 1
    assert counts["Xây dựng Đảng"] == 1
    assert counts["Thi đua yêu nước"] == 0


def test_an_article_is_listed_under_each_of_its_sections(built):
    title = "Đại hội chi bộ nghề cá bàn giải pháp chống khai thác IUU"
    for slug in ("chong-khai-thac-iuu", "xay-dung-dang", "quoc-phong-an-ninh"):
        assert built.listed_titles(f"chuyen-muc/{slug}") == [title]
        assert built.listed_titles(f"chuyen-muc/{slug}/2024") == [title]
        assert built.listed_titles(f"chuyen-muc/{slug}/2024/04") == [title]
    assert built.listed_titles("chuyen-muc/thi-dua-yeu-nuoc") == []


def test_section_page_links_to_its_years_and_year_page_to_months(built):
    soup = built.page("chuyen-muc/xay-dung-dang")
    years = [a["href"] for a in soup.select(".portal-periods a")]
    assert years == ["http://portal.test/chuyen-muc/xay-dung-dang/2024/"]
    year = built.page("chuyen-muc/xay-dung-dang/2024")
    months = [li.get_text(" ", strip=True) for li in year.select(".portal-periods li")]
    assert months == ["Tháng 4/2024 (1)"]


def test_tag_author_and_month_archive_pages(built):
    tags = built.page("tu-khoa")
    names = [a.get_text() for a in tags.select(".portal-term-list a")]
    # "Tỉnh ủy" and "Tỉnh uỷ" (written in NFD) are one tag.
    assert len(names) == 2
    tag_urls = [a["href"] for a in tags.select(".portal-term-list a")]
    for url in tag_urls:
        path = url.removeprefix("http://portal.test/")
        assert built.exists(path)
    authors = built.page("tac-gia")
    assert [a.get_text() for a in authors.select(".portal-term-list a")] == [
        "Minh Khang",
        "Thu Anh",
    ]
    thu_anh = authors.select(".portal-term-list a")[1]["href"]
    assert len(built.listed_titles(thu_anh.removeprefix("http://portal.test/"))) == 2
    assert built.listed_titles("luu-tru/2023/11") == ["Nông dân Tân Hiệp làm giàu"]
    assert built.exists("luu-tru")
    assert built.exists("luu-tru/2024")


def test_feeds_exist_for_each_section(built):
    for slug in ("chong-khai-thac-iuu", "thi-dua-yeu-nuoc"):
        assert (built.output / f"chuyen-muc/{slug}/atom.xml").is_file()
        assert (built.output / f"chuyen-muc/{slug}/rss.xml").is_file()


def test_every_internal_link_resolves(built):
    """No page links to a URL of the site that was not written."""
    for html in built.output.rglob("*.html"):
        soup = built.page(str(html.parent.relative_to(built.output)))
        for anchor in soup.select("a[href^='http://portal.test/']"):
            path = anchor["href"].removeprefix("http://portal.test/")
            target = built.output / path
            assert target.is_file() or (target / "index.html").is_file(), (
                html,
                anchor["href"],
            )


def test_site_feeds_hold_every_article_with_absolute_links(built):
    atom = ET.parse(built.output / "atom.xml").getroot()
    links = [
        link.get("href")
        for link in atom.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "alternate"
    ]
    assert f"{SITEURL}/2023/11/nong-dan-tan-hiep-lam-giau/" in links
    rss = ET.parse(built.output / "rss.xml").getroot()
    assert len(rss.findall("channel/item")) == 2
