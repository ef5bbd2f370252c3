"""The service's paths: those of the site's forms, and the admin.

nginx sends exactly these paths to the service (``deploy/nginx.conf``);
``/quan-tri/`` belongs to the browser editor, so the admin is elsewhere.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Quản trị hỏi đáp và góp ý"
admin.site.site_title = "Quản trị hỏi đáp"
admin.site.index_title = "Câu hỏi, trả lời và góp ý của bạn đọc"
admin.site.site_url = "/hoi-dap/"

urlpatterns = [
    path("hoi-dap/", include("reader_questions.urls")),
    path("gop-y/", include("draft_comments.urls")),
    path("quan-tri-hoi-dap/", admin.site.urls),
    # The service's own address (as `invoke intake` prints it) opens the form.
    path("", RedirectView.as_view(url="/hoi-dap/gui/")),
]

# Errors answer in Vietnamese, with the site's look (portal_intake.errors).
handler400 = "portal_intake.errors.bad_request"
handler403 = "portal_intake.errors.permission_denied"
handler404 = "portal_intake.errors.page_not_found"
handler500 = "portal_intake.errors.server_error"
