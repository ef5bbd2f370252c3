"""The header fields of articles and pages: which exist and how each is read.

Each field has one reader function that turns the written value into
Pelican metadata or raises :class:`FieldError` with a message, in Vietnamese,
that tells the editor how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican.contents import Author, Tag

from topic_registry import TopicRegistry
from vietnamese import canonical_key, distinct_slug, nfc, slugify

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)
DATE_EXAMPLE = "2024-04-26 10:30"
# Dates the portal can show: before 1945 the newsroom's time zone had other
# offsets (local mean time), and far-future dates are typing mistakes.
FIRST_YEAR, LAST_YEAR = 1945, 2100
# A title, a slug, a tag or an author name becomes a folder name (at most 255
# bytes on every file system): longer ones are refused with their length.
TITLE_MAX = 200
SLUG_MAX = 150
NAME_MAX = 100
# The form editors write most, parsed without strptime (10,000 files a check).
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")

# Review states an editor writes, and the Pelican status each maps to.
REVIEW_STATES = {
    "draft": "draft",
    "review": "draft",
    "published": "published",
    "retracted": "hidden",
}
DEFAULT_REVIEW_STATE = "draft"
# States of articles readers do not get yet: their problems never stop a build.
NOT_FOR_READERS = frozenset({"draft", "review"})
YES = {"yes", "true", "1", "có", "co"}
NO = {"no", "false", "0", "không", "khong"}
# A correction: a date as ``Date`` takes it (a time or not), then the text,
# after a separator as editors type one (":", "-", "–", "—", "|", ";", ",")
# or only a space.
CORRECTION = re.compile(
    r"^(?P<date>\d{1,4}[-/]\d{1,2}[-/]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)"
    r"(?:\s*[:|;,\-\u2013\u2014]+\s*|\s+)(?P<text>\S.*)$"
)


class FieldError(ValueError):
    """A field's value cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class ReadingContext:
    """What field readers need: the site's settings and its sections."""

    settings: dict
    registry: TopicRegistry

    @property
    def timezone(self) -> ZoneInfo:
        """The newsroom's time zone (Asia/Ho_Chi_Minh)."""
        return ZoneInfo(self.settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class FieldSpec:
    """A header key: how it is written, read and whether it may repeat."""

    key: str
    read: Callable[[str, ReadingContext], Any]
    # The field's name in the browser editor's form, in Vietnamese.
    label: str = ""
    required: bool = False
    repeatable: bool = False
    example: str = ""
    # What the field is for, told to an editor (the comments of ``invoke new``).
    hint: str = ""


def read_text(value: str, _ctx: ReadingContext) -> str:
    """A plain text value, in NFC."""
    text = nfc(value).strip()
    if not text:
        raise FieldError("để trống; hãy điền nội dung hoặc xoá dòng này")
    return text


def read_html_text(value: str, ctx: ReadingContext) -> Markup:
    """A plain text value shown in HTML: escaped, so it is never markup."""
    return escape(read_text(value, ctx))


def read_title(value: str, ctx: ReadingContext) -> Markup:
    """A title: plain text shown in HTML, short enough to name a folder."""
    title = read_text(value, ctx)
    if len(title) > TITLE_MAX:
        raise FieldError(
            f"dài {len(title)} ký tự; hãy rút gọn tiêu đề còn tối đa {TITLE_MAX} ký "
            "tự (đường dẫn của bài được tạo từ tiêu đề)"
        )
    return escape(title)


def _parse_date(text: str, ctx: ReadingContext) -> datetime | None:
    iso = ISO_DATE.match(text)
    if iso:
        try:
            parts = [int(part) for part in iso.groups(default="0")]
            return datetime(*parts, tzinfo=ctx.timezone)
        except ValueError:
            pass
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=ctx.timezone)
    return None


def read_name(value: str, ctx: ReadingContext) -> Markup:
    """A name shown in HTML that also names a folder (an issuing body)."""
    name = read_text(value, ctx)
    if len(name) > NAME_MAX:
        raise FieldError(
            f"dài {len(name)} ký tự; hãy rút gọn còn tối đa {NAME_MAX} ký tự"
        )
    return escape(name)


def read_date(value: str, ctx: ReadingContext) -> datetime:
    """A local date and time of the newsroom."""
    text = value.strip()
    parsed = _parse_date(text, ctx)
    if parsed is None:
        raise FieldError(
            f'"{text}" không phải ngày giờ hợp lệ; hãy viết theo dạng '
            f"{DATE_EXAMPLE} (năm-tháng-ngày giờ:phút)"
        )
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise FieldError(
            f'năm {parsed.year} trong "{text}" nằm ngoài khoảng {FIRST_YEAR}–'
            f"{LAST_YEAR}; hãy kiểm tra lại ngày, dạng {DATE_EXAMPLE}"
        )
    return parsed


def read_topic(value: str, ctx: ReadingContext):
    """One section from the registry, by display name, slug or alias."""
    written = read_text(value, ctx)
    resolution = ctx.registry.resolve(written)
    if resolution.topic is not None:
        return resolution.topic
    hint = (
        "gần nhất là " + ", ".join(f'"{name}"' for name in resolution.suggestions)
        if resolution.suggestions
        else "các chuyên mục có: "
        + ", ".join(f'"{topic.name}"' for topic in ctx.registry)
    )
    raise FieldError(
        f'không có chuyên mục "{written}" trong danh mục {ctx.registry.path.name}; '
        f"{hint}. Hãy ghi đúng tên, slug hoặc bí danh của một chuyên mục"
    )


def read_topics(value: str, ctx: ReadingContext) -> list:
    """Further sections, separated by ``;`` (section names contain commas)."""
    names = [name for name in value.split(";") if name.strip()]
    if not names:
        raise FieldError("để trống; hãy ghi các chuyên mục, cách nhau bằng dấu ;")
    problems, topics = [], []
    for name in names:
        try:
            topic = read_topic(name, ctx)
        except FieldError as error:
            problems.append(str(error))
            continue
        if topic not in topics:
            topics.append(topic)
    if problems:
        raise FieldError("; ".join(problems))
    return topics


def _names(value: str) -> list[str]:
    separator = ";" if ";" in value else ","
    names: dict[str, str] = {}
    for name in value.split(separator):
        text = " ".join(nfc(name).split())
        if len(text) > NAME_MAX:
            raise FieldError(
                f'"{text[:40]}…" dài {len(text)} ký tự; mỗi tên tối đa {NAME_MAX} '
                f"ký tự, các tên cách nhau bằng dấu {separator}"
            )
        if text:
            names.setdefault(canonical_key(text), text)
    return list(names.values())


def read_tags(value: str, ctx: ReadingContext) -> list[Tag]:
    """Comma-separated tags; spellings that differ only in form are one tag."""
    tags = []
    for name in _names(value):
        tag = Tag(name, ctx.settings)
        tag.slug = distinct_slug(name)
        if not tag.slug:
            raise FieldError(f'thẻ "{name}" không có chữ hay số nào để làm đường dẫn')
        tags.append(tag)
    if not tags:
        raise FieldError("để trống; hãy ghi các thẻ, cách nhau bằng dấu phẩy")
    return tags


def read_authors(value: str, ctx: ReadingContext) -> list[Author]:
    """Authors separated by commas (or by ``;`` when a name has a comma)."""
    authors = []
    for name in _names(value):
        author = Author(name, ctx.settings)
        author.slug = distinct_slug(name)
        authors.append(author)
    if not authors:
        raise FieldError("để trống; hãy ghi tên tác giả")
    return authors


def read_slug(value: str, _ctx: ReadingContext) -> str:
    """An ASCII slug; Vietnamese letters are transliterated (đ → d)."""
    slug = slugify(value)
    if not slug:
        raise FieldError("không tạo được đường dẫn; hãy dùng chữ không dấu và số")
    if len(slug) > SLUG_MAX:
        raise FieldError(
            f"dài {len(slug)} ký tự; hãy rút gọn đường dẫn còn tối đa {SLUG_MAX} ký tự"
        )
    return slug


def _one_of(value: str, allowed, what: str, why: str) -> str:
    """A value of a closed list, in lower case; else how to write one."""
    chosen = value.strip().lower()
    if chosen not in allowed:
        raise FieldError(
            f'{what} "{value.strip()}" {why}; hãy dùng một trong: ' + ", ".join(allowed)
        )
    return chosen


def read_status(value: str, _ctx: ReadingContext) -> str:
    """The review state: draft, review, published or retracted."""
    return _one_of(value, REVIEW_STATES, "trạng thái", "không hợp lệ")


def read_flag(value: str, _ctx: ReadingContext) -> bool:
    """A yes/no value."""
    answer = value.strip().lower()
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise FieldError(f'"{value.strip()}" không rõ; hãy ghi yes hoặc no')


def read_correction(value: str, ctx: ReadingContext) -> tuple[datetime, str]:
    """One correction: ``<date>: <what was corrected>``."""
    match = CORRECTION.match(nfc(value).strip())
    if not match:
        raise FieldError(
            f'hãy viết "Correction: {DATE_EXAMPLE} — nội dung đính chính": ngày '
            "(giờ nếu có) như ở Date, rồi dấu : hoặc —, rồi nội dung"
        )
    return read_date(match["date"], ctx), escape(match["text"].strip())


ARTICLE_FIELDS: dict[str, FieldSpec] = {
    spec.key.lower(): spec
    for spec in (
        FieldSpec(
            "Title",
            read_title,
            label="Tiêu đề",
            required=True,
            example="Tiêu đề bài viết",
            hint=f"Tiêu đề bài, tối đa {TITLE_MAX} ký tự.",
        ),
        FieldSpec(
            "Date",
            read_date,
            label="Ngày đăng",
            required=True,
            example=DATE_EXAMPLE,
            hint="Ngày giờ đăng: 2024-05-14 08:15, 14/05/2024 08:15 hoặc chỉ ngày.",
        ),
        FieldSpec(
            "Modified",
            read_date,
            label="Ngày sửa đổi",
            example=DATE_EXAMPLE,
            hint="Ngày giờ sửa lần cuối (nếu có), cùng dạng với Date.",
        ),
        FieldSpec(
            "Category",
            read_topic,
            label="Chuyên mục",
            required=True,
            example="Xây dựng Đảng",
            hint="Chuyên mục chính: tên, slug hoặc bí danh trong chuyen-muc.toml.",
        ),
        FieldSpec(
            "Topics",
            read_topics,
            label="Chuyên mục khác",
            example="Quốc phòng, an ninh; Thi đua yêu nước",
            hint="Chuyên mục khác (nếu có), cách nhau bằng dấu chấm phẩy ;",
        ),
        FieldSpec(
            "Tags",
            read_tags,
            label="Từ khoá",
            example="thủy sản, Kiên Giang",
            hint="Thẻ, cách nhau bằng dấu phẩy: thủy sản, Kiên Giang",
        ),
        FieldSpec(
            "Authors",
            read_authors,
            label="Tác giả",
            example="Thu Anh",
            hint="Tác giả, cách nhau bằng dấu phẩy.",
        ),
        FieldSpec(
            "Source",
            read_html_text,
            label="Nguồn tin",
            example="Báo Kiên Giang",
            hint="Nguồn tin (nếu đăng lại): Báo Kiên Giang",
        ),
        FieldSpec(
            "Summary",
            read_html_text,
            label="Tóm tắt",
            example="Tóm tắt bài viết",
            hint="Tóm tắt một hai câu; bắt buộc trước khi gửi duyệt.",
        ),
        FieldSpec(
            "Image",
            read_text,
            label="Ảnh đại diện",
            example="{static}/images/anh.jpg",
            hint="Ảnh đại diện trong content/images/: {static}/images/ten-anh.jpg",
        ),
        FieldSpec(
            "Image_caption",
            read_html_text,
            label="Chú thích ảnh (mô tả ảnh)",
            example="Chú thích ảnh",
            hint="Chú thích ảnh đại diện.",
        ),
        FieldSpec(
            "Slug",
            read_slug,
            label="Đường dẫn",
            example="duong-dan-bai-viet",
            hint="Đường dẫn của bài: chữ không dấu, số và dấu gạch ngang.",
        ),
        FieldSpec(
            "Status",
            read_status,
            label="Trạng thái",
            example="published",
            hint=(
                "draft (nháp), review (chờ duyệt), published (đăng: cần "
                "Reviewed_by, Reviewed_at) hoặc retracted (gỡ)."
            ),
        ),
        FieldSpec(
            "Reviewed_by",
            read_html_text,
            label="Người duyệt",
            example="Tên biên tập viên",
            hint="Người duyệt bài (khi đăng).",
        ),
        FieldSpec(
            "Reviewed_at",
            read_date,
            label="Thời điểm duyệt",
            example=DATE_EXAMPLE,
            hint="Ngày giờ duyệt, cùng dạng với Date.",
        ),
        FieldSpec(
            "Correction",
            read_correction,
            label="Đính chính",
            repeatable=True,
            example=f"{DATE_EXAMPLE}: nội dung đính chính",
            hint="Đính chính, mỗi lần một dòng: 2024-05-14 — nội dung đính chính",
        ),
        FieldSpec(
            "Retraction_note",
            read_html_text,
            label="Lý do gỡ bài",
            example="Lý do gỡ bài",
            hint="Lý do gỡ bài (khi Status: retracted).",
        ),
        FieldSpec(
            "Retracted_at",
            read_date,
            label="Thời điểm gỡ bài",
            example=DATE_EXAMPLE,
            hint="Ngày giờ gỡ bài, cùng dạng với Date.",
        ),
        FieldSpec(
            "Featured",
            read_flag,
            label="Tin tiêu điểm",
            example="yes",
            hint="yes để đưa bài lên nổi bật.",
        ),
    )
}

# Fields a review state requires: a draft needs only what places it (title,
# date, section); what a reader sees or a reviewer signs, from review on.
STATE_REQUIRES = {
    "review": ("Summary",),
    "published": ("Summary", "Reviewed_by", "Reviewed_at"),
    "retracted": ("Summary", "Retraction_note", "Retracted_at"),
}

# Kinds of official documents (văn bản) a record may be.
DOCUMENT_TYPES = (
    "Công văn", "Chỉ thị", "Kế hoạch", "Nghị quyết", "Quyết định", "Thông báo",
    "Hướng dẫn", "Kết luận", "Quy định", "Thông tư", "Nghị định", "Luật", "Báo cáo",
    "Dự thảo",
)  # fmt: skip
NUMBER_MAX = 60
DOCUMENT_NUMBER = re.compile(r"^\d{1,6}(?:[/-][0-9A-ZĐ]+)*$")


def read_document_type(value: str, _ctx: ReadingContext) -> str:
    """One of the kinds of document, as the portal spells it."""
    written = canonical_key(value)
    for kind in DOCUMENT_TYPES:
        if canonical_key(kind) == written:
            return kind
    raise FieldError(
        f'loại văn bản "{value.strip()}" không có trong danh sách; hãy dùng một '
        "trong: " + ", ".join(DOCUMENT_TYPES)
    )


def read_document_number(value: str, _ctx: ReadingContext) -> str:
    """A document number such as 32-CT/TW or 7357/VP-KGVX."""
    number = nfc(value).strip().upper()
    if len(number) > NUMBER_MAX or not DOCUMENT_NUMBER.match(number):
        raise FieldError(
            f'số hiệu "{value.strip()[:80]}" không đúng dạng; hãy viết như 32-CT/TW '
            f"hoặc 7357/VP-KGVX (tối đa {NUMBER_MAX} ký tự)"
        )
    return number


DOCUMENT_FIELDS: dict[str, FieldSpec] = {
    spec.key.lower(): spec
    for spec in (
        FieldSpec(
            "So_hieu",
            read_document_number,
            label="Số hiệu",
            required=True,
            example="32-CT/TW",
        ),
        FieldSpec(
            "Loai",
            read_document_type,
            label="Loại văn bản",
            required=True,
            example="Chỉ thị",
        ),
        FieldSpec(
            "Co_quan",
            read_name,
            label="Cơ quan ban hành",
            required=True,
            example="Ban Bí thư",
        ),
        FieldSpec(
            "Ngay_ban_hanh",
            read_date,
            label="Ngày ban hành",
            required=True,
            example="2024-04-10",
        ),
        FieldSpec(
            "Ngay_hieu_luc", read_date, label="Ngày hiệu lực", example="2024-04-10"
        ),
        FieldSpec(
            "Trich_yeu",
            read_html_text,
            label="Trích yếu",
            required=True,
            example="Về việc ...",
        ),
        FieldSpec("Nguoi_ky", read_html_text, label="Người ký", example="Người ký"),
        FieldSpec(
            "File",
            read_text,
            label="Tệp văn bản (PDF)",
            required=True,
            example="{static}/van-ban/files/32-ct-tw.pdf",
        ),
        FieldSpec(
            "Category", read_topic, label="Chuyên mục", example="Chống khai thác IUU"
        ),
        FieldSpec(
            "Topics", read_topics, label="Chuyên mục khác", example="Xây dựng Đảng"
        ),
        # A draft (Loai: Dự thảo) takes readers' comments up to this day.
        FieldSpec("Han_gop_y", read_date, label="Hạn góp ý", example="2026-12-31"),
    )
}

SITE_PATH = re.compile(r"^/(?:[a-z0-9-]+/)*$")


def read_lang(value: str, ctx: ReadingContext) -> str:
    """A language the site offers (``LANGUAGES``): ``en`` for an English page."""
    offered = ctx.settings.get("LANGUAGES") or {ctx.settings["DEFAULT_LANG"]: {}}
    return _one_of(value, offered, "ngôn ngữ", "không có trên cổng")


def read_translation_of(value: str, _ctx: ReadingContext) -> str:
    """The address of the Vietnamese page this one translates (``/`` the home)."""
    path = value.strip()
    if not SITE_PATH.match(path):
        raise FieldError(
            f'"{path[:80]}" không phải đường dẫn trong cổng; hãy ghi đường dẫn của '
            "trang tiếng Việt được dịch, như /gioi-thieu/ (/ là trang chủ)"
        )
    return path


PAGE_FIELDS: dict[str, FieldSpec] = {
    spec.key.lower(): spec
    for spec in (
        FieldSpec(
            "Title", read_title, label="Tiêu đề", required=True, example="Giới thiệu"
        ),
        FieldSpec("Slug", read_slug, label="Đường dẫn", example="gioi-thieu"),
        FieldSpec("Summary", read_html_text, label="Tóm tắt", example="Tóm tắt trang"),
        FieldSpec("Modified", read_date, label="Ngày sửa đổi", example=DATE_EXAMPLE),
        FieldSpec(
            "Lang",
            read_lang,
            label="Ngôn ngữ",
            example="en",
            hint=(
                "Ngôn ngữ của trang: en cho trang tiếng Anh (trang ở /en/<slug>/); "
                "không ghi là tiếng Việt. Chỉ các ngôn ngữ trong LANGUAGES."
            ),
        ),
        FieldSpec(
            "Translation_of",
            read_translation_of,
            label="Bản dịch của trang",
            example="/gioi-thieu/",
            hint=(
                "Trang tiếng Việt mà trang này dịch: /gioi-thieu/, hoặc / cho trang "
                "chủ (trang đó là /en/); hai trang được liên kết qua lại (hreflang)."
            ),
        ),
    )
}
