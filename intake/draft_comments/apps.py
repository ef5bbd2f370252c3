"""Góp ý dự thảo: readers' comments on draft documents, never published."""

from django.apps import AppConfig


class DraftCommentsConfig(AppConfig):
    """The comments app."""

    name = "draft_comments"
    verbose_name = "Góp ý dự thảo"
