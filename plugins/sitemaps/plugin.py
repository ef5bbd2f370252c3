"""Write sitemap.xml, the Google News sitemap and robots.txt.

Only what readers can reach is listed: published articles (retracted ones
answer with a notice and are not listed), static pages in every language
(with ``hreflang`` alternates when a page has translations), văn bản pages and
their listings (all, by type, issuer and year), and the front pages of the
home, sections, tags and authors.
Past ``SITEMAPS["MAX_URLS"]`` URLs (the protocol's 50,000), ``sitemap.xml`` is
a sitemap index of ``sitemap-<n>.xml`` parts. Each article's last modification
is its ``Modified`` date, which a ``Correction`` moves forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine

from .settings import sitemap_settings

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "sitemap-tin-tuc.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
URLSET = f'<urlset xmlns="{SITEMAP_NS}"'
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
QUOTE = {'"': "&quot;"}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapEntry:
    """One URL of the sitemap, its last modification and its other languages."""

    location: str
    modified: datetime | None = None
    # (hreflang, absolute URL) of each version of the page, itself included.
    alternates: tuple[tuple[str, str], ...] = ()

    def xml(self) -> str:
        """The ``<url>`` element."""
        lastmod = (
            f"<lastmod>{self.modified.isoformat()}</lastmod>" if self.modified else ""
        )
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(lang, QUOTE)}" '
            f'href="{escape(href, QUOTE)}"/>'
            for lang, href in self.alternates
        )
        return f"<url><loc>{escape(self.location)}</loc>{lastmod}{links}</url>"


def _alternates(root: str, versions) -> tuple[tuple[str, str], ...]:
    """A page's ``alternates`` ((lang, site-relative URL), ...) made absolute."""
    return tuple((lang, f"{root}/{url}") for lang, url in versions or ())


def sitemap_files(
    entries: list[SitemapEntry], root: str, limit: int
) -> dict[str, bytes]:
    """``sitemap.xml``, or, past ``limit`` URLs, an index and its parts.

    The parts are ``sitemap-1.xml``, ``sitemap-2.xml``, ... of at most
    ``limit`` URLs each, in the order of ``entries``; ``sitemap.xml`` is then
    the sitemap index that lists them (what robots.txt names either way).
    """
    namespaces = XHTML_NS if any(e.alternates for e in entries) else ""

    def urlset(part: list[SitemapEntry]) -> bytes:
        body = "\n".join(entry.xml() for entry in part)
        return f"{XML_DECLARATION}{URLSET}{namespaces}>\n{body}\n</urlset>\n".encode()

    if len(entries) <= limit:
        return {SITEMAP: urlset(entries)}
    files: dict[str, bytes] = {}
    index = []
    for number, start in enumerate(range(0, len(entries), limit), start=1):
        part = entries[start : start + limit]
        name = f"sitemap-{number}.xml"
        files[name] = urlset(part)
        dates = [entry.modified for entry in part if entry.modified]
        lastmod = f"<lastmod>{max(dates).isoformat()}</lastmod>" if dates else ""
        index.append(
            f"<sitemap><loc>{escape(f'{root}/{name}')}</loc>{lastmod}</sitemap>"
        )
    files[SITEMAP] = (
        f'{XML_DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">\n'
        + "\n".join(index)
        + "\n</sitemapindex>\n"
    ).encode()
    return files


class SitemapGenerator(Generator):
    """Writes the sitemaps and robots.txt from the published content."""

    def entries(self, root: str) -> list[SitemapEntry]:
        """Every URL a reader can reach, the home page first."""
        articles = self.context["articles"]
        entries = [
            SitemapEntry(
                f"{root}/",
                articles[0].date if articles else None,
                _alternates(root, self.context.get("HOME_ALTERNATES")),
            )
        ]
        for article in articles:
            modified = getattr(article, "modified", None) or article.date
            entries.append(SitemapEntry(f"{root}/{article.url}", modified))
        # Static pages in every language (English ones too), with their
        # translations when the languages plugin paired them.
        entries += [
            SitemapEntry(
                f"{root}/{page.url}",
                None,
                _alternates(root, getattr(page, "alternates", None)),
            )
            for page in self.context["pages"]
        ]
        for topic in self.context.get("topics", []):
            newest = topic.articles[0].date if topic.articles else None
            entries.append(SitemapEntry(f"{root}/{topic.url}", newest))
        for term, term_articles in (*self.context["tags"], *self.context["authors"]):
            entries.append(SitemapEntry(f"{root}/{term.url}", term_articles[0].date))
        documents = self.context.get("documents") or []
        if documents:
            newest = max(document.date for document in documents)
            url = self.context.get("DOCUMENTS_URL", "van-ban/")
            entries.append(SitemapEntry(f"{root}/{url}", newest))
        questions = self.context.get("questions") or []
        if questions:
            url = self.context.get("QUESTIONS_URL", "hoi-dap/")
            entries.append(SitemapEntry(f"{root}/{url}", questions[0].date))
        groups = self.context.get("document_groups") or {}
        for family in ("kinds", "issuers", "years"):
            for group in groups.get(family, []):
                newest = max(document.date for document in group.documents)
                entries.append(SitemapEntry(f"{root}/{group.url}", newest))
        for document in documents:
            dates = [document.date, *(a.date for a in document.citing)]
            entries.append(SitemapEntry(f"{root}/{document.url}", max(dates)))
        return entries

    def generate_output(self, writer) -> None:
        """Write the sitemaps and robots.txt at the site root.

        ``sitemap.xml`` is an index of its parts past ``MAX_URLS``.
        """
        config = sitemap_settings(self.settings)
        root = self.settings["SITEURL"] or self.settings["FEED_DOMAIN"]
        files = sitemap_files(self.entries(root), root, config["MAX_URLS"])
        for name, data in files.items():
            writer.write_output(name, data)
        self._write_news(writer, root, self.context["articles"])
        writer.write_output(
            "robots.txt",
            f"User-agent: *\nAllow: /\n\nSitemap: {root}/{SITEMAP}\n"
            f"Sitemap: {root}/{NEWS_SITEMAP}\n".encode(),
        )

    def _write_news(self, writer, root: str, articles: list) -> None:
        config = sitemap_settings(self.settings)
        now = datetime.now(ZoneInfo(self.settings["TIMEZONE"]))
        since = now - timedelta(days=config["NEWS_DAYS"])
        # The publisher the pages' JSON-LD and og:site_name name (share_card).
        publisher = self.context.get("publisher") or {"name": self.settings["SITENAME"]}
        name = escape(publisher["name"])
        entries = [
            f"<url><loc>{escape(f'{root}/{article.url}')}</loc><news:news>"
            f"<news:publication><news:name>{name}</news:name>"
            f"<news:language>vi</news:language></news:publication>"
            f"<news:publication_date>{article.date.isoformat()}</news:publication_date>"
            f"<news:title>{escape(Markup(article.title).unescape())}</news:title>"
            f"</news:news></url>"
            for article in articles
            if article.date >= since
        ]
        # Each article leaves the news sitemap NEWS_DAYS after its date: the
        # incremental engine's stamp holds no longer than the first to leave.
        window = timedelta(days=config["NEWS_DAYS"])
        writer.output_expires(article.date + window for article in articles)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + URLSET + NEWS_NS + ">\n"
        writer.write_output(
            NEWS_SITEMAP,
            (
                text + "\n".join(entries) + ("\n" if entries else "") + "</urlset>\n"
            ).encode(),
        )


def get_generators(_pelican) -> type[Generator]:
    """Add the sitemaps generator to the build."""
    return SitemapGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "sitemaps")


def register() -> None:
    """Connect the sitemaps plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
