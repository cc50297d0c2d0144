"""Querysets: the one definition of what a reader may see."""

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import AnchorState, ItemKind, SummitStatus


class SummitQuerySet(models.QuerySet):
    def published(self):
        """Summits a reader may see: published, and their publish_at has come."""
        return self.filter(status=SummitStatus.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=SummitStatus.PUBLISHED, publish_at__gt=timezone.now())

    def for_readers(self):
        return self.published().prefetch_related(
            "participants",
            "topics",
            "items__topic",
            "items__stances__participant",
            "items__updates",
            "corrections",
        )

    def with_item_counts(self):
        """Annotates agreement_count and dispute_count with correlated subqueries.

        Subqueries rather than a JOIN with GROUP BY, so that the changelist's COUNT(*) and
        date queries stay on the summit table alone.
        """
        items = self.model._meta.get_field("items").related_model

        def count(kind):
            rows = (
                items.objects.filter(summit=OuterRef("pk"), kind=kind)
                .order_by()
                .values("summit")
                .annotate(total=Count("pk"))
                .values("total")
            )
            return Coalesce(Subquery(rows), 0)

        return self.annotate(
            agreement_count=count(ItemKind.AGREEMENT), dispute_count=count(ItemKind.DISPUTE)
        )


class ItemQuerySet(models.QuerySet):
    def agreements(self):
        return self.filter(kind=ItemKind.AGREEMENT)

    def disputes(self):
        return self.filter(kind=ItemKind.DISPUTE)

    def needing_attention(self):
        return self.exclude(anchor_state=AnchorState.ANCHORED)
