"""The content tree: what under ``content/`` may be read, linked and published.

A library: the one link resolver (``links.py``) and the one walk of content
folders (``walk.py``), with the allowed static types (``settings.py``); what
a built page points to in the output, and loads (``published.py``).
"""

from collections.abc import Mapping
from typing import Any

from .links import (
    FILE_KINDS,
    FILE_LINK_IN_HTML,
    FILE_LINK_IN_TEXT,
    INTRASITE_LINK_REGEX,
    MARKDOWN_EXTENSIONS,
    PLACEHOLDER,
    PLACEHOLDER_ANYWHERE,
    STATIC_KINDS,
    ContentLink,
    LinkResolver,
    normalised_url,
    placeholder_problem,
)
from .published import (
    files_loaded,
    loaded_urls,
    output_name,
    output_target,
    srcset_urls,
)
from .settings import static_types
from .walk import ContentWalk, walk_content


def link_resolver(settings: Mapping[str, Any]) -> LinkResolver:
    """The resolver of a site's content folder (``PATH``)."""
    return LinkResolver(settings["PATH"], static_types(settings))


__all__ = [
    "FILE_KINDS",
    "FILE_LINK_IN_HTML",
    "FILE_LINK_IN_TEXT",
    "INTRASITE_LINK_REGEX",
    "MARKDOWN_EXTENSIONS",
    "PLACEHOLDER",
    "PLACEHOLDER_ANYWHERE",
    "STATIC_KINDS",
    "ContentLink",
    "ContentWalk",
    "LinkResolver",
    "files_loaded",
    "link_resolver",
    "loaded_urls",
    "normalised_url",
    "output_name",
    "output_target",
    "placeholder_problem",
    "srcset_urls",
    "walk_content",
]
