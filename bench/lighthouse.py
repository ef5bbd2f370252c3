"""Lighthouse (mobile) on the sample site, built for production and served by nginx.

``invoke audit`` builds the sample site with ``publishconf.py`` for the URL
the portal's own nginx configuration serves it at on 127.0.0.1, then runs
Lighthouse (the npm devDependency, ``npm ci``) in Debian's chromium
(``CHROME_PATH``, never a downloaded browser), headless, on a home, section,
article and văn bản page and the search page with a query, and reports the
four category scores against the targets: performance 95 or more,
accessibility, best practices and SEO 100; and the layout shift (CLS) of
each, under 0.1.
Runs also alone: ``PYTHONPATH=lib:plugins python3 -m bench.lighthouse``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.search import CHROMIUM, CHROMIUM_ARGS
from tools.local_nginx import free_port, portal_conf, running_nginx
from tools.site_build import build_site

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {
    "home": "/",
    "section": "/chuyen-muc/chong-khai-thac-iuu/",
    "article": "/2024/05/trien-khai-chi-thi-32-ct-tw-siet-chat-quan-ly-tau-ca"
    "-tu-ben-den-bien/",
    "văn bản": "/van-ban/32-ct-tw/",
    "search": "/tim-kiem/?q=tham+nhung",
}
# The search page is ``noindex`` on purpose: its SEO score (is-crawlable) is
# not a target.
NOT_TARGETS = {"search": frozenset({"seo"})}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Cumulative layout shift: Lighthouse's "good" is under 0.1.
CLS_BELOW = 0.1


@dataclass
class PageScores:
    """One page's Lighthouse scores (0–100) and the audits that cost points."""

    name: str
    url: str
    scores: dict[str, int]
    failing: list[str]
    layout_shift: float = 0.0

    def meets_targets(self) -> bool:
        """Every category at or above its target, and the layout shift below its."""
        counted = [c for c in CATEGORIES if c not in NOT_TARGETS.get(self.name, ())]
        return (
            all(self.scores[c] >= TARGETS[c] for c in counted)
            and self.layout_shift < CLS_BELOW
        )


def run_lighthouse(
    url: str,
    report: Path,
    categories: tuple[str, ...] = CATEGORIES,
    desktop: bool = False,
) -> dict:
    """Lighthouse's JSON report of one URL, mobile or desktop, headless chromium."""
    if not LIGHTHOUSE.is_file():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: run `npm ci` first")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(categories)}",
            f"--chrome-flags={flags}",
            *(["--preset=desktop"] if desktop else []),
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def scores_of(name: str, url: str, data: dict) -> PageScores:
    """The category scores and the names of the audits that failed."""
    categories = data["categories"]
    failing = sorted(
        {
            ref["id"]
            for category in categories.values()
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and (audit := data["audits"][ref["id"]])["score"] is not None
            and audit["score"] < 1
        }
    )
    return PageScores(
        name,
        url,
        {c: round(categories[c]["score"] * 100) for c in CATEGORIES},
        failing,
        layout_shift_of(data),
    )


def layout_shift_of(data: dict) -> float:
    """The cumulative layout shift Lighthouse measured."""
    return round(data["audits"]["cumulative-layout-shift"]["numericValue"], 3)


def audit_sample_site() -> list[PageScores]:
    """Build the sample site for production, serve it with nginx, audit its pages."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        work = Path(folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        output = work / "output"
        result = build_site(
            ROOT / "publishconf.py",
            {"OUTPUT_PATH": str(output), "SITEURL": base, "FEED_DOMAIN": base},
        )
        if not result.ok:
            raise RuntimeError(
                "the sample site does not build:\n" + "\n".join(result.errors)
            )
        results = []
        with running_nginx(portal_conf(output, work, port), port):
            for name, path in PAGES.items():
                url = f"{base}{path}"
                data = run_lighthouse(url, work / "report.json")
                results.append(scores_of(name, url, data))
                logger.info("%s: %s", name, results[-1].scores)
        return results


def table(results: list[PageScores]) -> str:
    """The scores as a text table, with the targets and what cost points."""
    lines = [
        f"{'page':<10} " + " ".join(f"{c:>15}" for c in CATEGORIES) + f"{'CLS':>8}",
        f"{'target':<10} "
        + " ".join(f"{TARGETS[c]:>15}" for c in CATEGORIES)
        + f"{'< ' + str(CLS_BELOW):>8}",
    ]
    for page in results:
        lines.append(
            f"{page.name:<10} "
            + " ".join(f"{page.scores[c]:>15}" for c in CATEGORIES)
            + f"{page.layout_shift:>8}"
        )
        if page.failing:
            lines.append(f"{'':<10} below 1: {', '.join(page.failing)}")
    return "\n".join(lines)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    audited = audit_sample_site()
    sys.stdout.write(table(audited) + "\n")
    sys.exit(0 if all(page.meets_targets() for page in audited) else 1)
