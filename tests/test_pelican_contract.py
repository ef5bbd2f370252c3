"""Pelican internals the portal relies on, named in one place, pinned to 4.12.

A Pelican upgrade that changes one of these fails here, by name, instead of
quietly reopening what the plugins close (see SECURITY.md).
"""

from __future__ import annotations

import inspect

import pelican
from pelican.contents import Content
from pelican.generators import Generator, StaticGenerator
from pelican.plugins import signals
from pelican.readers import BaseReader
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations
from pelican.writers import Writer


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
