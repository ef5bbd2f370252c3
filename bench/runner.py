"""``invoke bench``: one run measures builds, rebuilds and search, as a table and JSON.

(a) a cold production build of our site; (b) the same corpus through vanilla
Pelican; (c) a rebuild with nothing changed; (d) after editing one
article's body; (e) after adding one article; (f) the peak memory of each;
(g) the output files (e) changed, added or removed; (h) in ``invoke serve``,
from saving an article to its reloaded page; (i) the intake service under
200 questions a second (``intake_load.py``); (j) the web editor on
decap-server over the corpus (``web_editor.py``). Times are medians of ``runs``
attempts; memory is sampled in one more attempt, which is not timed. Then
the search: bytes and time of typed queries, and the judged queries' scores
(first-result share, mean reciprocal rank) for our search and for Pagefind
on the same site. The corpus includes the sample site's articles and văn
bản and the judged set's articles. ``search_only`` builds once and measures
only the search.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .builds import (
    BuildRun,
    changed_files,
    pagefind_index,
    portal_build,
    snapshot,
    vanilla_build,
)
from .corpus import generate
from .intake_load import measure_intake_load
from .intake_load import table as intake_table
from .judged import add_judged_site
from .preview import measure_save_to_reload
from .search import (
    PAGEFIND_EXCLUDE,
    PAGEFIND_GLOB,
    PAGEFIND_ROOT,
    index_size,
    measure_queries,
    measure_relevance,
)
from .web_editor import SERVER as DECAP_SERVER
from .web_editor import measure_editor

RESULTS = Path(__file__).resolve().parent.parent / "bench-results"


@dataclass
class Figures:
    """Median seconds and peak MiB of one kind of build."""

    seconds: float
    peak_mib: float
    runs: list[float] = field(default_factory=list)
    process_peak_mib: float = 0.0
    worker_peak_mib: float = 0.0


def median(runs: list[BuildRun], sampled: BuildRun) -> Figures:
    """The median time of timed runs, and the peak memory of a sampled one."""
    return Figures(
        round(statistics.median(r.seconds for r in runs), 2),
        round(sampled.peak_mib, 1),
        [round(r.seconds, 2) for r in runs],
        round(sampled.process_peak_mib, 1),
        round(sampled.worker_peak_mib, 1),
    )


def edit_one_body(content: Path) -> None:
    """Append a sentence to the body of one article."""
    path = sorted((content / "bai-viet").rglob("*.md"))[
        len(list((content / "bai-viet").rglob("*.md"))) // 2
    ]
    path.write_text(
        path.read_text(encoding="utf-8") + "\nCâu bổ sung khi biên tập lại.\n",
        encoding="utf-8",
    )


def add_one_article(content: Path, number: int) -> None:
    """Write one new article, the newest of all."""
    (content / "bai-viet" / "2026").mkdir(parents=True, exist_ok=True)
    (content / "bai-viet" / "2026" / f"bai-moi-{number}.md").write_text(
        f"Title: Bài mới số {number} về thủy sản\nDate: 2026-03-01 08:{number:02d}\n"
        "Category: Chống khai thác IUU\nTags: thủy sản, Kiên Giang\nAuthors: Thu Hà\n"
        "Summary: Một bài mới để đo bản dựng lại.\nStatus: published\n"
        "Reviewed_by: Ban Biên tập\nReviewed_at: 2026-03-01 07:00\n\n"
        "Nội dung bài mới về thủy sản và tàu cá.\n",
        encoding="utf-8",
    )


def search_report(output: Path) -> dict:
    """Our search's budgets, then the judged queries for ours and Pagefind."""
    report = {"search_queries": measure_queries(output)}
    pagefind = pagefind_index(
        output,
        output / "pagefind",
        (
            "--glob",
            PAGEFIND_GLOB,
            "--root-selector",
            PAGEFIND_ROOT,
            "--exclude-selectors",
            PAGEFIND_EXCLUDE,
        ),
    )
    if pagefind:
        report["pagefind_articles_only"] = {
            "seconds": round(pagefind.seconds, 2),
            "peak_mib": round(pagefind.peak_mib, 1),
        }
        report["relevance"] = measure_relevance(output)
        shutil.rmtree(output / "pagefind")
    return report


@contextlib.contextmanager
def corpus_folder(articles: int) -> Iterator[tuple[Path, Path, Path]]:
    """A temporary folder with the corpus: (folder, content, output)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        work.chmod(0o755)  # nginx's worker reads the output
        content = work / "content"
        generate(content, articles)
        add_judged_site(content)
        yield work, content, work / "output"


def run_search_bench(articles: int) -> dict:
    """One cold build of the corpus, then the search alone."""
    with corpus_folder(articles) as (_work, content, output):
        build = portal_build(content, output)
        return {
            "articles": articles,
            "runs": 1,
            "a_cold_build_seconds": round(build.seconds, 2),
            "search_index": index_size(output),
            **search_report(output),
        }


def run_bench(
    articles: int,
    runs: int,
    *,
    search: bool = True,
    preview: bool = True,
    intake: bool = True,
    editor: bool = True,
) -> dict:
    """Measure everything once for a corpus of ``articles``; return the report."""
    with corpus_folder(articles) as (work, content, output):
        kinds = ("cold", "vanilla", "unchanged", "unstamped", "edited", "added")
        timed: dict[str, list[BuildRun]] = {kind: [] for kind in kinds}
        sampled: dict[str, BuildRun] = {}
        files = []
        # The last attempt samples memory and is not timed: reading each
        # process's PSS walks its page tables (about 50 ms for a build and
        # its workers, four times a second), CPU the build would otherwise
        # have on a 2-core machine.

        def build(kind: str, sampling: bool, builder=portal_build, out=output) -> None:
            run = builder(content, out, sample_memory=sampling)
            if sampling:
                sampled[kind] = run
            else:
                timed[kind].append(run)

        for attempt in range(runs + 1):
            sampling = attempt == runs
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(work / "cache", ignore_errors=True)
            build("cold", sampling)
            # Right after (a), so that both see the machine in the same state:
            # its speed drifts during a long run, and a ratio of builds
            # measured far apart would show the drift.
            build("vanilla", sampling, vanilla_build, work / "vanilla")
            build("unchanged", sampling)
            # The same without the last build's stamp: every page is
            # fingerprinted and compared, the cost behind (d) and (e).
            for stamp in (work / "cache" / "build").glob("stamp-*.json"):
                stamp.unlink()
            build("unstamped", sampling)
            edit_one_body(content)
            build("edited", sampling)
            before = snapshot(output)
            add_one_article(content, attempt)
            build("added", sampling)
            if not sampling:
                files.append(changed_files(before, snapshot(output)))
        cold = median(timed["cold"], sampled["cold"])
        report = {
            "articles": articles,
            "runs": runs,
            "a_cold_build": asdict(cold),
            "b_vanilla_pelican": asdict(median(timed["vanilla"], sampled["vanilla"])),
            "c_rebuild_unchanged": asdict(
                median(timed["unchanged"], sampled["unchanged"])
            ),
            "c2_rebuild_unchanged_without_stamp": asdict(
                median(timed["unstamped"], sampled["unstamped"])
            ),
            "d_rebuild_one_edit": asdict(median(timed["edited"], sampled["edited"])),
            "e_rebuild_one_added": asdict(median(timed["added"], sampled["added"])),
            "g_files_after_one_added": files[len(files) // 2],
            "ms_per_article_cold": round(1000 * cold.seconds / articles, 2),
            "output_files": sum(1 for p in output.rglob("*") if p.is_file()),
            "search_index": index_size(output),
        }
        if search:
            report.update(search_report(output))
        if preview:
            report["h_save_to_reloaded_page"] = measure_save_to_reload(
                content, work, runs
            )
        if editor and DECAP_SERVER.exists():
            report["i_web_editor"] = measure_editor(content, work, runs)
        pagefind = pagefind_index(output, work / "pagefind")
        if pagefind:
            report["pagefind_same_site"] = {
                "seconds": round(pagefind.seconds, 2),
                "peak_mib": round(pagefind.peak_mib, 1),
            }
    if intake:
        report["i_intake_load"] = measure_intake_load()
    return report


def search_table(report: dict) -> list[str]:
    """The search's lines of the table: budgets, then relevance side by side."""
    lines = [
        f"search index: {report['search_index']['index_files']} files, "
        f"{report['search_index']['index_mib']:.1f} MiB"
    ]
    for query in report.get("search_queries", []):
        lines.append(
            f"search {query['query']!r}: first query {query['first_query_kib']} KiB "
            f"({query['first_query_gzip_kib']} KiB gzip) in {query['requests']} "
            f"requests, {query['ms_to_results']} ms "
            f"to results, {query['results_shown']} shown"
        )
    if "relevance" in report:
        relevance = report["relevance"]
        lines += [
            "",
            f"judged queries ({relevance['queries']}): "
            f"{'first-result share':>20}{'MRR':>8}",
        ]
        for name, label in (("ours", "our search"), ("pagefind", "Pagefind 1.5")):
            lines.append(
                f"{label:<24}{relevance[name]['first_share']:>20.3f}"
                f"{relevance[name]['mrr']:>8.3f}"
            )
            if relevance["missed"][name]:
                missed = ", ".join(
                    f"{typed!r} ({rank or '-'})"
                    for typed, rank in relevance["missed"][name]
                )
                lines.append(f"  not first: {missed}")
        pagefind = report["pagefind_articles_only"]
        lines.append(
            f"Pagefind 1.5 indexing the articles and văn bản only: "
            f"{pagefind['seconds']} s, peak {pagefind['peak_mib']} MiB"
        )
    return lines


def search_only_table(report: dict) -> str:
    """The report of ``run_search_bench`` as plain text."""
    return "\n".join(
        [
            f"Search bench: {report['articles']} articles (+ the sample site and "
            f"the judged articles), cold build {report['a_cold_build_seconds']} s",
            *search_table(report),
        ]
    )


def table(report: dict) -> str:
    """The report as a plain-text table."""
    cold = report["a_cold_build"]["seconds"]
    lines = [
        f"Bench: {report['articles']} articles, median of {report['runs']} runs",
        "",
    ]
    lines.append(f"{'measure':<34}{'seconds':>10}{'x (a)':>8}{'peak MiB':>10}")
    lines.append(f"{'':<52}{'(PSS)':>10}")
    for key, label in (
        ("a_cold_build", "(a) cold production build"),
        ("b_vanilla_pelican", "(b) vanilla Pelican, same corpus"),
        ("c_rebuild_unchanged", "(c) rebuild, nothing changed"),
        ("c2_rebuild_unchanged_without_stamp", "(c') the same, stamp removed"),
        ("d_rebuild_one_edit", "(d) rebuild, one body edited"),
        ("e_rebuild_one_added", "(e) rebuild, one article added"),
    ):
        figures = report[key]
        ratio = figures["seconds"] / cold if cold else 0
        lines.append(
            f"{label:<34}{figures['seconds']:>10.2f}{ratio:>8.2f}{figures['peak_mib']:>10.1f}"
        )
    files = report["g_files_after_one_added"]
    lines += [
        "",
        f"(g) files after one article added: {files['changed']} changed, "
        f"{files['added']} added, {files['removed']} removed "
        f"({files['changed_without_copies']}, {files['added_without_copies']}, "
        f"{files['removed_without_copies']} without the .gz/.br copies)",
        f"ms per article, cold build: {report['ms_per_article_cold']}",
        f"output files: {report['output_files']}",
    ]
    if "pagefind_same_site" in report:
        pagefind = report["pagefind_same_site"]
        lines.append(
            f"Pagefind 1.5 indexing the same site: {pagefind['seconds']} s, "
            f"peak {pagefind['peak_mib']} MiB (our index is built within (a))"
        )
    if "h_save_to_reloaded_page" in report:
        reload = report["h_save_to_reloaded_page"]
        lines.append(
            f"(h) invoke serve, save to reloaded page: {reload['seconds']} s "
            f"(of which the rebuild {reload['rebuild_seconds']} s)"
        )
    if "i_intake_load" in report:
        lines.append(intake_table(report["i_intake_load"]))
    if "i_web_editor" in report:
        editor = report["i_web_editor"]
        lines.append(
            f"(j) web editor on decap-server, {editor['articles_in_clone']} files: "
            f"a year's list ({editor['articles_in_year_listed']} articles) usable in "
            f"{editor['list_usable_seconds']} s, "
            f"an article open in {editor['article_open_seconds']} s"
        )
    lines += search_table(report)
    return "\n".join(lines)


def save(report: dict) -> Path:
    """Write the report as JSON under bench-results/."""
    RESULTS.mkdir(exist_ok=True)
    kind = "bench-search" if "a_cold_build_seconds" in report else "bench"
    path = RESULTS / f"{kind}-{report['articles']}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
