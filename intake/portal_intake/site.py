"""What the service knows of the portal: its settings, sections, districts, drafts.

Everything comes from the portal's own configuration (``pelicanconf.py``:
``SITENAME``, ``READER_FORMS``; ``content/chuyen-muc.toml``; the văn bản
records), read through the portal's libraries, so the forms on the static
site and the service that checks them agree.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
# The drafts and the stylesheet are looked up again after this many seconds.
REFRESH_SECONDS = 30


@cache
def portal_settings() -> dict:
    """The portal's Pelican settings (read once per process)."""
    from pelican.settings import read_settings  # noqa: PLC0415

    return read_settings(settings.INTAKE["PELICAN_SETTINGS"])


def content_dir() -> Path:
    """The content checkout answers are written to and drafts are read from."""
    return Path(settings.INTAKE["CONTENT_DIR"] or portal_settings()["PATH"])


@cache
def reader_forms() -> dict:
    """``READER_FORMS`` of the portal's settings over its defaults: paths, places..."""
    from reader_forms import reader_forms_settings  # noqa: PLC0415

    return reader_forms_settings(portal_settings())


@cache
def topics() -> tuple[tuple[str, str], ...]:
    """The sections of the registry as (slug, name), in the registry's order."""
    from topic_registry import TopicRegistry  # noqa: PLC0415

    registry = TopicRegistry.from_settings(
        {**portal_settings(), "PATH": str(content_dir())}
    )
    return tuple((topic.slug, topic.name) for topic in registry)


def topic_name(slug: str) -> str:
    """The name of a section, by slug ("" when unknown)."""
    return dict(topics()).get(slug, "")


def retention_days() -> int:
    """Days readers' names and contacts are kept (``READER_FORMS["RETENTION_DAYS"]``).

    The one setting: the forms' privacy notice on the site says it, and
    ``manage.py erase_contacts`` erases after it.
    """
    return int(reader_forms()["RETENTION_DAYS"])


def privacy_notice() -> str:
    """The forms' privacy notice, with the retention period in it."""
    return reader_forms()["PRIVACY_NOTICE"].format(days=retention_days())


def districts() -> tuple[str, ...]:
    """The places a comment may come from, as the forms offer them."""
    return tuple(reader_forms()["DISTRICTS"])


def place_label() -> str:
    """What those places are ("Xã, phường, đặc khu"): the field's label, a heading."""
    return str(reader_forms()["PLACE_LABEL"])


@dataclass(frozen=True)
class DraftDocument:
    """A văn bản record of type "Dự thảo" open to comments until its deadline."""

    slug: str
    title: str
    deadline: date

    def open_on(self, day: date) -> bool:
        """Comments are taken up to and including the deadline's day."""
        return day <= self.deadline


class _DraftDocuments:
    """The draft records of ``content/van-ban/``, read again every 30 s."""

    def __init__(self) -> None:
        self.read_at = 0.0
        self.drafts: dict[str, DraftDocument] = {}

    def get(self, slug: str) -> DraftDocument | None:
        if time.monotonic() - self.read_at > REFRESH_SECONDS:
            self.drafts = read_draft_documents()
            self.read_at = time.monotonic()
        return self.drafts.get(slug)


def read_draft_documents() -> dict[str, DraftDocument]:
    """Every record with ``Loai: Dự thảo`` and a ``Han_gop_y``, by its slug."""
    from content_model.fields import (  # noqa: PLC0415
        FieldError,
        ReadingContext,
        read_date,
        read_document_number,
        read_document_type,
    )
    from content_model.header import split_article  # noqa: PLC0415
    from vietnamese import nfc, slugify  # noqa: PLC0415

    folder = content_dir() / portal_settings().get("DOCUMENTS_PATH", "van-ban")
    context = ReadingContext(portal_settings(), None)
    drafts = {}
    for path in sorted(folder.glob("*.md")):
        source = split_article(nfc(path.read_text(encoding="utf-8")))
        values = {field.name: field.value for field in source.fields}
        try:
            kind = read_document_type(values.get("loai", ""), context)
            number = read_document_number(values.get("so_hieu", ""), context)
            deadline = values.get("han_gop_y")
            if kind != "Dự thảo" or not deadline:
                continue
            day = read_date(deadline, context)
        except FieldError:
            continue  # `invoke check` tells the editor; no form for it meanwhile
        slug = slugify(number)
        drafts[slug] = DraftDocument(slug, f"{kind} số {number}", day.date())
    return drafts


DRAFT_DOCUMENTS = _DraftDocuments()


class _Stylesheet:
    """The site's current stylesheet (its name carries its content's hash)."""

    def __init__(self) -> None:
        self.read_at = 0.0
        self.url = ""

    def get(self) -> str:
        if time.monotonic() - self.read_at > REFRESH_SECONDS:
            found = sorted(
                Path(settings.INTAKE["SITE_ROOT"]).glob("theme/css/portal.*.css"),
                key=lambda p: p.stat().st_mtime,
            )
            self.url = f"/theme/css/{found[-1].name}" if found else ""
            self.read_at = time.monotonic()
        return self.url


STYLESHEET = _Stylesheet()


def site_context(_request) -> dict:
    """What every page of the service shows: the site's name and stylesheet."""
    return {
        "SITENAME": portal_settings()["SITENAME"],
        "SITE_STYLESHEET": STYLESHEET.get(),
        "FORMS": reader_forms(),
        "PRIVACY_NOTICE": privacy_notice(),
    }


def local_now() -> datetime:
    """Now, in the portal's time zone."""
    from django.utils import timezone  # noqa: PLC0415

    return timezone.localtime()
