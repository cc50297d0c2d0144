"""Workflows that change several rows in one transaction: anchoring, ordering, publishing, follow-ups."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone, translation
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import annotate, conf
from .choices import STATUSES_BY_KIND, AnchorState, ItemKind, SummitStatus
from .models import Item, ItemUpdate, Summit

# Positions are moved past this offset before they are renumbered, so that a reordering never
# meets the unique (summit, kind, position) constraint half-way.
_POSITION_SHIFT = 1_000_000


ANCHOR_FIELDS = [
    "quote",
    "quote_prefix",
    "quote_suffix",
    "anchor_start",
    "anchor_end",
    "anchor_state",
    "anchor_score",
]


@dataclass
class AnchorReport:
    drifted: list[Item] = field(default_factory=list)
    orphaned: list[Item] = field(default_factory=list)


class PublishError(Exception):
    pass


@transaction.atomic
def reanchor_summit(summit: Summit) -> AnchorReport:
    """Re-anchors every item of the summit to its current article text and saves what moved,
    then renders the annotated article and the search text from the result."""
    report = AnchorReport()
    items = list(
        summit.items.select_for_update(of=("self",))
        .select_related("topic")
        .order_by("kind", "position")
    )
    for item in items:
        before = (item.anchor_start, item.anchor_end, item.anchor_state, item.selector)
        item.anchor(summit.body_text)
        if (item.anchor_start, item.anchor_end, item.anchor_state, item.selector) != before:
            # save(), not update(): django-reversion records the item as re-anchored.
            item.save(update_fields=ANCHOR_FIELDS)
        if item.anchor_state == AnchorState.DRIFTED:
            report.drifted.append(item)
        elif item.anchor_state == AnchorState.ORPHANED:
            report.orphaned.append(item)
    render_summit(summit, items)
    return report


def render_summit(summit: Summit, items: list[Item] | None = None) -> None:
    """Stores the summit's annotated article and search text, and marks the summit changed."""
    if items is None:
        items = list(summit.items.select_related("topic").order_by("kind", "position"))
    with translation.override(summit.language):
        summit.body_html = annotate.highlight(
            summit.body, [_highlight(item) for item in items if item.anchor_start is not None]
        )
    summit.search_document = "\n".join(
        [summit.title, summit.teaser, summit.body_text]
        + [part for item in items for part in (item.title, strip_tags(item.summary), item.quote)]
    )
    changes = {
        "body_html": summit.body_html,
        "search_document": summit.search_document,
        "updated_at": timezone.now(),
        # A summit form opened before this change (e.g. an item edited on its own page) would
        # write its stale rows back: moving the version makes that save refused instead.
        "version": F("version") + 1,
    }
    if connection.vendor == "postgresql":
        changes["search_vector"] = SearchVector(
            Value(summit.search_document), config=Value(conf.search_config(summit.language))
        )
    Summit.objects.filter(pk=summit.pk).update(**changes)


def _highlight(item: Item) -> annotate.Highlight:
    return annotate.Highlight(
        item.anchor_start,
        item.anchor_end,
        {
            "id": f"passage-{item.pk}",
            "class": f"passage passage--{item.kind}",
            "data-item": str(item.pk),
        },
        after=format_html(
            '<a class="passage-ref passage-ref--{kind}" href="#item-{pk}">'
            '<span class="visually-hidden">{kind_label}: </span>{label}</a>',
            kind=item.kind,
            pk=item.pk,
            kind_label=item.get_kind_display(),
            label=item.reference_label,
        ),
    )


@transaction.atomic
def confirm_anchor(item: Item) -> None:
    """Accepts the passage a drifted item was re-anchored to as its new quote."""
    if item.anchor_state != AnchorState.DRIFTED:
        return
    item.take_selector_from(item.summit.body_text)
    item.anchor_state = AnchorState.ANCHORED
    item.anchor_score = 1.0
    item.save(
        update_fields=["quote", "quote_prefix", "quote_suffix", "anchor_state", "anchor_score"]
    )


@transaction.atomic
def save_items_in_order(items: list[Item], deleted: list[Item]) -> None:
    """Saves one kind's items of a summit as numbered 1..n in the order given."""
    for item in deleted:
        if item.pk is not None:
            item.delete()
    existing = [item.pk for item in items if item.pk is not None]
    Item.objects.filter(pk__in=existing).update(position=F("position") + _POSITION_SHIFT)
    for number, item in enumerate(items, start=1):
        item.position = number
        item.save()


def orphaned_items_message(items) -> str:
    titles = ", ".join(_("“%(title)s”") % {"title": item.title} for item in items)
    return ngettext(
        "This item's passage is no longer in the article: %(titles)s. Fix or remove it before publishing.",
        "These items' passages are no longer in the article: %(titles)s. Fix or remove them before publishing.",
        len(items),
    ) % {"titles": titles}


@transaction.atomic
def publish(summit: Summit, *, user=None, publish_at=None) -> None:
    """Publishes the summit now or at `publish_at`; refused while any item is orphaned."""
    orphaned = list(summit.items.filter(anchor_state=AnchorState.ORPHANED))
    if orphaned:
        raise PublishError(orphaned_items_message(orphaned))
    summit.status = SummitStatus.PUBLISHED
    summit.publish_at = publish_at or summit.publish_at or timezone.now()
    if user is not None:
        summit.last_edited_by = user
    summit.save()


@transaction.atomic
def set_status(summit: Summit, status: SummitStatus, *, user=None) -> None:
    if status == SummitStatus.PUBLISHED:
        publish(summit, user=user)
        return
    summit.status = status
    if user is not None:
        summit.last_edited_by = user
    summit.save()


def sync_item_status(item: Item) -> None:
    """Moves the item's status to that of its latest follow-up update that names one."""
    latest = item.updates.exclude(status="").order_by("-date", "-id").first()
    if latest is not None and latest.status != item.status:
        item.status = latest.status
        item.save(update_fields=["status", "updated_at"])
        # The summit's updated_at tells partners and caches that its content changed.
        Summit.objects.filter(pk=item.summit_id).update(updated_at=timezone.now())


@transaction.atomic
def record_item_update(
    item: Item, *, date, note, status="", source_name="", source_url=""
) -> ItemUpdate:
    """Adds a dated follow-up to the item and moves the item's status with it."""
    if status and status not in STATUSES_BY_KIND[ItemKind(item.kind)].values:
        raise ValueError(_("This status does not apply to this kind of item."))
    update = ItemUpdate.objects.create(
        item=item,
        date=date,
        status=status,
        note=note,
        source_name=source_name,
        source_url=source_url,
    )
    sync_item_status(item)
    return update
