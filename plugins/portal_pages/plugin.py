"""Sơ đồ trang and Trợ năng: two pages written from the portal's own data.

- ``SITE_MAP_URL`` (``so-do-trang/``), the site map for people: every section
  of the chuyên mục registry, the archive's years, the văn bản listings, the
  Vietnamese pages and the pages in other languages, read from the context
  the other generators filled (``topics``, ``archive_years``,
  ``document_groups``, ``pages``).
- ``ACCESSIBILITY_URL`` (``tro-nang/``): the access keys (the same table the
  header's ``accesskey`` attributes come from, ``components/ui_text.html``),
  the text size buttons and reading aloud. Written by the theme, so it is
  there on every site, as the links to it from every page need.

Both are linked from every page's header menu and footer.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator

logger = logging.getLogger(__name__)

DEFAULT_URLS = {"SITE_MAP_URL": "so-do-trang/", "ACCESSIBILITY_URL": "tro-nang/"}


class PortalPagesGenerator(Generator):
    """Writes the site map and the accessibility page."""

    def generate_context(self) -> None:
        """Tell the templates where the two pages are."""
        for name, default in DEFAULT_URLS.items():
            self.context[name] = self.settings.get(name) or default

    def generate_output(self, writer) -> None:
        """Write the two pages."""
        default = self.settings["DEFAULT_LANG"]
        pages = self.context.get("pages", [])
        url = self.context["SITE_MAP_URL"]
        writer.write_file(
            f"{url}index.html",
            self.get_template("site_map"),
            self.context,
            url=url,
            pages_in_default_lang=[p for p in pages if p.lang == default],
            pages_in_other_langs=[p for p in pages if p.lang != default],
        )
        url = self.context["ACCESSIBILITY_URL"]
        writer.write_file(
            f"{url}index.html",
            self.get_template("accessibility"),
            self.context,
            url=url,
        )


def get_generators(_pelican) -> type[Generator]:
    """Add the portal pages generator to the build."""
    return PortalPagesGenerator


def register() -> None:
    """Connect the portal pages plugin to Pelican."""
    signals.get_generators.connect(get_generators)
