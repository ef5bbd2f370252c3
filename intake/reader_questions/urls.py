"""The paths the site's hỏi đáp forms post to (nginx sends them here)."""

from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("gui/", views.ask, name="ask"),
    path("theo-doi/", views.track, name="track"),
    path("danh-gia/<slug:slug>/", views.rate, name="rate"),
]
