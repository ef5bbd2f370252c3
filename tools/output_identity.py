"""Byte-identity of the built site between two revisions of the code.

A change to the code's structure must not change what readers get. This
builds, with production settings (``publishconf.py``) and cold caches, the
same two sites with the code of a base revision (exported with
``git archive`` into a temporary folder) and with the working tree, then
compares the two outputs file by file, byte for byte:

- the sample site (``content/``);
- a bench corpus (``bench/corpus.py`` with the judged site added, as
  ``invoke bench`` builds it), 1,000 articles by default.

Both revisions build the same inputs (the working tree's content and
corpus): only the code (plugins, libraries, theme, settings) differs. Each
build runs in a process of its own with its revision's folders on
``sys.path``. Every file that differs or exists on one side only is listed;
the exit status is 1 if there is any. Runs as ``invoke identical --base
<rev>`` or ``python3 -m tools.output_identity --base <rev>``.
"""

from __future__ import annotations

import argparse
import filecmp
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = 1000

logger = logging.getLogger(__name__)

# Runs in the revision's folder, with its code first on sys.path. Pelican
# itself runs the build (as every revision's runner does); any ERROR logged
# fails it, as the strict gate does.
BUILD = """
import logging, sys
sys.path[:0] = {path!r}
from pelican import Pelican
from pelican.settings import read_settings

class Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []
    def emit(self, record):
        self.messages.append(record.getMessage())

errors = Errors()
logging.getLogger().addHandler(errors)
settings = read_settings({settings!r}, override={overrides!r})
Pelican(settings).run()
if errors.messages:
    sys.exit("build logged errors: " + "; ".join(errors.messages[:5]))
"""


@dataclass
class Comparison:
    """How two output folders differ."""

    differing: list[str] = field(default_factory=list)
    only_in_base: list[str] = field(default_factory=list)
    only_in_new: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def identical(self) -> bool:
        """True when both folders hold the same files with the same bytes."""
        return not (self.differing or self.only_in_base or self.only_in_new)


def export_revision(revision: str, into: Path) -> Path:
    """The files of ``revision`` (as committed) in ``into``, with node_modules."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    # The browser editor is copied from node_modules: the same for both.
    modules = ROOT / "node_modules"
    if modules.exists():
        (into / "node_modules").symlink_to(modules.resolve())
    return into


def code_path(tree: Path) -> list[str]:
    """The folders a build of ``tree`` imports the portal's code from."""
    folders = [tree / name for name in ("lib", "plugins") if (tree / name).is_dir()]
    return [str(folder) for folder in [*folders, tree]]


def build(tree: Path, content: Path, output: Path) -> float:
    """A cold production build of ``content`` into ``output`` with ``tree``'s code.

    The content is copied beside a folder of its own, so the build's caches
    (kept beside the content folder) start empty.
    """
    site = output.parent / f"{output.name}-site"
    shutil.copytree(content, site / "content", symlinks=True)
    overrides = {
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(output),
        "LEAD_IMAGES": {"CACHE": str(site / "cache" / "lead-images")},
    }
    code = BUILD.format(
        path=code_path(tree),
        settings=str(tree / "publishconf.py"),
        overrides=overrides,
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORTAL_SITEURL", "PYTHONPATH"}
    }
    # One string hash for every build, so that a base revision older than
    # 6e4aa24 compares fairly: until then the walk handed Pelican an unordered
    # set of paths, and pages whose file names tie (``trang/gioi-thieu.md``,
    # ``trang/en/gioi-thieu.md``) followed the hash seed of the process.
    # tests/test_reproducible_builds.py builds with several seeds.
    environment["PYTHONHASHSEED"] = "0"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(
            f"the build of {content} with {tree} failed:\n{done.stderr[-3000:]}"
        )
    return time.perf_counter() - start


def compare(base: Path, new: Path) -> Comparison:
    """Every file that differs between two output folders, or is in one only."""
    comparison = Comparison()

    def files(folder: Path) -> set[str]:
        return {
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file() or path.is_symlink()
        }

    in_base, in_new = files(base), files(new)
    comparison.only_in_base = sorted(in_base - in_new)
    comparison.only_in_new = sorted(in_new - in_base)
    for name in sorted(in_base & in_new):
        comparison.files += 1
        if not filecmp.cmp(base / name, new / name, shallow=False):
            comparison.differing.append(name)
    return comparison


def make_corpus(content: Path, articles: int) -> None:
    """The bench corpus, as ``invoke bench`` makes it, from the working tree."""
    for folder in reversed(code_path(ROOT)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    from bench.corpus import generate  # noqa: PLC0415 - needs the code path
    from bench.judged import add_judged_site  # noqa: PLC0415

    generate(content, articles)
    add_judged_site(content)


def report(name: str, comparison: Comparison, out) -> None:
    """Print what differs in one site's output."""
    if comparison.identical:
        out.write(f"{name}: {comparison.files} files, byte-identical\n")
        return
    out.write(
        f"{name}: {len(comparison.differing)} differing, "
        f"{len(comparison.only_in_base)} only in base, "
        f"{len(comparison.only_in_new)} only in new "
        f"(of {comparison.files} files in both)\n"
    )
    for label, names in (
        ("differs", comparison.differing),
        ("only in base", comparison.only_in_base),
        ("only in new", comparison.only_in_new),
    ):
        for item in names:
            out.write(f"  {label}: {item}\n")


def check_identity(
    base_revision: str, articles: int = DEFAULT_ARTICLES, out=sys.stdout
) -> bool:
    """Build both sites with both revisions; True when every output is identical."""
    with tempfile.TemporaryDirectory(prefix="identity-") as folder:
        work = Path(folder)
        base_tree = export_revision(base_revision, work / "base-code")
        sites = {"sample site": ROOT / "content"}
        if articles:
            corpus = work / "corpus" / "content"
            make_corpus(corpus, articles)
            sites[f"bench corpus ({articles} articles)"] = corpus
        identical = True
        for number, (name, content) in enumerate(sites.items()):
            outputs = {}
            for side, tree in (("base", base_tree), ("new", ROOT)):
                output = work / f"{number}-{side}" / "output"
                seconds = build(tree, content, output)
                out.write(f"{name}: built with {side} code in {seconds:.1f} s\n")
                out.flush()
                outputs[side] = output
            comparison = compare(outputs["base"], outputs["new"])
            report(name, comparison, out)
            identical = identical and comparison.identical
        return identical


def main(argv: list[str] | None = None) -> int:
    """Command line: exit 0 when identical, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare with")
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help="articles of the bench corpus (0: the sample site only)",
    )
    arguments = parser.parse_args(argv)
    identical = check_identity(arguments.base, arguments.articles)
    sys.stdout.write("IDENTICAL\n" if identical else "DIFFERENT\n")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
