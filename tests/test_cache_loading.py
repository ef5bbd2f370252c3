"""What lives as long as the build is kept out of the cyclic collector's walks.

A rebuild at 10,000 articles loads and makes millions of objects that live
until it ends; collected as they were made, or left in the youngest
generation, they were walked again at each collection (``invoke bench``
measures the time): the build runs no collection, and what it makes and
what the build cache loads go to the oldest generation.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_cache import load_json, load_pickle, save_json, save_pickle

VALUE = {"bài": [{"tiêu đề": f"Tin {number}", "thẻ": ["IUU"]} for number in range(50)]}


def kept(tmp_path: Path, kind: str) -> Callable[[], Any]:
    """Keep ``VALUE`` in a cache file of ``kind``; return its loader."""
    if kind == "pickle":
        save_pickle(tmp_path / "value.pickle", VALUE)
        return lambda: load_pickle(tmp_path / "value.pickle", dict)
    save_json(tmp_path / "value.json", VALUE)
    return lambda: load_json(tmp_path / "value.json")


def in_generation(value: Any, generation: int) -> bool:
    return any(found is value for found in gc.get_objects(generation=generation))


@pytest.mark.parametrize("kind", ["pickle", "json"])
def test_a_loaded_value_goes_to_the_oldest_generation(tmp_path, kind):
    load = kept(tmp_path, kind)
    assert gc.isenabled()
    value = load()
    assert value == VALUE
    assert in_generation(value, 2)
    assert in_generation(value["bài"][7], 2)
    assert not in_generation(value, 0)
    assert gc.get_freeze_count() == 0  # nothing left frozen
    assert gc.isenabled()  # the collector runs again
    gc.disable()
    try:
        load()
        assert not gc.isenabled()  # paused by the caller: left paused
    finally:
        gc.enable()


@pytest.mark.parametrize("kind", ["pickle", "json"])
def test_a_value_loaded_while_objects_are_frozen_stays_frozen_with_them(tmp_path, kind):
    """As before a fork: whoever froze the objects thaws them, with it."""
    load = kept(tmp_path, kind)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        value = load()
        assert gc.get_freeze_count() > before
        assert not any(in_generation(value, generation) for generation in range(3))
    finally:
        gc.unfreeze()
    assert in_generation(value, 2)


def test_a_build_runs_no_collection_and_leaves_its_objects_in_the_oldest(site):
    for number in range(12):
        site.article(f"tin-{number}", title=f"Tin số {number}", body="Nội dung. " * 200)
    collections = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        result = site.build()
    finally:
        gc.callbacks.remove(count)
    assert result.ok, result.errors
    assert "Tin số 11" in site.page("/").get_text()
    assert collections == []
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    # Young generations: only what was made after the build ended.
    assert len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1)) < 5000
    garbage = []
    garbage.append(garbage)  # a cycle: the collector still frees it
    del garbage
    assert gc.collect() >= 1
