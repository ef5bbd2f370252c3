"""Whether the incremental engine is in the build, for plugins that need it.

Some plugins write their files through the engine's writer
(``write_output``, ``copy_output``, ``queue_files``, ``state_folder``,
``output_expires``, ``read_named_file``, and the groups of files kept when
their inputs are unchanged: ``group_is_current``, ``remember_group``), which
Pelican's own writer does not have. Each of them calls
``require_incremental_engine`` when Pelican is initialised (every plugin
registered by then), so that a site without the engine stops at once
with a message naming the plugin, not half-way through writing.

A process that shows pages while it builds (the preview) asks the engine to
render some pages before the others and is told once they are written
(``pages_wanted_first``, ``pages_written_first``), and if the build then
changed them (``pages_changed_after_first``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blinker import Signal

# The plugin that provides the engine, as ``PLUGINS`` names it.
ENGINE = "incremental"
# What only the engine's writer offers.
ENGINE_WRITER = (
    "write_output",
    "copy_output",
    "queue_files",
    "state_folder",
    "output_expires",
    "read_named_file",
    "group_is_current",
    "remember_group",
)


# Sent by the engine's writer as soon as pages are queued (after Pelican's
# articles, then as the queue starts), with ``output`` (the output folder,
# absolute): each receiver returns the names of output files (relative to it,
# ``/``-separated) to render before the others.
pages_wanted_first = Signal("pages wanted first")
# Sent once some of them are written (or found as they should be), before the
# other pages, each with every file it loads: ``output`` and ``names``.
pages_written_first = Signal("pages written first")
# Sent as the queue ends when the build then changed pages it had told were
# written first (the page itself, or a file it loads, made again different by
# a later generator): ``output`` and ``names``. They were shown too early.
pages_changed_after_first = Signal("pages changed after first")
# Sent as the queue ends, when a receiver is connected: ``output`` and
# ``pages``, the build's article pages, any of which ``pages.page(name)``
# (its output file) gives with its own values (``article``, ``category``...)
# and a function that renders it again with some of them replaced (keyword
# arguments). The preview keeps them until the next save, to show an edit of
# an open article's body before the build it starts.
article_pages_rendered = Signal("article pages rendered")


class MissingEngineError(RuntimeError):
    """A plugin that writes through the engine's writer, in a site without it."""


def _plugin_name(plugin: Any) -> str:
    name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
    return name.rsplit(".", 1)[-1]


def has_incremental_engine(settings: Mapping[str, Any]) -> bool:
    """True when ``PLUGINS`` (as Pelican registered them) holds the engine."""
    return any(_plugin_name(p) == ENGINE for p in settings.get("PLUGINS") or ())


def require_incremental_engine(settings: Mapping[str, Any], plugin: str) -> None:
    """Refuse ``plugin`` in a site without the engine, saying so."""
    if has_incremental_engine(settings):
        return
    msg = (
        f"The plugin '{plugin}' needs the incremental engine: it writes its files "
        f"through the engine's writer ({', '.join(ENGINE_WRITER)}), which Pelican's "
        f"own writer lacks. Add '{ENGINE}' to PLUGINS (last), or remove '{plugin}'."
    )
    raise MissingEngineError(msg)
