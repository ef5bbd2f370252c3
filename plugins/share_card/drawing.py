"""Drawing the share cards and the logo with Pillow, the same pixels on every machine.

Only shapes and text from the settings are drawn, with the theme's own font
and Pillow's basic text layout (never the system's fonts or libraqm), and
saved as PNG without metadata: one build's bytes are the next one's.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

# Fraction of the card's shorter side taken by the emblem, and the margins.
EMBLEM_SHARE = 0.26
MARGIN_SHARE = 0.06
STAR_POINTS = 5
# The star's inner radius against its outer one (a regular five-pointed star).
STAR_INNER = 0.382
BAND = 18


def star(centre: tuple[float, float], radius: float) -> list[tuple[int, int]]:
    """The corners of a five-pointed star, point up, on whole pixels."""
    x, y = centre
    corners = []
    for index in range(STAR_POINTS * 2):
        reach = radius if index % 2 == 0 else radius * STAR_INNER
        angle = -math.pi / 2 + index * math.pi / STAR_POINTS
        corners.append(
            (round(x + reach * math.cos(angle)), round(y + reach * math.sin(angle)))
        )
    return corners


def _emblem(size: int, config: dict) -> Image.Image:
    """The emblem, ``size`` pixels square: the configured image, or a star on a disc."""
    if config["EMBLEM"] is not None:
        with Image.open(config["EMBLEM"]) as opened:
            emblem = opened.convert("RGBA")
        return emblem.resize((size, size), Image.Resampling.LANCZOS)
    emblem = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(emblem)
    draw.ellipse((0, 0, size - 1, size - 1), fill=config["ACCENT"])
    draw.polygon(star((size / 2, size / 2), size * 0.36), fill=config["BACKGROUND"])
    return emblem


def _font(config: dict, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(config["FONT"]), size, layout_engine=ImageFont.Layout.BASIC
    )


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels, at spaces."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _png(image: Image.Image) -> bytes:
    encoded = io.BytesIO()
    image.save(encoded, format="PNG", optimize=True)
    return encoded.getvalue()


def draw_card(size: tuple[int, int], name: str, body: str, config: dict) -> bytes:
    """A share card: the emblem, the site's name and its governing body, as PNG."""
    width, height = size
    card = Image.new("RGB", size, config["BACKGROUND"])
    draw = ImageDraw.Draw(card)
    margin = round(min(size) * MARGIN_SHARE) + 24
    emblem_size = round(min(size) * EMBLEM_SHARE)
    emblem = _emblem(emblem_size, config)
    card.paste(emblem, (margin, margin), emblem)
    text_width = width - 2 * margin
    name_font = _font(config, round(width / 19))
    body_font = _font(config, round(width / 34))
    y = margin + emblem_size + round(min(size) * 0.06)
    for line in _wrapped(name, name_font, text_width):
        draw.text((margin, y), line, font=name_font, fill=config["FOREGROUND"])
        y += round(name_font.size * 1.25)
    y += round(body_font.size * 0.5)
    for line in _wrapped(body, body_font, text_width):
        draw.text((margin, y), line, font=body_font, fill=config["ACCENT"])
        y += round(body_font.size * 1.3)
    draw.rectangle((0, height - BAND, width, height), fill=config["ACCENT"])
    return _png(card)


def draw_logo(size: int, config: dict) -> bytes:
    """The publisher's logo: the emblem on the background colour, square, as PNG."""
    logo = Image.new("RGB", (size, size), config["BACKGROUND"])
    inner = round(size * 0.8)
    emblem = _emblem(inner, config)
    offset = (size - inner) // 2
    logo.paste(emblem, (offset, offset), emblem)
    return _png(logo)
