"""Bundle the theme's CSS and JS, each into one file named by its content hash.

One request each for a reader on a mobile network, and names that change
whenever the content does, so hosting can cache them for a year. Templates
get the URLs as ``ASSET_CSS`` and ``ASSET_JS``; a page's own script (the
search page's), kept out of the others' bundle, as ``ASSET_PAGE_JS[name]``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine

from .settings import asset_settings

logger = logging.getLogger(__name__)

# The hex digits of a bundle's SHA-256 in its name: ``<name>.<digest>.<kind>``.
DIGEST_IN_NAME = 12


def named_by_content(settings: dict, path: str) -> bool:
    """True for a bundle's output path or URL path, as ``add_bundle`` names it.

    Its digest is of its own bytes: the same name always holds the same
    bytes, so whatever keeps a copy (a browser, a cache) never needs to ask
    for it again.
    """
    output = re.escape(asset_settings(settings)["OUTPUT"].strip("/"))
    name = rf"/?{output}/(css|js)/[^/]+\.[0-9a-f]{{{DIGEST_IN_NAME}}}\.(css|js)"
    found = re.fullmatch(name, path)
    return found is not None and found[1] == found[2]


def expand(static: Path, patterns: list[str]) -> list[Path]:
    """The files the patterns name, in order, each once."""
    files: list[Path] = []
    for pattern in patterns:
        matches = sorted(static.glob(pattern)) if "*" in pattern else [static / pattern]
        for path in matches:
            if not path.is_file():
                raise FileNotFoundError(f"THEME_ASSETS: {path} does not exist")
            if path not in files:
                files.append(path)
    return files


def bundle(files: list[Path]) -> str:
    """The files joined, each preceded by a comment naming its source."""
    parts = [f"/* {path.name} */\n{path.read_text(encoding='utf-8')}" for path in files]
    return "\n".join(parts)


class ThemeAssetsGenerator(Generator):
    """Writes the CSS and JS bundles and the theme's files."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = asset_settings(self.settings)
        self.static = Path(self.theme) / "static"
        self.bundles: dict[str, str] = {}

    def generate_context(self) -> None:
        """Build the bundles and tell the templates their URLs."""
        for kind in ("css", "js"):
            self.context[f"ASSET_{kind.upper()}"] = self.add_bundle(
                "portal", kind, self.config[kind.upper()]
            )
        self.context["ASSET_PAGE_JS"] = {
            name: self.add_bundle(name, "js", patterns)
            for name, patterns in self.config["PAGE_JS"].items()
        }

    def add_bundle(self, name: str, kind: str, patterns: list[str]) -> str:
        """Join the files the patterns name into one bundle; its URL."""
        text = bundle(expand(self.static, patterns))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_IN_NAME]
        url = f"{self.config['OUTPUT']}/{kind}/{name}.{digest}.{kind}"
        self.bundles[url] = text
        return url

    def generate_output(self, writer) -> None:
        """Write the bundles and copy the theme's files."""
        for url, text in self.bundles.items():
            writer.write_output(url, text.encode("utf-8"))
        for path in expand(self.static, self.config["FILES"]):
            name = f"{self.config['OUTPUT']}/{path.relative_to(self.static).as_posix()}"
            writer.copy_output(path, name)


def get_generators(_pelican) -> type[Generator]:
    """Add the theme assets generator to the build."""
    return ThemeAssetsGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "theme_assets")


def register() -> None:
    """Connect the theme-assets plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
