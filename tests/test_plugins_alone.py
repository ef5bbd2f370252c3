"""Each plugin works on Pelican's own writer, or refuses to load without the
incremental engine and says so."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from build_cache.engine import ENGINE_WRITER, MissingEngineError
from conftest import ROOT

# Plugins that write through the engine's writer (``ENGINE_WRITER``).
NEED_ENGINE = [
    "lead_images",
    "share_card",
    "topics",
    "archives",
    "questions",
    "search_index",
    "sitemaps",
    "theme_assets",
    "site_icons",
    "web_editor",
]
# Plugins that work on Pelican's own writer, each built alone (documents,
# review_gate and portal_pages write pages with templates of the portal's
# theme, which reads what the other plugins add: not alone).
ALONE = [
    "build_gate",
    "content_guard",
    "article_model",
    "related",
    "languages",
    "precompress",
]
# Pelican's defaults, which its own theme's index expects.
SIMPLE_THEME_PAGINATION = {"index": None, "tag": None, "category": None, "author": None}


def uses_engine_writer(plugin: str) -> bool:
    """True when a plugin's code calls a method only the engine's writer has."""
    code = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "plugins" / plugin).rglob("*.py")
    )
    return any(f".{method}(" in code for method in ENGINE_WRITER) or (
        "write_feeds(" in code
    )


def test_the_list_of_plugins_that_need_the_engine_is_complete():
    plugins = {path.parent.name for path in (ROOT / "plugins").glob("*/__init__.py")}
    needing = {name for name in plugins - {"incremental"} if uses_engine_writer(name)}
    assert needing == set(NEED_ENGINE)


@pytest.mark.parametrize("plugin", NEED_ENGINE)
def test_a_plugin_that_needs_the_engine_refuses_a_site_without_it(site, plugin):
    site.article("mot", title="Một bài viết", category="Xây dựng Đảng")
    with pytest.raises(MissingEngineError) as refused:
        site.build(PLUGINS=["build_gate", "article_model", plugin])
    message = str(refused.value)
    assert f"The plugin '{plugin}' needs the incremental engine" in message
    assert "Add 'incremental' to PLUGINS" in message
    assert not (site.output / "index.html").exists()


def test_the_engine_in_the_site_lets_them_load(site):
    site.article("mot", title="Một bài viết", category="Xây dựng Đảng")
    assert site.build().ok


@pytest.mark.parametrize("plugin", ALONE)
def test_a_plugin_alone_builds_on_pelicans_writer(site, plugin):
    site.article("mot", title="Một bài viết", category="Xây dựng Đảng")
    # Pelican's own theme: the portal's reads what the other plugins add.
    result = site.build(
        PLUGINS=[plugin],
        THEME="simple",
        THEME_STATIC_PATHS=[],
        PAGINATED_TEMPLATES=SIMPLE_THEME_PAGINATION,
        DIRECT_TEMPLATES=["index"],
    )
    assert result.ok, result.errors
    page = BeautifulSoup(
        (site.output / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.find("html") is not None
