"""Atom feed of published summits, with full summaries, update dates and corrections."""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Summit

FEED_LENGTH = 50


class SummitFeed(Feed):
    feed_type = Atom1Feed
    title = _("Summits: what was agreed, what stayed disputed")
    subtitle = _("Summit coverage with the agreements and disputes of each meeting.")
    link = reverse_lazy("summits:list")

    def items(self):
        return (
            Summit.objects.published()
            .with_item_counts()
            .prefetch_related("corrections", "items")
            .defer("body", "body_text", "body_html", "search_document", "search_vector")
            .order_by("-publish_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, summit):
        return summit.title

    def item_description(self, summit):
        return render_to_string("summits/feed_entry.html", {"summit": summit})

    def item_pubdate(self, summit):
        return summit.first_published_at or summit.publish_at

    def item_updateddate(self, summit):
        return summit.updated_at

    def item_author_name(self, summit):
        return summit.credit_line or None

    def item_categories(self, summit):
        return [summit.get_language_display()]
