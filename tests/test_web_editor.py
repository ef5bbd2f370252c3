"""The browser editor's files: configuration from the sources of truth, the format.

``/quan-tri/config.yml`` (JSON, which YAML reads) is generated at every build
from the article model, the chuyên mục registry and ``WEB_EDITOR``; the
``portal-header`` format of ``portal-cms.js`` reads and writes the reader's
``Key: value`` files (run here by node, on every sample file).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import tomllib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, article_text, copy_project, run_invoke
from content_model.fields import CORRECTION
from content_model.header import split_article

SCRIPT = ROOT / "plugins" / "web_editor" / "static" / "portal-cms.js"
HAS_DECAP = (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file()
needs_decap = pytest.mark.skipif(not HAS_DECAP, reason="npm ci installs decap-cms")


def editor_config(site) -> dict:
    return json.loads((site.output / "quan-tri" / "config.yml").read_text("utf-8"))


def grammar_of(site) -> dict:
    soup = BeautifulSoup(
        (site.output / "quan-tri" / "index.html").read_text("utf-8"), "html.parser"
    )
    return json.loads(soup.select_one("#portal-header-grammar").string)


def as_read(source) -> set[tuple[str, str]]:
    """A file's header as the reader takes it: a correction's separator is free."""
    read = set()
    for field in source.fields:
        value = field.value
        if field.key == "Correction":
            match = CORRECTION.match(value)
            value = f"{match['date']} | {match['text']}"
        read.add((field.key, value))
    return read


def fields_of(config: dict, collection: str) -> dict[str, dict]:
    (found,) = [c for c in config["collections"] if c["name"] == collection]
    return {field["name"]: field for field in found["fields"]}


@needs_decap
def test_the_form_is_the_article_model_and_the_registry(site):
    site.write("bai-viet/2024/a.md", article_text(title="Bài một"))
    assert site.build().ok, site.result.errors
    config = editor_config(site)
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "vi"
    names = [c["name"] for c in config["collections"]]
    this_year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    # One collection a year, newest first: the year folders and this year.
    assert names == [
        f"bai-viet-{this_year}",
        "bai-viet-2024",
        "trang",
        "trang-en",
        "van-ban",
    ]
    assert config["collections"][1]["folder"] == "content/bai-viet/2024"
    for collection in config["collections"]:
        assert collection["delete"] is False
        assert collection["format"] == "portal-header"
    article = fields_of(config, "bai-viet-2024")
    registry = tomllib.loads((ROOT / "content" / "chuyen-muc.toml").read_text("utf-8"))
    topics = [topic["name"] for topic in registry["topic"]]
    assert article["Category"]["widget"] == "select"
    assert article["Category"]["options"] == topics
    assert article["Category"]["required"] is True
    assert article["Topics"]["multiple"] is True
    assert article["Topics"]["options"] == topics
    assert article["Title"]["label"] == "Tiêu đề"
    assert article["Title"]["required"] is True
    assert article["Summary"]["required"] is False
    assert "gửi duyệt" in article["Summary"]["hint"]
    assert article["Date"]["widget"] == "datetime"
    assert article["Date"]["date_format"] == "DD/MM/YYYY"
    assert [o["value"] for o in article["Status"]["options"]] == [
        "draft",
        "review",
        "published",
        "retracted",
    ]
    assert article["Tags"]["widget"] == article["Authors"]["widget"] == "list"
    assert [f["name"] for f in article["Correction"]["fields"]] == ["date", "text"]
    assert article["Image"]["media_library"]["config"]["max_file_size"] > 0
    assert list(article)[-1] == "body"
    documents = fields_of(config, "van-ban")
    assert documents["Loai"]["widget"] == "select"
    assert documents["So_hieu"]["required"] is True
    soup = site.page("quan-tri")
    assert soup.select_one('meta[name="robots"]')["content"].startswith("noindex")
    policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "'unsafe-eval'" in policy and "https://git.example.vn" in policy
    scripts = [script["src"] for script in soup.find_all("script", src=True)]
    assert scripts == ["portal-cms.js", "decap-cms-3.16.3/decap-cms.js"]
    for src in scripts:
        assert (site.output / "quan-tri" / src).is_file()


@needs_decap
def test_the_english_pages_are_a_collection_of_their_own(site):
    """Decap lists a folder's own files: content/trang/en/ is "Trang tiếng Anh"."""
    site.article("a", title="Bài một")
    site.write(
        "trang/gioi-thieu.md", "Title: Giới thiệu\nSlug: gioi-thieu\n\nNội dung.\n"
    )
    site.write(
        "trang/en/gioi-thieu.md",
        "Title: Introduction\nSlug: introduction\nLang: en\n"
        "Translation_of: /gioi-thieu/\n\nAbout the portal.\n",
    )
    assert site.build().ok, site.result.errors
    collections = {c["name"]: c for c in editor_config(site)["collections"]}
    pages, english = collections["trang"], collections["trang-en"]
    assert pages["folder"] == "content/trang"
    assert english["folder"] == "content/trang/en"
    assert english["label"] == "Trang tiếng Anh"
    assert english["delete"] is False
    assert english["format"] == "portal-header"
    fields = fields_of(editor_config(site), "trang-en")
    assert fields["Lang"]["default"] == "en"
    assert fields["Lang"]["required"] is True
    assert fields["Translation_of"]["label"] == "Bản dịch của trang"
    assert "default" not in fields_of(editor_config(site), "trang")["Lang"]
    # Every page of the sample content is in the folder of one collection.
    folders = {c["folder"].removeprefix("content/") for c in collections.values()}
    for path in (ROOT / "content" / "trang").rglob("*.md"):
        folder = path.parent.relative_to(ROOT / "content").as_posix()
        assert folder in folders, path


@needs_decap
def test_a_site_in_one_language_has_one_pages_collection(site):
    site.article("a", title="Bài một")
    assert site.build(LANGUAGES={"vi": {"name": "Tiếng Việt", "locale": "vi_VN"}}).ok, (
        site.result.errors
    )
    names = [c["name"] for c in editor_config(site)["collections"]]
    assert [name for name in names if name.startswith("trang")] == ["trang"]


@needs_decap
def test_a_new_section_in_the_registry_is_a_choice_after_the_next_build(site):
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    registry = site.content / "chuyen-muc.toml"
    registry.write_text(
        registry.read_text("utf-8")
        + '\n[[topic]]\nname = "Chuyển đổi số"\nslug = "chuyen-doi-so"\n'
        'description = "Chuyển đổi số ở địa phương."\norder = 990\n',
        encoding="utf-8",
    )
    assert site.build().ok, site.result.errors
    (articles, *_) = editor_config(site)["collections"]
    options = {field["name"]: field for field in articles["fields"]}["Category"][
        "options"
    ]
    assert options[-1] == "Chuyển đổi số"


@needs_decap
def test_each_backend_is_configured_from_the_setting(site):
    site.article("a", title="Bài một")
    gitlab = {"name": "gitlab", "repo": "so-tttt/cong", "auth_type": "pkce"}
    gitlab["app_id"] = "abc"
    assert site.build(WEB_EDITOR={"BACKEND": gitlab}).ok, site.result.errors
    config = editor_config(site)
    assert config["backend"] == gitlab
    assert "local_backend" not in config
    policy = site.page("quan-tri").select_one("meta[http-equiv]")["content"]
    assert "https://gitlab.com" in policy and "git.example.vn" not in policy


def test_without_decap_the_build_succeeds_and_says_to_run_npm_ci(site, caplog):
    site.article("a", title="Bài một")
    with caplog.at_level(logging.WARNING):
        result = site.build(WEB_EDITOR={"NODE_MODULES": "khong-co-thu-muc-nay"})
    assert result.ok, result.errors
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("npm ci" in message for message in said)
    soup = site.page("quan-tri")
    assert "npm ci" in soup.main.get_text()
    assert soup.find("script", src=True) is None
    assert not (site.output / "quan-tri" / "config.yml").exists()


@needs_decap
@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the format")
def test_the_editors_format_writes_back_what_the_reader_reads(site, tmp_path):
    """Every sample article, page and văn bản: read by the editor, written back."""
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    grammar = grammar_of(site)
    sources = sorted(
        path
        for folder in ("bai-viet", "trang", "van-ban")
        for path in (ROOT / "content" / folder).rglob("*.md")
    )
    texts = [path.read_text("utf-8") for path in sources]
    program = (
        "const fs = require('fs');"
        f"const format = require({json.dumps(str(SCRIPT))}).makeFormat("
        "JSON.parse(fs.readFileSync(process.argv[1], 'utf-8')));"
        "const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));"
        "process.stdout.write(JSON.stringify(texts.map("
        "(t) => format.toFile(format.fromFile(t))).map("
        "(once) => [once, format.toFile(format.fromFile(once))])));"
    )
    (tmp_path / "grammar.json").write_text(json.dumps(grammar), "utf-8")
    (tmp_path / "texts.json").write_text(json.dumps(texts), "utf-8")
    answer = subprocess.run(
        [
            "node",
            "-e",
            program,
            str(tmp_path / "grammar.json"),
            str(tmp_path / "texts.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    written = json.loads(answer.stdout)
    for path, text, (again, twice) in zip(sources, texts, written, strict=True):
        before, after = split_article(text), split_article(again)
        assert as_read(after) == as_read(before), path
        assert after.body.rstrip() == before.body.rstrip(), path
        assert again.endswith("\n") and not again.endswith("\n\n"), path
        # Opened and saved again, the same bytes: an editor's save is stable.
        assert twice == again, path


LOCALES = ROOT / "node_modules" / "decap-cms-locales" / "dist" / "esm"
PHRASE_CHECK = """
const flat = (o, p = "") => Object.entries(o).flatMap(([k, v]) =>
  v && typeof v === "object" ? flat(v, p + k + ".") : [[p + k, v]]);
(async () => {
  const [locales, grammar] = process.argv.slice(1);
  const en = (await import(locales + "/en/index.js")).default;
  const vi = (await import(locales + "/vi/index.js")).default;
  const ours = JSON.parse(require("fs").readFileSync(grammar, "utf-8")).phrases;
  const shown = require(%s).completed(vi, ours);
  process.stdout.write(JSON.stringify({
    en: Object.fromEntries(flat(en)), vi: Object.fromEntries(flat(vi)),
    ours: Object.fromEntries(flat(ours)), shown: Object.fromEntries(flat(shown)),
  }));
})();
"""


@needs_decap
@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the script")
def test_every_phrase_of_the_editor_is_in_vietnamese(site, tmp_path):
    """Decap's ``vi`` locale, completed by ours: no English left, none replaced."""
    site.article("a", title="Bài một")
    assert site.build().ok, site.result.errors
    (tmp_path / "grammar.json").write_text(json.dumps(grammar_of(site)), "utf-8")
    answer = subprocess.run(
        [
            "node",
            "-e",
            PHRASE_CHECK % json.dumps(str(SCRIPT)),
            str(LOCALES),
            str(tmp_path / "grammar.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(answer.stdout)
    english, decap, ours, shown = (
        found[name] for name in ("en", "vi", "ours", "shown")
    )
    assert sorted(set(english) - set(shown)) == []
    # Only phrases Decap lacks, each a phrase Decap has in English, with
    # its placeholders; Decap's own Vietnamese is kept.
    assert sorted(set(ours) & set(decap)) == []
    assert sorted(set(ours) - set(english)) == []
    for key, text in ours.items():
        assert re.findall(r"%\{\w+\}", text) == re.findall(r"%\{\w+\}", english[key]), (
            key
        )
    assert {key: shown[key] for key in decap} == decap
    assert shown["editor.editorWidgets.markdown.bold"] == "Đậm"


@needs_decap
def test_invoke_cms_refuses_a_clone_with_files_not_committed(tmp_path):
    """decap-server saves with ``git add .``: stray files would go with an article."""
    clone = copy_project(tmp_path / "portal")
    (clone / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    for args in (
        ("init", "-q", "-b", "main"),
        ("add", "."),
        ("-c", "user.name=Biên tập", "-c", "user.email=bt@example.vn", "commit",
         "-q", "-m", "Nội dung mẫu"),
    ):  # fmt: skip
        subprocess.run(["git", *args], cwd=clone, check=True)
    (clone / "ghi chú riêng.txt").write_text("Số điện thoại nguồn tin\n", "utf-8")
    edited = next((clone / "content" / "bai-viet").rglob("*.md"))
    edited.write_text(edited.read_text("utf-8") + "\nĐoạn viết dở.\n", "utf-8")
    done = run_invoke(clone, "cms", "--port=1", "--proxy-port=1")
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "ghi chú riêng.txt" in said
    assert edited.relative_to(clone).as_posix() in said
    assert "git stash -u" in said
    assert "Biên tập tại" not in said


def test_written_header_keeps_lists_corrections_and_flags():
    """The grammar's lists, repeated keys and flags, through node."""
    if shutil.which("node") is None:
        pytest.skip("node runs the format")
    grammar = {
        "order": {"article": ["Title", "Topics", "Tags", "Correction", "Featured"],
                  "page": [], "document": []},
        "lists": {"Topics": "; ", "Tags": ", "},
        "repeated": {"Correction": ["date", "text"]},
        "flags": ["Featured"],
        "dates": [],
    }  # fmt: skip
    data = {
        "body": "Nội dung.\n\n",
        "Featured": True,
        "Correction": [{"date": "2024-05-20 08:00", "text": "Sửa tên xã."}],
        "Tags": ["thủy sản", "Kiên Giang"],
        "Topics": ["Phòng, chống tham nhũng, tiêu cực", "Xây dựng Đảng"],
        "Title": "Tiêu đề",
    }
    program = (
        f"const format = require({json.dumps(str(SCRIPT))}).makeFormat("
        f"{json.dumps(grammar)});"
        f"process.stdout.write(format.toFile({json.dumps(data)}));"
    )
    text = subprocess.run(
        ["node", "-e", program], capture_output=True, text=True, check=True
    ).stdout
    assert text == (
        "Title: Tiêu đề\n"
        "Topics: Phòng, chống tham nhũng, tiêu cực; Xây dựng Đảng\n"
        "Tags: thủy sản, Kiên Giang\n"
        "Correction: 2024-05-20 08:00 — Sửa tên xã.\n"
        "Featured: yes\n"
        "\n"
        "Nội dung.\n"
    )


def test_a_backend_without_the_editorial_workflow_stops_the_build(site):
    """Gitea's backend in Decap has no editorial workflow: no review gate."""
    site.article("a", title="Bài một")
    with pytest.raises(ValueError, match="gitea backend has no editorial workflow"):
        site.build(WEB_EDITOR={"BACKEND": {"name": "gitea", "repo": "a/b"}})
