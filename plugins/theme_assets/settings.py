"""Defaults of the theme-assets plugin, merged once with ``THEME_ASSETS``."""

from plugin_settings import merged

DEFAULTS = {
    # Files of theme/static joined into each bundle, in this order; a glob
    # pattern is expanded in alphabetical order.
    "CSS": ["css/base.css", "css/components/*.css", "css/print.css"],
    "JS": ["js/*.js"],
    # Scripts of one page only (js/pages/), kept out of every other page's
    # bundle: a name, and its files; a template includes
    # ``ASSET_PAGE_JS[name]``.
    "PAGE_JS": {"search": ["js/pages/search.js"]},
    # Copied as they are (favicon, logo).
    "FILES": ["images/*"],
    # Where the bundles and files go in the output.
    "OUTPUT": "theme",
}


def asset_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``THEME_ASSETS``."""
    return merged(settings, "THEME_ASSETS", DEFAULTS)
