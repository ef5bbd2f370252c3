"""Whether Pelican's static generator, the build's last, still has a file to copy.

A page shown while the build runs must not wait for an image not yet copied.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

# Seconds a static file's source must be newer than its copy for Pelican to
# copy it again (its own ``_source_is_newer``).
STATIC_NEWER_BY = 0.000001


def pelican_copies_again(
    settings: Mapping[str, Any], content: str, output: str, static
) -> bool:
    """Whether Pelican's static generator copies ``static`` (its own rule, copied).

    A file missing from the output, or older there than in the content; every
    file without ``STATIC_CHECK_IF_MODIFIED``. (A copy of
    ``StaticGenerator._file_update_required`` without links, which the
    portal does not make: ``tests/test_pelican_contract.py`` pins it.)
    """
    if not settings.get("STATIC_CHECK_IF_MODIFIED"):
        return True
    try:
        copied = os.stat(os.path.join(output, static.save_as))
    except FileNotFoundError:
        return True
    source = os.stat(os.path.join(content, static.source_path))
    return source.st_mtime - copied.st_mtime > STATIC_NEWER_BY


def static_files_to_copy(
    settings: Mapping[str, Any], output: str, statics: Iterable
) -> bool:
    """True when Pelican will copy one of ``statics`` (context ``staticfiles``)."""
    content = settings["PATH"]
    return any(
        pelican_copies_again(settings, content, output, static) for static in statics
    )
