"""A reader's question, its answer and the ratings of its usefulness."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from portal_intake.models import ReaderSubmission

# Tracking codes: no letters that read alike (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """A random code such as HD-7K3M9Q2P (about 40 bits)."""
    return "HD-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Question(ReaderSubmission):
    """A question sent through the form on ``/hoi-dap/``."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Đã tiếp nhận"
        ANSWERING = "answering", "Đang trả lời"
        IN_REVIEW = "in_review", "Đã trả lời, chờ duyệt đăng"
        PUBLISHED = "published", "Đã đăng trả lời"
        DECLINED = "declined", "Không trả lời (ngoài phạm vi)"

    code = models.CharField(
        "mã theo dõi", max_length=16, unique=True, default=new_tracking_code
    )
    question = models.TextField("câu hỏi")
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status, default=Status.RECEIVED
    )
    title = models.CharField(
        "tiêu đề khi đăng",
        max_length=200,
        blank=True,
        help_text="Câu ngắn nêu nội dung câu hỏi, làm tiêu đề trang hỏi đáp.",
    )
    answer = models.TextField(
        "trả lời", blank=True, help_text="Viết bằng Markdown như một bài viết."
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
    )
    answered_at = models.DateTimeField("lúc trả lời", null=True, blank=True)
    slug = models.CharField("đường dẫn", max_length=150, blank=True, editable=False)
    published_file = models.CharField(
        "tệp nội dung", max_length=300, blank=True, editable=False
    )
    page_url = models.CharField(
        "trang khi đăng", max_length=300, blank=True, editable=False
    )

    class Meta(ReaderSubmission.Meta):
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        permissions = (("publish_question", "Gửi trả lời sang duyệt đăng"),)

    def __str__(self) -> str:
        return f"{self.code}: {self.question[:60]}"


class Rating(models.Model):
    """One reader's rating of one published answer (one per reader and answer)."""

    question = models.ForeignKey(
        Question,
        verbose_name="câu hỏi",
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    # A keyed hash of the reader's random cookie: the same reader, not who.
    reader = models.CharField("bạn đọc (mã băm)", max_length=64)
    useful = models.BooleanField("hữu ích")
    rated_at = models.DateTimeField("lúc đánh giá", auto_now_add=True)

    class Meta:
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"
        constraints = (
            models.UniqueConstraint(
                fields=("question", "reader"), name="one_rating_per_reader"
            ),
        )

    def __str__(self) -> str:
        return f"{self.question.code}: {'hữu ích' if self.useful else 'chưa hữu ích'}"
