"""Sitemap of published summits, with the time each last changed."""

from django.contrib.sitemaps import Sitemap

from .models import Summit


class SummitSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Summit.objects.published().only("slug", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, summit):
        return summit.updated_at
