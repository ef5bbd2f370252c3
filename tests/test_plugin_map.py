"""plugins/README.md's signal table says what a build really does.

The table is how a newcomer learns which plugin runs when; a table that
drifts from the code misleads more than none. A tiny real build records the
order Pelican sends its signals in and which of our receivers each one calls.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from blinker import ANY, Signal
from pelican.plugins import signals

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_MAP = ROOT / "plugins" / "README.md"
# Rows that stand for a step rather than a signal, and the signal they follow.
STEPS = {"before Pelican starts": None, "reading": "article_generator_context"}


def _signals() -> dict[str, Signal]:
    return {
        name: value
        for name, value in vars(signals).items()
        if isinstance(value, Signal)
    }


def _table() -> list[tuple[list[str], list[str]]]:
    """Each row of the signal table: its signals (or a step) and receivers."""
    text = PLUGIN_MAP.read_text(encoding="utf-8")
    section = text.split("## Which plugin runs at which signal", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) != 4 or cells[0] in ("signal", "---"):
            continue
        step = re.fullmatch(r"\*\((.+)\)\*", cells[0])
        names = [step[1]] if step else re.findall(r"`(\w+)`", cells[0])
        rows.append((names, re.findall(r"`([\w.]+)`", cells[2])))
    return rows


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[list[str], dict[str, list[str]]]:
    """First-send order of every signal in a build, and our receivers."""
    from conftest import TinySite, article_text  # noqa: PLC0415

    order: list[str] = []
    recorders = []
    for name, signal in _signals().items():

        def record(_sender=None, _name=name, **_kwargs):
            if _name not in order:
                order.append(_name)

        signal.connect(record, weak=False)
        recorders.append((signal, record))
    try:
        site = TinySite(tmp_path_factory.mktemp("plugin-map"))
        site.write(
            "chuyen-muc.toml",
            (ROOT / "content" / "chuyen-muc.toml").read_text(encoding="utf-8"),
        )
        site.write("bai-viet/mot.md", article_text())
        site.write("trang/gioi-thieu.md", "Title: Giới thiệu\n\nTrang.\n")
        site.photo("images/anh.jpg", (400, 300))
        assert site.build().ok
        ours = {}
        for name, signal in _signals().items():
            names = []
            for receiver in signal.receivers_for(ANY):
                if getattr(receiver, "__module__", "").split(".")[0] not in _plugins():
                    continue
                if name == "get_generators":  # the table names the generator
                    names.append(receiver(None).__name__)
                else:
                    names.append(receiver.__name__)
            if names:
                ours[name] = names
    finally:
        for signal, record in recorders:
            signal.disconnect(record)
    return order, ours


def _plugins() -> set[str]:
    return {path.name for path in (ROOT / "plugins").iterdir() if path.is_dir()}


def test_the_table_lists_signals_in_the_order_pelican_sends_them(recorded):
    order, _ours = recorded
    positions = []
    for names, _receivers in _table():
        first = names[0]
        if first in STEPS:
            after = STEPS[first]
            positions.append(order.index(after) + 0.5 if after else -1)
        else:
            assert first in order, f"{first} is not sent during a build"
            positions.append(order.index(first))
    assert positions == sorted(positions), (
        "plugins/README.md lists signals out of order; Pelican sends: "
        + ", ".join(order)
    )


def test_the_table_names_every_receiver_of_our_plugins_in_its_order(recorded):
    _order, ours = recorded
    listed: dict[str, list[str]] = {}
    for names, receivers in _table():
        for name in names:
            if name not in STEPS:
                listed.setdefault(name, []).extend(receivers)
    assert listed == ours


def test_receivers_of_one_signal_run_in_the_order_of_plugins():
    """Pelican makes blinker keep receivers in the order they connected."""
    from ordered_set import OrderedSet  # noqa: PLC0415

    assert Signal.set_class is OrderedSet
