"""Sitemap of published summits, with the time each last changed.

A host serves it as a sitemap index (`/sitemap.xml`) of pages of at most `limit` URLs each
(README, "Add it to your project"): at 100,000 summits one page of 50,000 URLs (the protocol's
most) was 6.9 MB and took seconds to build.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Summit


class SummitSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Summit.objects.published().only("slug", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, summit):
        return summit.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every summit loaded (Django's default).
        return Summit.objects.published().aggregate(latest=Max("updated_at"))["latest"]
