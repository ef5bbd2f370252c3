"""Stable pagination: 20 a page, numbered from the oldest."""

import pytest

from listings import paginate


def titles(page):
    return [article for article in page.articles]


@pytest.mark.parametrize(
    ("count", "front_size", "numbered"),
    [
        (0, 0, []),
        (1, 1, []),
        (20, 20, []),
        (21, 21, []),  # the front page takes the newest unfinished page too
        (39, 39, []),
        (40, 20, [20]),
        (41, 21, [20]),
        (60, 20, [20, 20]),
        (61, 21, [20, 20]),
    ],
)
def test_page_sizes(count, front_size, numbered):
    newest_first = list(range(count, 0, -1))
    pages = paginate(newest_first, "chuyen-muc/x/", 20)
    front, *older = pages
    assert front.is_front and front.url == "chuyen-muc/x/"
    assert len(front.articles) == front_size
    assert [len(page.articles) for page in older] == numbered
    shown = [item for page in pages for item in page.articles]
    assert shown == newest_first  # every article once, newest first


def test_pages_are_numbered_from_the_oldest_and_linked():
    pages = paginate(list(range(61, 0, -1)), "tu-khoa/x/", 20)
    front, second, first = pages
    assert first.number == 1 and first.articles == list(range(20, 0, -1))
    assert first.url == "tu-khoa/x/trang/1/"
    assert first.save_as == "tu-khoa/x/trang/1/index.html"
    assert second.number == 2
    assert front.older == second.link and second.older == first.link
    assert first.older is None and front.newer is None
    assert first.newer == second.link and second.newer == front.link
    assert front.pages == [front.link, second.link, first.link] == first.pages
    assert (front.link.url, front.link.is_front, first.link.is_front) == (
        "tu-khoa/x/",
        True,
        False,
    )


def test_a_new_article_changes_only_the_front_page():
    before = paginate(list(range(45, 0, -1)), "", 20)
    after = paginate(list(range(46, 0, -1)), "", 20)
    assert [p.url for p in before] == [p.url for p in after]
    assert before[1].articles == after[1].articles
    assert before[0].articles != after[0].articles


@pytest.mark.parametrize("count", [0, 1, 20, 21])
def test_section_listing_in_a_build(site, count):
    for number in range(1, count + 1):
        site.article(
            f"bai-{number}",
            title=f"Bài số {number}",
            date=f"2024-03-{1 + number % 28:02d} {number % 24:02d}:00",
            category="Thi đua yêu nước",
        )
    assert site.build().ok, site.result.errors
    listed = site.listed_titles("chuyen-muc/thi-dua-yeu-nuoc")
    assert len(listed) == count
    assert not (site.output / "chuyen-muc/thi-dua-yeu-nuoc/trang").exists()
    if count == 0:
        assert site.page("chuyen-muc/thi-dua-yeu-nuoc").select_one(".portal-empty")


def test_older_pages_stay_byte_identical_when_an_article_arrives(site):
    for number in range(1, 46):
        site.article(
            f"bai-{number}",
            title=f"Bài số {number}",
            date=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d} 08:{number:02d}",
        )
    assert site.build().ok, site.result.errors
    page_one = site.output / "chuyen-muc/xay-dung-dang/trang/1/index.html"
    before = page_one.read_bytes()
    front_before = site.listed_titles("chuyen-muc/xay-dung-dang")
    assert len(front_before) == 25
    assert len(site.listed_titles("chuyen-muc/xay-dung-dang/trang/1")) == 20
    site.article("moi", title="Bài mới nhất", date="2025-01-01 08:00")
    assert site.build().ok, site.result.errors
    assert page_one.read_bytes() == before
    assert site.listed_titles("chuyen-muc/xay-dung-dang")[0] == "Bài mới nhất"
    nav = site.page("chuyen-muc/xay-dung-dang").select_one(".portal-pagination")
    assert nav.select_one("a[rel=next]")["href"].endswith(
        "/chuyen-muc/xay-dung-dang/trang/1/"
    )
