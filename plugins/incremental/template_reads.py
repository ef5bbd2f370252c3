"""What each template reads: its undeclared variables and the templates it uses.

Finding them means parsing the template and running Jinja's code generator
over it, tens of milliseconds for the portal's larger templates, and each
page worker would do it again. They are remembered in the build cache by
the SHA-1 of the template's source, under the build key of the libraries
(``build_cache.Scope.LIBRARIES``: Jinja's version among them).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, meta

from build_cache import load_json, save_json


def _entry_is_sound(entry: object) -> bool:
    """True for ``[variables, templates]``, two lists of names."""
    return (
        isinstance(entry, list)
        and len(entry) == 2  # noqa: PLR2004 - variables and templates
        and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in entry
        )
    )


class TemplateReads:
    """Each template source's variables and references, by the source's SHA-1."""

    def __init__(self, path: Path | None = None, key: str = "") -> None:
        self.path = path
        self.key = key  # the build key of the libraries
        self.known: dict[str, list[list[str]]] = {}
        self.used: set[str] = set()
        self.learned = False
        if path is None:
            return
        saved = load_json(path) or {}
        templates = saved.get("templates")
        if saved.get("key") == key and isinstance(templates, dict):
            self.known = {k: v for k, v in templates.items() if _entry_is_sound(v)}

    def of(self, environment: Environment, source: str) -> tuple[list[str], list[str]]:
        """The variables a template source reads and the templates it names."""
        key = hashlib.sha1(source.encode()).hexdigest()
        self.used.add(key)
        entry = self.known.get(key)
        if entry is None:
            tree = environment.parse(source)
            entry = [
                sorted(meta.find_undeclared_variables(tree)),
                [
                    ref
                    for ref in meta.find_referenced_templates(tree)
                    if isinstance(ref, str)  # a name computed at render time: none
                ],
            ]
            self.known[key] = entry
            self.learned = True
        return entry[0], entry[1]

    def save(self) -> None:
        """Keep what this build's templates read, if it learned anything new."""
        if self.path is None or not self.learned:
            return
        templates = {key: self.known[key] for key in sorted(self.used)}
        save_json(self.path, {"key": self.key, "templates": templates})
