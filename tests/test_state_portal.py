"""What a state agency's e-portal must offer (issue 20, part A), on built pages.

English pages with hreflang pairs, the HTML site map, access keys, links to
other state portals, reading aloud, the icons and manifest, the year and
month folders, and the print masthead.
"""

from __future__ import annotations

import io
import json
import tomllib

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from PIL import Image

from conftest import ROOT, read_page
from tools.content_check import main as check_main

PAGE = "Title: {title}\n{fields}\n\n{body}\n"


def page_text(title: str, body: str = "Nội dung trang.", **fields: str) -> str:
    lines = "\n".join(f"{key}: {value}" for key, value in fields.items())
    return PAGE.format(title=title, fields=lines, body=body)


@pytest.fixture
def bilingual(site):
    """A site with Vietnamese pages and their English translations."""
    site.article("mot", title="Tàu cá cập cảng", date="2024-05-14 08:00")
    site.article("hai", title="Đại hội chi bộ", date="2023-11-02 09:00")
    site.write("trang/gioi-thieu.md", page_text("Giới thiệu", Slug="gioi-thieu"))
    site.write("trang/lien-he.md", page_text("Liên hệ", Slug="lien-he"))
    site.write(
        "trang/en/trang-chu.md",
        page_text("Welcome", Slug="home", Lang="en", Translation_of="/"),
    )
    site.write(
        "trang/en/gioi-thieu.md",
        page_text(
            "Introduction",
            body="Functions and tasks.",
            Slug="introduction",
            Lang="en",
            Translation_of="/gioi-thieu/",
            Modified="2024-04-26 10:30",
        ),
    )
    result = site.build()
    assert result.ok, result.errors
    return site


def hreflangs(soup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.select("link[hreflang]")}


# --- English -----------------------------------------------------------------------


def test_english_pages_are_english_and_paired_both_ways(bilingual):
    home = bilingual.page("en")
    assert home.html["lang"] == "en"
    assert home.h1.get_text(strip=True) == "Welcome"
    intro = bilingual.page("en/introduction")
    assert intro.html["lang"] == "en"
    assert hreflangs(intro) == {
        "vi": "http://portal.test/gioi-thieu/",
        "en": "http://portal.test/en/introduction/",
        "x-default": "http://portal.test/gioi-thieu/",
    }
    assert hreflangs(bilingual.page("gioi-thieu")) == hreflangs(intro)
    assert hreflangs(bilingual.page("")) == {
        "vi": "http://portal.test/",
        "en": "http://portal.test/en/",
        "x-default": "http://portal.test/",
    }
    assert hreflangs(home) == hreflangs(bilingual.page(""))
    # A page without a translation names no other version.
    assert hreflangs(bilingual.page("lien-he")) == {}


def test_the_language_switch_leads_to_the_other_version(bilingual):
    def switch(url: str):
        return bilingual.page(url).select_one(".portal-topbar__language a")

    link = switch("gioi-thieu")
    assert (link["href"], link["hreflang"], link["lang"]) == (
        "http://portal.test/en/introduction/",
        "en",
        "en",
    )
    assert link.get_text(strip=True) == "English"
    back = switch("en/introduction")
    assert back["href"] == "http://portal.test/gioi-thieu/"
    assert back.get_text(strip=True) == "Tiếng Việt"
    # A page without its own translation leads to the other language's home.
    assert switch("lien-he")["href"] == "http://portal.test/en/"
    assert switch("")["href"] == "http://portal.test/en/"


def test_english_pages_show_english_dates_and_contacts_from_settings(bilingual):
    languages = {
        "vi": {"name": "Tiếng Việt", "locale": "vi_VN"},
        "en": {
            "name": "English",
            "locale": "en_GB",
            "sitename": "Thematic Portal of Cà Mau",
            "identity": {"address": "No. 2, Sample Street, Cà Mau"},
        },
    }
    assert bilingual.build(LANGUAGES=languages).ok
    intro = bilingual.page("en/introduction")
    updated = intro.select_one(".portal-article__updated time")
    assert updated.get_text() == "Friday, 26 April 2024"
    card = intro.select_one(".portal-contact-card address").get_text(" ", strip=True)
    assert "No. 2, Sample Street, Cà Mau" in card
    assert "toasoan@example.vn" in card  # the e-mail is the same in every language
    assert "Thematic Portal of Cà Mau" in intro.title.get_text()
    footer = intro.select_one("footer").get_text(" ", strip=True)
    assert "Governing body" in footer and "No. 2, Sample Street" in footer
    # The Vietnamese parts in an English page say they are Vietnamese.
    assert intro.select_one("nav.portal-nav")["lang"] == "vi"
    assert intro.select_one("details.portal-menu")["lang"] == "vi"


def test_an_english_page_s_frame_is_english_and_leads_to_english_pages(bilingual):
    intro = bilingual.page("en/introduction")
    search = intro.select_one("header form.portal-search")
    assert search.get("lang") is None  # in the page's English
    assert search["aria-label"] == "Search the portal"
    assert search.select_one("label").get_text() == "Search"
    assert search.select_one("input")["placeholder"] == "Search articles (Vietnamese)"
    assert search.select_one("button").get_text() == "Search"
    toggle = intro.select_one(".portal-menu__toggle")
    assert (toggle["lang"], toggle.get_text()) == ("en", "Sections (Vietnamese)")
    # The about page in the top bar and the footer: its English version.
    topbar = {a.get_text(): a["href"] for a in intro.select(".portal-topbar a")}
    assert topbar["Introduction"] == "http://portal.test/en/introduction/"
    footer = intro.select_one("footer .portal-footer__links")
    english = footer.find("a", string="Introduction")
    assert english["href"] == "http://portal.test/en/introduction/"
    assert english.find_parent("li")["lang"] == "en"
    assert footer.find("a", string="Giới thiệu") is None
    # A page with no English version stays, in Vietnamese, and says so.
    contact = footer.find("a", string="Liên hệ")
    assert contact["href"] == "http://portal.test/lien-he/"
    assert (contact.find_parent("li")["lang"], contact["hreflang"]) == ("vi", "vi")
    # The site's own listings are named in English, leading to Vietnamese.
    assert footer.get("lang") is None
    listings = {
        a.get_text(): (a["href"], a.get("hreflang"))
        for a in footer.select("a")
        if a.find_parent("li").get("lang") is None
    }
    assert listings == {
        "Sections (Vietnamese)": ("http://portal.test/chuyen-muc/", "vi"),
        "Tags (Vietnamese)": ("http://portal.test/tu-khoa/", "vi"),
        "Authors (Vietnamese)": ("http://portal.test/tac-gia/", "vi"),
        "Archives (Vietnamese)": ("http://portal.test/luu-tru/", "vi"),
        "Official documents (Vietnamese)": ("http://portal.test/van-ban/", "vi"),
        "News feed (Atom, Vietnamese)": ("http://portal.test/atom.xml", "vi"),
        "Site map (Vietnamese)": ("http://portal.test/so-do-trang/", "vi"),
        "Accessibility (Vietnamese)": ("http://portal.test/tro-nang/", "vi"),
    }
    # The Vietnamese pages keep their Vietnamese frame.
    home = bilingual.page("")
    links = home.select_one("footer .portal-footer__links")
    assert [a.get_text() for a in links.select("a")][:6] == [
        "Chuyên mục",
        "Từ khoá",
        "Tác giả",
        "Lưu trữ",
        "Văn bản",
        "Nguồn tin (Atom)",
    ]
    assert not links.select("[hreflang], [lang]")
    search = home.select_one("header form.portal-search")
    assert search.select_one("input")["placeholder"] == "Tìm bài viết"
    assert home.select_one(".portal-menu__toggle").get_text() == "Chuyên mục"
    topbar = {a.get_text(): a["href"] for a in home.select(".portal-topbar a")}
    assert topbar["Giới thiệu"] == "http://portal.test/gioi-thieu/"


def test_two_search_forms_on_one_page_have_names_of_their_own(bilingual):
    for path in ("tim-kiem/index.html", "404.html"):
        soup = BeautifulSoup(
            (bilingual.output / path).read_text("utf-8"), "html.parser"
        )
        names = [form.get("aria-label") for form in soup.select("form[role=search]")]
        assert len(names) == 2 and all(names) and len(set(names)) == 2, (path, names)


def test_english_pages_are_pages_listed_in_the_site_map(bilingual):
    soup = bilingual.page("so-do-trang")
    english = soup.select_one("#so-do-ngoai-ngu").find_parent("section")
    links = {a["href"]: a["hreflang"] for a in english.select("a")}
    assert links == {
        "http://portal.test/en/": "en",
        "http://portal.test/en/introduction/": "en",
    }
    # Not in the Vietnamese footer's list of pages.
    footer = bilingual.page("").select_one("footer .portal-footer__links")
    assert "Introduction" not in footer.get_text()


def test_a_language_the_site_does_not_offer_is_refused(site):
    site.write("trang/fr.md", page_text("Bienvenue", Lang="fr"))
    result = site.build()
    assert not result.ok
    assert any(
        "Lang" in error and 'ngôn ngữ "fr" không có' in error for error in result.errors
    ), result.errors


def test_a_translation_of_a_missing_page_is_an_error(site):
    site.write(
        "trang/en/about.md", page_text("About", Lang="en", Translation_of="/khong-co/")
    )
    site.write("trang/gioi-thieu.md", page_text("Giới thiệu"))
    site.write(
        "trang/en/introduction.md",
        page_text("Introduction", Lang="en", Translation_of="/gioi-thieu/"),
    )
    result = site.build()
    assert not result.ok
    [said] = [e for e in result.errors if "Translation_of" in e]
    assert 'không có trang tiếng Việt "/khong-co/"' in said
    # invoke check finds it first, told the same way, and only it.
    out = io.StringIO()
    settings = read_settings(
        str(ROOT / "pelicanconf.py"), override={"PATH": str(site.content)}
    )
    assert check_main(settings, out) == 1
    assert [
        line for line in out.getvalue().splitlines() if "Translation_of" in line
    ] == [said]


# --- Site map, menu, footer, access keys ------------------------------------------------


def test_site_map_lists_every_part_of_the_portal(bilingual):
    soup = bilingual.page("so-do-trang")
    assert soup.h1.get_text(strip=True) == "Sơ đồ trang"
    hrefs = {a["href"].removeprefix("http://portal.test/") for a in soup.main("a")}
    for expected in (
        "chuyen-muc/",
        "chuyen-muc/xay-dung-dang/",
        "luu-tru/",
        "luu-tru/2024/",
        "luu-tru/2023/",
        "van-ban/",
        "gioi-thieu/",
        "lien-he/",
        "en/introduction/",
        "tro-nang/",
    ):
        assert expected in hrefs, expected
    registry = tomllib.loads(
        (ROOT / "content" / "chuyen-muc.toml").read_text(encoding="utf-8")
    )
    sections = soup.select_one("#so-do-chuyen-muc").find_parent("section")
    assert len(sections.select("li")) == len(registry["topic"])


@pytest.mark.parametrize(
    "url", ["", "gioi-thieu", "so-do-trang", "2024/05/tau-ca-cap-cang"]
)
def test_every_page_has_the_menu_the_footer_and_access_keys(bilingual, url):
    soup = bilingual.page(url)
    menu = [a.get_text(strip=True) for a in soup.select("nav.portal-topbar a")]
    assert menu[:3] == ["Trang chủ", "Giới thiệu", "Sơ đồ trang"]
    keys = {
        " ".join(element["accesskey"]): element
        for element in soup.select("[accesskey]")
    }
    assert len(keys) == len(soup.select("[accesskey]")), "an access key used twice"
    assert keys["1"]["href"] == "http://portal.test/"
    assert keys["2"]["href"] == "#main"
    assert keys["3"]["href"] == "http://portal.test/so-do-trang/"
    assert keys["4"]["name"] == "q" and keys["4"].find_parent("header")
    assert keys["0"]["href"] == "http://portal.test/tro-nang/"
    footer = soup.select_one("footer.portal-footer")
    assert footer.select_one('a[href="http://portal.test/so-do-trang/"]')
    responsible = footer.select_one(".portal-footer__responsible").get_text()
    assert responsible == "Trưởng Ban Biên tập: (tên người chịu trách nhiệm)"


def test_footer_links_to_the_state_portals_from_settings(bilingual):
    footer = bilingual.page("").select_one(".portal-footer__portals")
    assert footer.h2.get_text() == "Liên kết"
    links = [(a.get_text(), a["href"]) for a in footer.select("a")]
    assert links[:2] == [
        ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn"),
        ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ]
    assert len(links) == 3
    own = [("Cổng Thông tin điện tử tỉnh Mẫu", "https://tinh.example")]
    assert bilingual.build(STATE_PORTAL_LINKS=own).ok
    footer = bilingual.page("").select_one(".portal-footer__portals")
    assert [a["href"] for a in footer.select("a")] == ["https://tinh.example"]


def test_the_accessibility_page_explains_access_keys_and_text_size(sample_site):
    soup = read_page(sample_site, "tro-nang")
    rows = [
        [cell.get_text(strip=True) for cell in row("td")]
        for row in soup.select(".portal-access-keys tbody tr")
    ]
    assert rows == [
        ["1", "Trang chủ"],
        ["2", "Nội dung chính của trang"],
        ["3", "Sơ đồ trang"],
        ["4", "Ô tìm kiếm"],
        ["0", "Trang Trợ năng này"],
    ]
    # The header sets the very keys the page lists.
    header_keys = {" ".join(e["accesskey"]) for e in soup.select("[accesskey]")}
    assert header_keys == {row[0] for row in rows}
    text = soup.main.get_text(" ", strip=True)
    for label in ("A-", "A+", "Nghe đọc bài"):
        assert label in text


def test_font_size_buttons_are_named_by_what_they_show(sample_site):
    url = "2024/05/trien-khai-chi-thi-32-ct-tw-siet-chat-quan-ly-tau-ca-tu-ben-den-bien"
    soup = read_page(sample_site, url)
    for button in soup.select("button[data-font-size]"):
        assert not button.get("aria-label")
        visible = "".join(button.find_all(string=True, recursive=False)).strip()
        assert visible in ("A-", "A", "A+")
        assert button.get_text().startswith(visible + " ")


# --- Reading aloud --------------------------------------------------------------------


def test_articles_have_a_hidden_read_aloud_button(sample_site):
    url = "2024/05/trien-khai-chi-thi-32-ct-tw-siet-chat-quan-ly-tau-ca-tu-ben-den-bien"
    button = read_page(sample_site, url).select_one("button[data-read-aloud]")
    assert button.has_attr("hidden")
    assert button["aria-pressed"] == "false"
    assert "Nghe đọc bài" in button.get_text()
    assert ".portal-article__body" in button["data-read-aloud"]
    assert not read_page(sample_site, "gioi-thieu").select("button[data-read-aloud]")


# --- Icons and manifest -------------------------------------------------------------


def test_icons_and_manifest_come_from_the_settings(site):
    site.article("mot", title="Bài một")
    icons = {
        "SHORT_NAME": "Chuyên đề",
        "BACKGROUND": "#004080",
        "THEME_COLOR": "#123456",
    }
    assert site.build(SITE_ICONS=icons).ok
    with Image.open(site.output / "favicon.ico") as ico:
        assert ico.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])
    touch = Image.open(io.BytesIO((site.output / "apple-touch-icon.png").read_bytes()))
    assert touch.format == "PNG" and touch.size == (180, 180)
    assert touch.convert("RGB").getpixel((2, 2)) == (0, 64, 128)
    manifest = json.loads((site.output / "site.webmanifest").read_text("utf-8"))
    assert manifest["name"] == "Cổng thông tin chuyên đề tỉnh Kiên Giang"
    assert manifest["short_name"] == "Chuyên đề"
    assert manifest["theme_color"] == "#123456"
    for icon in manifest["icons"]:
        with Image.open(site.output / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
    head = site.page("").head
    assert head.select_one('link[rel="manifest"]')["href"].endswith("/site.webmanifest")
    assert head.select_one('link[rel="apple-touch-icon"]')["href"].endswith(
        "/apple-touch-icon.png"
    )
    assert head.select_one('link[href$="/favicon.ico"]')
    assert head.select_one('meta[name="theme-color"]')["content"] == "#123456"


def test_icons_are_drawn_again_when_what_they_are_drawn_from_changes(site):
    site.article("mot", title="Bài một")
    assert site.build(SITE_ICONS={"BACKGROUND": "#004080"}).ok
    touch = site.output / "apple-touch-icon.png"
    drawn = touch.read_bytes()
    # Kept: the same settings again.
    assert site.build(SITE_ICONS={"BACKGROUND": "#004080"}).ok
    assert touch.read_bytes() == drawn
    # A colour changed: drawn again.
    assert site.build(SITE_ICONS={"BACKGROUND": "#008040"}).ok
    with Image.open(touch) as image:
        assert image.convert("RGB").getpixel((2, 2)) == (0, 128, 64)
    # A file gone from the output: drawn again, the others with it.
    touch.unlink()
    (site.output / "site.webmanifest").unlink()
    assert site.build(SITE_ICONS={"BACKGROUND": "#008040"}).ok
    with Image.open(touch) as image:
        assert image.convert("RGB").getpixel((2, 2)) == (0, 128, 64)
    assert json.loads((site.output / "site.webmanifest").read_text("utf-8"))
    # The emblem's bytes, under the same name.
    emblem = site.root / "emblem.png"
    Image.new("RGB", (64, 64), (10, 200, 30)).save(emblem)
    config = {"BACKGROUND": "#008040", "EMBLEM": str(emblem)}
    assert site.build(SITE_ICONS=config).ok
    with Image.open(touch) as image:
        first = image.convert("RGB").getpixel((90, 90))
    Image.new("RGB", (64, 64), (200, 30, 10)).save(emblem)
    assert site.build(SITE_ICONS=config).ok
    with Image.open(touch) as image:
        assert image.convert("RGB").getpixel((90, 90)) != first


def test_a_colour_that_is_not_one_stops_the_build(site):
    site.article("mot", title="Bài một")
    with pytest.raises(ValueError, match="BACKGROUND must be a colour"):
        site.build(SITE_ICONS={"BACKGROUND": "red"})


# --- Year and month folders -------------------------------------------------------------


def test_year_and_month_folders_send_on_to_the_archive(bilingual):
    for url, target, heading in (
        ("2024", "luu-tru/2024/", "Năm 2024"),
        ("2024/05", "luu-tru/2024/05/", "Tháng 5/2024"),
    ):
        soup = bilingual.page(url)
        refresh = soup.select_one('meta[http-equiv="refresh"]')["content"]
        assert refresh == f"0; url=http://portal.test/{target}"
        assert soup.select_one('link[rel="canonical"]')["href"].endswith(target)
        assert "noindex" in soup.select_one('meta[name="robots"]')["content"]
        assert soup.h1.get_text() == heading
        assert soup.main.select_one(f'a[href="http://portal.test/{target}"]')
        assert bilingual.exists(target)
    assert not bilingual.exists("2022")


# --- Print ------------------------------------------------------------------------


def test_the_printout_names_the_portal(bilingual):
    masthead = bilingual.page("2024/05/tau-ca-cap-cang").select_one(
        "body > .portal-print-masthead"
    )
    assert "Cổng thông tin chuyên đề tỉnh Kiên Giang" in masthead.get_text()
    assert masthead.select_one(".portal-print-date")["data-print-label"] == "In ngày"
    css = (ROOT / "theme" / "static" / "css" / "print.css").read_text("utf-8")
    assert "break-after: avoid" in css and "break-inside: avoid" in css
