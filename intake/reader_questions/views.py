"""The readers' side of hỏi đáp: ask, follow a question, rate an answer."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal_intake import site
from portal_intake.protection import address_hash, reader_form, refused

from .forms import QuestionForm
from .models import Question, Rating

# A random token that makes "one rating per reader and answer" without an account.
READER_COOKIE = "hoidap_ban_doc"
READER_COOKIE_AGE = 2 * 365 * 24 * 3600
TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # characters of token_urlsafe(TOKEN_BYTES)


@reader_form
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """The question form; a valid question is stored, then its code is shown."""
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        question = Question.objects.create(
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            topic=form.cleaned_data["topic"],
            question=form.cleaned_data["question"],
            address_hash=address_hash(request),
        )
        # Saved (committed) before the answer: the code shown is a promise.
        return redirect(f"{reverse('questions:track')}?ma={question.code}&moi=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/ask.html", {"form": form}, status=status)


@require_http_methods(["GET"])
def track(request: HttpRequest) -> HttpResponse:
    """A question's status, by its tracking code."""
    code = request.GET.get("ma", "").strip().upper()[:16]
    question = Question.objects.filter(code=code).first() if code else None
    return render(
        request,
        "intake/track.html",
        {
            "code": code,
            "question": question,
            "topic": site.topic_name(question.topic) if question else "",
            "new": request.GET.get("moi") == "1",
        },
        status=404 if code and question is None else 200,
    )


def reader_token(request: HttpRequest) -> tuple[str, bool]:
    """The reader's cookie token, and whether it is new."""
    token = request.COOKIES.get(READER_COOKIE, "")
    if len(token) == TOKEN_LENGTH:
        return token, False
    return secrets.token_urlsafe(TOKEN_BYTES), True


@reader_form
@require_http_methods(["POST"])
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    """One rating per reader and answer: a second one is not counted."""
    question = Question.objects.filter(slug=slug[:150]).first()
    useful = request.POST.get("huu_ich")
    if question is None or useful not in ("co", "khong"):
        return refused(request, 404, "Không tìm thấy câu trả lời để đánh giá.")
    token, new = reader_token(request)
    key = f"ban-doc:{settings.SECRET_KEY}".encode()
    reader = hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
    try:
        with transaction.atomic():
            Rating.objects.create(
                question=question, reader=reader, useful=useful == "co"
            )
        counted = True
    except IntegrityError:
        counted = False
    response = render(
        request, "intake/rated.html", {"counted": counted, "question": question}
    )
    if new:
        response.set_cookie(
            READER_COOKIE,
            token,
            max_age=READER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            path="/hoi-dap/",
        )
    return response
