"""What each template reads: its undeclared variables and the templates it uses.

Finding them means parsing the template and running Jinja's code generator
over it, tens of milliseconds for the portal's larger templates, and each
page worker would do it again. They are remembered in the build cache by
the SHA-1 of the template's source, for as long as Jinja's version is the
same.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from jinja2 import Environment, meta


@cache
def _jinja_version() -> str:
    return version("jinja2")


class TemplateReads:
    """Each template source's variables and references, by the source's SHA-1."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.jinja = _jinja_version()
        self.known: dict[str, list[list[str]]] = {}
        self.used: set[str] = set()
        self.learned = False
        if path is None:
            return
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return
        if saved.get("jinja2") == self.jinja:
            self.known = saved.get("templates", {})

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        templates = {key: self.known[key] for key in sorted(self.used)}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"jinja2": self.jinja, "templates": templates}), encoding="utf-8"
        )
        temporary.replace(self.path)
