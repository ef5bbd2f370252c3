"""The portal's icon, drawn with Pillow: the same bytes on every machine."""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw

# Sizes Windows and browsers pick from in favicon.ico, the home-screen icon
# of iOS, and the manifest's icons (Android asks for 192 and 512).
ICO_SIZES = (16, 32, 48)
TOUCH_SIZE = 180
MANIFEST_SIZES = (192, 512)
# Drawn large, then scaled down: smooth edges without anti-aliased drawing.
OVERSAMPLE = 4
STAR_POINTS = 5
STAR_INNER = 0.382
# A maskable icon keeps its drawing inside the middle 80 %.
STAR_REACH = 0.34


def _star(size: int, reach: float) -> list[tuple[float, float]]:
    centre = size / 2
    corners = []
    for index in range(STAR_POINTS * 2):
        radius = size * reach * (1 if index % 2 == 0 else STAR_INNER)
        angle = -math.pi / 2 + index * math.pi / STAR_POINTS
        corners.append(
            (
                centre + radius * math.cos(angle),
                centre + radius * 1.05 * math.sin(angle),
            )
        )
    return corners


def draw_icon(size: int, config: dict) -> Image.Image:
    """The icon, ``size`` pixels square: the emblem or a star on the background."""
    big = size * OVERSAMPLE
    icon = Image.new("RGBA", (big, big), config["BACKGROUND"])
    emblem: Path | None = config["EMBLEM"]
    if emblem is not None:
        with Image.open(emblem) as opened:
            picture = opened.convert("RGBA")
        inner = round(big * 0.8)
        picture = picture.resize((inner, inner), Image.Resampling.LANCZOS)
        offset = (big - inner) // 2
        icon.alpha_composite(picture, (offset, offset))
    else:
        ImageDraw.Draw(icon).polygon(_star(big, STAR_REACH), fill=config["STAR"])
    return icon.resize((size, size), Image.Resampling.LANCZOS).convert("RGB")


def png(image: Image.Image) -> bytes:
    """The image as PNG, without metadata."""
    encoded = io.BytesIO()
    image.save(encoded, format="PNG", optimize=True)
    return encoded.getvalue()


def ico(config: dict) -> bytes:
    """favicon.ico with each of ``ICO_SIZES``."""
    largest = max(ICO_SIZES)
    encoded = io.BytesIO()
    draw_icon(largest, config).save(
        encoded, format="ICO", sizes=[(size, size) for size in ICO_SIZES]
    )
    return encoded.getvalue()
