"""The paths the draft documents' comment forms post to."""

from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("<slug:slug>/", views.comment, name="comment"),
    path("<slug:slug>/da-gui/", views.thanks, name="thanks"),
]
