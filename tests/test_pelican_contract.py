"""Pelican internals the portal relies on, named in one place, pinned to 4.12.

A Pelican upgrade that changes one of these fails here, by name, instead of
quietly reopening what the plugins close (see SECURITY.md). The internals
(private names, replaced methods, copies of Pelican's code) are listed, with
their count, in plugins/README.md ("Pelican internals we rely on"); the other
tests pin public behaviour the plugins build on.
"""

from __future__ import annotations

import inspect
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import jinja2
import pelican
import pytest
from feedgenerator import Atom1Feed, Rss201rev2Feed
from pelican.contents import Article, Author, Category, Content, Static, Tag
from pelican.generators import ArticlesGenerator, Generator, StaticGenerator
from pelican.plugins import signals
from pelican.readers import BaseReader
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import memoized, process_translations
from pelican.writers import Writer

from article_model.plugin import _url_value
from content_model.locations import becomes_a_draft, formatted
from incremental.static_copies import pelican_copies_again


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


def test_the_writer_claims_each_file_in_its_written_and_overridden_sets(tmp_path):
    """incremental.writer's ``_claim`` applies Pelican's rule on files written
    twice to the pages it queues, in the sets Pelican's own ``write_file``
    checks: ``_written_files`` and ``_overridden_files``."""
    writer = Writer(str(tmp_path), _settings())
    assert writer._written_files == set()
    assert writer._overridden_files == set()
    source = inspect.getsource(Writer._open_w)
    assert "self._written_files.add(filename)" in source
    assert "self._overridden_files.add(filename)" in source
    assert "self._open_w(" in inspect.getsource(Writer.write_file)


def test_the_writer_says_which_files_it_wrote_and_makes_feeds_unwritten(tmp_path):
    """incremental.writer records each file Pelican's ``write_file`` writes as
    ``content_written`` names it, and writes feeds itself: Pelican's
    ``write_feed`` with no path makes a feedgenerator feed and writes nothing."""
    settings = _settings()
    writer = Writer(str(tmp_path), settings)
    written = []

    def record(path, **_context):
        written.append(os.path.relpath(path, tmp_path))

    template = jinja2.Template("trang")
    with signals.content_written.connected_to(record):
        writer.write_file("a/index.html", template, dict(settings), relative_urls=True)
    assert written == ["a/index.html"]
    for feed_type, feed_class in (("atom", Atom1Feed), ("rss", Rss201rev2Feed)):
        feed = writer.write_feed([], dict(settings), None, "f.xml", feed_type)
        assert type(feed) is feed_class
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "index.html"]


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


def test_a_term_s_slug_set_stays_when_its_name_changes():
    """archives gives each tag one display spelling through ``name`` and sets
    the slug back: Pelican makes it again from a new name unless it was set."""
    tag = Tag("thủy sản", _settings())
    assert tag.slug == "thuy-san"
    tag.name = "Thủy sản Kiên Giang"
    assert tag.slug == "thuy-san-kien-giang"  # made again from the new name
    tag = Tag("thủy sản", _settings())
    slug = tag.slug
    tag.name = "Thủy sản Kiên Giang"
    tag.slug = slug
    assert (tag.name, tag.slug) == ("Thủy sản Kiên Giang", slug)
    tag.name = "Thủy Sản"
    assert (tag.name, tag.slug) == ("Thủy Sản", slug)


def test_pelican_s_own_state_in_contents_and_terms_has_these_names():
    """incremental's fingerprints leave out, by name, what is Pelican's state
    and not the page's: ``Content._context`` and a term's ``_name``, ``_slug``,
    ``_slug_from_name``."""
    settings = _settings()
    article = Article(
        "x", metadata={"title": "T", "date": datetime(2024, 1, 2)},
        settings=settings, context={},
    )  # fmt: skip
    assert "_context" in vars(article)
    tag = Tag("Thủy sản", settings)
    assert {"_name", "_slug", "_slug_from_name"} <= set(vars(tag))
    assert set(vars(tag)) - {"_name", "_slug", "_slug_from_name"} == {"settings"}


def test_switched_off_term_pages_are_made_by_three_methods():
    """archives replaces ``generate_tags``, ``generate_categories`` and
    ``generate_authors`` (each given ``write``) when their pages are off."""
    source = inspect.getsource(ArticlesGenerator.generate_pages)
    for method in ("generate_tags", "generate_categories", "generate_authors"):
        assert f"self.{method}(write)" in source
        assert list(
            inspect.signature(getattr(ArticlesGenerator, method)).parameters
        ) == [
            "self",
            "write",
        ]


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


def test_content_bodies_and_summaries_are_memoized_in_one_dict_per_method(tmp_path):
    """tools.site_build.forget_earlier_contents clears ``memoized.cache``.

    Pelican keeps each content's body and summary for the life of the
    process, keyed by the content: the preview, which builds again and again
    in one process, would keep every build's articles without the clearing.
    """
    memoized_methods = {
        name for name, value in vars(Content).items() if isinstance(value, memoized)
    }
    assert memoized_methods == {"get_content", "get_summary"}
    settings = _settings(PATH=str(tmp_path))
    article = Article(
        "<p>Thân bài</p>",
        metadata={"title": "Tin", "date": datetime(2024, 4, 26)},
        settings=settings,
        source_path=str(tmp_path / "tin.md"),
        context={"localsiteurl": ""},
    )
    assert article.content == "<p>Thân bài</p>"
    cache = vars(Content)["get_content"].cache
    assert isinstance(cache, dict)
    assert any(key[0] is article for key in cache)
    cache.clear()
    assert article.content == "<p>Thân bài</p>"


@pytest.mark.parametrize("checked", [True, False])
@pytest.mark.parametrize("copy", ["missing", "older", "same time", "newer"])
def test_a_static_file_is_copied_again_when_pelican_says_so(tmp_path, checked, copy):
    """incremental.static_copies.pelican_copies_again repeats ``StaticGenerator``'s
    rule for copying a static file (the preview tells an open page it is
    written only when no image it may show is still to be copied)."""
    settings = _settings(STATIC_CHECK_IF_MODIFIED=checked)
    content, output = tmp_path / "content", tmp_path / "output"
    source = content / "images" / "anh.jpg"
    source.parent.mkdir(parents=True)
    source.write_bytes(b"anh")
    static = Static(
        "", settings=settings, source_path=str(source), context={"static_content": {}}
    )
    static.override_save_as = "images/anh.jpg"
    if copy != "missing":
        copied = output / "images" / "anh.jpg"
        copied.parent.mkdir(parents=True)
        copied.write_bytes(b"anh")
        shift = {"older": -10, "same time": 0, "newer": 10}[copy]
        moment = source.stat().st_mtime + shift
        os.utime(copied, (moment, moment))
    generator = StaticGenerator(
        {"staticfiles": [static]}, settings, str(content), "", str(output)
    )
    ours = pelican_copies_again(settings, str(content), str(output), static)
    assert ours is generator._file_update_required(static)
    assert ours is (not checked or copy in {"missing", "older"})
