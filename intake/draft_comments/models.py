"""A reader's comment on a draft document (văn bản ``Loai: Dự thảo``)."""

from django.db import models

from portal_intake.models import ReaderSubmission


class Comment(ReaderSubmission):
    """One comment, kept for the staff's summary; never published."""

    document = models.CharField("văn bản (slug)", max_length=150, db_index=True)
    document_title = models.CharField("văn bản", max_length=200)
    district = models.CharField("nơi ở", max_length=100)
    text = models.TextField("nội dung góp ý")

    class Meta(ReaderSubmission.Meta):
        verbose_name = "góp ý"
        verbose_name_plural = "góp ý"
        permissions = (("export_comments", "Xuất góp ý (CSV, XLSX)"),)

    def __str__(self) -> str:
        return f"{self.document_title}: {self.text[:60]}"
