"""Reader-facing URLs of the summits plugin."""

from django.urls import path

from . import views
from .feeds import SummitFeed

app_name = "summits"

urlpatterns = [
    path("summits/", views.summit_list, name="list"),
    path("summits/tracker/", views.tracker, name="tracker"),
    path("summits/feed/", SummitFeed(), name="feed"),
    path("summits/preview/<str:token>/", views.signed_preview, name="signed_preview"),
    path("summits/<slug:slug>/", views.summit_detail, name="detail"),
    path("summits/<slug:slug>/preview/", views.summit_preview, name="preview"),
]
