"""What each template reads: its undeclared variables and the templates it uses.

With them, for each name the template reads only as ``name.attribute`` (or
tests only for being defined), those attributes: a page's fingerprint then
digests those of its own variable, not all it holds (a section's listing
reads its name and URL, not its 3,000 articles).

Finding them means parsing the template and running Jinja's code generator
over it, tens of milliseconds for the portal's larger templates, and each
page worker would do it again. They are remembered in the build cache by
the SHA-1 of the template's source, under the build key of the libraries
(``build_cache.Scope.LIBRARIES``: Jinja's version among them).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, meta, nodes

from build_cache import load_json, save_json


def _entry_is_sound(entry: object) -> bool:
    """True for ``[variables, templates, attributes]``: names, names, names' lists."""
    return (
        isinstance(entry, list)
        and len(entry) == 3  # noqa: PLR2004 - variables, templates, attributes
        and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in entry[:2]
        )
        and isinstance(entry[2], dict)
        and all(
            isinstance(read, list) and all(isinstance(a, str) for a in read)
            for read in entry[2].values()
        )
    )


# Tests that read whether a name is defined, not its value.
DEFINED_TESTS = frozenset({"defined", "undefined"})


def attributes_read(tree: nodes.Template) -> dict[str, list[str]]:
    """For each name read only as ``name.attribute``, those attributes (sorted).

    A name read any other way (printed, passed to a macro or a filter,
    assigned, compared) is read whole and left out. One only tested for
    being defined reads no attribute. A loop's or a macro's own variable of
    the same name counts too: its attributes are added, its other uses make
    the name whole, never fewer reads than the template makes.
    """
    attributes: dict[str, set[str]] = {}
    whole: set[str] = set()
    pending: list[tuple[nodes.Node, nodes.Node | None]] = [(tree, None)]
    while pending:
        node, parent = pending.pop()
        if isinstance(node, nodes.Name) and node.ctx == "load":
            read = attributes.setdefault(node.name, set())
            if isinstance(parent, nodes.Getattr) and parent.node is node:
                read.add(parent.attr)
            elif not (
                isinstance(parent, nodes.Test)
                and parent.node is node
                and parent.name in DEFINED_TESTS
            ):
                whole.add(node.name)
        pending += [(child, node) for child in node.iter_child_nodes()]
    return {
        name: sorted(read) for name, read in attributes.items() if name not in whole
    }


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

    def of(
        self, environment: Environment, source: str
    ) -> tuple[list[str], list[str], dict[str, list[str]]]:
        """What a template source reads: variables, templates, attributes.

        The attributes: of the variables it reads only by attribute
        (``attributes_read``).
        """
        key = hashlib.sha1(source.encode()).hexdigest()
        self.used.add(key)
        entry = self.known.get(key)
        if entry is None:
            tree = environment.parse(source)
            variables = sorted(meta.find_undeclared_variables(tree))
            read = attributes_read(tree)
            entry = [
                variables,
                [
                    ref
                    for ref in meta.find_referenced_templates(tree)
                    if isinstance(ref, str)  # a name computed at render time: none
                ],
                {name: read[name] for name in variables if name in read},
            ]
            self.known[key] = entry
            self.learned = True
        return entry[0], entry[1], entry[2]

    def save(self) -> None:
        """Keep what this build's templates read, if it learned anything new."""
        if self.path is None or not self.learned:
            return
        templates = {key: self.known[key] for key in sorted(self.used)}
        save_json(self.path, {"key": self.key, "templates": templates})
