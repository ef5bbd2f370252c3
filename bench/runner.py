"""``invoke bench``: one run measures builds, rebuilds and search, as a table and JSON.

(a) a cold production build of our site; (b) the same corpus through vanilla
Pelican; (h) the same corpus through Hugo (``hugo.py``); (c) a rebuild with
nothing changed; (d) after editing the body of each of several chosen
articles, one at a time (``edits.py``); (e) after adding one article; (f)
the peak memory of each; (g) the output files (e) changed, added or
removed; (s) in ``invoke serve``, from saving a file to the reloaded page,
for an edit and for a new article (``preview.py``); (i) the intake service
under 200 questions a second (``intake_load.py``); (j) the web editor on
decap-server over the corpus (``web_editor.py``). Times are medians of ``runs``
attempts; memory is sampled in one more attempt, which is not timed. Then
the search: bytes and time of typed queries, and the judged queries' scores
(first-result share, mean reciprocal rank) for our search and for Pagefind
on the same site. The corpus includes the sample site's articles and văn
bản and the judged set's articles. The portal's modules are compiled to
bytecode first (``compile_portal_code``), as a checkout's first build does.
``search_only`` builds once and measures only the search. Each ratio is
shown beside the target it has (``TARGETS``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .builds import (
    BuildRun,
    changed_files,
    compile_portal_code,
    pagefind_index,
    portal_build,
    set_aside,
    snapshot,
    vanilla_build,
)
from .corpus import generate
from .edits import add_article, chosen_articles, edit_body
from .hugo import hugo_build, hugo_version, write_hugo_site
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

logger = logging.getLogger(__name__)
RESULTS = Path(__file__).resolve().parent.parent / "bench-results"
# From this size on, the targets of a newsroom's portal; below, a smaller one's.
LARGE_PORTAL = 10_000


@dataclass
class Figures:
    """Median seconds and peak MiB of one kind of build."""

    seconds: float
    peak_mib: float
    runs: list[float] = field(default_factory=list)
    process_peak_mib: float = 0.0
    worker_peak_mib: float = 0.0


def median(runs: list[BuildRun], sampled: BuildRun) -> Figures:
    """The median time of timed runs, and the peak memory of a sampled one.

    To the millisecond: a rebuild with nothing to do takes a few.
    """
    return Figures(
        round(statistics.median(r.seconds for r in runs), 3),
        round(sampled.peak_mib, 1),
        [round(r.seconds, 3) for r in runs],
        round(sampled.process_peak_mib, 1),
        round(sampled.worker_peak_mib, 1),
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
    compile_portal_code()
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
    pagefind: bool = True,
) -> dict:
    """Measure everything once for a corpus of ``articles``; return the report."""
    with corpus_folder(articles) as (work, content, output):
        chosen = chosen_articles(content)
        edited = [f"edited_{which}" for which in chosen]
        kinds = ("cold", "vanilla", "hugo", "unchanged", "unstamped", *edited, "added")
        timed: dict[str, list[BuildRun]] = {kind: [] for kind in kinds}
        sampled: dict[str, BuildRun] = {}
        files = []
        hugo_site = work / "hugo-site"

        def hugo(_content: Path, out: Path, sample_memory: bool) -> BuildRun:
            return hugo_build(hugo_site, out, work / "hugo-cache", sample_memory)

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
            # A fresh output and cache, the last ones kept until the corpus
            # goes (``set_aside``).
            set_aside(output)
            set_aside(work / "cache")
            build("cold", sampling)
            # Right after (a), so that both see the machine in the same state:
            # its speed drifts during a long run, and a ratio of builds
            # measured far apart would show the drift.
            build("vanilla", sampling, vanilla_build, work / "vanilla")
            write_hugo_site(content, hugo_site)  # the corpus (a) built; not timed
            build("hugo", sampling, hugo, work / "hugo-public")
            build("unchanged", sampling)
            # The same without the last build's stamp: every page is
            # fingerprinted and compared, the cost behind (d) and (e).
            for stamp in (work / "cache" / "build").glob("stamp-*.json"):
                stamp.unlink()
            build("unstamped", sampling)
            for which, path in chosen.items():
                edit_body(path)
                build(f"edited_{which}", sampling)
            before = snapshot(output)
            add_article(content, attempt)
            build("added", sampling)
            if not sampling:
                files.append(changed_files(before, snapshot(output)))
        figures = {kind: asdict(median(timed[kind], sampled[kind])) for kind in kinds}
        cold = figures["cold"]["seconds"]
        report = {
            "articles": articles,
            "runs": runs,
            "a_cold_build": figures["cold"],
            "b_vanilla_pelican": figures["vanilla"],
            "h_hugo": {**figures["hugo"], "version": hugo_version()},
            "c_rebuild_unchanged": figures["unchanged"],
            "c2_rebuild_unchanged_without_stamp": figures["unstamped"],
            "d_rebuild_one_edit": {
                which: {
                    **figures[f"edited_{which}"],
                    "source": path.relative_to(content).as_posix(),
                }
                for which, path in chosen.items()
            },
            "e_rebuild_one_added": figures["added"],
            "g_files_after_one_added": files[len(files) // 2],
            "ms_per_article_cold": round(1000 * cold / articles, 2),
            "output_files": sum(1 for p in output.rglob("*") if p.is_file()),
            "search_index": index_size(output),
        }
        checkpoint(report, measures_follow=search or preview or editor)
        if search:
            report.update(search_report(output))
        if preview:
            report["s_save_to_reload"] = measure_save_to_reload(content, work, runs)
        if editor and DECAP_SERVER.exists():
            report["i_web_editor"] = measure_editor(content, work, runs)
        found = pagefind_index(output, work / "pagefind") if pagefind else None
        if found:
            report["pagefind_same_site"] = {
                "seconds": round(found.seconds, 2),
                "peak_mib": round(found.peak_mib, 1),
            }
    report["ratios"] = ratios(report)
    report["targets"] = against_targets(report)
    if intake:
        report["i_intake_load"] = measure_intake_load()
    return report


@dataclass(frozen=True)
class Target:
    """One target of the issue: a figure at most ``limit`` (a ratio or seconds)."""

    measure: str
    limit: float
    unit: str  # "x" a ratio to (b), "%" a share of (a), "s" seconds


def targets_for(articles: int) -> list[Target]:
    """The targets at this size: at 10,000 articles, else a smaller portal's."""
    large = articles >= LARGE_PORTAL
    share = 10.0 if large else 15.0
    return [
        Target("(a)/(b)", 0.8 if large else 1.0, "x"),
        Target("(d)/(a)", share, "%"),
        Target("(e)/(a)", share, "%"),
        Target("(s) edit", 1.0 if large else 0.5, "s"),
        Target("(s) new article", 2.0 if large else 0.5, "s"),
    ]


def against_targets(report: dict) -> list[dict]:
    """Each figure with a target, met or missed by how much (in its unit).

    (d) has one line per edited article; (a)/(h) has no target and is in
    ``ratios`` alone.
    """
    cold = report["a_cold_build"]["seconds"]
    figures: list[tuple[str, str, float]] = [
        ("(a)/(b)", "", cold / report["b_vanilla_pelican"]["seconds"]),
    ]
    for which, edit in report["d_rebuild_one_edit"].items():
        figures.append(("(d)/(a)", which, 100 * edit["seconds"] / cold))
    figures.append(
        ("(e)/(a)", "", 100 * report["e_rebuild_one_added"]["seconds"] / cold)
    )
    if "s_save_to_reload" in report:
        reload = report["s_save_to_reload"]
        figures.append(("(s) edit", "", reload["edit"]["seconds"]))
        figures.append(("(s) new article", "", reload["new_article"]["seconds"]))
    limits = {target.measure: target for target in targets_for(report["articles"])}
    results = []
    for measure, which, figure in figures:
        target = limits[measure]
        results.append(
            {
                "measure": measure,
                "which": which,
                "figure": round(figure, 3 if target.unit == "x" else 2),
                "limit": target.limit,
                "unit": target.unit,
                "met": figure <= target.limit,
                "missed_by": round(max(0.0, figure - target.limit), 3),
            }
        )
    return results


def ratios(report: dict) -> dict:
    """(a)/(b), (a)/(h), each (d)/(a) and (e)/(a)."""
    cold = report["a_cold_build"]["seconds"]
    return {
        "a_over_b": round(cold / report["b_vanilla_pelican"]["seconds"], 3),
        "a_over_h": round(cold / report["h_hugo"]["seconds"], 2),
        "d_over_a": {
            which: round(edit["seconds"] / cold, 3)
            for which, edit in report["d_rebuild_one_edit"].items()
        },
        "e_over_a": round(report["e_rebuild_one_added"]["seconds"] / cold, 3),
    }


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


def target_text(result: dict) -> str:
    """A target and whether it is met, as the table shows it."""
    unit = {"x": " × (b)", "%": " % of (a)", "s": " s"}[result["unit"]]
    limit = f"{'(a) ' if result['unit'] == 'x' else ''}≤ {result['limit']:g}{unit}"
    if result["met"]:
        return f"{limit}: met"
    if result["unit"] == "%":
        return f"{limit}: missed by {result['missed_by']:.1f} points"
    return f"{limit}: missed by {result['missed_by']:.2f}{unit.split(' (')[0]}"


def table(report: dict) -> str:
    """The report as a plain-text table, each figure beside its target."""
    cold = report["a_cold_build"]["seconds"]
    targets = {(t["measure"], t["which"]): t for t in report["targets"]}
    lines = [
        f"Bench: {report['articles']} articles, median of {report['runs']} runs "
        f"(targets: {'10,000' if report['articles'] >= LARGE_PORTAL else 'smaller'}"
        " portal's)",
        "",
        f"{'measure':<48}{'seconds':>9}{'x (a)':>8}{'peak MiB':>10}  target",
        f"{'':<65}{'(PSS)':>10}",
    ]

    def row(label: str, figures: dict, target: dict | None = None) -> None:
        ratio = figures["seconds"] / cold if cold else 0
        lines.append(
            f"{label:<48}{figures['seconds']:>9.2f}{ratio:>8.3f}"
            f"{figures['peak_mib']:>10.1f}  {target_text(target) if target else ''}"
        )

    row("(a) cold production build", report["a_cold_build"])
    row(
        "(b) vanilla Pelican, same corpus",
        report["b_vanilla_pelican"],
        targets[("(a)/(b)", "")],
    )
    row(f"(h) Hugo {report['h_hugo']['version']}, same corpus", report["h_hugo"])
    row("(c) rebuild, nothing changed", report["c_rebuild_unchanged"])
    row("(c') the same, stamp removed", report["c2_rebuild_unchanged_without_stamp"])
    for which, edit in report["d_rebuild_one_edit"].items():
        row(f"(d) rebuild, one body edited: {which}", edit, targets[("(d)/(a)", which)])
    row(
        "(e) rebuild, one article added",
        report["e_rebuild_one_added"],
        targets[("(e)/(a)", "")],
    )
    ratios = report["ratios"]
    lines += [
        "",
        f"(a)/(b) = {ratios['a_over_b']:.3f}   (a)/(h) = {ratios['a_over_h']:.2f}"
        f"   (e)/(a) = {100 * ratios['e_over_a']:.1f} %",
        "(d)/(a): "
        + ", ".join(
            f"{which} {100 * ratio:.1f} %"
            for which, ratio in ratios["d_over_a"].items()
        ),
        "(d) edited: "
        + ", ".join(
            f"{which} {edit['source']}"
            for which, edit in report["d_rebuild_one_edit"].items()
        ),
    ]
    if "s_save_to_reload" in report:
        reload = report["s_save_to_reload"]
        for kind, label in (("edit", "an edit"), ("new_article", "a new article")):
            figures = reload[kind]
            measure = "(s) edit" if kind == "edit" else "(s) new article"
            lines.append(
                f"(s) invoke serve, save to reloaded page, {label}: "
                f"{figures['seconds']} s (the whole rebuild "
                f"{figures['rebuild_seconds']} s: the open page reloads once "
                "written); "
                f"{target_text(targets[(measure, '')])}"
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


def checkpoint(report: dict, measures_follow: bool) -> None:
    """Write the builds' figures before the measures that follow them.

    Written again at the end: a later measure that fails (the browser's, the
    editor's) leaves the builds' figures on disk.
    """
    if measures_follow:
        logger.info("Builds measured: %s", save(report))


def save(report: dict) -> Path:
    """Write the report as JSON under bench-results/."""
    RESULTS.mkdir(exist_ok=True)
    kind = "bench-search" if "a_cold_build_seconds" in report else "bench"
    path = RESULTS / f"{kind}-{report['articles']}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
