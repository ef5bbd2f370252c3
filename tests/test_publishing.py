"""Publishing: output checks, atomic deploys, and nginx serving what was published."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from pelican.settings import read_settings

from conftest import ROOT
from theme_assets import named_by_content
from tools.local_nginx import (
    BROTLI_MODULE,
    INTAKE_PORT,
    NGINX,
    PORTAL_CONF,
    configured_intake_port,
    portal_conf,
    portal_nginx,
)
from tools.publishing import Target, check_output, deploy, rollback
from tools.publishing.deploy import BUNDLE
from tools.publishing.pipeline import publish

SITE = "https://chuyende.tinh.example"


def require(path: Path, package: str) -> None:
    if not path.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{path} is missing: .ci/run must apt-get install {package}")
        pytest.skip(f"{path} is missing (apt-get install {package})")


@pytest.fixture
def newsroom(site):
    site.article("mot", title="Tàu cá cập cảng an toàn", date="2024-04-01 08:00")
    site.article(
        "hai",
        title="Đại hội chi bộ điểm",
        date="2024-05-01 08:00",
        category="Đại hội XIV của Đảng",
    )
    site.write("trang/gioi-thieu.md", "Title: Giới thiệu\n\nCổng thông tin.\n")
    return site


def run_publish(
    site, target: Path, validate_html: bool = False, **settings
) -> tuple[int, str]:
    out = io.StringIO()
    code = publish(
        ROOT / "publishconf.py",
        str(target),
        site.root / "staging",
        out,
        validate_html=validate_html,
        overrides={
            "PATH": str(site.content),
            "SITEURL": SITE,
            "FEED_DOMAIN": SITE,
            **settings,
        },
    )
    return code, out.getvalue()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file and link under a folder, with its bytes' hash or link target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def test_a_good_site_goes_live_and_a_broken_one_leaves_it_untouched(newsroom, tmp_path):
    target = tmp_path / "srv"
    # The Nu HTML Checker runs where it is installed (always in CI).
    checker = (
        ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    ).is_file()
    code, report = run_publish(
        newsroom, target, validate_html=checker and bool(shutil.which("java"))
    )
    assert code == 0, report
    live = target / "current"
    assert (live / "2024" / "04" / "tau-ca-cap-cang-an-toan" / "index.html").is_file()
    assert (live / "sitemap.xml").is_file() and (live / "index.html.gz").is_file()
    before = fingerprint(target)
    newsroom.article("sai", title="Bài lỗi", category="Không có chuyên mục này")
    code, report = run_publish(newsroom, target)
    assert code == 1
    assert "sai.md:3: Category:" in report
    assert "trang đang chạy không thay đổi" in report
    assert fingerprint(target) == before


def test_five_releases_are_kept_and_rollback_switches_back(newsroom, tmp_path):
    target = Target.parse(str(tmp_path / "srv"))
    output = newsroom.root / "output"
    names = []
    for number in range(7):
        newsroom.article(
            f"moi-{number}",
            title=f"Tin mới số {number}",
            date=f"2024-06-0{number + 1} 08:00",
        )
        assert newsroom.build(production=True, SITEURL=SITE, FEED_DOMAIN=SITE).ok
        names.append(deploy(output, target))
    assert target.releases() == names[-5:]
    assert target.current() == names[-1]
    assert rollback(target) == names[-2]
    assert (tmp_path / "srv" / "current" / "2024" / "06" / "tin-moi-so-5").is_dir()
    assert not (tmp_path / "srv" / "current" / "2024" / "06" / "tin-moi-so-6").exists()


def test_output_checks_list_every_problem(newsroom):
    assert newsroom.build(production=True, SITEURL=SITE, FEED_DOMAIN=SITE).ok
    output = newsroom.output
    assert check_output(output, SITE, validate_html=False) == []
    page = output / "2024" / "04" / "tau-ca-cap-cang-an-toan" / "index.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        "</main>",
        f'<a href="{SITE}/khong-co/">x</a><img src="/anh/khong-co.jpg" alt="x"> {{static}}/a.jpg</main>',
    )
    page.write_text(text, encoding="utf-8")
    (output / "atom.xml").write_text("<feed>", encoding="utf-8")
    sitemap = output / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(SITE, "https://khac.example", 1),
        encoding="utf-8",
    )
    problems = check_output(output, SITE, validate_html=False)
    assert any(
        "liên kết hỏng tới https://chuyende.tinh.example/khong-co/" in p
        for p in problems
    )
    assert any("liên kết hỏng tới /anh/khong-co.jpg" in p for p in problems)
    assert any("còn sót {static}" in p for p in problems)
    assert any(p.startswith("atom.xml: XML không hợp lệ") for p in problems)
    assert any(
        p.startswith("sitemap.xml: địa chỉ 'https://khac.example/'") for p in problems
    )


def test_invalid_html_is_caught_by_the_nu_checker(newsroom):
    require(
        ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
        "npm ci (vnu-jar)",
    )
    require(Path(shutil.which("java") or "/usr/bin/java"), "default-jre-headless")
    assert newsroom.build(production=True, SITEURL=SITE, FEED_DOMAIN=SITE).ok
    assert check_output(newsroom.output, SITE) == []
    page = newsroom.output / "gioi-thieu" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("<main", "<main><div><p></div"),
        encoding="utf-8",
    )
    problems = check_output(newsroom.output, SITE)
    assert problems and all("gioi-thieu/index.html" in p for p in problems)


def test_sitemaps_and_robots(newsroom):
    newsroom.article(
        "moi",
        title="Tin trong ngày",
        date=time.strftime("%Y-%m-%d %H:%M", time.localtime(time.time() - 3600)),
    )
    newsroom.article("nhap", title="Bản nháp", date="2024-04-03 08:00", Status="draft")
    assert newsroom.build(production=True, SITEURL=SITE, FEED_DOMAIN=SITE).ok
    sitemap = (newsroom.output / "sitemap.xml").read_text(encoding="utf-8")
    assert (
        f"<loc>{SITE}/2024/04/tau-ca-cap-cang-an-toan/</loc><lastmod>2024-04-01T08:00:00+07:00</lastmod>"
        in sitemap
    )
    assert f"<loc>{SITE}/gioi-thieu/</loc>" in sitemap
    assert "ban-nhap" not in sitemap and "Bản nháp" not in sitemap
    news = (newsroom.output / "sitemap-tin-tuc.xml").read_text(encoding="utf-8")
    assert "<news:title>Tin trong ngày</news:title>" in news
    assert "tau-ca-cap-cang" not in news  # older than two days
    robots = (newsroom.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots


# --- nginx ---------------------------------------------------------------------------


@contextlib.contextmanager
def nginx_serving(root: Path, work: Path, user: str | None = None):
    """Debian's nginx on 127.0.0.1 with deploy/nginx.conf, serving ``root``."""
    require(NGINX, "nginx")
    with portal_nginx(root, work, user) as base:
        yield base


def fetch(url: str, encoding: str | None = None):
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": encoding} if encoding else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(newsroom, tmp_path):
    target = tmp_path / "srv"
    both = {"ENABLED": True, "FORMATS": ["gz", "br"]}
    code, report = run_publish(newsroom, target, PRECOMPRESS=both)
    assert code == 0, report
    with nginx_serving(target / "current", tmp_path) as base:
        yield base, target


def test_nginx_serves_pages_feeds_assets_and_the_404_page(served):
    base, _target = served
    status, headers, body = fetch(f"{base}/2024/04/tau-ca-cap-cang-an-toan/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Tàu cá cập cảng an toàn" in body.decode("utf-8")
    assert headers["Cache-Control"] == "public, max-age=300"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    status, headers, body = fetch(f"{base}/atom.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    status, headers, home = fetch(f"{base}/")
    css = (
        re.search(rb'href="[^"]*/(theme/css/portal\.[0-9a-f]{12}\.css)"', home)
        .group(1)
        .decode()
    )
    status, headers, _ = fetch(f"{base}/{css}")
    assert (
        status == 200
        and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    )
    status, headers, body = fetch(f"{base}/khong-co-trang-nay/")
    assert status == 404 and "Không tìm thấy trang" in body.decode("utf-8")
    assert "Content-Security-Policy" in headers


def test_nginx_caches_lead_images_named_by_content_for_a_year(served):
    base, target = served
    for folder, name in (("anh", "tau-ca-480-0123abcd.jpg"), ("images", "tau.jpg")):
        (target / "current" / folder).mkdir(exist_ok=True)
        (target / "current" / folder / name).write_bytes(b"\xff\xd8\xff\xe0")
    _status, headers, _ = fetch(f"{base}/anh/tau-ca-480-0123abcd.jpg")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    _status, headers, _ = fetch(f"{base}/images/tau.jpg")
    assert headers["Cache-Control"] == "public, max-age=2592000"


def test_nginx_and_the_deploy_keep_for_good_the_bundles_named_by_content(served):
    """One naming rule, three readers: the preview, nginx, the deploy's carried files."""
    base, target = served
    settings = read_settings(str(ROOT / "publishconf.py"))
    release = target / "current"
    names = sorted(
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_file()
    )
    named = [name for name in names if named_by_content(settings, name)]
    # The site's bundles and the search page's own.
    assert {name.rsplit(".", 1)[1] for name in named} == {"css", "js"}
    assert any(name.startswith("theme/js/search.") for name in named)
    for name in names:
        copy_of = name.removesuffix(".gz").removesuffix(".br")
        carried = re.fullmatch(BUNDLE, name) is not None
        assert carried == named_by_content(settings, copy_of), name
    for name in names:
        if name.endswith((".gz", ".br")):
            continue
        _status, headers, _ = fetch(f"{base}/{quote(name)}")
        kept = headers.get("Cache-Control") == "public, max-age=31536000, immutable"
        if name in named:
            assert kept, name
        elif kept:  # lead-image variants, named by their source's digest
            assert re.fullmatch(r"anh/[^/]+-[0-9]+-[0-9a-f]{8}\.(jpg|png|webp)", name)


def test_nginx_sends_the_precompressed_copies(served):
    base, target = served
    status, headers, body = fetch(f"{base}/gioi-thieu/", "gzip")
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert body == (target / "current" / "gioi-thieu" / "index.html.gz").read_bytes()
    assert "Giới thiệu" in gzip.decompress(body).decode("utf-8")
    if BROTLI_MODULE.exists():
        status, headers, body = fetch(f"{base}/gioi-thieu/", "br")
        assert headers.get("Content-Encoding") == "br"
        assert (
            body == (target / "current" / "gioi-thieu" / "index.html.br").read_bytes()
        )


def test_nginx_compressed_answers_vary_by_encoding(served):
    base, _target = served
    status, headers, _body = fetch(f"{base}/gioi-thieu/", "gzip")
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert headers.get("Vary") == "Accept-Encoding"


def test_nginx_never_serves_dotfiles_but_serves_well_known(served):
    base, target = served
    live = target / "current"
    for name in (".git/config", ".env", ".htaccess", "gioi-thieu/.env"):
        (live / name).parent.mkdir(parents=True, exist_ok=True)
        (live / name).write_text("SECRET=1\n", encoding="utf-8")
    for name in (".git/config", ".git/", ".env", ".htaccess", "gioi-thieu/.env"):
        status, _headers, body = fetch(f"{base}/{name}")
        assert status == 404, name
        assert "Không tìm thấy trang" in body.decode("utf-8")
    (live / ".well-known").mkdir()
    (live / ".well-known" / "security.txt").write_text(
        "Contact: mailto:bientap@tinh.example\n", encoding="utf-8"
    )
    status, _headers, body = fetch(f"{base}/.well-known/security.txt")
    assert status == 200 and body.startswith(b"Contact:")


def test_nginx_folders_redirect_relatively_and_lack_of_a_page_is_a_404(served):
    base, _target = served
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/chuyen-muc", headers={"Host": "chuyende.tinh.example"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "/chuyen-muc/"
    connection.close()
    status, _headers, body = fetch(f"{base}/chuyen-muc/")
    assert status == 200 and "<h1" in body.decode("utf-8")
    # Folders without a page of their own: the 404 page, not nginx's 403.
    for url in ("/2024/03/", "/2023/", "/theme/css/", "/anh/", "/en/khong-co/"):
        status, headers, body = fetch(base + url)
        assert status == 404, url
        assert "Không tìm thấy trang" in body.decode("utf-8")
        assert headers["Content-Type"].startswith("text/html")
    # An article's year and month folders send on to their archive.
    for url, archive in (
        ("/2024/", "/luu-tru/2024/"),
        ("/2024/05/", "/luu-tru/2024/05/"),
    ):
        status, _headers, body = fetch(base + url)
        assert status == 200, url
        assert f'content="0; url={SITE}{archive}"' in body.decode("utf-8")
        assert fetch(f"{base}{archive}")[0] == 200


def test_nginx_serves_the_icons_and_the_manifest(served):
    base, _target = served
    status, headers, _body = fetch(f"{base}/favicon.ico")
    assert status == 200 and headers["Content-Type"] in (
        "image/x-icon",
        "image/vnd.microsoft.icon",
    )
    status, headers, _body = fetch(f"{base}/apple-touch-icon.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    status, headers, body = fetch(f"{base}/site.webmanifest")
    assert status == 200
    assert headers["Content-Type"].startswith("application/manifest+json")
    assert b'"short_name"' in body


def test_every_request_succeeds_while_a_release_is_switched(served, newsroom):
    base, target = served
    failures, done = [], threading.Event()

    def keep_requesting():
        while not done.is_set():
            for path in (
                "/",
                "/chuyen-muc/xay-dung-dang/",
                "/2024/04/tau-ca-cap-cang-an-toan/",
            ):
                status, _headers, _body = fetch(base + path)
                if status != 200:
                    failures.append((path, status))

    reader = threading.Thread(target=keep_requesting)
    reader.start()
    try:
        for number in range(3):
            newsroom.article(
                f"chuyen-{number}",
                title=f"Tin chuyển bản {number}",
                date=f"2024-07-0{number + 1} 08:00",
            )
            code, report = run_publish(newsroom, target)
            assert code == 0, report
    finally:
        done.set()
        reader.join(timeout=30)
    assert failures == []
    status, _headers, _body = fetch(f"{base}/2024/07/tin-chuyen-ban-2/")
    assert status == 200


# --- Compressed copies ---------------------------------------------------------------


def test_production_writes_gzip_copies_and_drops_formats_no_longer_wanted(newsroom):
    """One .gz per text file by default; .br only when asked, removed when not."""
    both = {"ENABLED": True, "FORMATS": ["gz", "br"]}
    assert newsroom.build(production=True, PRECOMPRESS=both).ok
    page = newsroom.output / "gioi-thieu" / "index.html"
    assert page.with_suffix(".html.br").is_file()
    assert newsroom.build(production=True).ok
    assert gzip.decompress(page.with_suffix(".html.gz").read_bytes()) == (
        page.read_bytes()
    )
    copies = [p.name for p in newsroom.output.rglob("*") if p.suffix in (".br", ".gz")]
    assert copies and not [name for name in copies if name.endswith(".br")]
    # Every text file big enough to gain has its copy; small ones do not.
    for path in newsroom.output.rglob("*.html"):
        has_copy = path.with_suffix(".html.gz").is_file()
        assert has_copy == (path.stat().st_size >= 512), path


def test_the_intake_service_port_has_one_source(tmp_path):
    """deploy/nginx.conf's proxy_pass: `invoke intake`, systemd and local nginx follow."""
    moved = tmp_path / "moved.conf"
    moved.write_text(
        PORTAL_CONF.read_text(encoding="utf-8").replace(
            f"127.0.0.1:{INTAKE_PORT};", "127.0.0.1:8123;"
        ),
        encoding="utf-8",
    )
    assert configured_intake_port(moved) == 8123
    assert configured_intake_port() == INTAKE_PORT
    unit = (ROOT / "deploy" / "hoi-dap.service").read_text(encoding="utf-8")
    assert f"--bind 127.0.0.1:{INTAKE_PORT} " in unit
    help_text = subprocess.run(
        [sys.executable, "-m", "invoke", "--help", "intake"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"(default {INTAKE_PORT})" in help_text
    # The tests' nginx sends the forms where the test's service listens.
    local = portal_conf(tmp_path, tmp_path, 8080, intake_port=9999).read_text(
        encoding="utf-8"
    )
    assert "proxy_pass http://127.0.0.1:9999;" in local
    assert f"127.0.0.1:{INTAKE_PORT};" not in local
