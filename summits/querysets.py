"""Querysets: the one definition of what a reader may see."""

from django.contrib.postgres.search import SearchQuery
from django.db import connections, models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from . import conf
from .choices import AgreementStatus, AnchorState, ItemKind, SummitStatus

# What a summit's page (and its partner API representation) shows besides the summit itself;
# participants and topics with their names in every language (django-parler's tables).
PAGE_RELATIONS = (
    "participants__translations",
    "topics__translations",
    "items__topic__translations",
    "items__stances__participant__translations",
    "items__updates",
    "corrections",
)
# Readers type a few words; a pasted essay is cut to this many.
MAX_SEARCH_WORDS = 12


def is_published(via: str = "") -> Q:
    """The condition a summit meets when a reader may see it: published, and its publish_at
    has come. Summit.objects.published() applies it; nothing else defines it.

    `via`: the path to the summit from another model's rows, such as "summit__"."""
    return Q(
        **{
            f"{via}status": SummitStatus.PUBLISHED,
            f"{via}publish_at__lte": timezone.now(),
            f"{via}draft_of__isnull": True,
        }
    )


class SummitQuerySet(models.QuerySet):
    def published(self):
        """Summits a reader may see: published, and their publish_at has come."""
        return self.filter(is_published())

    def delete(self):
        # Bulk deletes (the admin's "delete selected") leave tombstones for partners too.
        from .partners import before_summits_delete

        with transaction.atomic(using=self.db):
            before_summits_delete(self)
            return super().delete()

    def editions(self):
        """Summits as editors list them: each once, its working draft (if any) not beside it."""
        return self.filter(draft_of__isnull=True)

    def scheduled(self):
        return self.filter(status=SummitStatus.PUBLISHED, publish_at__gt=timezone.now())

    def with_family_changed_at(self):
        """Annotates family_changed_at: when a live summit of each one's translation family
        (its original and the original's translations, itself included) last changed for
        readers, by an edit or by going live.

        A summit's page links its live translations. One scheduled for later goes live when its
        publish_at passes, with no save that would mark the others changed; this moment does
        move then, so the others' pages renew their links.

        Two lookups, each on an index: the original by its primary key, its translations by
        their foreign key.
        """

        own = Greatest("updated_at", "publish_at")

        def newest(key):
            # The live ones picked inside MAX, not in WHERE, and MAX, not ORDER BY ... LIMIT 1:
            # so WHERE holds the key alone, and SQLite looks the family up by it instead of
            # running through every live summit (measured: 0.6 ms then, at 200 summits).
            family = self.model.objects.filter(**{key: OuterRef("family_root")})
            changed = (
                family.order_by()
                .values(key)
                .annotate(
                    changed_at=Max(Greatest("updated_at", "publish_at"), filter=is_published())
                )
            )
            return Coalesce(Subquery(changed.values("changed_at")[:1]), own)

        return self.annotate(family_root=Coalesce("original_id", "pk")).annotate(
            family_changed_at=Greatest(newest("pk"), newest("original_id"))
        )

    def for_readers(self):
        return self.published().with_page_data()

    def with_page_data(self):
        """Everything an article page shows, in a fixed number of queries."""
        return self.select_related("original").prefetch_related(*PAGE_RELATIONS)

    def search(self, query: str):
        """Full-text search in each summit's own language on PostgreSQL; word matching elsewhere."""
        words = query.split()[:MAX_SEARCH_WORDS]
        if not words:
            return self
        if connections[self.db].vendor != "postgresql":
            matches = Q()
            for word in words:
                matches &= Q(search_document__icontains=word)
            return self.filter(matches)
        text = " ".join(words)
        configs = conf.get("SEARCH_CONFIGS")
        matches = Q(
            ~Q(language__in=list(configs)),
            search_vector=SearchQuery(text, config="simple", search_type="websearch"),
        )
        for language, config in configs.items():
            matches |= Q(
                language=language,
                search_vector=SearchQuery(text, config=config, search_type="websearch"),
            )
        return self.filter(matches)

    def with_item_counts(self):
        """Annotates agreement_count and dispute_count with correlated subqueries.

        Subqueries rather than a JOIN with GROUP BY, so that the changelist's COUNT(*) and
        date queries stay on the summit table alone.
        """
        items = self.model._meta.get_field("items").related_model

        def count(kind, **conditions):
            rows = (
                items.objects.filter(summit=OuterRef("pk"), kind=kind, **conditions)
                .order_by()
                .values("summit")
                .annotate(total=Count("pk"))
                .values("total")
            )
            return Coalesce(Subquery(rows), 0)

        return self.annotate(
            agreement_count=count(ItemKind.AGREEMENT),
            dispute_count=count(ItemKind.DISPUTE),
            fulfilled_count=count(ItemKind.AGREEMENT, status=AgreementStatus.FULFILLED),
            broken_count=count(ItemKind.AGREEMENT, status=AgreementStatus.BROKEN),
        )


class ItemQuerySet(models.QuerySet):
    def agreements(self):
        return self.filter(kind=ItemKind.AGREEMENT)

    def disputes(self):
        return self.filter(kind=ItemKind.DISPUTE)

    def needing_attention(self):
        return self.exclude(anchor_state=AnchorState.ANCHORED)
