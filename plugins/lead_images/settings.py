"""Defaults of the lead images plugin, merged once with the site's ``LEAD_IMAGES``."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from plugin_settings import merged, site_folder, whole_number

DEFAULTS = {
    # Widths in pixels of the variants made of each lead image. None is wider
    # than its original: an image narrower than all of them gets one variant
    # at its own width.
    "WIDTHS": [480, 800, 1200],
    # Shapes (width, height) of the centre crops made of each lead image, at
    # most the largest width wide: NewsArticle's images (Google asks for
    # 16:9, 4:3 and 1:1). Empty: none.
    "CROPS": [[16, 9], [4, 3], [1, 1]],
    # JPEG and WebP quality, 1–100; PNG is lossless and ignores it.
    "QUALITY": 80,
    # The variants' folder under OUTPUT_PATH (and in their URLs).
    "FOLDER": "anh",
    # Resized variants kept between builds; relative to the project root (the
    # folder that contains PATH) unless absolute.
    "CACHE": "cache/lead-images",
}


def lead_image_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``LEAD_IMAGES``.

    ``WIDTHS`` comes back as a sorted tuple without repeats.
    """
    config = merged(settings, "LEAD_IMAGES", DEFAULTS)
    widths = config["WIDTHS"]
    if (
        not isinstance(widths, list | tuple)
        or not widths
        or not all(whole_number(width) for width in widths)
    ):
        raise ValueError(
            f"LEAD_IMAGES: WIDTHS must be a non-empty list of positive integers, "
            f"not {widths!r}"
        )
    config["WIDTHS"] = tuple(sorted(set(widths)))
    crops = config["CROPS"]
    if not isinstance(crops, list | tuple) or not all(
        isinstance(shape, list | tuple)
        and len(shape) == 2  # noqa: PLR2004 - width and height
        and all(whole_number(side) for side in shape)
        for shape in crops
    ):
        raise ValueError(
            f"LEAD_IMAGES: CROPS must be a list of [width, height] shapes, "
            f"not {crops!r}"
        )
    config["CROPS"] = tuple(tuple(shape) for shape in crops)
    quality = config["QUALITY"]
    if not whole_number(quality) or quality > 100:  # noqa: PLR2004 - Pillow's scale
        raise ValueError(f"LEAD_IMAGES: QUALITY must be 1–100, not {quality!r}")
    folder = config["FOLDER"]
    parts = PurePosixPath(folder).parts if isinstance(folder, str) else ()
    if not parts or folder.startswith("/") or ".." in parts:
        raise ValueError(
            f"LEAD_IMAGES: FOLDER must be a folder inside OUTPUT_PATH, not {folder!r}"
        )
    config["FOLDER"] = PurePosixPath(folder).as_posix()
    return config


def cache_folder(settings: dict, config: dict) -> Path:
    """Where resized variants are kept between builds of this site."""
    return site_folder(settings, config["CACHE"])
