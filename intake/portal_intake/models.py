"""What the service keeps for every reader's form: a keyed hash of the address."""

from django.db import models


class ReaderSubmission(models.Model):
    """What every reader's form keeps: who (optional), the section, when.

    Name and contact are personal data: ``manage.py erase_contacts`` blanks
    them, and the address's hash, after the retention period.
    """

    name = models.CharField("họ và tên", max_length=200, blank=True)
    contact = models.CharField("liên hệ", max_length=300, blank=True)
    topic = models.CharField("chuyên mục", max_length=100)
    address_hash = models.CharField("mã băm địa chỉ", max_length=64, editable=False)
    received_at = models.DateTimeField("lúc nhận", auto_now_add=True, db_index=True)
    contact_erased_at = models.DateTimeField(
        "lúc xoá liên hệ", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True
        ordering = ("-received_at",)


class FormSubmission(models.Model):
    """One form received from an address, for the per-address rate limit.

    The address is never stored: only its HMAC under the service's secret
    key, which cannot be reversed without that key. Rows older than the rate
    window are deleted by ``manage.py erase_contacts``.
    """

    address_hash = models.CharField("mã băm địa chỉ", max_length=64, db_index=True)
    received_at = models.DateTimeField("lúc nhận", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "lượt gửi biểu mẫu"
        verbose_name_plural = "lượt gửi biểu mẫu"
