"""``invoke serve``'s preview: what it serves, what it tells pages, what it never writes."""

from __future__ import annotations

import gc
import hashlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup
from pelican.contents import Article

from conftest import TinySite, article_text, interruptible, start_preview
from tools.local_nginx import free_port
from tools.preview import Preview, PreviewServer, PreviewState, problems_from_errors
from tools.preview.runner import IDLE_COLLECT_SECONDS
from tools.preview.server import EVENTS

PREVIEW_TRACES = (b"__xem-thu", b"tai-lai", b"data-build")


def get(url: str | urllib.request.Request) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def output_files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def test_problems_name_the_file_from_the_content_folder_and_its_line(tmp_path):
    content = tmp_path / "content"
    problems = problems_from_errors(
        [
            f"{content}/bai-viet/a.md:3: Category: không có chuyên mục",
            "Không nạp được plugin x; bản dựng dừng lại.",
        ],
        content,
    )
    assert problems[0].file == "content/bai-viet/a.md"
    assert problems[0].line == 3
    assert problems[0].message == "Category: không có chuyên mục"
    assert problems[1].file is None
    assert problems[1].message.startswith("Không nạp được plugin")


def test_an_open_page_written_first_is_told_the_build_ended_before_the_rest():
    state = PreviewState()
    opened, other = "2024/04/tin-thu/index.html", "index.html"
    for page in (opened, opened, other):
        state.page_opened(page)
    state.page_closed(other)
    state.page_closed(opened)
    assert state.open_pages() == [opened]  # one of its two tabs is still open
    served = state.build_id
    state.building()
    state.written_first([opened])
    told = json.loads(state.current(opened)[1])
    assert told["building"] is False
    assert told["build"] != served
    # Reloaded now, it is served as the running build's page, and other pages
    # still as the last build's, building.
    assert state.build_id_for(opened) == told["build"]
    assert state.build_id_for(other) == served
    assert json.loads(state.current(other)[1])["building"] is True
    state.built([])
    assert state.build_id == told["build"]
    assert json.loads(state.current(opened)[1]) == {
        "build": told["build"],
        "building": False,
        "problems": [],
    }
    # Told after its build ended (too late), nothing changes.
    state.written_first([opened])
    assert state.build_id_for(opened) == told["build"]


def test_pages_told_one_by_one_and_one_changed_after_reload_at_the_end():
    """Pages are told as each is written; one the build then changed makes
    its end a build id no page was served with: every open page reloads."""
    state = PreviewState()
    article, section = "2024/04/tin-thu/index.html", "chuyen-muc/iuu/index.html"
    for page in (article, section):
        state.page_opened(page)
    served = state.build_id
    state.building()
    state.written_first([article])
    state.written_first([section])
    early = state.build_id_for(article)
    assert early == state.build_id_for(section) != served
    assert state.open_pages_told()
    state.changed_after_first(["khong-mo/index.html"])  # no page told: nothing
    assert state.open_pages_told()
    state.changed_after_first([section])
    assert not state.open_pages_told()  # they reload at the end: no collection
    # Told so, they show the build running again, with the id they have.
    _version, told = state.current(section)
    assert json.loads(told) == {"build": early, "building": True, "problems": []}
    state.built([])
    assert state.build_id not in {served, early}
    # The next build, with nothing changed after, ends with the id told.
    state.building()
    state.written_first([article, section])
    early = state.build_id_for(article)
    state.built([])
    assert state.build_id == early


def test_the_events_of_a_page_name_it_open_until_it_closes(preview: Preview):
    host, port = preview.server.server_address[:2]
    streams = []
    for query in ("?trang=%2F2024%2F04%2Ftin-thu%2F", "?trang=%2F..%2F..%2Fetc%2F", ""):
        connection = http.client.HTTPConnection(host, port)
        connection.request("GET", EVENTS + query)
        stream = connection.getresponse()
        stream.fp.readline()  # the stream has started
        streams.append((connection, stream))
    assert preview.state.open_pages() == [
        "2024/04/tin-thu/index.html",
        "etc/index.html",
    ]
    for connection, stream in streams:
        stream.close()
        connection.close()
    # A closed stream is noticed when a write to it fails: after an event or
    # two (the first may still be taken by the socket), or a keep-alive.
    deadline = time.monotonic() + 10
    while preview.state.open_pages():
        assert time.monotonic() < deadline, preview.state.open_pages()
        preview.state.building()
        time.sleep(0.1)


def test_pages_served_carry_the_preview_script_the_built_files_never(
    site: TinySite, preview: Preview
):
    soup = BeautifulSoup(get(preview.url + "/")[2], "html.parser")
    script = soup.select_one('script[src^="/__xem-thu/tai-lai.js?v="]')
    assert script is not None
    assert script["data-build"] == preview.state.build_id
    assert soup.select_one('link[rel="stylesheet"][href^="/__xem-thu/tai-lai.css?v="]')
    # Same-origin files and stream: the page's own policy allows them.
    policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    for directive in ("script-src", "style-src", "connect-src"):
        assert "'self'" in directives[directive].split()

    status, headers, body = get(preview.url + "/khong-co-trang-nay/")
    assert status == 404
    assert b"/__xem-thu/tai-lai.js" in body
    assert headers["Cache-Control"] == "no-store"
    # A folder without a page is a 404, as on nginx: no listing.
    assert get(preview.url + "/theme/")[0] == 404
    status, headers, body = get(preview.url + "/__xem-thu/tai-lai.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body
    assert get(preview.url + "/__xem-thu/khong-co.js")[0] == 404

    built = output_files(site.output)
    assert built
    for name, data in built.items():
        assert not any(trace in data for trace in PREVIEW_TRACES), name


def get_asking(url: str, headers: dict) -> tuple[int, dict, bytes]:
    return get(urllib.request.Request(url, headers=headers))


def test_a_reload_asks_again_for_the_page_and_files_never_the_bundles(
    site: TinySite, preview: Preview
):
    """Only what may have changed is sent again: a reload is the page, not the site."""
    page_url = preview.url + "/2024/04/tin-thu/"
    status, headers, body = get(page_url)
    assert (status, headers["Cache-Control"], headers.get("ETag")) == (
        200,
        "no-store",
        None,
    )
    soup = BeautifulSoup(body, "html.parser")

    # The theme's bundles: the name is a digest of the bytes, kept for good.
    bundles = [soup.select_one('link[rel="stylesheet"][href^="/theme/"]')["href"]]
    bundles += [tag["src"] for tag in soup.select('script[src^="/theme/"]')]
    assert {url.rsplit(".", 1)[1] for url in bundles} == {"css", "js"}
    for url in bundles:
        status, headers, body = get(preview.url + url)
        assert status == 200
        assert headers["Cache-Control"] == "max-age=31536000, immutable"
        assert hashlib.sha256(body).hexdigest()[:12] == url.rsplit(".", 2)[1]
    # Every file of the build named so holds the bytes its name digests.
    named = {
        name: data
        for name, data in output_files(site.output).items()
        if preview.server.named_by_content("/" + name)
    }
    assert {url.lstrip("/") for url in bundles} < named.keys()
    for name, data in named.items():
        assert hashlib.sha256(data).hexdigest()[:12] == name.rsplit(".", 2)[1]

    # The preview's own files: at a URL with their digest, kept for good.
    for tag, attribute in (("script", "src"), ("link", "href")):
        url = soup.select_one(f'{tag}[{attribute}^="/__xem-thu/"]')[attribute]
        status, headers, body = get(preview.url + url)
        assert headers["Cache-Control"] == "max-age=31536000, immutable"
        assert url.endswith("?v=" + hashlib.sha256(body).hexdigest()[:12])
        status, headers, _ = get(preview.url + url.split("?")[0])
        assert (status, headers["Cache-Control"]) == (200, "no-store")

    # Any other file: asked for again by its tag; unchanged, nothing is sent.
    image = preview.url + "/theme/images/favicon.svg"
    status, headers, body = get(image)
    assert (status, headers["Cache-Control"]) == (200, "no-cache")
    tag = headers["ETag"]
    written = site.output / "theme" / "images" / "favicon.svg"
    assert body == written.read_bytes()
    status, headers, body = get_asking(image, {"If-None-Match": f'"x", {tag}'})
    assert (status, body, headers["ETag"]) == (304, b"", tag)
    # Written again at once with other bytes of the same size: sent again.
    changed = bytes(reversed(written.read_bytes()))
    before = written.stat().st_mtime_ns
    written.write_bytes(changed)
    # ... within the same second: a time in seconds would not tell it.
    second, nanoseconds = divmod(before, 10**9)
    same_second = second * 10**9 + (nanoseconds + 1) % 10**9
    os.utime(written, ns=(same_second, same_second))
    status, headers, body = get_asking(image, {"If-None-Match": tag})
    assert (status, body) == (200, changed)
    assert headers["ETag"] != tag
    # A missing file is a 404 that no browser keeps.
    status, headers, _ = get_asking(
        preview.url + "/theme/css/portal.000000000000.css", {"If-None-Match": tag}
    )
    assert (status, headers["Cache-Control"]) == (404, "no-store")


def test_untouched_paths_are_served_as_built_without_the_reload_script(
    site: TinySite,
):
    """The browser editor (/quan-tri/) must never reload itself on a rebuild."""
    from conftest import ROOT  # noqa: PLC0415

    site.article("tin-thu", title="Tin thử", body="Nội dung.")
    preview = Preview(
        ROOT / "pelicanconf.py",
        [site.content],
        {"PATH": str(site.content), "OUTPUT_PATH": str(site.output), "SITEURL": ""},
        untouched=["/quan-tri/"],
    )
    preview.start(built_first=True)
    try:
        status, _, body = get(preview.url + "/quan-tri/")
        assert status == 200
        assert body == (site.output / "quan-tri" / "index.html").read_bytes()
        assert b"/__xem-thu/tai-lai.js" not in body
        assert b"/__xem-thu/tai-lai.js" in get(preview.url + "/")[2]
    finally:
        preview.stop()


def test_before_the_first_build_a_page_waits_for_it(tmp_path: Path):
    server = PreviewServer(tmp_path / "output", PreviewState())
    server.start()
    try:
        status, _headers, body = get(server.url + "/2024/04/tin-thu/")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 404
    soup = BeautifulSoup(body, "html.parser")
    assert soup.h1.get_text() == "Chưa có trang này"
    assert soup.select_one('script[src^="/__xem-thu/tai-lai.js?v="]')


def test_paths_never_leave_the_output_folder(site: TinySite, preview: Preview):
    (site.root / "bi-mat.txt").write_text("bí mật", encoding="utf-8")
    host, port = preview.server.server_address[:2]
    for path in ("/../bi-mat.txt", "/%2e%2e/bi-mat.txt", "/..%2fbi-mat.txt"):
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        assert "bí mật".encode() not in response.read(), path
        connection.close()
    assert host == "127.0.0.1"


def test_production_output_is_the_same_whether_the_preview_ran_or_not(
    site: TinySite,
):
    site.article("tin-thu", title="Tin thử", body="Nội dung đầu tiên.")
    assert site.build(production=True).ok
    before = output_files(site.output)
    running = start_preview(site)
    try:
        for url in ("/", "/2024/04/tin-thu/", "/khong-co/"):
            get(running.url + url)
    finally:
        running.stop()
    assert site.build(production=True).ok
    assert output_files(site.output) == before


def test_each_build_is_an_event_with_its_problems(site: TinySite, preview: Preview):
    connection = http.client.HTTPConnection(*preview.server.server_address[:2])
    connection.request("GET", EVENTS)
    stream = connection.getresponse()
    assert stream.getheader("Content-Type").startswith("text/event-stream")

    def next_state() -> dict:
        while True:
            line = stream.fp.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[len("data: ") :])

    first = next_state()
    assert first == {"build": preview.state.build_id, "building": False, "problems": []}
    site.article("tin-thu", title="Tin thử", category="Bóng <b>đá</b>")
    assert next_state()["building"] is True
    broken = next_state()
    assert broken["building"] is False
    assert broken["build"] != first["build"]
    [problem] = broken["problems"]
    assert problem["file"] == "content/bai-viet/tin-thu.md"
    assert problem["line"] == 3
    assert "Bóng <b>đá</b>" in problem["message"]
    # A draft's problem never blocks a publish, but the draft is left out of
    # the preview: the page names it too.
    site.article("tin-thu", title="Tin thử", category="Bóng đá", Status="draft")
    assert next_state()["building"] is True
    [problem] = next_state()["problems"]
    assert problem["file"] == "content/bai-viet/tin-thu.md"
    assert "nháp" in problem["message"]
    site.write("bai-viet/tin-thu.md", article_text(title="Tin thử"))
    assert next_state()["building"] is True
    assert next_state()["problems"] == []
    connection.close()


def test_invoke_serve_previews_with_live_reload_and_stops_on_ctrl_c(project: Path):
    (project / "content" / "bai-viet" / "tin-thu.md").write_text(
        article_text(title="Tin thử"), encoding="utf-8"
    )
    port = free_port()
    serving = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,  # noqa: PLW1509 - a test's child, no threads
    )
    try:
        assert f"http://localhost:{port}/" in serving.stdout.readline()
        deadline = time.monotonic() + 60
        while (status := get(f"http://127.0.0.1:{port}/")[0]) != 200:
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
        page = get(f"http://127.0.0.1:{port}/2024/04/tin-thu/")[2]
        assert b'src="/__xem-thu/tai-lai.js?v=' in page
    finally:
        serving.send_signal(signal.SIGINT)
        serving.communicate(timeout=30)
    assert serving.returncode == 0
    for name, data in output_files(project / "output").items():
        assert not any(trace in data for trace in PREVIEW_TRACES), name


class Serving:
    """``invoke serve`` in a child process: its log, its event stream's states."""

    def __init__(self, project: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "serve", "--port", str(self.port)],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=interruptible,  # noqa: PLW1509 - a test's child, no threads
        )
        self.log: list[str] = []
        threading.Thread(target=self._read_log, daemon=True).start()
        self.stream: http.client.HTTPResponse | None = None

    def _read_log(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)

    def next_state(self, timeout: float = 120) -> dict | None:
        """The next state the server tells; None when its stream ends."""
        deadline = time.monotonic() + timeout
        while self.stream is None:
            assert self.process.poll() is None, "".join(self.log)
            assert time.monotonic() < deadline, "".join(self.log)
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout
                )
                connection.request("GET", EVENTS)
                self.stream = connection.getresponse()
            except OSError:
                time.sleep(0.1)
        while line := self.stream.fp.readline():
            if line.startswith(b"data: "):
                return json.loads(line[len("data: ") :])
        self.stream = None
        return None

    def built(self, after: str | None = None) -> dict:
        """The state once a build other than ``after`` has ended."""
        while True:
            state = self.next_state()
            if state and not state["building"] and state["build"] != after:
                return state

    def logged(self, text: str, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.log):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        return self.process.returncode


def test_code_settings_and_dependencies_restart_invoke_serve_on_its_port(
    project: Path,
):
    (project / "content" / "bai-viet" / "tin-thu.md").write_text(
        article_text(title="Tin thử"), encoding="utf-8"
    )
    serving = Serving(project)
    restarted = "khởi động lại từ đầu"
    try:
        first = serving.built()
        pid = serving.process.pid

        # Plugin code: the server closes, the same process runs the command
        # again on the same port, and the open page hears a new build.
        plugin = project / "plugins" / "related" / "plugin.py"
        code = plugin.read_text(encoding="utf-8")
        plugin.write_text(code + "\n# Một dòng ghi chú.\n", encoding="utf-8")
        assert serving.logged(restarted), "".join(serving.log)
        assert "plugins/related/plugin.py" in "".join(serving.log)
        second = serving.built(after=first["build"])
        assert second["build"].split("-")[0] != first["build"].split("-")[0]
        assert serving.process.poll() is None
        assert serving.process.pid == pid

        # Settings: the new process builds with them.
        settings = project / "pelicanconf.py"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text + '\nSITESUBTITLE = "Phụ đề mới"\n', encoding="utf-8")
        third = serving.built(after=second["build"])
        page = BeautifulSoup(get(f"http://127.0.0.1:{serving.port}/")[2], "html.parser")
        assert page.select_one('meta[name="description"]')["content"] == "Phụ đề mới"

        # Code that does not compile: told on the page, no restart.
        plugin.write_text(code + "\ndef (:\n", encoding="utf-8")
        broken = serving.built(after=third["build"])
        [problem] = broken["problems"]
        assert problem["file"] == "plugins/related/plugin.py"
        assert "lỗi cú pháp" in problem["message"]
        assert broken["build"].split("-")[0] == third["build"].split("-")[0]

        # Fixed, it restarts; a dependency's list restarts too.
        plugin.write_text(code, encoding="utf-8")
        fourth = serving.built(after=broken["build"])
        assert fourth["problems"] == []
        (project / "requirements.txt").write_text("pelican==4.12.0\n", encoding="utf-8")
        fifth = serving.built(after=fourth["build"])
        assert fifth["build"].split("-")[0] != fourth["build"].split("-")[0]
        restarts = [line for line in serving.log if restarted in line]
        assert len(restarts) == 4, "".join(serving.log)
        assert "requirements.txt" in restarts[-1]
        assert get(f"http://127.0.0.1:{serving.port}/2024/04/tin-thu/")[0] == 200
    finally:
        assert serving.stop() == 0


def rebuilt(preview: Preview, before: str) -> dict:
    """The preview's state once a build after ``before`` has ended."""
    deadline = time.monotonic() + 120
    while True:
        state = json.loads(preview.state.current()[1])
        if not state["building"] and state["build"] != before:
            return state
        assert time.monotonic() < deadline, "the preview did not rebuild"
        time.sleep(0.05)


def articles_alive() -> int:
    """The article objects in this process, freed or not yet collected."""
    return sum(isinstance(o, Article) for o in gc.get_objects())


def test_the_preview_keeps_one_builds_articles_from_save_to_save(
    site: TinySite, preview: Preview
):
    # A build's articles are in cycles that only the cycle collector frees:
    # the preview runs it once idle, so none is run here before counting.
    # Then a collection by hand finds nothing more (no memo keeps them).
    idle, collected = [], []
    for count in range(4):
        before = preview.state.build_id
        site.article("tin-thu", title="Tin thử", body=f"Nội dung lần {count}.")
        assert rebuilt(preview, before)["problems"] == []
        time.sleep(IDLE_COLLECT_SECONDS + 1.5)
        idle.append(articles_alive())
        gc.collect()
        collected.append(articles_alive())
    assert idle[0] >= 1
    assert idle == collected == [idle[0]] * 4, (idle, collected)


def test_a_builds_garbage_is_freed_at_its_end_when_no_open_page_waits_for_it(
    site: TinySite, preview: Preview
):
    """With every open page reloaded before the end of the build (written
    first), the collection runs as the build ends, not when the next save may
    come; with a page that waits for the end (one the build does not write),
    once the preview has been idle."""
    host, port = preview.server.server_address[:2]
    found: dict[str, tuple[int, int]] = {}
    for opened in ("/2024/04/tin-thu/", "/khong-co/"):
        connection = http.client.HTTPConnection(host, port)
        connection.request("GET", f"{EVENTS}?trang={opened}")
        stream = connection.getresponse()
        stream.fp.readline()
        gc.collect()
        before = preview.state.build_id
        site.article("tin-thu", title="Tin thử", body=f"Nội dung khi mở {opened}")
        rebuilt(preview, before)
        time.sleep(IDLE_COLLECT_SECONDS / 3)
        alive = articles_alive()
        gc.collect()
        found[opened] = (alive, articles_alive())
        stream.close()
        connection.close()
        time.sleep(IDLE_COLLECT_SECONDS + 0.5)
    written_first, not_written = found["/2024/04/tin-thu/"], found["/khong-co/"]
    assert written_first[0] == written_first[1] >= 1, found
    assert not_written[0] > not_written[1] >= 1, found
