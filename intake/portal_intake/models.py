"""What the service keeps for every reader's form: a keyed hash of the address."""

from django.db import models


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
