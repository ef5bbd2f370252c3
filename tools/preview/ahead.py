"""An edit of an open article's body, shown before the build it starts.

A build writes the open pages first, but at 10,000 articles only about
1.2 s after the save: every article is made again, ranked and checked
before any page is written. An edit that changes an article's body and
nothing else changes nothing the last build knew of it but its body: its
page is the last build's page with the new body. So the preview renders it
at once, from the last build's article (copied, with the body read now) and
the page's values as that build rendered them, and serves it from memory
while the build runs.

The build then runs as always, and writes the page itself. The page shown
ahead is compared with it: should they differ (a generator that reads the
body, as ``documents`` links the văn bản it cites), the page reloads at the
build's end, as a page written first and then changed does. The output is
only ever written by the build.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path

from pelican.contents import Article

from build_cache.read_cache import made_state, portable
from content_model.reader import PortalMarkdownReader
from content_tree import files_loaded

logger = logging.getLogger(__name__)


def _without_body(state: dict) -> dict:
    return {key: value for key, value in state.items() if key != "_content"}


def page_with_new_body(
    article: Article,
    render: Callable[..., str],
    name: str,
    *,
    changed: Path,
    generator,
    output: Path,
) -> str | None:
    """The page ``name`` of ``article`` with its body as ``changed`` now reads.

    ``render`` renders the page as the last build did, with values replaced
    by keyword; ``name`` is its output file; ``generator`` the last build's
    articles generator (its readers and context). None when the body alone
    did not change (``new_body``), and when the page would load a file not
    yet in the output.
    """
    body = new_body(article, changed, generator)
    if body is None:
        return None
    shown = copy.copy(article)
    shown._content = body
    html = render(article=shown)
    site_url = article.settings.get("SITEURL", "")
    if files_loaded(html, output, output / name, site_url) is None:
        return None
    return html


def new_body(article: Article, changed: Path, generator) -> str | None:
    """The article's body as its saved file ``changed`` reads, if nothing else changed.

    None when the file is another's or has problems, when it changed more
    than the body (a field, a link's target...: what the article is made of,
    compared as the last build made it), or when a generator rewrote the
    body after it was made.
    """
    source = Path(article.source_path)
    if source.resolve() != changed.resolve() or not changed.is_file():
        return None
    reader = generator.readers.readers.get(source.suffix.lstrip("."))
    if not isinstance(reader, PortalMarkdownReader):
        return None
    cache = reader.cache
    before = cache.made_last(article.source_path)
    if before is None or str(article._content) != str(before.get("_content")):
        return None
    if cache.read_between_builds(article.source_path, reader.read_entry).problems:
        return None
    edited = generator.readers.read_file(
        base_path=generator.path,
        path=article.source_path,
        content_class=Article,
        context=generator.context,
    )
    if _without_body(portable(made_state(edited))) != _without_body(before):
        return None
    return edited._content
