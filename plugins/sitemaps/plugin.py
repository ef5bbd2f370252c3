"""Write sitemap.xml, the Google News sitemap and robots.txt.

Only what readers can reach is listed: published articles (retracted ones
answer with a notice and are not listed), static pages, and the front pages
of the home, sections, tags and authors. Each article's last modification
is its ``Modified`` date, which a ``Correction`` moves forward.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from .settings import sitemap_settings

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "sitemap-tin-tuc.xml"
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _entry(location: str, modified: datetime | None) -> str:
    lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
    return f"<url><loc>{escape(location)}</loc>{lastmod}</url>"


class SitemapGenerator(Generator):
    """Writes the sitemaps and robots.txt from the published content."""

    def generate_output(self, writer) -> None:
        """Write the three files at the site root."""
        root = self.settings["SITEURL"] or self.settings["FEED_DOMAIN"]
        articles = self.context["articles"]
        entries = [_entry(f"{root}/", articles[0].date if articles else None)]
        for article in articles:
            modified = getattr(article, "modified", None) or article.date
            entries.append(_entry(f"{root}/{article.url}", modified))
        entries += [
            _entry(f"{root}/{page.url}", None) for page in self.context["pages"]
        ]
        for topic in self.context.get("topics", []):
            newest = topic.articles[0].date if topic.articles else None
            entries.append(_entry(f"{root}/{topic.url}", newest))
        for term, term_articles in (*self.context["tags"], *self.context["authors"]):
            entries.append(_entry(f"{root}/{term.url}", term_articles[0].date))
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + URLSET + ">\n"
        writer.write_output(
            SITEMAP, f"{text}{chr(10).join(entries)}\n</urlset>\n".encode()
        )
        self._write_news(writer, root, articles)
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


def register() -> None:
    """Connect the sitemaps plugin to Pelican."""
    signals.get_generators.connect(get_generators)
