"""Checks of a built site before it is deployed; every problem is listed.

- no internal link or image pointing to a file the build did not write;
- no placeholder (``{filename}``, ``{static}``, ``{index}``...) left in a page;
- no link or source a browser would run (``javascript:``, ``data:`` but
  images...) in a page or a feed, whatever wrote it: the sanitiser's policy,
  applied to what readers get, after every replacement;
- valid HTML, by the Nu HTML Checker (``vnu.jar`` from the npm package
  ``vnu-jar``, run with Java);
- every feed and sitemap parses as XML (a JSON Feed as JSON), and sitemaps
  (and a sitemap index) hold absolute URLs of this site with valid dates.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from content_tree import PLACEHOLDER_ANYWHERE, output_target, srcset_urls
from html_safety import HtmlPolicy

ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.all_urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "src", "cite", "action", "formaction", "data", "poster"):
            if values.get(name):
                self.all_urls.append((tag, name, values[name]))
        for name in ("href", "src"):
            if values.get(name) and not (
                tag == "link" and values.get("rel") in ("canonical", "alternate")
            ):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += srcset_urls(values["srcset"])


def unsafe_urls(text: str, where: object, escaped: bool = False) -> list[str]:
    """Links a browser would run, in a page or a feed.

    An XML feed carries its entries' HTML escaped (``escaped``): it is read
    once more unescaped.
    """
    policy = HtmlPolicy()
    problems = []
    parser = _Links()
    parser.feed(unescape(text) if escaped else text)
    for tag, attribute, url in parser.all_urls:
        reason = policy.url_problem("a" if tag == "iframe" else tag, attribute, url)
        if reason:
            problems.append(f"{where}: liên kết không an toàn {url!r}: {reason}")
    return problems


def check_links(output: Path, site_url: str) -> list[str]:
    """Broken internal links and images, unsafe links and placeholders left."""
    problems = []
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(output)
        left = PLACEHOLDER_ANYWHERE.search(text)
        if left:
            problems.append(f"{where}: còn sót {left.group(0)} chưa được thay")
        problems += unsafe_urls(text, where)
        parser = _Links()
        parser.feed(text)
        for url in parser.urls:
            target = output_target(output, url, page, site_url)
            if target is not None and not (
                target.is_relative_to(output) and target.is_file()
            ):
                problems.append(f"{where}: liên kết hỏng tới {url}")
    return problems


def check_xml(output: Path, site_url: str) -> list[str]:
    """Feeds and sitemaps parse; sitemaps hold this site's URLs and W3C dates."""
    problems = []
    for path in sorted(output.rglob("*.xml")):
        where = path.relative_to(output)
        problems += unsafe_urls(path.read_text(encoding="utf-8"), where, escaped=True)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            problems.append(f"{where}: XML không hợp lệ: {error}")
            continue
        if root.tag not in {f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"}:
            continue
        entries = root.findall(f"{SITEMAP_NS}url") + root.findall(
            f"{SITEMAP_NS}sitemap"
        )
        for entry in entries:
            location = entry.findtext(f"{SITEMAP_NS}loc", "")
            if not location.startswith(f"{site_url}/"):
                problems.append(f"{where}: địa chỉ {location!r} không thuộc {site_url}")
            modified = entry.findtext(f"{SITEMAP_NS}lastmod")
            if modified:
                try:
                    datetime.fromisoformat(modified)
                except ValueError:
                    problems.append(f"{where}: ngày {modified!r} sai định dạng")
    for path in sorted(output.rglob("feed.json")):
        where = path.relative_to(output)
        try:
            feed = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            problems.append(f"{where}: JSON không hợp lệ: {error}")
            continue
        html = "".join(item.get("content_html", "") for item in feed.get("items", []))
        problems += unsafe_urls(html, where)
    return problems


def check_html(output: Path) -> list[str]:
    """Errors the Nu HTML Checker finds in the site's pages."""
    java = shutil.which("java")
    if not java or not VNU_JAR.is_file():
        return [
            "không chạy được trình kiểm tra HTML (cần Java và vnu-jar: "
            "npm ci, apt-get install default-jre-headless)"
        ]
    done = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "gnu",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (done.stdout + done.stderr).splitlines()
    return [line.replace(str(output) + "/", "") for line in lines if line.strip()]


def check_output(output: Path, site_url: str, validate_html: bool = True) -> list[str]:
    """Every problem of a built site, one a line."""
    problems = check_links(output, site_url) + check_xml(output, site_url)
    if validate_html:
        problems += check_html(output)
    return problems
