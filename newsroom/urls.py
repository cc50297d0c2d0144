"""URLs of the newsroom host project: the admin, the summits plugin and the sitemap."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from newsroom import health
from summits.sitemaps import SummitSitemap

SITEMAPS = {"summits": SummitSitemap}

# While the database is away, readers and partners get a 503 saying so instead of a 500.
handler500 = health.server_error


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico where a page names no icon (a feed, the API's JSON)."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        # Resolved per request: with manifest storage the hashed name exists only after
        # collectstatic, not when the URLs are imported.
        return static_url("newsroom/favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="summits:list", permanent=False), name="home"),
    path("admin/", admin.site.urls),
    # A sitemap index, and its pages: /sitemap-summits.xml?p=2, ...
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/", include("summits.api.urls")),
    path("", include("summits.urls")),
    # Uploaded lead images in development; production serves MEDIA_ROOT from the web server.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
