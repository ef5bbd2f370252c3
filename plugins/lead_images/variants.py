"""Making the variant files: decode, resize, encode, through the cache.

A variant is made once and kept in the cache under a name that depends only
on the source's bytes, the quality, the recipe and the width; every build
copies it from there. A source is decoded at most once a build, and only
when one of its variants is not cached yet.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from build_gate import display_path

from .planning import SourceImage, Variant, VariantPlan

logger = logging.getLogger(__name__)

ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
# Modes Pillow resizes well that suit the format; others are converted.
KEPT_MODES = {"JPEG": {"RGB"}, "PNG": {"RGB", "RGBA", "L"}, "WEBP": {"RGB", "RGBA"}}
# Large reductions first shrink by whole factors; 3.0 keeps LANCZOS's quality.
REDUCING_GAP = 3.0


@dataclass
class WriteReport:
    """What writing the variants of one build did."""

    written: int = 0
    resized: int = 0
    decoded: int = 0
    failed: int = 0


def decode(source: SourceImage) -> tuple[Image.Image, bytes | None]:
    """The source's pixels, turned upright, in a mode its format can save."""
    with Image.open(source.path) as opened:
        icc_profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
        has_alpha = image.mode in ALPHA_MODES or "transparency" in image.info
        if image.mode not in KEPT_MODES[source.format]:
            wanted = "RGBA" if has_alpha and source.format != "JPEG" else "RGB"
            image = image.convert(wanted)
        image.load()
    return image, icc_profile


def encode(
    image: Image.Image,
    variant: Variant,
    *,
    image_format: str,
    quality: int,
    icc_profile: bytes | None,
    target: Path,
) -> None:
    """Resize ``image`` to the variant's size and save it at ``target``, atomically.

    JPEG is progressive and optimised, PNG optimised, WebP at its slowest,
    best method; the colour profile is kept, other metadata (EXIF: camera,
    place) is not.
    """
    size = (variant.width, variant.height)
    resized = (
        image
        if image.size == size
        else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    )
    options: dict = {
        "JPEG": {"quality": quality, "optimize": True, "progressive": True},
        "PNG": {"optimize": True},
        "WEBP": {"quality": quality, "method": 6},
    }[image_format]
    if icc_profile:
        options["icc_profile"] = icc_profile
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        resized.save(partial, format=image_format, **options)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def write_variants(
    plan: VariantPlan, place: Callable[[Path, str], None], cache: Path
) -> WriteReport:
    """Make every variant of the plan in ``cache``; ``place`` puts it in the output."""
    report = WriteReport()
    if not plan.variants:
        return report
    cache.mkdir(parents=True, exist_ok=True)
    for source, variants in plan.variants.items():
        try:
            _write_source(
                source,
                variants,
                quality=plan.quality,
                place=place,
                cache=cache,
                report=report,
            )
        except (
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ) as error:
            report.failed += 1
            logger.error(  # noqa: TRY400 - an editor's file, not a crash
                "%s: không tạo được ảnh đại diện cỡ nhỏ: %s",
                display_path(str(source.path)),
                error,
            )
    return report


def _write_source(
    source: SourceImage,
    variants: tuple[Variant, ...],
    *,
    quality: int,
    place: Callable[[Path, str], None],
    cache: Path,
    report: WriteReport,
) -> None:
    decoded: tuple[Image.Image, bytes | None] | None = None
    for variant in variants:
        cached = cache / variant.cache_name
        if not cached.is_file():
            if decoded is None:
                decoded = decode(source)
                report.decoded += 1
            image, icc_profile = decoded
            encode(
                image,
                variant,
                image_format=source.format,
                quality=quality,
                icc_profile=icc_profile,
                target=cached,
            )
            report.resized += 1
        place(cached, variant.name)
        report.written += 1
