"""The service's error pages, in Vietnamese and with the site's look.

Django's own pages (and the admin's) are in English or in the admin's look;
a reader who follows a wrong link, a staff member without the right role, a
form whose CSRF token expired all get a page of the portal instead. The
500 page falls back to plain text if even the site's context cannot be read.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Status: (heading, what happened and what to do).
ERRORS = {
    400: (
        "Yêu cầu không hợp lệ",
        "Máy chủ không hiểu được yêu cầu này. Xin quay lại trang trước và thử lại.",
    ),
    403: (
        "Không có quyền truy cập",
        "Tài khoản của bạn không được phép mở trang này. Nếu cần, xin liên hệ "
        "người quản trị để được cấp quyền.",
    ),
    404: (
        "Không tìm thấy trang",
        "Trang bạn tìm không có hoặc đã được chuyển đi. Xin kiểm tra lại địa chỉ, "
        "mã theo dõi hoặc đường dẫn của dự thảo.",
    ),
    500: (
        "Hệ thống đang gặp sự cố",
        "Yêu cầu của bạn chưa được xử lý. Xin thử lại sau ít phút; nếu vẫn không "
        "được, xin liên hệ qua trang Liên hệ của cổng thông tin.",
    ),
}
CSRF_FAILURE = (
    "Phiên làm việc đã hết hạn",
    "Biểu mẫu không còn hợp lệ (mã bảo vệ CSRF thiếu hoặc đã hết hạn). Xin tải lại "
    "trang, đăng nhập lại nếu cần, rồi gửi lại.",
)


def error_page(
    request: HttpRequest, status: int, heading: str, message: str
) -> HttpResponse:
    """The portal's error page with this status."""
    return render(
        request,
        "intake/error.html",
        {"status": status, "heading": heading, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a malformed request (a wrong Host header among them)."""
    return error_page(request, 400, *ERRORS[400])


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: a page the staff member's roles do not open."""
    return error_page(request, 403, *ERRORS[403])


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: an unknown path, draft document or admin object."""
    return error_page(request, 404, *ERRORS[404])


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the site's page if it can be made; plain Vietnamese text if not."""
    try:
        return error_page(request, 500, *ERRORS[500])
    except Exception:
        logger.exception("the 500 page could not be rendered")
        heading, message = ERRORS[500]
        return HttpResponse(
            f"{heading}. {message}",
            status=500,
            content_type="text/plain; charset=utf-8",
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 of Django's CSRF check (the admin's forms)."""
    return error_page(request, 403, *CSRF_FAILURE)
