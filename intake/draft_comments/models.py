"""A reader's comment on a draft document (văn bản ``Loai: Dự thảo``)."""

from django.db import models


class Comment(models.Model):
    """One comment, kept for the staff's summary; never published."""

    document = models.CharField("văn bản (slug)", max_length=150, db_index=True)
    document_title = models.CharField("văn bản", max_length=200)
    name = models.CharField("họ và tên", max_length=200, blank=True)
    contact = models.CharField("liên hệ", max_length=300, blank=True)
    district = models.CharField("huyện, thị xã, thành phố", max_length=100)
    topic = models.CharField("chuyên mục", max_length=100)
    text = models.TextField("nội dung góp ý")
    address_hash = models.CharField("mã băm địa chỉ", max_length=64, editable=False)
    received_at = models.DateTimeField("lúc nhận", auto_now_add=True, db_index=True)
    contact_erased_at = models.DateTimeField(
        "lúc xoá liên hệ", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "góp ý"
        verbose_name_plural = "góp ý"
        ordering = ("-received_at",)
        permissions = (("export_comments", "Xuất góp ý (CSV, XLSX)"),)

    def __str__(self) -> str:
        return f"{self.document_title}: {self.text[:60]}"
