"""Hỏi đáp pages: ``/hoi-dap/`` by chuyên mục, its feeds, the forms' fallback.

Answers are articles in ``content/hoi-dap/`` (written there by the intake
service with ``Status: review``, published by the usual review), so they are
checked, reviewed, searched, in the sitemap and the feeds like any article;
this plugin marks them (``article.is_question``), lists them by section on
``/hoi-dap/`` with the question form, writes ``/hoi-dap/atom.xml``,
``rss.xml`` and ``feed.json``, and the page nginx shows while the service
is down.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from build_cache.engine import require_incremental_engine
from listings import write_feeds
from reader_forms import reader_forms_settings

from .settings import question_settings

logger = logging.getLogger(__name__)


class QuestionPagesGenerator(Generator):
    """Finds the published answers and writes the hỏi đáp pages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = question_settings(self.settings)
        # The forms' setting with its defaults, as the templates read it.
        self.context["READER_FORMS"] = reader_forms_settings(self.settings)
        folder = Path(self.settings["PATH"]).resolve() / self.config["PATH"]
        self.folder = os.path.join(folder, "")
        self.questions: list = []

    def is_question(self, content) -> bool:
        """Whether a content file is an answer (under ``content/hoi-dap/``)."""
        return os.path.abspath(content.source_path).startswith(self.folder)

    def generate_context(self) -> None:
        """Mark the answers; group the published ones by their section."""
        for article in (
            *self.context.get("articles", []),
            *self.context.get("drafts", []),
        ):
            article.is_question = self.is_question(article)
        self.questions = [a for a in self.context["articles"] if a.is_question]
        # The sections in the registry's order, as the topics plugin put them.
        groups = []
        for topic in self.context.get("topics", []):
            answers = [a for a in self.questions if a.category == topic]
            if answers:
                groups.append((topic, answers))
        self.context["questions"] = self.questions
        self.context["question_groups"] = groups
        self.context["QUESTIONS_URL"] = self.config["URL"]

    def generate_output(self, writer) -> None:
        """``/hoi-dap/``, its feeds, and the page for when the service is down."""
        url = self.config["URL"]
        writer.write_file(
            f"{url}index.html", self.get_template("questions"), self.context, url=url
        )
        unavailable = self.config["UNAVAILABLE_URL"]
        writer.write_file(
            f"{unavailable}index.html",
            self.get_template("questions_unavailable"),
            self.context,
            url=unavailable,
        )
        newest = self.questions[: self.config["FEED_SIZE"]]
        write_feeds(writer, self.context, newest, url, "Hỏi đáp")


def get_generators(_pelican) -> type[Generator]:
    """Add the hỏi đáp generator to the build."""
    return QuestionPagesGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "questions")


def register() -> None:
    """Connect the questions plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.get_generators.connect(get_generators)
