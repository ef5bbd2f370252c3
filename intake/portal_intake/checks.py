"""Django system checks of the portal's settings the service reads.

Run by ``manage.py check``, ``migrate`` and the development server: a wrong
``READER_FORMS`` stops them with its message rather than failing the first
reader's form.
"""

from __future__ import annotations

from django.core import checks

from . import site


def reader_forms_are_sound(app_configs=None, **_kwargs) -> list[checks.CheckMessage]:
    """``READER_FORMS`` of the portal's settings, checked as the build checks it."""
    try:
        site.reader_forms()
    except ValueError as error:
        return [checks.Error(str(error), id="portal_intake.E001")]
    return []
