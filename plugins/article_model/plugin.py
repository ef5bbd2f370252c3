"""Signal receivers of the article model."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import PagesGenerator
from pelican.utils import path_to_url

from build_cache import build_key
from build_cache.read_cache import (
    build_read_cache,
    made_state,
    portable,
    restored,
)
from content_model.cross_checks import (
    line_of,
    link_to_unpublished,
    review_in_future,
    unpublished,
)
from content_model.fields import (
    ARTICLE_FIELDS,
    DEFAULT_REVIEW_STATE,
    DOCUMENT_FIELDS,
    DOCUMENT_TYPES,
    PAGE_FIELDS,
    REVIEW_STATES,
    STATE_REQUIRES,
)
from content_model.locations import (
    DateInURL,
    Placed,
    becomes_a_draft,
    clash_problems,
    formatted,
    setting_prefix,
    url_field,
)
from content_model.reader import MARKDOWN_EXTENSIONS, PortalMarkdownReader
from content_problems import display_path, report_problem
from content_tree import link_resolver
from content_tree.links import FILE_LINK_IN_HTML
from listings import newest_first
from topic_registry import build_registry

logger = logging.getLogger(__name__)


def use_portal_reader(readers) -> None:
    """Read every Markdown file with the portal's reader."""
    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension] = PortalMarkdownReader


def share_registry(generator) -> None:
    """The build's one chuyên mục registry, in the context, for every reader.

    Each generator has readers of its own; all of them read sections through
    the registry in the context, which the section pages list from.
    """
    registry = build_registry(generator.context, generator.settings)
    for reader in generator.readers.readers.values():
        if isinstance(reader, PortalMarkdownReader):
            reader.use_registry(registry)


def share_field_model(generator) -> None:
    """Put the fields of articles, pages and văn bản in the context.

    ``FIELD_MODEL`` is how other plugins (the browser editor's configuration)
    learn the fields without importing this one.
    """
    generator.context["FIELD_MODEL"] = {
        "article": ARTICLE_FIELDS,
        "page": PAGE_FIELDS,
        "document": DOCUMENT_FIELDS,
        "document_types": DOCUMENT_TYPES,
        "review_states": tuple(REVIEW_STATES),
        "default_review_state": DEFAULT_REVIEW_STATE,
        "state_requires": STATE_REQUIRES,
    }


def read_ahead(generator) -> None:
    """Read the generator's files that the build cache lacks, on every core."""
    settings = generator.settings
    folders, excludes = (
        ("PAGE_PATHS", "PAGE_EXCLUDES")
        if isinstance(generator, PagesGenerator)
        else ("ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    )
    reader = generator.readers.readers.get(MARKDOWN_EXTENSIONS[0])
    if not isinstance(reader, PortalMarkdownReader):
        return
    files = generator.get_files(settings[folders], exclude=settings[excludes])
    reader.prefetch(
        [
            os.path.abspath(os.path.join(generator.path, name))
            for name in files
            if name.rsplit(".", 1)[-1] in MARKDOWN_EXTENSIONS
        ]
    )


def remake_unchanged_articles(generator) -> None:
    """Remake an unchanged file's article from the state it was last made in.

    Pelican makes every article again at every build (``Content.__init__``,
    its paths, the URLs frozen): a third of a rebuild at 10,000 articles.
    The read cache keeps, beside what each file read as, the state of the
    article it made, taken as it was made (before any generator adds its
    own attributes), with its sections, tags and authors by name. A file
    whose bytes, and the files it points to, are as they were, under the
    same build key, is made from that state with this build's settings,
    context, registry and terms: the object Pelican would have made. Through
    Pelican's own generator cache (``get_cached_data`` and ``cache_data``,
    unused otherwise: ``CACHE_CONTENT`` is off).

    Not kept: an article with problems (they are reported as it is read)
    and one that becomes a draft at its date (decided against the clock).
    """
    cache = build_read_cache(generator.settings)
    build = build_key(generator.settings)
    registry = build_registry(generator.context, generator.settings)

    def remade(name: str, default: Any = None) -> Any:
        path = os.path.abspath(os.path.join(generator.path, name))
        state = cache.made_before(path, build)
        if state is None:
            return default
        article = Article.__new__(Article)
        vars(article).update(
            restored(state, generator.settings, registry, cache.terms),
            settings=generator.settings,
            _context=generator.context,
        )
        return article

    def keep(_name: str, article: Article) -> None:
        if (
            article.metadata.get("content_problems")
            or _becomes_a_draft(article)
            or article.status != article.metadata.get("status", article.status)
        ):
            return  # told as it is read; or made a draft by the clock
        cache.remember_made(article.source_path, build, portable(made_state(article)))

    generator.get_cached_data = remade
    generator.cache_data = keep


def leave_out_broken_articles(generator) -> None:
    """Keep articles with content problems out of a (non-strict) preview.

    Their problems are already reported; a strict build stops before writing.
    A review time in the future is found here, at every build (never cached).
    """
    now = datetime.now(ZoneInfo(generator.settings["TIMEZONE"]))
    for attribute in ("articles", "drafts", "hidden_articles"):
        for article in getattr(generator, attribute):
            problem = review_in_future(article.source_path, article.metadata, now)
            if problem and not article.metadata.get("for_readers", True):
                problem = problem.not_blocking()
            if problem:
                report_problem(problem)
                article.metadata["content_problems"] = [
                    *article.metadata.get("content_problems", []),
                    problem,
                ]
    for attribute in ("articles", "drafts", "hidden_articles"):
        contents = getattr(generator, attribute)
        contents[:] = [a for a in contents if not a.metadata.get("content_problems")]


def order_articles(generator) -> None:
    """Newest first, one minute's articles by source path, whatever the hash seed."""
    for attribute in ("articles", "drafts", "hidden_articles"):
        newest_first(getattr(generator, attribute))


def leave_out_broken_pages(generator) -> None:
    """Keep pages with content problems out of a (non-strict) preview."""
    for attribute in ("pages", "hidden_pages", "draft_pages"):
        contents = getattr(generator, attribute)
        contents[:] = [p for p in contents if not p.metadata.get("content_problems")]


def register() -> None:
    """Connect the article model to Pelican."""
    signals.readers_init.connect(use_portal_reader)
    signals.generator_init.connect(share_registry)
    signals.article_generator_init.connect(share_field_model)
    signals.article_generator_init.connect(read_ahead)
    signals.article_generator_init.connect(remake_unchanged_articles)
    signals.page_generator_init.connect(read_ahead)
    signals.article_generator_pretaxonomy.connect(leave_out_broken_articles)
    signals.article_generator_pretaxonomy.connect(order_articles)
    signals.page_generator_finalized.connect(leave_out_broken_pages)
    signals.content_object_init.connect(freeze_new_urls)
    signals.all_generators_finalized.connect(report_duplicate_urls)
    signals.all_generators_finalized.connect(report_links_to_unpublished)


def report_links_to_unpublished(generators) -> None:
    """A published article or page whose ``{filename}`` link names unpublished work."""
    context = generators[0].context if generators else {}
    known = context.get("generated_content", {})
    resolver = None
    for generator in generators:
        now = datetime.now(ZoneInfo(generator.settings["TIMEZONE"]))
        for attribute in ("articles", "pages"):
            for content in getattr(generator, attribute, None) or ():
                body = content._content or ""
                if "{filename}" not in body:
                    continue
                resolver = resolver or link_resolver(generator.settings)
                for match in FILE_LINK_IN_HTML.finditer(body):
                    _check_link_target(content, match[2], resolver, known, now)


def _check_link_target(content, url: str, resolver, known: dict, now) -> None:
    link = resolver.resolve(url, content.source_path)
    if link is None or link.file is None or link.kind != "filename":
        return
    target = known.get(resolver.relative(link.file) or "")
    source_date = getattr(content, "date", None)
    why = unpublished(getattr(target, "metadata", None), source_date, now)
    if why:
        report_problem(
            link_to_unpublished(
                content.source_path,
                line_of(content.source_path, link.path or url),
                url,
                why,
                display_path(target.source_path),
            )
        )


def report_duplicate_urls(generators) -> None:
    """Two files that would be written to the same URL: name both.

    Pelican would stop with a traceback at the second write; here each file
    gets a message naming the other (``locations.clash_problems``, as
    ``invoke check`` says it), and the clashing files are left out (a draft
    gives way to a published article).
    """
    collections = [
        getattr(generator, attribute)
        for generator in generators
        for attribute in (
            "articles",
            "hidden_articles",
            "drafts",
            "pages",
            "hidden_pages",
        )
        if isinstance(getattr(generator, attribute, None), list)
    ]
    placed = []
    for contents in collections:
        for content in contents:
            field, line = url_field(content.metadata)
            placed.append(
                Placed(
                    content.save_as,
                    content.source_path,
                    line,
                    field,
                    content.metadata.get("for_readers", True),
                )
            )
    problems, left_out = clash_problems(placed)
    for problem in problems:
        report_problem(problem)
    if left_out:
        for contents in collections:
            contents[:] = [c for c in contents if c.source_path not in left_out]
    for contents in collections:
        for content in contents:
            freeze_urls(content)


def freeze_new_urls(content) -> None:
    """Freeze an article's or a page's URL as soon as it is made.

    The portal's URLs are made of the date, the slug and the status
    (``ARTICLE_URL``, ``DRAFT_URL``, ``PAGE_URL``), all set by then, and
    Pelican asks for them again to check, sort and write: formatting them
    was a tenth of a rebuild. Left alone: static files, whose URL changes
    when an article links to them, and scheduled articles, which Pelican
    makes drafts (another URL) just after this signal; both are frozen, if
    at all, once every generator is done.
    """
    if isinstance(content, Page) or (
        isinstance(content, Article) and not _becomes_a_draft(content)
    ):
        freeze_urls(content)


def _becomes_a_draft(article: Article) -> bool:
    """True for an article Pelican is about to make a draft: a future date."""
    return becomes_a_draft(article.settings, getattr(article, "date", None))


def freeze_urls(content) -> None:
    """Compute a content's URL and file name once, not at every use.

    Pelican formats them from the settings on each access, and templates ask
    for each article's URL many times (cards, related lists, feeds); its
    ``override_*`` attributes, once set, are returned as they are.
    """
    known = vars(content)
    if "override_url" in known and "override_save_as" in known:
        return  # frozen when it was made
    kind = _URL_SETTINGS_OF.get(type(content))
    if kind is None:  # another kind of content: as Pelican asks, twice
        content.override_url = content.url
        content.override_save_as = content.save_as
        return
    prefix = kind(content)
    for key in ("url", "save_as"):
        if not hasattr(content, f"override_{key}"):
            value = formatted(
                content.settings,
                prefix,
                key,
                partial(_url_value, content),
                content.in_default_lang,
            )
            setattr(content, f"override_{key}", value)


def _url_value(content, field: str) -> Any:
    """One value of Pelican's ``Content.url_format``, computed alone.

    The relative source path is the one Pelican computed when it made the
    content, rather than again (the slowest part of each URL).
    """
    if field == "path":
        return path_to_url(content.metadata.get("path", content.relative_source_path))
    if field in ("slug", "lang"):
        return getattr(content, field, "" if field == "slug" else "en")
    if field == "date":
        return DateInURL(getattr(content, "date", None) or datetime.now())
    if field in ("author", "category"):
        return getattr(content, field).slug if hasattr(content, field) else ""
    return content.metadata[field]


# The prefix of the settings Pelican formats each kind of content's URL and
# file name from (``locations.setting_prefix``).
_URL_SETTINGS_OF = {
    Article: lambda article: setting_prefix("article", article.status),
    Page: lambda page: setting_prefix("page", page.status),
}
