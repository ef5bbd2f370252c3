"""The default share card and the publisher: one identity for every page and feed.

``generate_context`` puts two values in the shared context, from the settings
alone: ``publisher`` (the site's name, which is also ``og:site_name`` and the
news sitemap's publication, and its logo) and ``share_card`` (the card an
article without its own lead image is shared with, 1200×630, and its 16:9,
4:3 and 1:1 versions for ``NewsArticle``). ``generate_output`` draws them with
Pillow (:mod:`share_card.drawing`), once: the PNGs are kept in the build cache
under a digest of everything they are drawn from.
"""

from __future__ import annotations

import hashlib
import logging

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from build_cache import Scope, build_key, load_checked, save_checked
from build_cache.engine import require_incremental_engine

from .drawing import draw_card, draw_logo
from .settings import share_card_settings

logger = logging.getLogger(__name__)

CARD = (1200, 630)
# NewsArticle's images: Google asks for 16:9, 4:3 and 1:1.
CROPS = ((1200, 675), (1200, 900), (1200, 1200))
LOGO = 512


def _card_name(size: tuple[int, int]) -> str:
    return f"the-chia-se-{size[0]}x{size[1]}.png"


def identity(settings: dict) -> tuple[str, str]:
    """The site's name and governing body, as plain text."""
    name = Markup(settings["SITENAME"]).striptags()
    body = Markup(
        settings.get("SITE_IDENTITY", {}).get("governing_body", "")
    ).striptags()
    return name, body


class ShareCardGenerator(Generator):
    """Puts ``publisher`` and ``share_card`` in the context and draws their images."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = share_card_settings(self.settings)

    def _url(self, name: str) -> str:
        return f"{self.config['FOLDER']}/{name}"

    def generate_context(self) -> None:
        """``publisher`` and ``share_card``: site-relative URLs and sizes."""
        name, body = identity(self.settings)
        root = self.settings["SITEURL"] or self.settings["FEED_DOMAIN"]
        logo = {
            "url": self._url(f"logo-{LOGO}.png"),
            "width": LOGO,
            "height": LOGO,
        }
        self.context["publisher"] = {
            "name": name,
            "logo": logo,
            # schema.org's Organization, absolute URLs: every page's JSON-LD.
            "data": {
                "@type": "Organization",
                "name": name,
                "url": f"{root}/",
                "logo": {
                    "@type": "ImageObject",
                    **logo,
                    "url": f"{root}/{logo['url']}",
                },
            },
        }
        self.context["share_card"] = {
            "url": self._url(_card_name(CARD)),
            "width": CARD[0],
            "height": CARD[1],
            "alt": f"{name} – {body}" if body else name,
            "crops": [self._url(_card_name(size)) for size in CROPS],
        }

    def generate_output(self, writer) -> None:
        """Write the card, its crops and the logo, from the cache when drawn before."""
        name, body = identity(self.settings)
        key = hashlib.sha1(
            b"\0".join(
                [
                    build_key(self.settings, Scope.OUTPUT).encode(),
                    writer.read_named_file(self.config["FONT"]),
                    writer.read_named_file(self.config["EMBLEM"]),
                ]
            )
        ).hexdigest()[:16]
        cache = writer.state_folder("share-card")
        drawings = {
            _card_name(size): (
                lambda size=size: draw_card(size, name, body, self.config)
            )
            for size in (CARD, *CROPS)
        }
        drawings[f"logo-{LOGO}.png"] = lambda: draw_logo(LOGO, self.config)
        drawn = 0
        for file_name, draw in drawings.items():
            kept = cache / f"{key}-{file_name}"
            data = load_checked(kept)
            if data is None:
                data = draw()
                save_checked(kept, data)
                drawn += 1
            writer.write_output(self._url(file_name), bytes(data))
        for stale in cache.iterdir():
            if not stale.name.startswith(key):
                stale.unlink(missing_ok=True)
        logger.debug("Thẻ chia sẻ: %d ảnh, %d vẽ mới", len(drawings), drawn)


def get_generators(_pelican) -> type[Generator]:
    """Add the share card generator to the build."""
    return ShareCardGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "share_card")


def register() -> None:
    """Connect the share card plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
