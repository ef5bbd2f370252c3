"""Comments in the admin: read, filtered by draft, exported per draft."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse

from .export import as_csv, as_xlsx
from .models import Comment

# Characters of a comment shown in the list.
SHORT = 80
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments, newest first; export the selected ones of one draft."""

    list_display = ("document_title", "district", "topic", "received_at", "short_text")
    list_filter = ("document_title", "district", "topic")
    search_fields = ("text", "document_title")
    readonly_fields = (
        "document", "document_title", "name", "contact", "district", "topic", "text",
        "received_at", "contact_erased_at",
    )  # fmt: skip
    actions = ("export_csv", "export_xlsx")

    @admin.display(description="góp ý")
    def short_text(self, comment: Comment) -> str:
        """The comment's first words."""
        text = " ".join(comment.text.split())
        return text if len(text) <= SHORT else text[:SHORT] + "…"

    def has_add_permission(self, request) -> bool:
        """Comments come from readers only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """A reader's comment is kept as sent."""
        return False

    def has_export_permission(self, request) -> bool:
        """Those of the "Tổng hợp góp ý" role (and superusers)."""
        return request.user.has_perm("draft_comments.export_comments")

    def _export(self, request, queryset, kind: str):
        documents = set(queryset.values_list("document", flat=True))
        if len(documents) != 1:
            self.message_user(
                request,
                "Hãy lọc theo một văn bản (cột bên phải) rồi chọn các góp ý của "
                "văn bản đó để xuất.",
                level=messages.ERROR,
            )
            return None
        comments = list(queryset.order_by("received_at"))
        slug = documents.pop()
        title = comments[0].document_title
        if kind == "csv":
            body, content_type = as_csv(title, comments), "text/csv; charset=utf-8"
        else:
            body, content_type = as_xlsx(title, comments), XLSX
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="gop-y-{slug}.{kind}"'
        return response

    @admin.action(
        description="Xuất góp ý của một văn bản (CSV)", permissions=["export"]
    )
    def export_csv(self, request, queryset):
        """CSV of the selected comments of one draft, with counts."""
        return self._export(request, queryset, "csv")

    @admin.action(
        description="Xuất góp ý của một văn bản (XLSX)", permissions=["export"]
    )
    def export_xlsx(self, request, queryset):
        """XLSX of the selected comments of one draft, with counts."""
        return self._export(request, queryset, "xlsx")
