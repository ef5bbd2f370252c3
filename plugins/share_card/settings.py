"""Defaults of the share card plugin, merged once with the site's ``SHARE_CARD``."""

from __future__ import annotations

from pathlib import Path

from plugin_settings import check_colours, merged, site_folder

DEFAULTS = {
    # Colours of the card and the logo (#rrggbb): the background, the text,
    # and the emblem's disc.
    "BACKGROUND": "#a50e0e",
    "FOREGROUND": "#ffffff",
    "ACCENT": "#ffcd00",
    # The emblem: an image file (PNG or JPEG, square), relative to the project
    # root unless absolute, drawn on the card and used as the logo. Empty: a
    # five-pointed star on the accent disc.
    "EMBLEM": "",
    # The font the card's text is drawn with (it must cover Vietnamese),
    # relative to THEME unless absolute: the file is part of the theme, so
    # every machine draws the same pixels.
    "FONT": "fonts/DejaVuSans-Bold.ttf",
    # Where the card and logo go, under OUTPUT_PATH and in their URLs.
    "FOLDER": "theme/images",
}


def share_card_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``SHARE_CARD``."""
    config = merged(settings, "SHARE_CARD", DEFAULTS)
    check_colours(config, "SHARE_CARD", ("BACKGROUND", "FOREGROUND", "ACCENT"))
    config["FONT"] = Path(settings["THEME"]) / config["FONT"]
    emblem = config["EMBLEM"]
    config["EMBLEM"] = site_folder(settings, emblem) if emblem else None
    config["FOLDER"] = config["FOLDER"].strip("/")
    return config
