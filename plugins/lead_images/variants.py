"""Making the variant files: decode, resize, encode, through the cache.

A variant is made once and kept in the cache as
``<key>-<width>-<digest>.<ext>``: ``<key>`` digests the source's bytes, the
quality and the build key of the code (``build_cache.Scope.CODE``: a new
Pillow, or a change in how variants are made, encodes afresh), ``<digest>``
is the BLAKE2b of the variant's own bytes, recorded when it was made. Every
build copies it into the output from there, and checks that digest over the
bytes it copies: a cached file cut short or overwritten is made again, never
published. A copy already in the output
with the cached file's size and time is left as it is, unread. A source is
decoded at most once a build, and only when one of its variants is not
cached (or was damaged).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from build_cache import damaged
from content_problems import display_path

from .planning import SourceImage, Variant, VariantPlan

logger = logging.getLogger(__name__)

KEY_LENGTH = 16
# Bytes of the BLAKE2b digest of a cached variant, in its name (in hex).
DIGEST_SIZE = 8
# ``place(cached, name, accept)``: copy a cached file into the output unless
# it is there; False when ``accept`` refused the bytes it read.
Place = Callable[[Path, str, Callable[[bytes], bool] | None], bool]

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


def cache_key(digest: str, quality: int, build: str) -> str:
    """The key of a source's cached variants: its bytes, quality, build key."""
    text = f"{digest}\0quality={quality}\0build={build}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:KEY_LENGTH]


def variant_digest(data: bytes) -> str:
    """The digest of a variant's bytes, as its cached file's name records it."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


def encode(
    image: Image.Image,
    variant: Variant,
    *,
    image_format: str,
    quality: int,
    icc_profile: bytes | None,
) -> bytes:
    """Resize ``image`` (a crop's box of it) to the variant's size and encode it.

    JPEG is progressive and optimised, PNG optimised, WebP at its slowest,
    best method; the colour profile is kept, other metadata (EXIF: camera,
    place) is not.
    """
    size = (variant.width, variant.height)
    if variant.box is not None:
        image = image.crop(variant.box)
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
    encoded = io.BytesIO()
    resized.save(encoded, format=image_format, **options)
    return encoded.getvalue()


def _keep(data: bytes, target: Path) -> None:
    """Write a variant into the cache, atomically (a reader sees all or none)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def cached_variants(cache: Path) -> dict[str, list[str]]:
    """The cache's files by ``<key>-<width>``, from one listing of the folder."""
    found: dict[str, list[str]] = defaultdict(list)
    with os.scandir(cache) as listed:
        for entry in listed:
            if not entry.name.startswith("."):  # a file being written
                found[entry.name.rsplit("-", 1)[0]].append(entry.name)
    return found


def cached_prefix(key: str, variant: Variant) -> str:
    """The start of a variant's cached name: ``<key>-<width>``."""
    return f"{key}-{variant.label}"


def lacking(plan: VariantPlan, cache: Path, build: str) -> bool:
    """Whether the cache has no file for one of the plan's variants."""
    kept = cached_variants(cache) if cache.is_dir() else {}
    return any(
        cached_prefix(cache_key(source.digest, plan.quality, build), variant)
        not in kept
        for source, variants in plan.variants.items()
        for variant in variants
    )


def write_variants(
    plan: VariantPlan, place: Place, cache: Path, build: str
) -> WriteReport:
    """Make every variant of the plan in ``cache``; ``place`` puts it in the output.

    ``build`` is the build key of the code (``build_cache.Scope.CODE``).
    """
    report = WriteReport()
    if not plan.variants:
        return report
    cache.mkdir(parents=True, exist_ok=True)
    kept = cached_variants(cache)
    for source, variants in plan.variants.items():
        try:
            _write_source(
                source,
                variants,
                key=cache_key(source.digest, plan.quality, build),
                quality=plan.quality,
                place=place,
                cache=cache,
                kept=kept,
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


def _place_kept(names: list[str], variant: Variant, place: Place, cache: Path) -> bool:
    """Put a cached copy of a variant into the output, if an intact one is kept."""
    for name in names:
        cached = cache / name
        recorded = name.rsplit("-", 1)[1].split(".", 1)[0]

        def intact(data: bytes, recorded: str = recorded) -> bool:
            return variant_digest(data) == recorded

        if place(cached, variant.name, intact):
            return True
        damaged(cached)
        cached.unlink(missing_ok=True)
    return False


def _write_source(
    source: SourceImage,
    variants: tuple[Variant, ...],
    *,
    key: str,
    quality: int,
    place: Place,
    cache: Path,
    kept: dict[str, list[str]],
    report: WriteReport,
) -> None:
    decoded: tuple[Image.Image, bytes | None] | None = None
    for variant in variants:
        prefix = cached_prefix(key, variant)
        if not _place_kept(kept.get(prefix, []), variant, place, cache):
            if decoded is None:
                decoded = decode(source)
                report.decoded += 1
            image, icc_profile = decoded
            data = encode(
                image,
                variant,
                image_format=source.format,
                quality=quality,
                icc_profile=icc_profile,
            )
            cached = cache / f"{prefix}-{variant_digest(data)}.{source.extension}"
            _keep(data, cached)
            kept[prefix] = [cached.name]
            place(cached, variant.name, None)  # just made: nothing to check
            report.resized += 1
        report.written += 1
