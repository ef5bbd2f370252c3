"""Illustrative one-page PDFs for the document records in content/van-ban.

Each record ``content/van-ban/<slug>.md`` (a header of ``Key: value`` lines,
a blank line, then a Markdown body) becomes ``content/van-ban/files/<slug>.pdf``:
an A4 page at 150 dpi in grayscale with the issuing body and the national
motto at the top, the type and number, the issue date, the subject line and
the body text, and a small grey note saying the PDF is an illustration made
by the portal.

The output is deterministic: the PDF's creation and modification dates are
the record's issue date, so the same record gives a byte-identical file for
the same Pillow and FreeType versions.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from content_model.header import split_article
from vietnamese import slugify

LOG = logging.getLogger(__name__)

PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi
RESOLUTION = 150
JPEG_QUALITY = 50  # with optimize and progressive: about 130-150 KB a page
HEADER_GAP = 40
EN_SPACE = "\u2002"
MARGIN_LEFT = 177  # 3 cm
MARGIN_RIGHT = 118  # 2 cm
MARGIN_TOP = 118
MARGIN_BOTTOM = 118
BLACK = 0
GREY = 110

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR_FONT = FONT_DIR / "DejaVuSerif.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSerif-Bold.ttf"

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FOOTER = "Bản PDF minh hoạ do cổng thông tin tạo từ hồ sơ văn bản."

REQUIRED_KEYS = ("So_hieu", "Loai", "Co_quan", "Ngay_ban_hanh", "Trich_yeu")
BODY_SIZES = (24, 23, 22, 21, 20, 19, 18)  # tried in turn until the body fits


@dataclass(frozen=True)
class Record:
    """One document record: its header fields and its Markdown body."""

    path: Path
    fields: dict[str, str]
    body: str

    @property
    def slug(self) -> str:
        """The file name stem shared by the record and its PDF."""
        return self.path.stem


@dataclass(frozen=True)
class Block:
    """A paragraph of the body after the Markdown markers are stripped."""

    kind: str  # "heading", "bullet" or "text"
    text: str


def read_record(path: Path) -> Record:
    """Parse a record file: its header as the content model reads it.

    The header's grammar is ``content_model.header``'s (the reader's): a
    line that is neither a key, a comment nor a continuation before the
    first blank line is refused.
    """
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    source = split_article(text)
    lines = text.split("\n")
    if source.body_line > 1 and lines[source.body_line - 2].strip():
        line = lines[source.body_line - 1]
        raise ValueError(f"{path}: header line is not 'Key: value': {line!r}")
    fields = {field.key: field.value for field in source.fields}
    body = source.body
    missing = [key for key in REQUIRED_KEYS if not fields.get(key)]
    if missing:
        raise ValueError(f"{path}: missing header fields {', '.join(missing)}")
    time.strptime(fields["Ngay_ban_hanh"], "%Y-%m-%d")  # ValueError if malformed
    if slugify(fields["So_hieu"]) != path.stem:
        raise ValueError(
            f"{path}: file name should be {slugify(fields['So_hieu'])}.md "
            f"for number {fields['So_hieu']}"
        )
    expected = f"{{static}}/van-ban/files/{path.stem}.pdf"
    if fields.get("File", expected) != expected:
        raise ValueError(f"{path}: File should be {expected}")
    return Record(path=path, fields=fields, body=body.strip())


def strip_inline(text: str) -> str:
    """Remove inline Markdown: links keep their text, emphasis and code marks go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S(?:.*?\S)?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split())


def body_blocks(markdown: str) -> list[Block]:
    """The body as headings, bullet items and paragraphs of plain text."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("text", strip_inline(" ".join(paragraph))))
            paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif match := re.match(r"#{1,6}\s+(.*)", line):
            flush()
            blocks.append(Block("heading", strip_inline(match.group(1))))
        elif match := re.match(r"(?:[-*+]|\d+[.)])\s+(.*)", line):
            flush()
            blocks.append(Block("bullet", strip_inline(match.group(1))))
        else:
            paragraph.append(line.lstrip("> ").strip())
    flush()
    return blocks


def wrap(
    text: str, font: ImageFont.FreeTypeFont, width: float, space: str = " "
) -> list[str]:
    """Break text into lines no wider than width pixels, at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current}{space}{word}" if current else word
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def balanced_wrap(
    text: str, font: ImageFont.FreeTypeFont, width: float, space: str = " "
) -> list[str]:
    """Wrap centred text into as few lines as wrap() but of even lengths."""
    lines = wrap(text, font, width, space)
    narrower = width
    while narrower > width / 2:
        trial = wrap(text, font, narrower - 8, space)
        if len(trial) > len(lines):
            break
        lines, narrower = trial, narrower - 8
    return lines


def issue_date(iso: str) -> str:
    """``2024-04-10`` -> ``ngày 10 tháng 4 năm 2024``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"ngày {day} tháng {month} năm {year}"


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Serif (regular or bold) at a pixel size."""
    return ImageFont.truetype(str(BOLD_FONT if bold else REGULAR_FONT), size)


def draw_centred(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    face: ImageFont.FreeTypeFont,
    at: tuple[float, float],
    leading: float,
) -> float:
    """Draw lines centred on x from y, where (x, y) = at; return the y below."""
    centre, top = at
    for line in lines:
        draw.text((centre, top), line, font=face, fill=BLACK, anchor="ma")
        top += leading
    return top


def body_lines(
    blocks: list[Block], size: int, width: float
) -> list[tuple[float, str, ImageFont.FreeTypeFont, float]]:
    """Lay out the body: (x offset, text, font, advance) for every line."""
    regular, bold = font(size), font(size, bold=True)
    leading = round(size * 1.45)
    bullet_indent = round(size * 1.4)
    laid: list[tuple[float, str, ImageFont.FreeTypeFont, float]] = []
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            if index:
                laid.append((0, "", regular, leading * 0.5))
            laid.extend(
                (0, line, bold, leading) for line in wrap(block.text, bold, width)
            )
        elif block.kind == "bullet":
            lines = wrap(block.text, regular, width - bullet_indent)
            for number, line in enumerate(lines):
                text = f"•{EN_SPACE}{line}" if number == 0 else line
                offset = size * 0.5 if number == 0 else bullet_indent
                laid.append((offset, text, regular, leading))
        else:
            laid.extend(
                (0, line, regular, leading) for line in wrap(block.text, regular, width)
            )
            laid.append((0, "", regular, leading * 0.35))
    return laid


def render(record: Record) -> Image.Image:
    """The record drawn on one white A4 page in grayscale."""
    fields = record.fields
    image = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    page_width, page_height = PAGE_SIZE
    text_width = page_width - MARGIN_LEFT - MARGIN_RIGHT

    # Top: issuing body on the left, national name and motto on the right.
    # As on printed documents, the two header columns reach into the margins.
    header_bold, header_regular = font(20, bold=True), font(20)
    nation_width = header_bold.getlength(NATION)
    right_centre = page_width - MARGIN_RIGHT / 2 - nation_width / 2
    left_edge = MARGIN_LEFT / 2
    left_width = right_centre - nation_width / 2 - HEADER_GAP - left_edge
    left_centre = left_edge + left_width / 2
    # An en space between words: the horn of a bold capital Ư or Ơ reaches
    # into a plain space ("THƯ TRUNG").
    body_name = balanced_wrap(
        fields["Co_quan"].upper(), header_bold, left_width, EN_SPACE
    )
    y_left = draw_centred(draw, body_name, header_bold, (left_centre, MARGIN_TOP), 30)
    draw.line(
        (left_centre - 60, y_left + 6, left_centre + 60, y_left + 6),
        fill=BLACK,
        width=2,
    )
    number_line = f"Số: {fields['So_hieu']}"
    y_left = draw_centred(
        draw, [number_line], header_regular, (left_centre, y_left + 22), 30
    )
    y_right = draw_centred(draw, [NATION], header_bold, (right_centre, MARGIN_TOP), 30)
    y_right = draw_centred(draw, [MOTTO], header_bold, (right_centre, y_right), 30)
    half = header_bold.getlength(MOTTO) / 2
    draw.line(
        (right_centre - half, y_right + 4, right_centre + half, y_right + 4),
        fill=BLACK,
        width=2,
    )
    y = max(y_left, y_right) + 60

    # Title: type and number, date, subject line.
    centre = MARGIN_LEFT + text_width / 2
    title = font(34, bold=True)
    y = draw_centred(
        draw, [f"{fields['Loai']} số {fields['So_hieu']}"], title, (centre, y), 50
    )
    date_face = font(22)
    y = draw_centred(
        draw, [issue_date(fields["Ngay_ban_hanh"])], date_face, (centre, y + 4), 34
    )
    subject = font(24, bold=True)
    y = draw_centred(
        draw,
        balanced_wrap(fields["Trich_yeu"], subject, text_width * 0.9),
        subject,
        (centre, y + 18),
        35,
    )
    y += 18
    draw.line((centre - 120, y, centre + 120, y), fill=BLACK, width=2)
    y += 40

    # Footer first, so the body knows how far down it may go.
    small = font(17)
    footer_top = page_height - MARGIN_BOTTOM
    draw.text((centre, footer_top), FOOTER, font=small, fill=GREY, anchor="ma")
    limit = footer_top - 40

    blocks = body_blocks(record.body)
    for size in BODY_SIZES:
        laid = body_lines(blocks, size, text_width)
        if y + sum(advance for *_, advance in laid) <= limit:
            break
    else:
        LOG.warning("%s: body is too long for one page; cut", record.path.name)
    for offset, text, face, advance in laid:
        if y + advance > limit:
            break
        if text:
            draw.text((MARGIN_LEFT + offset, y), text, font=face, fill=BLACK)
        y += advance
    return image


def write_pdf(record: Record, path: Path) -> Path:
    """Render the record and save it as a one-page PDF at path."""
    issued = time.strptime(record.fields["Ngay_ban_hanh"], "%Y-%m-%d")
    path.parent.mkdir(parents=True, exist_ok=True)
    render(record).save(
        path,
        "PDF",
        resolution=RESOLUTION,
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=True,
        title=f"{record.fields['Loai']} số {record.fields['So_hieu']}",
        subject=record.fields["Trich_yeu"],
        creationDate=issued,
        modDate=issued,
    )
    return path


def write_pdfs(content: Path) -> list[Path]:
    """Write content/van-ban/files/<slug>.pdf for every record; return the paths."""
    folder = content / "van-ban"
    written = []
    for source in sorted(folder.glob("*.md")):
        record = read_record(source)
        path = write_pdf(record, folder / "files" / f"{record.slug}.pdf")
        LOG.debug("%s: %d bytes", path.name, path.stat().st_size)
        written.append(path)
    return written


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for pdf in write_pdfs(Path(__file__).resolve().parents[1] / "content"):
        print(f"{pdf.stat().st_size:>8}  {pdf}")  # noqa: T201
