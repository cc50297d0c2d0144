"""URLs of the HTTP benchmark (bench/settings.py): the ceiling view, then the product's URLs."""

from django.http import HttpResponse
from django.urls import include, path

from newsroom.urls import handler500  # noqa: F401 (the product's, for the same error pages)


def ceiling(request):
    """The least a request can cost: the whole middleware stack, no template, no SQL."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    path("", include("newsroom.urls")),
]
