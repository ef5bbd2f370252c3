"""Attach "Tin liên quan" to every published article."""

from __future__ import annotations

from pelican import signals

from build_cache.read_cache import build_read_cache

from .ranking import related_articles
from .settings import related_settings


def article_terms(article) -> list[tuple[str, str]]:
    """An article's sections and tags, as keys that cannot collide."""
    terms = [("topic", topic.slug) for topic in getattr(article, "topics", [])]
    terms += [("tag", tag.slug) for tag in getattr(article, "tags", [])]
    return terms


def _positions(count: int, total: int):
    """A check of kept lists: at most ``count`` positions among ``total`` articles."""

    def sound(kept) -> bool:
        return (
            type(kept) is list
            and len(kept) <= count
            and all(type(p) is int and 0 <= p < total for p in kept)
        )

    return sound


def attach_related(generator) -> None:
    """Set ``article.related`` on every published article."""
    config = related_settings(generator.settings)
    cache = build_read_cache(generator.settings)  # the lists of the last build
    sound = _positions(config["COUNT"], len(generator.articles))
    ranked = related_articles(
        generator.articles,
        article_terms,
        config["COUNT"],
        config["POOL"],
        remember=lambda key, rank: cache.result(f"related/{key}", rank, sound),
    )
    for article in generator.articles:
        article.related = ranked[id(article)]
    for article in (*generator.drafts, *generator.hidden_articles):
        article.related = []


def register() -> None:
    """Connect the related-articles plugin to Pelican."""
    signals.article_generator_finalized.connect(attach_related)
