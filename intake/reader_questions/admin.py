"""The moderation of questions: answer, send to review, ratings counted."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone

from portal_intake import site

from .models import Question, Rating
from .publishing import PublishError, publish_question

# Characters of a question shown in the list.
SHORT = 80


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions, newest first, with their answers and ratings."""

    list_display = (
        "code", "short_question", "topic_name", "status", "received_at",
        "useful_count", "not_useful_count",
    )  # fmt: skip
    list_filter = ("status", "topic", "received_at")
    search_fields = ("code", "question", "answer", "title")
    readonly_fields = (
        "code", "name", "contact", "topic_name", "question", "received_at",
        "answered_by", "answered_at", "published_file", "page_url",
        "useful_count", "not_useful_count", "contact_erased_at",
    )  # fmt: skip
    fields = (*readonly_fields[:5], "status", "title", "answer", *readonly_fields[5:])
    actions = ("send_to_review",)

    def get_queryset(self, request):
        """Questions with their ratings counted."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                useful=Count("ratings", filter=Q(ratings__useful=True)),
                not_useful=Count("ratings", filter=Q(ratings__useful=False)),
            )
        )

    @admin.display(description="câu hỏi")
    def short_question(self, question: Question) -> str:
        """The question's first words."""
        text = " ".join(question.question.split())
        return text if len(text) <= SHORT else text[:SHORT] + "…"

    @admin.display(description="chuyên mục", ordering="topic")
    def topic_name(self, question: Question) -> str:
        """The section's name."""
        return site.topic_name(question.topic) or question.topic

    @admin.display(description="hữu ích", ordering="useful")
    def useful_count(self, question: Question) -> int:
        """Readers who found the answer useful."""
        return question.useful

    @admin.display(description="chưa hữu ích", ordering="not_useful")
    def not_useful_count(self, question: Question) -> int:
        """Readers who did not."""
        return question.not_useful

    def has_add_permission(self, request) -> bool:
        """Questions come from readers only."""
        return False

    def save_model(self, request, obj: Question, form, change) -> None:
        """An answer written: who and when; the status moves on."""
        if "answer" in form.changed_data and obj.answer.strip():
            obj.answered_by = request.user
            obj.answered_at = timezone.now()
            if obj.status == Question.Status.RECEIVED:
                obj.status = Question.Status.ANSWERING
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Gửi trả lời sang duyệt đăng (ghi tệp nội dung)",
        permissions=("publish",),
    )
    def send_to_review(self, request, queryset) -> None:
        """Write each selected answer's content file with ``Status: review``."""
        now = site.local_now()
        for question in queryset:
            try:
                author = request.user.get_full_name() or request.user.get_username()
                publish_question(question, now, author)
            except PublishError as error:
                self.message_user(
                    request, f"{question.code}: {error}.", level=messages.ERROR
                )
                continue
            self.message_user(
                request,
                f"{question.code}: đã ghi {question.published_file} (Status: review)."
                " Hãy gửi duyệt (commit, pull request) như mọi bài.",
                level=messages.SUCCESS,
            )

    def has_publish_permission(self, request) -> bool:
        """Only the reviewers' role sends answers to review."""
        return request.user.has_perm("reader_questions.publish_question")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Ratings, read only."""

    list_display = ("question", "useful", "rated_at")
    list_filter = ("useful",)

    def has_add_permission(self, request) -> bool:
        """Ratings come from readers only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Ratings are never edited."""
        return False
