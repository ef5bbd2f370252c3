"""Hỏi đáp: readers' questions, staff answers, usefulness ratings."""

from django.apps import AppConfig


class ReaderQuestionsConfig(AppConfig):
    """The questions app."""

    name = "reader_questions"
    verbose_name = "Hỏi đáp"
