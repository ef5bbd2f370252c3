"""Deploys that fail, race or are misdirected never put a broken site live."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import test_publishing
from test_publishing import SITE, fetch, fingerprint, nginx_serving, run_publish

from conftest import ROOT, run_invoke
from tools.publishing import DeployError, Target, deploy, rollback
from tools.publishing.deploy import KEEP, manifest, release_name

newsroom = test_publishing.newsroom
BUSY = "một lần đăng khác đang chạy"
TARGET_BUSY = "một lần đăng hoặc quay lại khác đang chạy"


def built(site, **settings) -> Path:
    """The site built for production in its output folder."""
    assert site.build(production=True, SITEURL=SITE, FEED_DOMAIN=SITE, **settings).ok
    return site.output


def bundle(page: bytes, kind: str) -> str:
    """The path of the theme's CSS or JS bundle a page links to."""
    found = re.search(
        rf'"[^"]*/(theme/{kind}/portal\.[0-9a-f]{{12}}\.{kind})"', page.decode()
    )
    return found.group(1)


@contextlib.contextmanager
def held_by_another_process(lock: str):
    """Another process holds a lock (a Python expression) until the block ends."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from tools.publishing.deploy import Target\n"
        "from tools.publishing.pipeline import staging_lock\n"
        f"with {lock}:\n    print('held', flush=True)\n    sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(ROOT / f) for f in ("lib", "plugins")),
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate(timeout=30)
    assert holder.returncode == 0


# --- Finished releases ---------------------------------------------------------------


def test_a_release_left_half_finished_is_never_rolled_back_to(newsroom, tmp_path):
    srv = tmp_path / "srv"
    target = Target.parse(str(srv))
    first = deploy(built(newsroom), target)
    # A deploy that ran out of disk between the two left 245 empty files.
    failed = release_name(newsroom.output)
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    second = deploy(built(newsroom), target)
    assert first < failed < second
    leftover = srv / "releases" / failed
    leftover.mkdir()
    for number in range(245):
        (leftover / f"{number}.html").touch()
    assert target.releases() == [first, second]

    assert rollback(target) == first
    assert (srv / "current" / "index.html").stat().st_size > 0
    before = fingerprint(srv)
    with pytest.raises(DeployError, match="không có bản phát hành hoàn chỉnh nào"):
        rollback(target)
    assert fingerprint(srv) == before

    # The next deploy removes the leftover, which nothing uses.
    third = deploy(built(newsroom), target)
    assert not leftover.exists()
    assert sorted(path.name for path in (srv / "releases").iterdir()) == [
        first,
        second,
        third,
    ]
    assert sorted(path.name for path in (srv / "finished").iterdir()) == [
        first,
        second,
        third,
    ]


def test_a_deploy_that_fails_half_way_leaves_the_site_and_no_leftover(
    newsroom, tmp_path
):
    srv = tmp_path / "srv"
    target = Target.parse(str(srv))
    first = deploy(built(newsroom), target)
    before = fingerprint(srv)
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    output = built(newsroom)
    # No file over 4 KiB can be written: rsync fails after copying part of it,
    # as on a full disk.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(DeployError) as failure:
            deploy(output, target)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    message = str(failure.value)
    assert message.startswith(f"chép lên {srv} thất bại: ") and "\n" not in message
    assert fingerprint(srv) == before
    assert target.current() == first
    assert deploy(output, target) != first


def test_each_deploy_checks_the_copy_against_the_build(newsroom, tmp_path):
    srv = tmp_path / "srv"
    output = built(newsroom)
    release = deploy(output, Target.parse(str(srv)))
    listed = (srv / "finished" / release).read_text(encoding="utf-8").splitlines()
    assert {line.split(" ", 1)[1]: int(line.split(" ", 1)[0]) for line in listed} == (
        manifest(output)
    )
    assert manifest(srv / "current") == manifest(output)
    # A page built again within the same second, at the same size.
    page = output / "gioi-thieu" / "index.html"
    written = page.stat()
    text = page.read_text(encoding="utf-8").replace("Giới thiệu", "GIỚI THIỆU")
    page.write_text(text, encoding="utf-8")
    os.utime(page, ns=(written.st_atime_ns, written.st_mtime_ns))
    assert page.stat().st_size == written.st_size
    second = deploy(output, Target.parse(str(srv)))
    assert (srv / "current" / "gioi-thieu" / "index.html").read_bytes() == (
        page.read_bytes()
    )
    (output / "index.html").unlink()
    with pytest.raises(DeployError, match=r"không có index\.html"):
        deploy(output, Target.parse(str(srv)))
    assert Target.parse(str(srv)).releases() == [release, second]


# --- One at a time -------------------------------------------------------------------


def test_a_second_publish_is_refused_while_one_runs(newsroom, tmp_path):
    target = tmp_path / "srv"
    staging = newsroom.root / "staging"
    code, report = run_publish(newsroom, target)
    assert code == 0, report
    live, staged = fingerprint(target), fingerprint(staging)
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    with held_by_another_process(f"staging_lock(Path({str(staging)!r}))"):
        code, report = run_publish(newsroom, target)
    assert code == 1
    assert report.startswith(f"Dừng: {BUSY}") and report.count("\n") == 1
    assert fingerprint(target) == live and fingerprint(staging) == staged
    code, report = run_publish(newsroom, target)
    assert code == 0, report
    assert (target / "current" / "2024" / "06" / "tin-moi" / "index.html").is_file()


def test_two_publishes_at_once_put_one_complete_release_live(newsroom, tmp_path):
    target = tmp_path / "srv"
    start, results = threading.Barrier(2), []

    def publish_now():
        start.wait()
        results.append(run_publish(newsroom, target))

    threads = [threading.Thread(target=publish_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert 0 in [code for code, _report in results]
    for code, report in results:
        assert code == 0 or report.startswith(f"Dừng: {BUSY}"), report
    assert manifest(target / "current") == manifest(newsroom.root / "staging")


def test_deploys_and_rollbacks_take_turns_on_a_target(newsroom, tmp_path):
    srv = tmp_path / "srv"
    target = Target.parse(str(srv))
    first = deploy(built(newsroom), target)
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    output = built(newsroom)
    deploy(output, target)
    before = fingerprint(srv)
    with held_by_another_process(f"Target.parse({str(srv)!r}).locked()"):
        with pytest.raises(DeployError, match=TARGET_BUSY):
            rollback(target)
        with pytest.raises(DeployError, match=TARGET_BUSY):
            deploy(output, target)
    assert fingerprint(srv) == before
    assert rollback(target) == first


# --- Readers -------------------------------------------------------------------------


def without_rsync(folder: Path) -> str:
    """A PATH with every program of this one but rsync."""
    folder.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        with contextlib.suppress(OSError):
            for program in Path(directory).iterdir():
                link = folder / program.name
                if program.name != "rsync" and not link.exists():
                    link.symlink_to(program)
    return str(folder)


@pytest.mark.parametrize("copier", ["rsync", "copytree"])
def test_published_files_are_readable_by_the_web_server_whatever_the_umask(
    newsroom, tmp_path, monkeypatch, copier
):
    if copier == "copytree":
        monkeypatch.setenv("PATH", without_rsync(tmp_path / "bin"))
        assert shutil.which("rsync") is None
    # nginx's workers run as nobody, like www-data on the server.
    public = Path(tempfile.mkdtemp(prefix="cong-thong-tin-"))
    public.chmod(0o755)
    try:
        mask = os.umask(0o077)
        try:
            code, report = run_publish(newsroom, public / "srv")
        finally:
            os.umask(mask)
        assert code == 0, report
        live = public / "srv" / "current"
        for path in [live, *live.rglob("*")]:
            mode = path.stat().st_mode & 0o777
            assert mode == (0o755 if path.is_dir() else 0o644), path
        with nginx_serving(live, tmp_path, user="nobody nogroup") as base:
            status, _headers, home = fetch(f"{base}/")
            assert status == 200
            for url in ("/gioi-thieu/", f"/{bundle(home, 'css')}", "/atom.xml"):
                status, _headers, _body = fetch(base + url)
                assert status == 200, url
    finally:
        shutil.rmtree(public)


def test_the_previous_bundles_are_served_after_a_switch(newsroom, tmp_path):
    srv = tmp_path / "srv"
    code, report = run_publish(newsroom, srv)
    assert code == 0, report
    with nginx_serving(srv / "current", tmp_path) as base:
        _status, _headers, home = fetch(f"{base}/")
        old_css, old_js = bundle(home, "css"), bundle(home, "js")
        # A new theme: pages cached for 5 minutes still ask for the old bundles.
        code, report = run_publish(
            newsroom, srv, THEME_ASSETS={"CSS": ["css/base.css"]}
        )
        assert code == 0, report
        _status, _headers, home = fetch(f"{base}/")
        assert bundle(home, "css") != old_css and bundle(home, "js") == old_js
        status, headers, _body = fetch(f"{base}/{old_css}", "gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        # Kept as long as a kept release was built with it, then dropped.
        target = Target.parse(str(srv))
        first = target.releases()[0]
        while first in target.releases():
            deploy(newsroom.root / "staging", target)
            assert fetch(f"{base}/{old_css}")[0] == 200
        deploy(newsroom.root / "staging", target)
        assert len(target.releases()) == KEEP
        assert fetch(f"{base}/{old_css}")[0] == 404
        assert fetch(f"{base}/{bundle(home, 'css')}")[0] == 200


# --- Operator errors -----------------------------------------------------------------


def test_misdirected_publishes_and_rollbacks_end_in_one_line(project, tmp_path):
    a_file = tmp_path / "ghi-chu.txt"
    a_file.write_text("không phải thư mục\n", encoding="utf-8")
    cases = {
        ("publish", ""): "chưa chỉ định nơi đăng",
        ("publish", "."): "không đăng vào thư mục mã nguồn",
        ("publish", "output"): "không đăng vào thư mục mã nguồn",
        ("publish", str(a_file)): "là một tệp, không phải thư mục",
        ("publish", str(a_file / "srv")): "là một tệp, không phải thư mục",
        ("rollback", ""): "chưa chỉ định nơi đăng",
        ("rollback", str(tmp_path / "chua-dang")): "chưa có bản phát hành nào",
        ("publish", "-oProxyCommand=touch@x:/srv"): "không phải người-dùng@máy",
    }
    before = fingerprint(project)
    for (task, target), message in cases.items():
        result = run_invoke(project, task, "--target", target)
        lines = (result.stdout + result.stderr).strip().splitlines()
        assert result.returncode == 1, (task, target, lines)
        assert len(lines) == 1 and message in lines[0], (task, target, lines)
    assert fingerprint(project) == before
    assert a_file.read_text(encoding="utf-8") == "không phải thư mục\n"
    assert not (tmp_path / "chua-dang").exists()


def test_rollback_needs_an_earlier_finished_release(newsroom, project, tmp_path):
    srv = tmp_path / "srv"
    first = deploy(built(newsroom), Target.parse(str(srv)))
    before = fingerprint(srv)
    result = run_invoke(project, "rollback", "--target", str(srv))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("LỖI: không có bản phát hành hoàn chỉnh nào")
    assert result.stderr.count("\n") == 1
    assert fingerprint(srv) == before
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    deploy(built(newsroom), Target.parse(str(srv)))
    result = run_invoke(project, "rollback", "--target", str(srv))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Đã quay lại bản {first}.\n"


def test_an_unreachable_server_stops_the_publish_in_one_line(newsroom):
    code, report = run_publish(newsroom, "nobody@127.0.0.1:/srv/cong-thong-tin")
    assert code == 1
    assert report.splitlines()[-1].startswith(
        "Dừng: không kết nối được tới nobody@127.0.0.1: "
    )
    assert "Traceback" not in report


def test_a_target_published_before_finished_markers_keeps_its_live_release(
    newsroom, tmp_path
):
    """The first deploy after an upgrade: the live release counts as finished."""
    srv = tmp_path / "srv"
    old = "20200101T000000000000Z-0ld0ld00"
    shutil.copytree(built(newsroom), srv / "releases" / old)
    (srv / "current").symlink_to(f"releases/{old}")
    old_css = bundle((srv / "current" / "index.html").read_bytes(), "css")
    target = Target.parse(str(srv))
    newsroom.write("../theme-khac.txt", "")  # the site changes, not its theme
    newsroom.article("moi", title="Tin mới", date="2024-06-01 08:00")
    new = deploy(built(newsroom), target)
    assert target.releases() == [old, new]
    assert (srv / "releases" / old / "index.html").is_file()
    assert (srv / "current" / old_css).is_file()
    assert rollback(target) == old
    assert target.current() == old


def test_a_rollback_undoes_the_last_deploy_never_back_to_a_rolled_away_release(
    newsroom, tmp_path
):
    target = Target.parse(str(tmp_path / "srv"))
    good = deploy(built(newsroom), target)
    newsroom.article("hong", title="Tin lỗi", date="2024-06-01 08:00")
    bad = deploy(built(newsroom), target)
    assert rollback(target) == good
    newsroom.article("sua", title="Tin đã sửa", date="2024-06-02 08:00")
    fixed = deploy(built(newsroom), target)
    assert bad < fixed
    # Undo the fix: back to the release live before it, not to the bad one.
    assert rollback(target) == good
    assert target.current() == good
    with pytest.raises(DeployError, match="không có bản phát hành hoàn chỉnh"):
        rollback(target)
