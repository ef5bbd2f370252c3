"""The article model: sections, tags and slugs, and editors' mistakes."""

import re

import pytest

from conftest import SITEURL, article_text, nfd


def tag_links(soup):
    return {a.get_text(): a["href"] for a in soup.select(".portal-tag-list a")}


def test_category_and_topics_accept_any_written_form(site):
    site.article(
        "a",
        title="Một bài ba chuyên mục",
        category=nfd("chống khai thác iuu"),
        Topics=f"{nfd('Quốc phòng, an ninh')}; PCTN",
    )
    assert site.build().ok, site.result.errors
    for slug in (
        "chong-khai-thac-iuu",
        "quoc-phong-an-ninh",
        "phong-chong-tham-nhung-tieu-cuc",
    ):
        assert site.listed_titles(f"chuyen-muc/{slug}") == ["Một bài ba chuyên mục"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Tỉnh ủy", "Tỉnh uỷ"),  # tone on u (new style) and on y (old style)
        ("thủy sản", nfd("thủy sản")),  # NFC and NFD
        ("hòa giải", nfd("hoà giải")),  # both at once
    ],
)
def test_tag_spellings_of_one_word_are_one_tag(site, first, second):
    site.article("a", title="Bài một", Tags=first, date="2024-01-01 08:00")
    site.article("b", title="Bài hai", Tags=second, date="2024-01-02 08:00")
    site.article("c", title="Bài ba", Tags=first, date="2024-01-03 08:00")
    assert site.build().ok, site.result.errors
    one = tag_links(site.page("2024/01/bai-mot"))
    two = tag_links(site.page("2024/01/bai-hai"))
    assert list(one.values()) == list(two.values())
    # Shown once, in NFC, under the spelling most articles use.
    assert list(one) == list(two) == [first]
    index = site.page("tu-khoa").select(".portal-term-list li")
    assert len(index) == 1
    url = next(iter(one.values())).removeprefix(f"{SITEURL}/")
    assert len(site.listed_titles(url)) == 3


def test_bao_bao_bao_stay_apart_with_stable_urls(site):
    site.article("a", title="Phòng chống cơn bão số 5", Tags="Bão", date="2024-01-01")
    site.article("b", title="Ngày Báo chí", Tags="Báo", date="2024-01-02 08:00")
    assert site.build().ok, site.result.errors
    storm = tag_links(site.page("2024/01/phong-chong-con-bao-so-5"))
    press = tag_links(site.page("2024/01/ngay-bao-chi"))
    assert list(storm) == ["Bão"]
    assert list(press) == ["Báo"]
    assert storm["Bão"] != press["Báo"]
    # A third spelling arrives: the existing URLs do not change.
    site.article("c", title="Bảo vệ", Tags="Bảo", date="2024-01-03 08:00")
    assert site.build().ok
    urls = {
        a.get_text(): a["href"]
        for a in site.page("tu-khoa").select(".portal-term-list a")
    }
    assert set(urls) == {"Bão", "Báo", "Bảo"}
    assert len(set(urls.values())) == 3
    assert urls["Bão"] == storm["Bão"]
    for url in urls.values():
        assert re.fullmatch(rf"{SITEURL}/tu-khoa/[a-z0-9-]+/", url)


def test_slugs_come_from_the_title_in_ascii(site):
    site.article("a", title="Đại hội Đảng bộ tỉnh lần thứ XII")
    site.article("b", title="Thủy sản & IUU", date="2024-05-01 08:00", Slug="Bài riêng")
    assert site.build().ok, site.result.errors
    assert site.exists("2024/04/dai-hoi-dang-bo-tinh-lan-thu-xii")
    assert site.exists("2024/05/bai-rieng")
    title = site.page("2024/05/bai-rieng").h1
    assert title.get_text() == "Thủy sản & IUU"


def test_an_unknown_section_fails_with_file_line_and_suggestions(site):
    path = site.article("sai", category="Chong khai thac IUU ca")
    result = site.build()
    assert result.failed
    messages = [m for m in result.errors if "sai.md" in m]
    assert len(messages) == 1
    assert re.match(rf"{re.escape(str(path))}:3: Category: ", messages[0]) or re.match(
        r"\S*sai\.md:3: Category: ", messages[0]
    )
    assert '"Chống khai thác IUU"' in messages[0]
    assert not (site.output / "index.html").exists()


def test_an_unknown_topic_is_reported_on_its_line(site):
    site.article("sai", Topics="Quốc phòng, an ninh; Thể thao")
    result = site.build()
    assert result.failed
    (message,) = [m for m in result.errors if "sai.md" in m]
    assert re.search(r"sai\.md:\d+: Topics: không có chuyên mục \"Thể thao\"", message)


def test_two_bad_files_give_two_messages(site):
    site.article("tot", title="Bài tốt")
    site.article("sai-mot", title="Sai một", category="Không có")
    site.article("sai-hai", title="Sai hai", Topics="Cũng không có")
    result = site.build()
    assert result.failed
    content_errors = [m for m in result.errors if re.search(r"\.md:\d+: ", m)]
    assert len(content_errors) == 2
    assert any("sai-mot.md:3: Category:" in m for m in content_errors)
    assert any("sai-hai.md" in m and ": Topics:" in m for m in content_errors)


def test_a_preview_leaves_broken_articles_out_and_keeps_the_rest(site):
    site.article("tot", title="Bài tốt")
    site.article("sai", title="Bài sai", category="Không có")
    result = site.build(BUILD_GATE={"STRICT": False})
    assert not result.failed
    assert len(result.errors) == 1
    assert site.listed_titles("chuyen-muc/xay-dung-dang") == ["Bài tốt"]
    assert not site.exists("2024/04/bai-sai")


def test_files_an_editors_tools_leave_beside_articles_are_not_read(site):
    """An editor's lock file (IGNORE_FILES) and a note no reader reads."""
    site.article("that", title="Bài thật")
    site.write("bai-viet/.#that.md", article_text(title="Bản khoá của trình soạn"))
    site.write("bai-viet/ghi-chu.txt", "Việc cần làm: sửa tít.")
    assert site.build().ok
    assert site.listed_titles("chuyen-muc/xay-dung-dang") == ["Bài thật"]
    built = [path.name for path in site.output.rglob("*")]
    assert not any("ban-khoa" in name or "ghi-chu" in name for name in built)


def test_a_good_build_logs_no_warning(site, caplog):
    site.article("a", title="Bài một", Tags="Bão, Tỉnh ủy")
    with caplog.at_level("WARNING"):
        assert site.build().ok
    assert [r.getMessage() for r in caplog.records if r.levelname != "INFO"] == []


def test_two_articles_with_one_url_name_each_other(site):
    site.article("mot", title="Bài về bão", date="2024-01-01 08:00")
    site.article("hai", title="Bài về báo", date="2024-01-09 08:00")
    result = site.build()
    assert result.failed
    clashes = [m for m in result.errors if "trùng đường dẫn" in m]
    assert len(clashes) == 2
    assert any(m.split(":")[0].endswith("mot.md") and "hai.md" in m for m in clashes)
    assert any(m.split(":")[0].endswith("hai.md") and "mot.md" in m for m in clashes)
