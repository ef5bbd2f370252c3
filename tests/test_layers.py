"""The layers of the code: libraries (lib/) below, plugins (plugins/) above.

The plugins' build key digests the libraries' code too: a change in a
library the plugins import invalidates every cache the key guards.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

KEY = """
import sys
from pathlib import Path
root = Path(sys.argv[1])
sys.path[:0] = [str(root / "lib"), str(root / "plugins")]
import build_cache
from build_cache import Scope, build_key
assert Path(build_cache.__file__).is_relative_to(root), build_cache.__file__
settings = {"PLUGIN_PATHS": [str(root / "plugins")], "SITENAME": "Cổng"}
print(" ".join(build_key(settings, scope) for scope in Scope))
"""


def build_keys(root: Path) -> list[str]:
    """The build key of each scope, computed in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", KEY, str(root)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    return done.stdout.split()


def test_a_change_in_a_library_changes_the_build_key(tmp_path):
    for name in ("lib", "plugins"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    output, reading, code, libraries = build_keys(tmp_path)
    assert build_keys(tmp_path) == [output, reading, code, libraries]  # stable
    text = tmp_path / "lib" / "vietnamese" / "text.py"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n# another version\n", encoding="utf-8"
    )
    changed = build_keys(tmp_path)
    assert changed[0] != output
    assert changed[1] != reading
    assert changed[2] != code
    # Caches no code of ours shapes (compiled templates) keep their key.
    assert changed[3] == libraries
    plugin = tmp_path / "plugins" / "topics" / "plugin.py"
    plugin.write_text(
        plugin.read_text(encoding="utf-8") + "\n# another version\n", encoding="utf-8"
    )
    assert build_keys(tmp_path)[:3] != changed[:3]


def imported_modules(path: Path) -> list[str]:
    """The absolute imports of a Python file, as written."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def packages(folder: Path) -> set[str]:
    """The packages in one layer's folder."""
    return {path.parent.name for path in folder.glob("*/__init__.py")}


def offenders(folder: Path, forbidden: set[str]) -> list[str]:
    """``file: module`` for each import from a package of ``folder`` into ``forbidden``."""
    found = []
    for path in sorted(folder.glob("*/**/*.py")):
        own = path.relative_to(folder).parts[0]
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in forbidden and top != own:
                found.append(f"{path.relative_to(ROOT).as_posix()}: {module}")
    return found


def test_no_plugin_imports_another_plugin():
    plugins = packages(ROOT / "plugins")
    assert {"article_model", "incremental", "topics"} <= plugins  # the right folder
    assert offenders(ROOT / "plugins", plugins) == []


def test_no_library_imports_a_plugin_or_a_tool():
    assert {"build_cache", "vietnamese"} <= packages(ROOT / "lib")
    above = packages(ROOT / "plugins") | {"tools", "bench", "tasks"}
    assert offenders(ROOT / "lib", above) == []


def test_the_layers_share_no_module_name():
    assert packages(ROOT / "lib").isdisjoint(packages(ROOT / "plugins"))
    assert packages(ROOT / "lib").isdisjoint(packages(ROOT / "tools"))


def literal_tuples(path: Path) -> list[tuple]:
    """The tuples of constants a Python file writes out (``(".gz", ".br")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and all(
            isinstance(item, ast.Constant) for item in node.elts
        ):
            found.append(tuple(item.value for item in node.elts))
    return found


def test_the_compressed_copies_suffixes_are_defined_once():
    """The ledger and precompress take them from the build cache's settings."""
    from build_cache.settings import COMPRESSED_SUFFIXES  # noqa: PLC0415
    from precompress.plugin import COMPRESSORS  # noqa: PLC0415

    assert {f".{name}" for name in COMPRESSORS} == set(COMPRESSED_SUFFIXES)
    defining = [
        path.relative_to(ROOT).as_posix()
        for folder in ("lib", "plugins", "tools")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if any(set(COMPRESSED_SUFFIXES) == set(t) for t in literal_tuples(path))
    ]
    assert defining == ["lib/build_cache/settings.py"]
