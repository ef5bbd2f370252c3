"""Defaults of the site icons plugin, merged once with the site's ``SITE_ICONS``."""

from __future__ import annotations

from plugin_settings import check_colours, merged, site_folder

DEFAULTS = {
    # The name under an icon on a phone's home screen (the manifest's
    # short_name); empty: SITENAME.
    "SHORT_NAME": "",
    # The icon's background, the star drawn on it, and the colour a browser
    # gives its own bar (theme-color): #rrggbb.
    "BACKGROUND": "#a50e0e",
    "STAR": "#ffcd00",
    "THEME_COLOR": "#a50e0e",
    # An emblem image (PNG or JPEG, square), relative to the project root
    # unless absolute, drawn in place of the star. None: the star.
    "EMBLEM": None,
}


def icon_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``SITE_ICONS``."""
    config = merged(settings, "SITE_ICONS", DEFAULTS)
    check_colours(config, "SITE_ICONS", ("BACKGROUND", "STAR", "THEME_COLOR"))
    config["SHORT_NAME"] = config["SHORT_NAME"] or settings["SITENAME"]
    if config["EMBLEM"]:
        config["EMBLEM"] = site_folder(settings, config["EMBLEM"])
    return config
