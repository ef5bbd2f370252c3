"""The judged search queries (``search_judgements.toml``) and their scores.

One data file for the browser test and for ``invoke bench``: articles with
deliberate collisions added to a site, queries typed as readers type them,
and for each the title a reader wants first. A ranking is scored as the
share of queries whose judged title is first, and as the mean reciprocal
rank (1/rank of the judged title within the first ``SHOWN`` results, else 0).
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

JUDGEMENTS = Path(__file__).resolve().with_name("search_judgements.toml")
SAMPLE = Path(__file__).resolve().parent.parent / "content"
# The judged articles' folder under content/bai-viet/.
FOLDER = "tim-kiem-tham-dinh"
SHOWN = 10
OUR_RESULTS = """query => new Promise(resolve => {
    const app = document.querySelector('.portal-search-app');
    const done = () => app.dataset.searchState === 'done' &&
      new URLSearchParams(location.search).get('q') === query;
    const titles = () => [...document.querySelectorAll('.portal-search-result__title')]
      .map(title => title.innerText.trim());
    if (done()) { resolve(titles()); return; }
    const seen = new MutationObserver(() => {
      if (done()) { seen.disconnect(); resolve(titles()); }
    });
    seen.observe(app, {attributes: true, subtree: true, childList: true});
  })"""
PAGEFIND_RESULTS = """async ([query, shown]) => {
    window.pagefind = window.pagefind || await import('/pagefind/pagefind.js');
    const found = await window.pagefind.search(query);
    const data = await Promise.all(found.results.slice(0, shown).map(r => r.data()));
    return data.map(d => (d.meta.title || '').trim());
  }"""


@dataclass(frozen=True)
class Judged:
    """One query as typed, how it was typed, and the title wanted first."""

    typed: str
    kind: str
    first: str


def judgements() -> dict:
    """The data file, read."""
    with JUDGEMENTS.open("rb") as file:
        return tomllib.load(file)


def judged_queries() -> list[Judged]:
    """Every judged query, in the file's order."""
    return [Judged(**query) for query in judgements()["query"]]


def write_judged_articles(content: Path) -> list[Path]:
    """Write the judged set's articles into a site's content folder."""
    folder = content / "bai-viet" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article in judgements()["article"]:
        header = {
            "Title": article["title"],
            "Date": article["date"],
            "Category": article["category"],
            "Summary": article["summary"],
            "Authors": "Ban Biên tập",
            "Status": "published",
            "Reviewed_by": "Ban Biên tập",
            "Reviewed_at": article["date"],
        }
        path = folder / article["file"]
        path.write_text(
            "".join(f"{key}: {value}\n" for key, value in header.items())
            + "\n"
            + article["body"].strip()
            + "\n",
            encoding="utf-8",
        )
        written.append(path)
    return written


def add_judged_site(content: Path) -> None:
    """Add the sample site's articles and văn bản, and the judged articles."""
    for folder in ("bai-viet", "van-ban"):
        shutil.copytree(SAMPLE / folder, content / folder, dirs_exist_ok=True)
    write_judged_articles(content)


def our_titles(page, query: str) -> list[str]:
    """The titles our search page lists for a query, in order."""
    page.goto("/tim-kiem/?q=" + quote(query))
    return page.evaluate(OUR_RESULTS, query)[:SHOWN]


def pagefind_titles(page, query: str) -> list[str]:
    """The titles Pagefind's own search API ranks first for a query."""
    return page.evaluate(PAGEFIND_RESULTS, [query, SHOWN])


def rank_of(judged: Judged, titles: list[str]) -> int | None:
    """Where the judged title stands (1 = first), None if not shown."""
    return titles.index(judged.first) + 1 if judged.first in titles else None


def scores(ranks: list[int | None]) -> dict[str, float]:
    """The share of queries answered first, and the mean reciprocal rank."""
    return {
        "first_share": round(sum(rank == 1 for rank in ranks) / len(ranks), 3),
        "mrr": round(sum(1 / rank for rank in ranks if rank) / len(ranks), 3),
    }
