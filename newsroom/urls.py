"""URLs of the newsroom host project: the admin, the summits plugin and the sitemap."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from summits.sitemaps import SummitSitemap

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="summits:list", permanent=False), name="home"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"summits": SummitSitemap}}, name="sitemap"),
    path("api/", include("summits.api.urls")),
    path("", include("summits.urls")),
    # Uploaded lead images in development; production serves MEDIA_ROOT from the web server.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
