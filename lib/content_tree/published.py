"""The files a built page points to in the output, and those a browser loads.

The same reading of a page's URLs for every caller: the output checks (no
link to a file the build did not write) and the incremental engine (a page
shown while the build runs loads only files already written).
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What a browser fetches to show a page (``<link>``s by their ``rel``).
LOADED_ATTRIBUTES = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
LOADED_LINKS = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload"}
)


def output_target(
    output: Path, url: str, page: Path, site_url: str = ""
) -> Path | None:
    """The output file a URL of the page ``page`` points to; None for other sites.

    ``site_url`` (SITEURL) is this site's: a URL under it is a file of the
    output. A path ending in ``/`` (or naming a folder) is its index.html.
    The path is normalised (``..`` taken away, as a browser does): one that
    leaves the output is returned outside it, where the build writes
    nothing (callers check ``is_relative_to(output)``).
    """
    if site_url and url.startswith(site_url):
        url = url[len(site_url) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("#"):
        return None
    path = unquote(parts.path)
    base = output if path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / path.lstrip("/")))
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` (each candidate's first word)."""
    return [part.split()[0] for part in srcset.split(",") if part.strip()]


class _LoadedUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value}
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            names = ("href",) if rels & LOADED_LINKS else ()
        else:
            names = LOADED_ATTRIBUTES.get(tag, ())
        for name in names:
            if name not in values:
                continue
            if name == "srcset":
                self.urls += srcset_urls(values[name])
            else:
                self.urls.append(values[name])


def loaded_urls(html: str) -> list[str]:
    """The URLs a browser fetches to show the page (images, scripts, styles...).

    Not what it only links to (``<a href>``, a canonical or alternate link).
    """
    parser = _LoadedUrls()
    parser.feed(html)
    parser.close()
    return parser.urls


def output_name(name: str) -> str:
    """A file's name in the output as the file system compares names."""
    return os.path.normcase(os.path.normpath(name))


def files_loaded(
    html: str, output: Path, page: Path, site_url: str = ""
) -> frozenset[str] | None:
    """The output files a page loads (``output_name``); None if one is missing.

    What a page shown before its build ends may load: only files already
    in the output. A URL of another site, or one that leaves the output, is
    no file of the build.
    """
    loads = set()
    for url in loaded_urls(html):
        target = output_target(output, url, page, site_url)
        if target is None or not target.is_relative_to(output):
            continue
        if not target.is_file():
            return None
        loads.add(output_name(os.path.relpath(target, output)))
    return frozenset(loads)
