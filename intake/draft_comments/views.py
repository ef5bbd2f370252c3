"""The comment form of a draft: taken until its deadline, then refused."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal_intake import site
from portal_intake.protection import address_hash, reader_form

from .forms import CommentForm
from .models import Comment


@reader_form
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    """The form for a draft; after its deadline a notice, and nothing stored."""
    document = site.DRAFT_DOCUMENTS.get(slug)
    if document is None:
        raise Http404("Không có dự thảo này.")
    if not document.open_on(site.local_now().date()):
        return render(request, "intake/closed.html", {"document": document}, status=410)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        Comment.objects.create(
            document=document.slug,
            document_title=document.title,
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            district=form.cleaned_data["district"],
            topic=form.cleaned_data["topic"],
            text=form.cleaned_data["text"],
            address_hash=address_hash(request),
        )
        return redirect(reverse("comments:thanks", args=[document.slug]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "intake/comment.html",
        {"form": form, "document": document},
        status=status,
    )


@require_http_methods(["GET"])
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """The page after a comment is stored."""
    document = site.DRAFT_DOCUMENTS.get(slug)
    if document is None:
        raise Http404("Không có dự thảo này.")
    return render(request, "intake/commented.html", {"document": document})
