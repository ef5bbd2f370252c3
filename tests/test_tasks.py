"""The tasks editors and CI run: ``invoke --list``, ``new``, ``build``."""

import importlib.util
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import ROOT, article_text, run_invoke
from content_model.header import split_article

TASKS = {"build", "serve", "cms", "new", "clean", "test", "lint", "audit"}


def test_every_task_has_a_one_line_description():
    listing = run_invoke(ROOT, "--list")
    assert listing.returncode == 0
    lines = [
        line.split(None, 1) for line in listing.stdout.splitlines()[1:] if line.strip()
    ]
    described = {parts[0]: parts[1] if len(parts) > 1 else "" for parts in lines}
    assert set(described) >= TASKS
    assert all(described[name].strip() for name in TASKS)


def test_new_writes_a_draft_with_every_key(project):
    done = run_invoke(project, "new", "Đại hội Chi bộ ấp Hòa Lợi", "--category", "iuu")
    assert done.returncode == 0, done.stderr
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    path = project / "content" / "bai-viet" / str(year) / "dai-hoi-chi-bo-ap-hoa-loi.md"
    source = split_article(path.read_text(encoding="utf-8"))
    keys = [field.key for field in source.fields]
    for key in (
        "Title",
        "Date",
        "Category",
        "Topics",
        "Tags",
        "Authors",
        "Source",
        "Summary",
        "Image",
        "Image_caption",
        "Slug",
        "Status",
    ):
        assert key in keys
    assert source.first("category").value == "Chống khai thác IUU"
    assert source.first("status").value == "draft"
    assert source.first("date").value.startswith(str(year))
    again = run_invoke(project, "new", "Đại hội Chi bộ ấp Hòa Lợi", "--category", "iuu")
    assert again.returncode != 0
    unknown = run_invoke(project, "new", "Bài khác", "--category", "the thao")
    assert unknown.returncode != 0
    assert "Không có chuyên mục" in unknown.stderr


def test_build_fails_with_every_error_listed(project):
    articles = project / "content" / "bai-viet"
    (articles / "tot.md").write_text(article_text(title="Bài tốt"), encoding="utf-8")
    (articles / "mot.md").write_text(
        article_text(title="Một", category="Không có"), "utf-8"
    )
    (articles / "hai.md").write_text(
        article_text(title="Hai", category="Sai nốt"), "utf-8"
    )
    done = run_invoke(project, "build")
    assert done.returncode != 0
    assert "content/bai-viet/mot.md:3: Category:" in done.stderr
    assert "content/bai-viet/hai.md:3: Category:" in done.stderr
    (articles / "mot.md").unlink()
    (articles / "hai.md").unlink()
    done = run_invoke(project, "build")
    assert done.returncode == 0, done.stderr
    assert "invoke serve" in done.stdout
    assert (project / "output" / "2024" / "04" / "bai-tot" / "index.html").is_file()


def test_plain_pelican_also_fails_on_a_content_error(project):
    articles = project / "content" / "bai-viet"
    (articles / "sai.md").write_text(article_text(category="Không có"), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", "pelicanconf.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "sai.md:3: Category:" in done.stdout + done.stderr


def test_a_plugin_that_fails_to_load_fails_the_build(site):
    site.article("a")
    result = site.build(PLUGINS=["build_gate", "article_model", "khong_co_plugin"])
    assert result.failed
    assert any("khong_co_plugin" in message for message in result.errors)


def test_the_benchmark_measures_every_build_on_a_small_corpus(monkeypatch):
    """``invoke bench``'s measurements, end to end, on 20 generated articles."""
    from bench.runner import run_bench, table  # noqa: PLC0415 - only this test

    # On a machine that writes no bytecode, the bench compiles the portal's
    # modules itself: its builds load them, as a newsroom's do.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    compiled = Path(importlib.util.cache_from_source(str(ROOT / "tools/site_build.py")))
    compiled.unlink(missing_ok=True)
    report = run_bench(20, 1, search=False, preview=False, intake=False, editor=False)
    assert compiled.exists()
    edits = report["d_rebuild_one_edit"]
    assert set(edits) == {"oldest", "middle", "newest", "largest_section", "van_ban"}
    assert edits["van_ban"]["source"].startswith("van-ban/")
    kinds = (
        "a_cold_build",
        "b_vanilla_pelican",
        "h_hugo",
        "c_rebuild_unchanged",
        "c2_rebuild_unchanged_without_stamp",
        "e_rebuild_one_added",
    )
    for kind, figures in [(kind, report[kind]) for kind in kinds] + list(edits.items()):
        assert len(figures["runs"]) == 1, kind  # timed once; sampled apart
        assert figures["seconds"] > 0, kind
        assert figures["peak_mib"] > 0, kind  # measured apart, in the sampled attempt
    added = report["g_files_after_one_added"]
    assert added["added_without_copies"] >= 1  # the new article's page
    assert 0 < added["changed_without_copies"] < report["output_files"] / 2
    assert set(report["ratios"]["d_over_a"]) == set(edits)
    # (a)/(b), each (d), (e); no (s) without the preview.
    measures = [(target["measure"], target["which"]) for target in report["targets"]]
    assert measures == [
        ("(a)/(b)", ""),
        *[("(d)/(a)", which) for which in edits],
        ("(e)/(a)", ""),
    ]
    shown = table(report)
    assert "(g) files after one article added" in shown
    assert f"(h) Hugo {report['h_hugo']['version']}" in shown
    assert "≤ 15 % of (a)" in shown


def test_the_bench_sets_an_earlier_output_aside_rather_than_deleting_it(tmp_path):
    """Each timed build writes into a fresh folder; nothing is deleted before it."""
    from bench.builds import set_aside  # noqa: PLC0415 - only this test

    output = tmp_path / "output"
    for attempt in range(2):
        (output / "bai").mkdir(parents=True)
        (output / "bai" / "index.html").write_text(f"lần {attempt}", encoding="utf-8")
        set_aside(output)
        assert not output.exists()
    set_aside(tmp_path / "vanilla")  # never built: nothing to do
    kept = sorted((tmp_path / "set-aside").iterdir())
    assert [path.name for path in kept] == ["output-0", "output-1"]
    assert [(path / "bai/index.html").read_text(encoding="utf-8") for path in kept] == [
        "lần 0",
        "lần 1",
    ]


def test_a_build_too_short_to_sample_reports_its_resident_peak():
    """A process that ends before a second sample is not measured by its first.

    That sample may be taken while the process is still being started (a few
    KiB): the build's own peak resident size is reported instead.
    """
    from bench.builds import run_build  # noqa: PLC0415 - only this test

    code = (
        "import json, resource\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        'print(json.dumps({"seconds": 0.001, "ok": True, "errors": [], "peak_mib": rss}))\n'
    )
    peaks = [run_build(code, sample_memory=True).peak_mib for _ in range(10)]
    assert min(peaks) >= 1, peaks  # an interpreter holds megabytes
