"""Pelican internals the portal relies on, named in one place, pinned to 4.12.

A Pelican upgrade that changes one of these fails here, by name, instead of
quietly reopening what the plugins close (see SECURITY.md).
"""

from __future__ import annotations

import inspect
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pelican
import pytest
from pelican.cache import FileStampDataCacher
from pelican.contents import Article, Author, Category, Content, Tag
from pelican.generators import Generator, StaticGenerator
from pelican.plugins import signals
from pelican.readers import BaseReader
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import process_translations
from pelican.writers import Writer

from article_model.plugin import _url_value
from content_model.locations import becomes_a_draft, formatted


def test_pelican_is_the_pinned_version():
    assert pelican.__version__ == "4.12.0"


def test_placeholders_are_replaced_only_where_intrasite_link_regex_matches():
    """content_tree.INTRASITE_LINK_REGEX decides which placeholders Pelican replaces."""
    source = inspect.getsource(Content._get_intrasite_link_regex)
    assert 'self.settings["INTRASITE_LINK_REGEX"]' in source
    # Our pattern looks ahead to the attribute's closing quote by its name.
    assert "(?P<quote>" in source
    assert "(?P<value>" in source
    assert "what" in inspect.getsource(Content._link_replacer)
    assert "INTRASITE_LINK_REGEX" in DEFAULT_CONFIG


def test_generators_walk_content_through_their_get_files():
    """content_guard gives each generator a get_files that follows no link."""
    parameters = list(inspect.signature(Generator.get_files).parameters)
    assert parameters == ["self", "paths", "exclude", "extensions"]
    assert "self.get_files(" in inspect.getsource(StaticGenerator.generate_context)


def test_static_files_are_listed_before_they_are_copied():
    """content_guard drops refused static files at static_generator_finalized."""
    context = inspect.getsource(StaticGenerator.generate_context)
    assert 'self.context["static_links"]' in context
    assert context.index("self.staticfiles.append") < context.index(
        "static_generator_finalized.send"
    )
    assert 'self.context["staticfiles"]' in inspect.getsource(
        StaticGenerator.generate_output
    )
    assert signals.static_generator_finalized is not None


def test_contents_keep_their_path_relative_to_the_content_folder():
    """listings.oldest_first breaks ties in time by relative_source_path."""
    assert "self.relative_source_path =" in inspect.getsource(Content.__init__)


def test_readers_and_writers_are_made_from_the_settings_alone():
    """A spawned worker makes its own reader and writer (incremental, spawn)."""
    assert list(inspect.signature(BaseReader.__init__).parameters) == [
        "self",
        "settings",
    ]
    assert "self.settings = settings" in inspect.getsource(BaseReader.__init__)
    parameters = list(inspect.signature(Writer.__init__).parameters)
    assert parameters == ["self", "output_path", "settings"]


def test_a_page_in_another_language_takes_the_lang_url_or_its_own():
    """languages and article_model: ``Lang`` picks ``PAGE_LANG_URL``, and the
    ``url``/``save_as`` metadata of the page translating the home page win;
    ``process_translations`` with no translation id keeps every page in ``pages``."""
    source = inspect.getsource(Content.__init__)
    assert 'key in ("save_as", "url")' in source
    assert '"override_" + key' in source
    assert "in_default_lang" in inspect.getsource(Content.get_url_setting)
    assert 'key = key if self.in_default_lang else f"lang_{key}"' in inspect.getsource(
        Content.get_url_setting
    )
    assert process_translations(["a", "b"], translation_id=None) == (["a", "b"], [])
    assert "PAGE_LANG_URL" in DEFAULT_CONFIG


def _settings(**override) -> dict:
    return read_settings(
        None,
        override={"SITEURL": "https://cong.example.vn", "TIMEZONE": "UTC", **override},
    )


def test_the_writer_opens_every_file_and_makes_every_feed_through_its_hooks(tmp_path):
    """incremental.writer overrides ``Writer._open_w`` (records each file Pelican
    writes) and ``Writer._create_new_feed`` (dates an empty feed), and reads
    ``_written_files`` for Pelican's rule on files written twice."""
    calls = []

    class Recording(Writer):
        def _open_w(self, filename, encoding, override=False):
            calls.append(("_open_w", os.path.relpath(filename, self.output_path)))
            return super()._open_w(filename, encoding, override)

        def _create_new_feed(self, feed_type, feed_title, context):
            calls.append(("_create_new_feed", feed_type))
            return super()._create_new_feed(feed_type, feed_title, context)

    settings = _settings()
    writer = Recording(str(tmp_path), settings)
    assert writer._written_files == set()
    writer.write_feed([], dict(settings), "atom.xml")
    assert calls == [("_create_new_feed", "atom"), ("_open_w", "atom.xml")]
    assert writer._written_files == {str(tmp_path / "atom.xml")}
    assert "self._open_w(" in inspect.getsource(Writer.write_file)


def test_an_article_s_html_is_its__content_until_first_read():
    """documents (citations), search_index and incremental read and write
    ``Content._content``: what ``content`` shows, once, when first read."""
    article = Article(
        "<p>một</p>", metadata={"title": "T", "date": datetime(2024, 1, 2)},
        settings=_settings(),
    )  # fmt: skip
    assert article._content == "<p>một</p>"
    article._content = "<p>hai</p>"
    assert article.content == "<p>hai</p>"


def test_a_term_s_display_name_is_its__name_and_leaves_its_slug():
    """archives gives each tag one display spelling by writing ``_name``."""
    tag = Tag("thủy sản", _settings())
    slug = tag.slug
    tag._name = "Thủy sản"
    assert (tag.name, tag.slug) == ("Thủy sản", slug)


def test_content_caches_stamp_each_file_through_get_file_stamp():
    """incremental spares the stamps by replacing ``_get_file_stamp`` on the
    generator and its readers when Pelican's content caches are off."""
    assert list(inspect.signature(FileStampDataCacher._get_file_stamp).parameters) == [
        "self",
        "filename",
    ]
    assert "self._get_file_stamp(" in inspect.getsource(FileStampDataCacher)


@pytest.mark.parametrize("days", [-1, 1])
@pytest.mark.parametrize("zone", [None, ZoneInfo("Asia/Ho_Chi_Minh")])
def test_the_future_date_rule_is_pelican_s(days, zone):
    """content_model.locations.becomes_a_draft repeats ``Article.__init__``'s
    rule (a future date makes a draft unless WITH_FUTURE_DATES) to place a
    file before Pelican makes the article."""
    settings = _settings(WITH_FUTURE_DATES=False)
    date = datetime.now(zone) + timedelta(days=days)
    article = Article("x", metadata={"title": "T", "date": date}, settings=settings)
    assert (article.status == "draft") is becomes_a_draft(settings, date) is (days > 0)
    allowed = _settings(WITH_FUTURE_DATES=True)
    assert not becomes_a_draft(allowed, date)


@pytest.mark.parametrize(
    "pattern",
    [
        "{date:%Y}/{date:%m}/{slug}/",
        "{category}/{slug}.html",
        "{author}/{date:%Y-%m-%d}/{lang}/{slug}/",
        "{date.year}/{path}",
    ],
)
def test_urls_are_formatted_from_the_values_of_pelican_s_url_format(pattern, tmp_path):
    """article_model freezes each URL with its own copy of ``Content.url_format``
    (``_url_value``): the same URL and file name as Pelican's."""
    settings = _settings(
        ARTICLE_URL=pattern,
        ARTICLE_SAVE_AS=pattern + "index.html",
        PATH=str(tmp_path),
    )
    article = Article(
        "x",
        metadata={
            "title": "Đại hội chi bộ",
            "slug": "dai-hoi-chi-bo",
            "date": datetime(2024, 4, 26, 10, 30),
            "category": Category("Xây dựng Đảng", settings),
            "author": Author("Thu Anh", settings),
        },
        settings=settings,
        source_path=str(tmp_path / "bai-viet" / "2024" / "dai-hoi.md"),
        context={"localsiteurl": ""},
    )
    assert article.relative_source_path == "bai-viet/2024/dai-hoi.md"
    assert set(Content.url_format.fget(article)) <= {
        "title", "date", "path", "slug", "lang", "author", "category",
    }  # fmt: skip
    for key in ("url", "save_as"):
        ours = formatted(settings, "article", key, lambda f: _url_value(article, f))
        assert ours == getattr(article, key), (pattern, key)
