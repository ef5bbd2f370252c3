"""Readers' forms (hỏi đáp, góp ý dự thảo): their one setting, ``READER_FORMS``.

A library: the static pages offer the forms and the intake service checks
what they post, both from ``READER_FORMS`` merged here with its defaults and
checked, so that a settings file written before a key was added still builds
and serves the same forms.
"""

from .settings import DEFAULTS, reader_forms_settings

__all__ = ["DEFAULTS", "reader_forms_settings"]
