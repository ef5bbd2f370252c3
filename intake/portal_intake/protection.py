"""What every reader's form goes through: origin, honeypot, rate limit.

A static page cannot carry Django's CSRF token, so the readers' forms are
exempt from it and are accepted only from the site's own origin (the
``Origin`` header, or ``Referer`` when a browser sends no ``Origin``): another
site cannot post them. The admin keeps Django's full CSRF protection.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import FormSubmission

# The honeypot: a field people never see nor fill (hidden by the site's CSS).
HONEYPOT_FIELD = "website"


def client_address(request: HttpRequest) -> str:
    """The reader's address: nginx's ``X-Real-IP`` behind the proxy."""
    if settings.INTAKE["BEHIND_PROXY"]:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded[:64]
    return request.META.get("REMOTE_ADDR", "")


def address_hash(request: HttpRequest) -> str:
    """A keyed hash of the reader's address (the address itself is never kept)."""
    key = f"dia-chi:{settings.SECRET_KEY}".encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()


def same_origin(request: HttpRequest) -> bool:
    """Whether the form was posted from a page of the site itself."""
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    return parts.netloc == request.get_host() and parts.scheme in ("http", "https")


def refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A Vietnamese page saying why a form was not taken."""
    return render(request, "intake/refused.html", {"message": message}, status=status)


def over_rate_limit(request: HttpRequest) -> bool:
    """Record this form; True when its address sent too many in the window."""
    limit = settings.INTAKE["RATE_LIMIT"]
    if not limit:
        return False
    digest = address_hash(request)
    since = timezone.now() - timedelta(seconds=settings.INTAKE["RATE_WINDOW"])
    recent = FormSubmission.objects.filter(
        address_hash=digest, received_at__gte=since
    ).count()
    if recent >= limit:
        return True
    FormSubmission.objects.create(address_hash=digest)
    return False


def reader_form(view):
    """A view taking a reader's form: same origin and rate limit on POST."""

    @csrf_exempt
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            if not same_origin(request):
                return refused(
                    request,
                    403,
                    "Biểu mẫu phải được gửi từ chính trang của cổng thông tin. "
                    "Hãy mở lại trang và gửi lại.",
                )
            # One transaction, one commit (before the answer): the address's
            # count and what the form stores.
            with transaction.atomic():
                if over_rate_limit(request):
                    return refused(
                        request,
                        429,
                        "Bạn đã gửi quá nhiều lần trong thời gian ngắn. "
                        "Xin vui lòng thử lại sau ít phút.",
                    )
                return view(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return guarded
