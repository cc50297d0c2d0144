"""The one write path of summits: every change of a summit's content or state goes through here.

The admin's summit form and item pages, bulk actions, History restore and recover, and the
commands open a SummitChange (or call a function here that does). It checks the user's
permission against what the database holds, and applies what every change needs in the same
transaction: the withdrawal tombstone when something live goes out, the version moving forward,
the derived fields (anchors, the rendered article, the search text) and the moment of change
that renews every cached page and tells partners polling with updated_since.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

from . import caching, conf, partners, rendering, workflow
from .choices import STATUSES_BY_KIND, AnchorState, ItemKind, SummitStatus
from .models import Correction, Item, ItemUpdate, Stance, Summit

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

# What a restore brings back of a summit: its content. Never its state (status, publish_at:
# that is the workflow's), its address or language, nor what is derived from the content.
RESTORED_SUMMIT_FIELDS = [
    "title",
    "teaser",
    "body",
    "city",
    "venue",
    "country",
    "start_date",
    "end_date",
    "lead_image",
    "lead_image_alt",
    "lead_image_caption",
    "lead_image_credit",
    "credit_line",
]
RESTORED_ITEM_FIELDS = [
    "kind",
    "position",
    "title",
    "summary",
    "topic_id",
    "status",
    "quote",
    "quote_prefix",
    "quote_suffix",
]


@dataclass
class AnchorReport:
    drifted: list[Item] = field(default_factory=list)
    orphaned: list[Item] = field(default_factory=list)


class PublishError(Exception):
    pass


class RestoreError(Exception):
    pass


@dataclass(frozen=True)
class StoredState:
    """What the database held of a summit when a change of it began."""

    status: str
    publish_at: object
    was_live: bool
    version: int
    slug: str
    language: str
    original_id: int | None

    def visible_to_translations(self):
        return (self.slug, self.language, self.original_id)


def _stored_state(pk) -> StoredState | None:
    row = (
        Summit.objects.select_for_update()
        .filter(pk=pk)
        .values("status", "publish_at", "version", "slug", "language", "original_id")
        .first()
    )
    if row is None:
        return None
    was_live = row["status"] == SummitStatus.PUBLISHED and (
        row["publish_at"] is not None and row["publish_at"] <= timezone.now()
    )
    return StoredState(was_live=was_live, **row)


def require_publish_permission(user) -> None:
    if user is not None and not workflow.can_publish(user):
        raise PermissionDenied(_("Only editors publish, unpublish and archive summits."))


class SummitChange:
    """One change of one summit, inside the caller's transaction.

    Opened before anything is written: it locks the summit's row, reads what the database holds
    (live or not, the version) and checks that the user may change the summit as it is stored,
    not as an incoming form or an old revision says it is. `save()` writes the summit's row;
    `finish()`, after every write of the change, applies what all changes need.
    """

    def __init__(self, summit: Summit, *, user=None):
        if not connection.in_atomic_block:
            raise transaction.TransactionManagementError(
                "A summit change runs inside transaction.atomic()."
            )
        self.summit = summit
        self.user = user
        self.before = _stored_state(summit.pk) if summit.pk is not None else None
        if (
            user is not None
            and self.before is not None
            and not workflow.can_write(user, self.before)
        ):
            raise PermissionDenied(_("Only editors change a summit that is published or archived."))

    def save(self, **kwargs) -> None:
        """Writes the summit's own row, within the workflow's rules for the user."""
        summit = self.summit
        self.check_workflow()
        if self.before is not None:
            # The version moves forward from the stored one, whatever the object carries
            # (an old revision's number, a form loaded long ago).
            summit.version = self.before.version
        if self.user is not None:
            summit.last_edited_by = self.user
        self._record_review()
        summit.save(**kwargs)

    def _record_review(self) -> None:
        """Who submitted the summit for review and when; who sent it back, when, and why."""
        summit, before = self.summit, self.before
        stored_status = before.status if before is not None else None
        if summit.status == SummitStatus.REVIEW and stored_status != SummitStatus.REVIEW:
            summit.submitted_by, summit.submitted_at = self.user, timezone.now()
            summit.review_note, summit.review_note_by, summit.review_note_at = "", None, None
        elif stored_status == SummitStatus.REVIEW and summit.status == SummitStatus.DRAFT:
            summit.review_note_by, summit.review_note_at = self.user, timezone.now()

    def check_workflow(self) -> None:
        """Reporters write and submit for review; the publishing state is the editors'."""
        if self.user is None or workflow.can_publish(self.user):
            return
        summit, before = self.summit, self.before
        if summit.status not in workflow.REPORTER_STATUSES:
            raise PermissionDenied(_("An editor publishes the summit once it has been reviewed."))
        stored_publish_at = before.publish_at if before is not None else None
        if summit.publish_at != stored_publish_at:
            raise PermissionDenied(_("Only editors set the time a summit goes live."))

    def finish(self, *, changed_at=None) -> AnchorReport:
        """Tombstone, translations, version, derived fields and the moment of change (now,
        unless a loader gives the moment its story ends)."""
        summit = self.summit
        partners.summit_changed(summit, self.before, at=changed_at)
        report = reanchor_summit(summit, edited_by=self.user, changed_at=changed_at)
        summit.refresh_from_db(
            fields=[
                "version",
                "updated_at",
                "body_html",
                "search_document",
                "page_parts",
                "card_parts",
            ]
        )
        return report


@contextmanager
def summit_change(summit: Summit, *, user=None):
    """A SummitChange in its own transaction, finished when the block ends without error."""
    with transaction.atomic():
        change = SummitChange(summit, user=user)
        yield change
        change.finish()


def is_edited_in_a_draft(summit: Summit) -> bool:
    """Whether a change of `summit` goes into a working draft: it is published as stored."""
    return (
        summit.pk is not None
        and summit.draft_of_id is None
        and Summit.objects.filter(pk=summit.pk, status=SummitStatus.PUBLISHED).exists()
    )


def save_summit(summit: Summit, *, user=None) -> None:
    """Saves a change of the summit's own fields as any other change is saved."""
    with summit_change(summit, user=user) as change:
        change.save()


@transaction.atomic
def reanchor_summit(summit: Summit, *, edited_by=None, changed_at=None) -> AnchorReport:
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
    render_summit(summit, items, edited_by=edited_by, changed_at=changed_at)
    return report


def render_summit(
    summit: Summit,
    items: list[Item] | None = None,
    *,
    edited_by=None,
    changed_at=None,
    announce=True,
    parts=True,
) -> None:
    """Stores the summit's annotated article, its page's other parts and list cards
    (rendering.page_parts, rendering.card_parts) and its search text, moves its version
    forward and marks it changed: its cached pages and API entries renew, partners fetch it
    again.

    For a loader that renders many summits: `announce=False` leaves telling the cache
    (caching.content_changed()) to it, to tell once; `parts=False` leaves the page parts and
    cards empty, for the first reader's request to render and store.
    """
    if items is None:
        items = list(summit.items.select_related("topic").order_by("kind", "position"))
    summit.body_html = rendering.annotated_body(summit, items)
    summit.search_document = "\n".join(
        [summit.title, summit.teaser, summit.body_text]
        + [part for item in items for part in (item.title, strip_tags(item.summary), item.quote)]
    )
    summit.updated_at = changed_at or timezone.now()
    summit.page_parts = summit.card_parts = None
    if parts:
        # Loaded afresh: a form's summit may hold relations prefetched before it saved them.
        shown = Summit.objects.with_page_data().get(pk=summit.pk)
        shown.updated_at = summit.updated_at
        summit.page_parts = rendering.page_parts(shown).stored()
        summit.card_parts = rendering.card_parts(shown)
    changes = {
        "body_html": summit.body_html,
        "search_document": summit.search_document,
        "page_parts": summit.page_parts,
        "card_parts": summit.card_parts,
        "updated_at": summit.updated_at,
        "version": F("version") + 1,
    }
    if edited_by is not None:
        changes["last_edited_by"] = edited_by
    if connection.vendor == "postgresql":
        changes["search_vector"] = SearchVector(
            Value(summit.search_document), config=Value(conf.search_config(summit.language))
        )
    Summit.objects.filter(pk=summit.pk).update(**changes)
    if announce:
        caching.content_changed()


@transaction.atomic
def save_items_in_order(items: list[Item], deleted: list[Item], *, unchanged=()) -> None:
    """Saves one kind's items of a summit as numbered 1..n in the order given.

    Items in `unchanged` (a form left them as loaded) are written only when their number
    changes: a save of one title among 300 items writes one item, not 300.
    """
    for item in deleted:
        if item.pk is not None:
            item.delete()
    existing = [item.pk for item in items if item.pk is not None]
    stored = dict(Item.objects.filter(pk__in=existing).values_list("pk", "position"))
    numbered = list(enumerate(items, start=1))
    if any(item.pk is not None and stored.get(item.pk) != number for number, item in numbered):
        # Moved rows: every number is freed first, so that no two rows ever hold one.
        Item.objects.filter(pk__in=existing).update(position=F("position") + _POSITION_SHIFT)
        unchanged = ()
    skipped = {id(item) for item in unchanged}
    for number, item in numbered:
        item.position = number
        if id(item) not in skipped:
            item.save()


def orphaned_items_message(items, *, live=False, titles=None) -> str:
    """Names the items whose passages are gone (as `titles` says, if given), and what the
    editor does about them."""
    if titles is None:
        titles = ", ".join(
            _("“%(title)s” (%(label)s)") % {"title": item.title, "label": item.reference_label}
            for item in items
        )
    if live:
        return ngettext(
            "A live summit cannot show an item whose passage is gone: %(titles)s. Re-anchor it "
            "to the article or remove it.",
            "A live summit cannot show items whose passages are gone: %(titles)s. Re-anchor "
            "them to the article or remove them.",
            len(items),
        ) % {"titles": titles}
    return ngettext(
        "This item's passage is no longer in the article: %(titles)s. Re-anchor it to the "
        "article or remove it before publishing.",
        "These items' passages are no longer in the article: %(titles)s. Re-anchor them to "
        "the article or remove them before publishing.",
        len(items),
    ) % {"titles": titles}


def publish(summit: Summit, *, user=None, publish_at=None) -> None:
    """Publishes the summit now, or at `publish_at`; refused while any item is orphaned.

    Now means now: a publishing time set while the summit was a draft (backdated, or far
    ahead) is not kept, so "published" is what readers see.
    """
    require_publish_permission(user)
    if summit.draft_of_id is not None:
        # A working draft's changes go live on its summit (publish_changes); it is never live.
        raise PublishError(_("A working draft is published with “Publish changes”."))
    with summit_change(summit, user=user) as change:
        orphaned = list(summit.items.filter(anchor_state=AnchorState.ORPHANED))
        if orphaned:
            raise PublishError(orphaned_items_message(orphaned))
        summit.status = SummitStatus.PUBLISHED
        summit.publish_at = publish_at or timezone.now()
        change.save()


def set_status(summit: Summit, status: SummitStatus, *, user=None) -> None:
    if status == SummitStatus.PUBLISHED:
        publish(summit, user=user)
        return
    if summit.status == SummitStatus.PUBLISHED and summit.draft_of_id is None:
        take_offline(summit, status, user=user)
        summit.refresh_from_db()
        return
    if status not in workflow.REPORTER_STATUSES or summit.status not in workflow.REPORTER_STATUSES:
        require_publish_permission(user)
    with summit_change(summit, user=user) as change:
        summit.status = status
        change.save()


def sync_item_status(item: Item) -> None:
    """Moves the item's status to that of its latest follow-up update that names one.

    Part of a change of the item's summit: the caller's SummitChange marks the summit changed.
    """
    latest = item.updates.exclude(status="").order_by("-date", "-id").first()
    if latest is not None and latest.status != item.status:
        item.status = latest.status
        item.save(update_fields=["status", "updated_at"])


def record_item_update(
    item: Item, *, date, note, status="", source_name="", source_url="", user=None
) -> ItemUpdate:
    """Adds a dated follow-up to the item and moves the item's status with it."""
    if status and status not in STATUSES_BY_KIND[ItemKind(item.kind)].values:
        raise ValueError(_("This status does not apply to this kind of item."))
    with summit_change(item.summit, user=user):
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


def restore_revision(summit: Summit, revision, *, user=None) -> Summit:
    """Brings back the summit's content as `revision` holds it, as a new change.

    Wagtail's revert_to_revision is the model: the old data is read and saved anew, never
    written raw. The summit keeps its state, address and language; the version moves forward
    and everything derived is computed again from the restored content. A live summit's
    content is restored into its working draft: readers see it once an editor publishes it.
    Returns the summit written: the summit itself, or the live one's working draft.
    """
    data = _revision_data(revision, summit.pk)
    with transaction.atomic():
        if is_edited_in_a_draft(summit):
            summit = Summit.objects.filter(draft_of=summit).first() or start_working_draft(
                summit, user=user
            )
        change = SummitChange(summit, user=user)
        for name in RESTORED_SUMMIT_FIELDS:
            setattr(summit, name, data.summit[name])
        change.save()
        _restore_relations(summit, data)
        change.finish()
    return summit


def recover_summit(version, *, user=None) -> Summit:
    """Brings a deleted summit back from its last version, as a draft: it goes live again
    only when an editor publishes it."""
    data = _revision_data(version.revision, int(version.object_id))
    fields = data.summit
    if Summit.objects.filter(slug=fields["slug"]).exists():
        raise RestoreError(
            _("Another summit has the address “%(slug)s” now; rename it first.")
            % {"slug": fields["slug"]}
        )
    original_id = fields.get("original_id")
    summit = Summit(
        pk=None if Summit.objects.filter(pk=version.object_id).exists() else version.object_id,
        slug=fields["slug"],
        language=fields["language"],
        original=Summit.objects.filter(pk=original_id, original__isnull=True).first()
        if original_id
        else None,
        status=SummitStatus.DRAFT,
        first_published_at=fields.get("first_published_at"),
        **{name: fields[name] for name in RESTORED_SUMMIT_FIELDS},
    )
    with transaction.atomic():
        change = SummitChange(summit, user=user)
        change.save()
        _restore_relations(summit, data)
        change.finish()
    return summit


@dataclass
class _RevisionData:
    summit: dict
    items: list[dict]
    stances: list[dict]
    updates: list[dict]
    corrections: list[dict]


def _revision_data(revision, summit_pk) -> _RevisionData:
    """The field values of the summit and its rows in `revision`, read without writing."""
    by_model = {}
    for version in revision.version_set.select_related("content_type"):
        model = version._model
        if model is None:
            continue
        model = model._meta.concrete_model
        # An item may be held twice: as an Item and as the Agreement or Dispute proxy.
        by_model.setdefault(model, {})[version.object_id] = version.field_dict
    summits = by_model.get(Summit, {})
    if str(summit_pk) not in summits:
        raise RestoreError(_("This revision does not hold this summit."))
    items = [row for row in by_model.get(Item, {}).values() if row["summit_id"] == summit_pk]
    item_ids = {row["id"] for row in items}
    return _RevisionData(
        summit=summits[str(summit_pk)],
        items=sorted(items, key=lambda row: (row["kind"], row["position"])),
        stances=[row for row in by_model.get(Stance, {}).values() if row["item_id"] in item_ids],
        updates=[
            row for row in by_model.get(ItemUpdate, {}).values() if row["item_id"] in item_ids
        ],
        corrections=[
            row for row in by_model.get(Correction, {}).values() if row["summit_id"] == summit_pk
        ],
    )


def _restore_relations(summit: Summit, data: _RevisionData) -> None:
    """Makes the summit's participants, topics, items, stances, updates and corrections those
    of the revision. Rows keep their ids (the page's #item-<id>, the API's ids) where free."""
    from .models import Participant, Topic

    summit.participants.set(Participant.objects.filter(pk__in=data.summit.get("participants", [])))
    summit.topics.set(Topic.objects.filter(pk__in=data.summit.get("topics", [])))
    # A working draft's items stand for the live summit's items they change.
    live_ids = (
        set(Item.objects.filter(summit=summit.draft_of_id).values_list("pk", flat=True))
        if summit.draft_of_id
        else set()
    )
    current = {item.live_item_id or item.pk: item for item in summit.items.all()}
    restored = []
    for row in data.items:
        item = current.pop(row["id"], None)
        if item is None and row["id"] in live_ids:
            item = Item(summit=summit, live_item_id=row["id"])
        elif item is None:
            taken = Item.objects.filter(pk=row["id"]).exists()
            item = Item(pk=None if taken else row["id"], summit=summit)
        for name in RESTORED_ITEM_FIELDS:
            setattr(item, name, row[name])
        if item.topic_id is not None and not Topic.objects.filter(pk=item.topic_id).exists():
            item.topic_id = None
        # Anchored anew against the restored article by the change's finish().
        item.anchor_start = item.anchor_end = None
        restored.append((item, row["id"]))
    for kind in ItemKind:
        save_items_in_order(
            [item for item, _old in restored if item.kind == kind],
            [item for item in current.values() if item.kind == kind],
        )
    new_item_ids = {old: item.pk for item, old in restored}
    _replace_rows(Stance, summit, data.stances, "item_id", new_item_ids)
    _replace_rows(ItemUpdate, summit, data.updates, "item_id", new_item_ids)
    _replace_rows(Correction, summit, data.corrections, "summit_id", {data.summit["id"]: summit.pk})
    for item, _old in restored:
        sync_item_status(item)


def _replace_rows(model, summit, rows, parent_field, new_parent_ids):
    """Replaces the summit's rows of `model` by `rows`, each under its parent's new id."""
    parent = "summit" if parent_field == "summit_id" else "item__summit"
    model.objects.filter(**{parent: summit}).delete()
    for row in rows:
        obj = model(**{**row, parent_field: new_parent_ids[row[parent_field]]})
        if model.objects.filter(pk=obj.pk).exists():
            obj.pk = None
        # save(), not bulk_create(): django-reversion records each row in the new revision.
        obj.save()


# What publishing a working draft writes onto its live summit: the content, and the address,
# language and translation link an editor may have changed in the draft.
PUBLISHED_SUMMIT_FIELDS = [*RESTORED_SUMMIT_FIELDS, "slug", "language", "original_id"]
_COPIED_ROW_FIELDS = {
    Stance: ["participant_id", "position", "quote", "source_name", "source_url"],
    ItemUpdate: ["date", "status", "note", "source_name", "source_url"],
    Correction: ["published_at", "text"],
}


def start_working_draft(
    live: Summit,
    *,
    user=None,
    edited: Summit | None = None,
    items: list[Item] | None = None,
    item_rows: dict | None = None,
    corrections: list[Correction] | None = None,
    participants=None,
    topics=None,
    status=SummitStatus.DRAFT,
) -> Summit:
    """Opens the working draft of a live summit, where its changes wait for an editor.

    The draft holds the summit as stored, or its unsaved state as a form edited it (`edited`,
    its `items` and `corrections` in the form's order, chosen `participants` and `topics`;
    `item_rows` maps id() of an item of `items` to its edited rows, {Stance: [...],
    ItemUpdate: [...]}, which replace the stored ones of that model).
    Nothing readers or partners see changes: the live rows are not written.
    """
    item_rows = item_rows or {}
    with transaction.atomic():
        stored = _stored_state(live.pk)
        if stored is None or stored.status != SummitStatus.PUBLISHED:
            raise PublishError(_("Only a published summit is edited in a working draft."))
        if user is not None and not workflow.can_edit(user, stored):
            raise PermissionDenied
        if Summit.objects.filter(draft_of=live).exists():
            raise PublishError(_("This summit has a working draft already."))
        source = edited or live
        draft = Summit(
            draft_of=live,
            status=status,
            publish_at=None,
            **{name: getattr(source, name) for name in PUBLISHED_SUMMIT_FIELDS},
        )
        draft_change = SummitChange(draft, user=user)
        draft_change.save()
        draft.participants.set(live.participants.all() if participants is None else participants)
        draft.topics.set(live.topics.all() if topics is None else topics)
        if items is None:
            items = list(live.items.order_by("kind", "position"))
        copies = []
        for item in items:
            draft_item = Item(
                summit=draft,
                live_item_id=item.pk,
                **{name: getattr(item, name) for name in RESTORED_ITEM_FIELDS},
            )
            copies.append((draft_item, item))
        for kind in ItemKind:
            save_items_in_order([copy for copy, _item in copies if copy.kind == kind], [])
        for model in (Stance, ItemUpdate):
            stored = {
                item.pk: copy.pk
                for copy, item in copies
                if item.pk is not None and model not in item_rows.get(id(item), {})
            }
            for row in model.objects.filter(item_id__in=stored):
                _copy_row(row, item_id=stored[row.item_id])
        for copy, item in copies:
            edited_rows = item_rows.get(id(item), {})
            for rows in edited_rows.values():
                for row in rows:
                    _copy_row(row, item_id=copy.pk)
            if edited_rows.get(ItemUpdate):
                sync_item_status(copy)
        for correction in live.corrections.all() if corrections is None else corrections:
            _copy_row(correction, summit=draft)
        draft_change.finish()
    return draft


def _copy_row(row, **parent):
    model = type(row)
    model.objects.create(
        **parent, **{name: getattr(row, name) for name in _COPIED_ROW_FIELDS[model]}
    )


def take_offline(summit: Summit, status: SummitStatus, *, user=None) -> Summit:
    """Unpublishes (back to a draft) or archives a summit; partners are told to withdraw it.

    A live summit's working draft is not lost: its changes become the summit's content, now
    offline, as the draft was the newest state of the summit.
    """
    require_publish_permission(user)
    with transaction.atomic():
        summit = Summit.objects.select_for_update().get(pk=summit.draft_of_id or summit.pk)
        draft = Summit.objects.filter(draft_of=summit).first()
        change = SummitChange(summit, user=user)
        data = _take_in(draft, summit) if draft is not None else None
        summit.status = status
        change.save()
        if data is not None:
            _restore_relations(summit, data)
        change.finish()
    return summit


def publish_changes(draft: Summit, *, user=None) -> Summit:
    """Makes the working draft's changes live at once, and closes the draft.

    The live summit keeps its id and its items keep theirs (the page's #item-<id>, the API's
    ids, the annotation ids): the draft's changes are written onto them. Partners polling
    with updated_since see one change.
    """
    require_publish_permission(user)
    with transaction.atomic():
        live = Summit.objects.select_for_update().get(pk=draft.draft_of_id)
        orphaned = list(draft.items.filter(anchor_state=AnchorState.ORPHANED))
        if orphaned:
            raise PublishError(orphaned_items_message(orphaned))
        if Summit.objects.editions().filter(slug=draft.slug).exclude(pk=live.pk).exists():
            raise PublishError(
                _("Another summit has the address “%(slug)s”; change it in the draft first.")
                % {"slug": draft.slug}
            )
        change = SummitChange(live, user=user)
        data = _take_in(draft, live)
        change.save()
        _restore_relations(live, data)
        change.finish()
    return live


def _take_in(draft: Summit, summit: Summit) -> _RevisionData:
    """Closes the working draft and gives its summit the draft's fields; its relations are
    the caller's to restore from the data returned, once the summit's row is saved."""
    data = _draft_data(draft)
    _close(draft)
    for name in PUBLISHED_SUMMIT_FIELDS:
        setattr(summit, name, data.summit[name])
    return data


def discard_working_draft(draft: Summit, *, user=None) -> Summit:
    """Drops the working draft's changes; the live summit stays as it is."""
    with transaction.atomic():
        SummitChange(draft, user=user)
        live = draft.draft_of
        _close(draft)
    return live


def _close(draft: Summit) -> None:
    """Deletes a working draft, and its revisions once the change commits (after the admin's
    revision of this request is written): a closed draft is not a deleted summit to recover,
    and its changes are in the live summit's history once published."""
    item_ids = [str(pk) for pk in draft.items.values_list("pk", flat=True)]
    summit_id = str(draft.pk)
    draft.delete()

    def forget_revisions():
        Version.objects.get_for_model(Summit).filter(object_id=summit_id).delete()
        Version.objects.get_for_model(Item).filter(object_id__in=item_ids).delete()

    transaction.on_commit(forget_revisions)


def _draft_data(draft: Summit) -> _RevisionData:
    """The draft's rows in the form a revision gives them, under the live items' ids."""

    def values(obj):
        return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}

    items = list(draft.items.order_by("kind", "position"))
    # An item new in the draft keeps the id it has there; its row goes with the draft.
    identity = {item.pk: item.live_item_id or item.pk for item in items}
    summit = values(draft)
    summit["participants"] = list(draft.participants.values_list("pk", flat=True))
    summit["topics"] = list(draft.topics.values_list("pk", flat=True))
    return _RevisionData(
        summit=summit,
        items=[{**values(item), "id": identity[item.pk]} for item in items],
        stances=[
            {**values(row), "id": None, "item_id": identity[row.item_id]}
            for row in Stance.objects.filter(item__summit=draft)
        ],
        updates=[
            {**values(row), "id": None, "item_id": identity[row.item_id]}
            for row in ItemUpdate.objects.filter(item__summit=draft)
        ],
        corrections=[
            {**values(row), "id": None, "summit_id": summit["id"]}
            for row in draft.corrections.all()
        ],
    )
