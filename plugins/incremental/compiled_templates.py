"""Templates compiled once: Jinja's bytecode, kept in the build cache.

Each of Pelican's generators has a Jinja environment of its own, and each
worker process compiles the templates it is the first to render: the same
twenty templates were compiled a dozen times a build. Jinja can keep what it
compiled (a ``BytecodeCache``) and checks each template's source against it.
What else decides the compiled code is Jinja's version (in the build key) and
the environment: the syntax options, the extensions, autoescaping; and, to
be safe, the names of its filters and tests (found by name as a page
renders, in Jinja 3.1).
Bytecode is kept under a digest of all of these and the build key of the
libraries (``build_cache.Scope.LIBRARIES``: Python's version, which decides
the bytecode, among them), so an environment configured otherwise compiles
afresh. Each file is checked when it is read back: a damaged one is compiled
again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from build_cache import Scope, build_key, damaged, load_checked, save_checked
from build_cache.settings import cache_folder

# Environment options that change the code a template compiles to.
COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def _named(value: Any) -> str:
    """A function by its name (its address changes every run), else its repr."""
    if not callable(value):
        return repr(value)
    name = getattr(value, "__qualname__", type(value).__qualname__)
    return f"{getattr(value, '__module__', '')}.{name}"


def _callables(kind: str, functions: dict[str, Any]) -> list[str]:
    """Filter or test names, with what Jinja passes them first (context...)."""
    return [
        f"{kind}:{name}:{getattr(function, 'jinja_pass_arg', None)}"
        for name, function in sorted(functions.items())
    ]


def compile_options(environment: Environment) -> str:
    """A digest of what, beside a template's source, decides its compiled code."""
    parts = [repr(getattr(environment, name, None)) for name in COMPILE_OPTIONS]
    parts += sorted(environment.extensions)
    parts += [_named(environment.autoescape), _named(environment.finalize)]
    parts += _callables("filter", environment.filters)
    parts += _callables("test", environment.tests)
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's bytecode cache, keyed by the environment's options as well."""

    def __init__(self, directory: str, key: str = "") -> None:
        super().__init__(directory)
        self.key = key  # the build key of the libraries

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """The bucket of a template under this environment's options."""
        key = hashlib.sha1(
            f"{self.key}\0{compile_options(environment)}\0{name}\0{filename}".encode()
        ).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load a template's bytecode, if its file is intact."""
        path = Path(self._get_cache_filename(bucket))
        payload = load_checked(path)
        if payload is None:
            return
        try:
            bucket.bytecode_from_string(bytes(payload))
        except Exception:  # checked bytes that Jinja cannot load
            bucket.reset()
            damaged(path)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a template's bytecode behind a checksum."""
        save_checked(
            Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string()
        )


def keep_compiled_templates(generator) -> None:
    """Give a generator's Jinja environment the build cache's compiled templates."""
    folder = cache_folder(generator.settings) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = CompiledTemplates(
        str(folder), build_key(generator.settings, Scope.LIBRARIES)
    )
