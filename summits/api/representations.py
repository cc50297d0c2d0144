"""What the API serves, built once per content version and cached.

A summit's JSON is cached under its id, the moment it last changed for readers and the
shared-content generation (summits.caching), so a page of the list serializes only the
summits that changed since anyone last asked; a whole response is cached under its ETag.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.functions import Greatest
from django.utils.cache import patch_cache_control
from rest_framework.renderers import JSONRenderer

from .. import caching, conf
from ..models import Item, Participant, Stance, Summit, Topic
from .serializers import SummitSerializer


def with_changed_at(summits):
    """Annotates changed_at: when the summit last changed for readers.

    A scheduled summit goes live when its publish_at passes, without a save that would move
    its updated_at; so the later of the two is the moment partners must fetch it again.
    The index summit_change_idx serves the order and the updated_since filter.
    """
    return summits.annotate(changed_at=Greatest("updated_at", "publish_at"))


def summit_keys():
    """Published summits with only what the list's order, filters and cache keys need.

    A representation is cached under its translation family's newest change
    (family_changed_at), not the summit's own: it lists the family's live translations, and
    one going live on schedule changes that list with no write.
    """
    return (
        with_changed_at(Summit.objects.published())
        .with_family_changed_at()
        .only("pk", "updated_at", "publish_at")
    )


def summits_for_partners():
    """Published summits with everything the API shows, in a fixed number of queries.

    The relations the reader page shows (PAGE_RELATIONS), as plain lists (`to_attr`): filling
    `summit.items.all()` and the like builds a related manager and a queryset for every summit
    and item, which was half the time of serialising a page of 50 summits with 15 items each
    (bench/pages.py --items 15 --profile "API list of 50, uncached"). The serializers read the
    lists. Keep them in step with PAGE_RELATIONS: a relation left out here costs a query per
    row, which the query budgets of tests/api/test_summit_list.py catch.
    """
    translations = Summit.objects.published().only("pk", "slug", "language", "original_id")
    # Participants and topics with their names in every language (django-parler's tables).
    # Prefetched, not joined: a topic or a participant is then one object however many items
    # and stances of the page show it, and its names are loaded once.
    participants = Participant.objects.prefetch_related("translations")
    topics = Topic.objects.prefetch_related("translations")
    items = Item.objects.prefetch_related(
        Prefetch("topic", queryset=topics),
        Prefetch(
            "stances",
            queryset=Stance.objects.prefetch_related(
                Prefetch("participant", queryset=participants)
            ),
            to_attr="stance_list",
        ),
        Prefetch("updates", to_attr="update_list"),
    )
    return (
        with_changed_at(Summit.objects.published())
        .defer("body_text", "body_html", "search_document", "search_vector")
        .prefetch_related(
            Prefetch("participants", queryset=participants, to_attr="participant_list"),
            Prefetch("topics", queryset=topics, to_attr="topic_list"),
            Prefetch("items", queryset=items, to_attr="item_list"),
            Prefetch("corrections", to_attr="correction_list"),
            Prefetch(
                "original",
                queryset=Summit.objects.only(
                    "pk", "slug", "language", "status", "publish_at", "original_id"
                ),
            ),
            Prefetch(
                "original__translations", queryset=translations, to_attr="published_translations"
            ),
            Prefetch("translations", queryset=translations, to_attr="published_translations"),
        )
    )


def summit_data(request, summits, context) -> list[dict]:
    """The representations of `summits` (rows of summit_keys(), or anything with their `pk`
    and `family_changed_at`), in their order.

    A summit withdrawn since its row was read is left out.
    """
    keys = {
        summit.pk: (
            f"summits:api:summit:{summit.pk}:{family_changed_at(summit)}:{request.get_host()}"
        )
        for summit in summits
    }
    found = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        rows = list(summits_for_partners().filter(pk__in=missing))
        # One serializer for all: DRF builds a serializer's fields anew for each instance.
        data = SummitSerializer(rows, many=True, context=context).data
        fresh = {keys[row.pk]: dict(item) for row, item in zip(rows, data, strict=True)}
        cache.set_many(fresh, conf.get("CACHE_TIMEOUT"))
        found.update(fresh)
    return [found[key] for key in keys.values() if key in found]


def family_changed_at(summit) -> float:
    moment = summit.family_changed_at
    return moment if isinstance(moment, float) else moment.timestamp()


def conditional_json(request, version, last_modified, build_data, *, content_type=None):
    """304 when the client holds this version; else the JSON from the cache or `build_data()`
    (summits.caching.conditional_response, as for the reader pages)."""
    response = caching.conditional_response(
        request,
        f"api-{version}",
        last_modified,
        lambda: JSONRenderer().render(build_data()),
        kind="api",
        content_type=content_type or "application/json",
    )
    # Partners revalidate every time (cheap: 304); shared caches keep nothing behind the key.
    patch_cache_control(response, private=True, no_cache=True)
    return response
