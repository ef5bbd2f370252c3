"""Erase readers' names and contacts past the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from draft_comments.models import Comment
from portal_intake import site
from portal_intake.models import FormSubmission
from reader_questions.models import Question


class Command(BaseCommand):
    """Run daily (systemd timer or cron): personal data kept no longer than needed."""

    help = "Xoá họ tên và liên hệ của bạn đọc đã quá thời hạn lưu giữ."

    def handle(self, *args, **options) -> None:
        """Blank name and contact of questions and comments older than the period."""
        now = timezone.now()
        cutoff = now - timedelta(days=site.retention_days())
        erased = 0
        for model in (Question, Comment):
            erased += model.objects.filter(
                received_at__lt=cutoff, contact_erased_at=None
            ).update(name="", contact="", address_hash="", contact_erased_at=now)
        window = timedelta(seconds=settings.INTAKE["RATE_WINDOW"])
        FormSubmission.objects.filter(received_at__lt=now - window).delete()
        self.stdout.write(f"Đã xoá thông tin liên hệ của {erased} câu hỏi và góp ý.")
