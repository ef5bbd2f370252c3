"""A damaged build cache never reaches readers.

Each kind of file the build cache keeps is damaged in three ways: cut short,
overwritten with other bytes of the same length, or replaced by a well-formed
file of the wrong type. The next build must succeed, warn of nothing, and
write what a clean build of the same content writes, byte for byte, with
lead images that decode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic
from PIL import Image
from test_incremental_builds import (
    EDITED,
    IncrementalSite,
    tree_differences,
    write_image,
)

from build_cache import (
    load_checked,
    load_json,
    load_pickle,
    save_checked,
    save_json,
    save_pickle,
)
from build_cache.read_cache import PortableDict
from lead_images.variants import variant_digest
from search_index.builder import SegmentPostings

# Each kind of cache file, by where it is kept under the site's cache.
KINDS = {
    "read": "build/read/*.pickle",
    "related": "build/read/*.pickle",  # the related lists, kept in the read cache
    "made": "build/read/*.pickle",  # the articles made, kept in the read cache
    "search": "build/search-index/*.pickle",
    "templates": "build/templates/*",
    "template-reads": "build/template-reads.json",
    "file-digests": "build/file-digests.json",
    "ledger": "build/pages-*.json",
    "stamp": "build/stamp-*.json",
    "lead-images": "lead-images/*",
}
# The edit each step makes (and undoes), so that the build runs.
SENTENCE = ("từ bến đến biển.", "từ bến đến biển. Đến nay không còn tàu mất kết nối.")


def truncated(path: Path, _kind: str) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path, _kind: str) -> None:
    size = path.stat().st_size
    path.write_bytes(bytes((i * 151 + 7) % 256 for i in range(size)))


def wrong_type(path: Path, kind: str) -> None:
    """A file as the build cache writes them, holding what its reader does not expect."""
    if kind == "related":
        version, entries, results, made = load_pickle(path, tuple)
        related = {key: "khác" for key in results if key.startswith("related/")}
        save_pickle(path, (version, entries, {**results, **related}, made))
    elif kind == "made":
        version, entries, results, made = load_pickle(path, tuple)
        made = {key: (build, {"_content": "khác"}) for key, (build, _) in made.items()}
        save_pickle(path, (version, entries, results, made))
    elif kind == "lead-images":
        write_image(path, (480, 300), (250, 250, 0))  # another picture
    elif path.suffix == ".pickle":
        save_pickle(path, ["khác"])
    elif path.suffix == ".json":
        save_json(path, ["khác"])
    else:
        save_checked(path, b"not bytecode")


DAMAGES: dict[str, Callable[[Path, str], None]] = {
    "truncated": truncated,
    "garbage": garbage,
    "wrong-type": wrong_type,
}


def intact(path: Path, kind: str) -> bool:
    """True when a cache file holds what its reader expects (made again)."""
    if kind == "lead-images":
        recorded = path.name.rsplit("-", 1)[1].split(".")[0]
        return variant_digest(path.read_bytes()) == recorded
    if kind == "templates":
        payload = load_checked(path)
        return payload is not None and bytes(payload).startswith(bc_magic)
    if kind == "search":
        return load_pickle(path, SegmentPostings) is not None
    if kind in {"read", "related", "made"}:
        saved = load_pickle(path, tuple)
        return (
            saved is not None
            and all(
                type(value) is list
                for key, value in saved[2].items()
                if key.startswith("related/")
            )
            and all(type(state) is PortableDict for _, state in saved[3].values())
            and (kind != "made" or bool(saved[3]))
        )
    return load_json(path) is not None


@pytest.fixture(scope="module")
def clean_outputs(tmp_path_factory) -> tuple[Path, Path]:
    """Clean builds of the base content and of the edited content."""
    site = IncrementalSite(tmp_path_factory.mktemp("clean"))
    base = site.clean_build()
    site.edit(f"bai-viet/{EDITED}.md", *SENTENCE)
    return base, site.clean_build()


def decodes(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.load()
    except OSError:
        return False
    return True


@pytest.mark.parametrize("damage", DAMAGES)
def test_each_kind_of_damaged_cache_is_made_again(tmp_path, clean_outputs, damage):
    """One site, damaged kind after kind; after each, an edit and a build."""
    site = IncrementalSite(tmp_path)
    site.build()
    edited = False
    for kind, pattern in KINDS.items():
        files = sorted(site.cache.glob(pattern))
        assert files, f"{kind}: no cache file {pattern}"
        for path in files:
            DAMAGES[damage](path, kind)
        # Output files are copies: the damage is in the cache only.
        assert all(map(decodes, (site.output / "anh").iterdir()))
        if kind != "stamp":  # a damaged stamp alone must not stop the build
            edited = not edited
            old, new = SENTENCE if edited else SENTENCE[::-1]
            site.edit(f"bai-viet/{EDITED}.md", old, new)
        site.build()
        assert site.result.warnings == [], kind
        if differences := tree_differences(site.output, clean_outputs[edited]):
            pytest.fail(f"{kind}, {damage}:\n" + "\n".join(differences))
        # What the build used was made again (some files, as the search
        # index's untouched segments, may wait for a build that needs them).
        assert any(intact(path, kind) for path in site.cache.glob(pattern)), kind
    assert all(map(decodes, (site.output / "anh").iterdir()))


def test_a_damaged_cache_file_is_reported_for_operators(tmp_path, caplog):
    """In Vietnamese, below a warning: the build makes good what it finds."""
    caplog.set_level(logging.INFO, logger="build_cache")
    site = IncrementalSite(tmp_path)
    site.build()
    (stamp,) = site.cache.glob(KINDS["stamp"])
    truncated(stamp, "stamp")
    site.build()
    assert site.result.warnings == []
    (record,) = [r for r in caplog.records if str(stamp) in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.getMessage() == f"Bộ nhớ đệm hỏng, sẽ tạo lại: {stamp}"
