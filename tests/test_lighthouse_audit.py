"""``invoke audit``: Lighthouse's report read into scores (no browser run here)."""

from __future__ import annotations

import json

from bench.lighthouse import CATEGORIES, LIGHTHOUSE, PageScores, scores_of, table
from conftest import ROOT


def report(scores: dict[str, float], failed: str | None = None) -> dict:
    audits = {
        "a": {"score": 1},
        "b": {"score": 0 if failed else 1},
        "c": {"score": 0},
        "cumulative-layout-shift": {"score": 1, "numericValue": 0.0123},
    }
    return {
        "categories": {
            name: {
                "score": score,
                "auditRefs": [
                    {"id": "a", "weight": 1},
                    {"id": "b", "weight": 1},
                    {"id": "c", "weight": 0},  # informative: never counted
                ],
            }
            for name, score in scores.items()
        },
        "audits": audits,
    }


def test_scores_and_what_cost_points():
    page = scores_of(
        "home",
        "http://127.0.0.1/",
        report(
            {"performance": 0.951, "accessibility": 1, "best-practices": 1, "seo": 1},
            failed="b",
        ),
    )
    assert page.scores == {
        "performance": 95,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
    assert page.failing == ["b"]
    assert page.layout_shift == 0.012
    assert page.meets_targets()
    shifting = PageScores("search", "u", page.scores, [], layout_shift=0.21)
    assert not shifting.meets_targets()
    # The search page is noindex on purpose: its SEO score is no target.
    assert PageScores("search", "u", {**page.scores, "seo": 66}, []).meets_targets()
    low = PageScores("article", "u", {**page.scores, "seo": 92}, [])
    assert not low.meets_targets()
    text = table([page, low])
    assert "home" in text and "92" in text and "below 1: b" in text


def test_lighthouse_is_a_pinned_dev_dependency_that_downloads_no_browser():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    version = package["devDependencies"]["lighthouse"]
    assert version[0].isdigit()  # exact, no range
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/lighthouse"]["version"] == version
    # Lighthouse 12's trace engine asks for third-party-web "latest", which
    # moves: pinned, so `npm ci` on a fresh machine keeps matching the lock.
    assert package["overrides"] == {"third-party-web": "0.27.0"}
    assert lock["packages"][""]["devDependencies"] == package["devDependencies"]
    scripts = [
        name
        for name, entry in lock["packages"].items()
        if entry.get("hasInstallScript") and name != "node_modules/vnu-jar"
    ]
    assert scripts == []  # nothing runs at install (no browser downloaded)
    assert LIGHTHOUSE.relative_to(ROOT).as_posix().startswith("node_modules/")
    assert set(CATEGORIES) == {"performance", "accessibility", "best-practices", "seo"}
