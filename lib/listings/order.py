"""The one order of contents in time: by date, then by source file.

Two articles of one minute are common in a newsroom. Ordered by date alone,
they keep whatever order they were read in, which follows the hash seed of
the process (Pelican walks folders into sets): two builds of one commit would
differ. Their source path, relative to the content folder, breaks the tie the
same way on every machine.
"""

from __future__ import annotations

from typing import Any


def oldest_first(content: Any) -> tuple:
    """Sort key: oldest first; one date's contents by their source path."""
    return (content.date, content.relative_source_path or "")


def newest_first(contents: list) -> None:
    """Sort contents in place, newest first: the exact reverse of ``oldest_first``."""
    contents.sort(key=oldest_first, reverse=True)
