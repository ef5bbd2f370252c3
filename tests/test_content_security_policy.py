"""The Content-Security-Policy: one function for the pages and nginx; analytics."""

from __future__ import annotations

import importlib
import re

import pytest
from web_editor.plugin import backend_urls
from web_editor.settings import editor_settings

from conftest import ROOT, reader_pages
from html_safety import (
    analytics_settings,
    content_security_policy,
    editor_content_security_policy,
    header_policy,
)

EMC = {"SCRIPT": "https://emc.example.gov.vn/emc.js", "ATTRIBUTES": {"data-site": "kg"}}


def policy_of(soup) -> dict[str, list[str]]:
    """The page's CSP ``<meta>``, as directive -> sources."""
    content = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    directives = [part.split() for part in content.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def hosts(policy: dict[str, list[str]]) -> set[str]:
    return {
        source
        for sources in policy.values()
        for source in sources
        if not source.startswith("'") and source != "data:"
    }


@pytest.mark.parametrize("module", ["pelicanconf", "publishconf"])
def test_the_settings_policy_is_the_functions(module):
    settings = importlib.import_module(module)
    policy = settings.CONTENT_SECURITY_POLICY
    assert policy == content_security_policy(
        settings.HTML_SAFETY["IFRAME_HOSTS"], settings.ANALYTICS
    )


def test_nginx_sends_the_production_pages_policy():
    production = importlib.import_module("publishconf")
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    server = config.split("location ", 1)[0]
    headers = re.findall(r'add_header Content-Security-Policy "([^"]*)"', server)
    assert headers == [header_policy(production.CONTENT_SECURITY_POLICY)]
    assert headers[0].endswith("; frame-ancestors 'none'")


def test_nginx_sends_the_editors_own_policy_under_quan_tri_only():
    production = importlib.import_module("publishconf")
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    editor = re.search(r"location \^~ /quan-tri/ \{(.*?)\n    \}", config, re.S)[1]
    headers = re.findall(r'add_header Content-Security-Policy "([^"]*)"', editor)
    backend = editor_settings(vars(production))
    assert headers == [
        header_policy(editor_content_security_policy(backend_urls(backend)))
    ]
    assert "'unsafe-eval'" in headers[0]
    assert 'add_header X-Robots-Tag "noindex, nofollow"' in editor
    others = config.replace(editor, "")
    assert "'unsafe-eval'" not in others
    assert "'unsafe-inline'" not in others


def test_off_by_default_every_source_is_the_site(site):
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    for path in reader_pages(site.output, "index.html"):  # the editor: its own
        soup = site.page(str(path.parent.relative_to(site.output)))
        policy = policy_of(soup)
        assert hosts(policy) == set(), path
        assert policy["script-src"] == ["'self'"]
        sources = [s["src"] for s in soup.find_all("script", src=True)]
        assert all(src.startswith("http://portal.test/") for src in sources), path


def test_analytics_adds_its_script_and_allows_that_host_only(site):
    site.article("a", title="Bài một")
    result = site.build(
        ANALYTICS=EMC, CONTENT_SECURITY_POLICY=content_security_policy([], EMC)
    )
    assert result.ok, result.errors
    pages = reader_pages(site.output, "index.html")  # the editor: no analytics
    assert len(pages) > 5
    for path in pages:
        soup = site.page(str(path.parent.relative_to(site.output)))
        (script,) = soup.select('script[src^="https://emc.example.gov.vn/"]')
        assert script["src"] == EMC["SCRIPT"] and script["data-site"] == "kg"
        assert script.has_attr("defer") and not script.string
        policy = policy_of(soup)
        assert hosts(policy) == {"https://emc.example.gov.vn"}, path
        for directive in ("script-src", "connect-src"):
            assert policy[directive] == ["'self'", "https://emc.example.gov.vn"]
        assert policy["img-src"] == ["'self'", "data:", "https://emc.example.gov.vn"]
        assert policy["style-src"] == ["'self'"] and policy["frame-src"] == ["'none'"]


@pytest.mark.parametrize(
    "value",
    [
        {"SCRIPT": "http://emc.example.gov.vn/emc.js"},
        {"SCRIPT": "javascript:alert(1)"},
        {"SCRIPT": "https://user@emc.example.gov.vn/emc.js"},
        {"SCRIPT": "https://emc.example.gov.vn/emc.js", "ATTRIBUTES": {"onload": "x"}},
        {"CODE": "<script>track()</script>"},
    ],
)
def test_analytics_settings_are_checked(value):
    with pytest.raises(ValueError, match="ANALYTICS"):
        analytics_settings(value)
    with pytest.raises(ValueError, match="ANALYTICS"):
        content_security_policy([], value)
