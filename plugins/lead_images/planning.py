"""Which variants each lead image gets, what they are called, and their URLs.

Everything here is decided from the image files' headers and bytes, without
decoding a pixel; :mod:`lead_images.variants` makes the files.

Naming rule: the variants of ``content/images/<stem>.<ext>`` are
``<FOLDER>/<slug>-<width>-<h>.<ext>``, where ``<slug>`` is the ASCII slug of
the stem (``Tàu cá 01`` gives ``tau-ca-01``; an URL in ``srcset`` must hold no
space or comma), ``<h>`` the first 8 hex digits of the SHA-256 of the
source's bytes, and ``<ext>`` is ``jpg``, ``png`` or ``webp`` after the
image's real format. An image replaced under its name gets new URLs, which
no reader's or proxy's cache holds (``/anh/`` is cached for 30 days); two
files of one name in two folders (``images/a.jpg``, ``images/2024/a.jpg``)
get different ones, unless their bytes are the same, and then so are their
variants. A crop to another shape (16:9, 4:3, 1:1 for ``NewsArticle``) is
``<FOLDER>/<slug>-<width>x<height>-<h>.<ext>``: the centre of the image, cut
to that shape, then scaled to at most the largest width (never up).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from PIL import ExifTags, Image

from content_tree import STATIC_KINDS, LinkResolver
from vietnamese import slugify

# The format of the variants is the format of the source.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# EXIF orientations that turn the picture by a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
# Hex digits of the source's digest in its variants' names.
DIGEST_IN_NAME = 8


class LeadImageError(ValueError):
    """A lead image that cannot be used; the message is for editors."""


@dataclass(frozen=True)
class LeadImage:
    """The responsive lead image of an article, as templates use it.

    ``src`` and the URLs of ``srcset`` are site-relative (no leading "/");
    ``width`` and ``height`` are those of ``src``. ``alt`` is plain text (the
    caption, else the title), which templates escape; ``caption`` is the
    escaped ``Image_caption`` or None.
    """

    src: str
    srcset: tuple[tuple[str, int], ...]
    width: int
    height: int
    alt: str
    caption: Markup | None
    # Centre crops to other shapes: (URL, width, height), in CROPS' order.
    crops: tuple[tuple[str, int, int], ...] = ()

    def srcset_attr(self, siteurl: str) -> str:
        """The ``srcset`` attribute: ``"<siteurl>/anh/x-480-<h>.jpg 480w, ..."``."""
        base = siteurl.rstrip("/")
        return ", ".join(f"{base}/{url} {width}w" for url, width in self.srcset)


@dataclass(frozen=True)
class SourceImage:
    """An original image under PATH, as read from its bytes and header."""

    path: Path
    relative: str
    digest: str
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        """The extension of its variants: ``jpg``, ``png`` or ``webp``."""
        return EXTENSIONS[self.format]

    @property
    def slug(self) -> str:
        """The ASCII slug of its file name, without the extension."""
        return slugify(Path(self.relative).stem) or "anh"

    def variant_name(self, width: int, height: int | None = None) -> str:
        """The file name of its variant ``width`` pixels wide: the naming rule.

        With ``height``, the name of a crop to that size.
        """
        digest = self.digest[:DIGEST_IN_NAME]
        size = width if height is None else f"{width}x{height}"
        return f"{self.slug}-{size}-{digest}.{self.extension}"


@dataclass(frozen=True)
class Variant:
    """One resized copy of a source image."""

    width: int
    height: int
    name: str
    # The centre box (left, top, right, bottom) of the upright source that a
    # crop shows; None for a variant of the whole image.
    box: tuple[int, int, int, int] | None = None

    @property
    def label(self) -> str:
        """Its size in the cache's file names: ``800``, or ``1200x675`` for a crop."""
        return str(self.width) if self.box is None else f"{self.width}x{self.height}"


def centre_crop(
    width: int, height: int, ratio: tuple[int, int], largest: int
) -> tuple[tuple[int, int, int, int], int, int]:
    """The centre box of a ``width``×``height`` image in shape ``ratio``.

    Returns the box and the crop's size, scaled down to ``largest`` pixels
    wide if it is wider (never up).
    """
    across, down = ratio
    if width * down > height * across:  # wider than the shape: cut the sides
        box_width, box_height = max(1, round(height * across / down)), height
    else:  # taller: cut top and bottom
        box_width, box_height = width, max(1, round(width * down / across))
    left, top = (width - box_width) // 2, (height - box_height) // 2
    box = (left, top, left + box_width, top + box_height)
    out_width = min(box_width, largest)
    return box, out_width, max(1, round(out_width * down / across))


def plan_widths(original_width: int, widths: Iterable[int]) -> list[int]:
    """The widths of the variants of an image ``original_width`` pixels wide.

    Every configured width not wider than the original, smallest first; an
    original narrower than all of them gets one variant at its own width.
    """
    fitting = sorted({width for width in widths if width <= original_width})
    return fitting or [original_width]


def scaled_height(width: int, height: int, new_width: int) -> int:
    """The height of a ``width``×``height`` image scaled to ``new_width``."""
    if new_width == width:
        return height
    return max(1, round(height * new_width / width))


def resolve_source(value: str, source_path: Path, links: LinkResolver) -> Path | None:
    """The file an ``Image`` value names, as the content's link resolver reads it.

    A path after ``{static}`` starting with "/" is relative to PATH, any other
    to the article's folder. None when the value is not a ``{static}`` link to
    a file inside ``content/`` that may be published.
    """
    link = links.resolve(value.strip(), source_path)
    if link is None or link.kind not in STATIC_KINDS or link.problem:
        return None
    return link.file


def read_source(path: Path, content_root: Path) -> SourceImage:
    """Hash an image file and read its header (its pixels stay undecoded)."""
    resolved = Path(os.path.normpath(path.absolute()))
    root = Path(os.path.normpath(content_root.absolute()))
    if not resolved.is_relative_to(root):
        raise LeadImageError("ảnh phải nằm trong thư mục content")
    try:
        data = resolved.read_bytes()
    except OSError:
        raise LeadImageError("không tìm thấy hoặc không đọc được tệp ảnh") from None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            width, height = image.size
            orientation = image.getexif().get(ExifTags.Base.Orientation)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LeadImageError(
            "tệp không phải ảnh hoặc ảnh bị hỏng; hãy xuất lại ảnh JPEG, PNG hoặc WebP"
        ) from None
    if image_format not in EXTENSIONS:
        raise LeadImageError(
            f"ảnh dạng {image_format or 'lạ'} không dùng được; "
            "hãy dùng ảnh JPEG, PNG hoặc WebP"
        )
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return SourceImage(
        path=resolved,
        relative=resolved.relative_to(root).as_posix(),
        digest=hashlib.sha256(data).hexdigest(),
        format=image_format,
        width=width,
        height=height,
    )


class VariantPlan:
    """Every variant one build writes, and the lead image each article gets."""

    def __init__(
        self,
        sources: Iterable[SourceImage],
        widths: Iterable[int],
        quality: int,
        folder: str,
        crops: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.quality = quality
        self.folder = folder.strip("/")
        widths = tuple(widths)
        crops = tuple(crops)
        self.variants: dict[SourceImage, tuple[Variant, ...]] = {}
        for source in sources:
            whole = tuple(
                Variant(
                    width=width,
                    height=scaled_height(source.width, source.height, width),
                    name=source.variant_name(width),
                )
                for width in plan_widths(source.width, widths)
            )
            cut = []
            for ratio in crops:
                box, width, height = centre_crop(
                    source.width, source.height, ratio, max(widths)
                )
                cut.append(
                    Variant(width, height, source.variant_name(width, height), box)
                )
            self.variants[source] = whole + tuple(cut)

    def __len__(self) -> int:
        return sum(len(variants) for variants in self.variants.values())

    def url(self, variant: Variant) -> str:
        """The site-relative URL of a variant."""
        return f"{self.folder}/{variant.name}"

    def lead_image(
        self, source: SourceImage, alt: str, caption: Markup | None
    ) -> LeadImage:
        """The lead image of an article showing ``source``."""
        variants = [v for v in self.variants[source] if v.box is None]
        largest = variants[-1]
        return LeadImage(
            src=self.url(largest),
            srcset=tuple((self.url(variant), variant.width) for variant in variants),
            width=largest.width,
            height=largest.height,
            alt=alt,
            caption=caption,
            crops=tuple(
                (self.url(v), v.width, v.height)
                for v in self.variants[source]
                if v.box is not None
            ),
        )
