"""The site's icons and web manifest, drawn at build time from the settings.

``/favicon.ico`` (16, 32 and 48 px), ``/apple-touch-icon.png`` (180 px),
``/icon-192.png`` and ``/icon-512.png`` are drawn with Pillow from
``SITE_ICONS`` (the background and star colours, or an emblem image), and
``/site.webmanifest`` names the site (``SITENAME``, ``SHORT_NAME``), its
language, colours and icons. Browsers ask for the first two at the site's
root whatever a page says; ``base.html`` links all of them and sets
``theme-color`` (``THEME_COLOR`` in the context).
"""

from __future__ import annotations

import hashlib
import json
import logging

from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine

from .drawing import MANIFEST_SIZES, TOUCH_SIZE, draw_icon, ico, png
from .settings import icon_settings

logger = logging.getLogger(__name__)

MANIFEST = "site.webmanifest"
# The files this plugin writes, made together from the same settings.
ICON_FILES = [
    "favicon.ico",
    "apple-touch-icon.png",
    *(f"icon-{size}.png" for size in MANIFEST_SIZES),
    MANIFEST,
]
ICONS_GROUP = "site-icons"


def manifest(settings: dict, config: dict) -> dict:
    """The web manifest: names, language, colours and icons, URLs relative to it."""
    return {
        "name": settings["SITENAME"],
        "short_name": config["SHORT_NAME"],
        "description": settings.get("SITESUBTITLE", ""),
        "lang": settings["DEFAULT_LANG"],
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "browser",
        "theme_color": config["THEME_COLOR"],
        "background_color": config["BACKGROUND"],
        "icons": [
            {
                "src": f"icon-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in MANIFEST_SIZES
        ],
    }


class SiteIconsGenerator(Generator):
    """Draws the icons and writes them with the manifest."""

    def generate_context(self) -> None:
        """Check the settings; tell the templates the theme colour."""
        self.config = icon_settings(self.settings)
        self.context["THEME_COLOR"] = self.config["THEME_COLOR"]

    def generate_output(self, writer) -> None:
        """Write the icons and ``site.webmanifest`` at the site's root.

        Drawing them takes a fifth of a second: when the settings and the
        emblem's bytes are those the files in the output were drawn from,
        they are kept as they are.
        """
        text = json.dumps(
            manifest(self.settings, self.config), ensure_ascii=False, indent=2
        )
        inputs = self._inputs(text, writer.read_named_file(self.config["EMBLEM"]))
        if writer.group_is_current(ICONS_GROUP, inputs, ICON_FILES):
            return
        writer.write_output("favicon.ico", ico(self.config))
        writer.write_output(
            "apple-touch-icon.png", png(draw_icon(TOUCH_SIZE, self.config))
        )
        for size in MANIFEST_SIZES:
            writer.write_output(f"icon-{size}.png", png(draw_icon(size, self.config)))
        writer.write_output(MANIFEST, (text + "\n").encode("utf-8"))
        writer.remember_group(ICONS_GROUP, inputs)

    def _inputs(self, manifest_text: str, emblem: bytes) -> str:
        """A digest of what the files are drawn from (the code: the build key)."""
        digest = hashlib.sha1(manifest_text.encode())
        digest.update(json.dumps(self.config, default=str, sort_keys=True).encode())
        digest.update(emblem)
        return digest.hexdigest()


def get_generators(_pelican) -> type[Generator]:
    """Add the site icons generator to the build."""
    return SiteIconsGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "site_icons")


def register() -> None:
    """Connect the site icons plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
