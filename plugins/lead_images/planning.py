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
variants.
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

    def variant_name(self, width: int) -> str:
        """The file name of its variant ``width`` pixels wide: the naming rule."""
        digest = self.digest[:DIGEST_IN_NAME]
        return f"{self.slug}-{width}-{digest}.{self.extension}"


@dataclass(frozen=True)
class Variant:
    """One resized copy of a source image."""

    width: int
    height: int
    name: str


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
    ) -> None:
        self.quality = quality
        self.folder = folder.strip("/")
        widths = tuple(widths)
        self.variants: dict[SourceImage, tuple[Variant, ...]] = {}
        for source in sources:
            self.variants[source] = tuple(
                Variant(
                    width=width,
                    height=scaled_height(source.width, source.height, width),
                    name=source.variant_name(width),
                )
                for width in plan_widths(source.width, widths)
            )

    def __len__(self) -> int:
        return sum(len(variants) for variants in self.variants.values())

    def url(self, variant: Variant) -> str:
        """The site-relative URL of a variant."""
        return f"{self.folder}/{variant.name}"

    def lead_image(
        self, source: SourceImage, alt: str, caption: Markup | None
    ) -> LeadImage:
        """The lead image of an article showing ``source``."""
        variants = self.variants[source]
        largest = variants[-1]
        return LeadImage(
            src=self.url(largest),
            srcset=tuple((self.url(variant), variant.width) for variant in variants),
            width=largest.width,
            height=largest.height,
            alt=alt,
            caption=caption,
        )
