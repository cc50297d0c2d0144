"""A readable compare of two versions of a summit: the article as a word diff, items by identity."""

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_prose_editor.fields import ProseEditorField
from parler.models import TranslatableModel
from reversion import RevertError
from reversion.models import Version

from . import annotate
from .choices import ItemKind
from .models import Correction, Item, ItemUpdate, Participant, Stance, Summit, Topic

# What an editor sees of each model, in this order. Everything else (body_html, search_vector,
# version, timestamps, anchor offsets, quote context, ids) is derived or internal and never
# enters a snapshot. The article (Summit.body) and the m2m names are compared on their own.
SHOWN_FIELDS = {
    Summit: (
        "title",
        "slug",
        "teaser",
        "language",
        "original",
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
        "status",
        "publish_at",
    ),
    Item: ("kind", "position", "title", "summary", "status", "topic", "quote"),
    Stance: ("participant", "position", "quote", "source_name", "source_url"),
    ItemUpdate: ("date", "status", "note", "source_name", "source_url"),
    Correction: ("published_at", "text"),
}
# Prose, shown as a word diff; the other fields are short values shown as old → new.
WORD_DIFF_FIELDS = {
    Summit: {"title", "teaser", "lead_image_alt", "lead_image_caption", "credit_line"},
    Item: {"title", "summary"},
    Stance: {"position", "quote"},
    ItemUpdate: {"note"},
    Correction: {"text"},
}
_KIND_ORDER = {kind: index for index, kind in enumerate(ItemKind.values)}


def item_identity(item) -> int:
    """The item's identity across versions: a working draft's item is the live item it edits.

    Takes an Item or a field mapping (a reversion Version.field_dict or a row read alike).
    """
    if isinstance(item, Mapping):
        return item.get("live_item") or item.get("live_item_id") or item["id"]
    return getattr(item, "live_item_id", None) or item.pk


@dataclass(frozen=True)
class ItemSnapshot:
    identity: int
    values: dict[str, Any]
    stances: dict[int, dict[str, Any]]  # by participant id: one stance per participant
    updates: dict[int, dict[str, Any]]  # by pk


@dataclass(frozen=True)
class Snapshot:
    """One version of a summit as an editor reads it; related rows carry names, not ids."""

    values: dict[str, Any]
    body: str
    participants: dict[int, str]
    topics: dict[int, str]
    items: dict[int, ItemSnapshot]  # by item_identity()
    corrections: dict[int, dict[str, Any]]  # by pk


def _field_dict(obj) -> dict[str, Any]:
    """A row's values by attname, as reversion's Version.field_dict holds them."""
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def snapshot_from_summit(summit: Summit) -> Snapshot:
    summit_fields = _field_dict(summit)
    summit_fields["participants"] = list(summit.participants.values_list("pk", flat=True))
    summit_fields["topics"] = list(summit.topics.values_list("pk", flat=True))
    return _assemble(
        summit_fields,
        items=[_field_dict(item) for item in Item.objects.filter(summit=summit)],
        stances=[_field_dict(stance) for stance in Stance.objects.filter(item__summit=summit)],
        updates=[_field_dict(update) for update in ItemUpdate.objects.filter(item__summit=summit)],
        corrections=[_field_dict(correction) for correction in summit.corrections.all()],
    )


def snapshot_from_revision(revision, summit_pk) -> Snapshot:
    """The summit `summit_pk` as a django-reversion revision holds it; nothing is written.

    Raises RevertError when a version no longer deserializes, LookupError when the revision
    holds no version of this summit.
    """
    shown_models = [Summit, Item, Stance, ItemUpdate, Correction]
    content_types = ContentType.objects.get_for_models(*shown_models).values()
    rows = {model: [] for model in shown_models}
    versions = revision.version_set.filter(content_type__in=content_types)
    for version in versions.select_related("content_type"):
        rows[version.content_type.model_class()].append(version.field_dict)
    summit_fields = next(
        (fields for fields in rows[Summit] if str(fields["id"]) == str(summit_pk)), None
    )
    if summit_fields is None:
        raise LookupError(f"Revision {revision.pk} holds no version of summit {summit_pk}.")
    # A revision may hold several summits (a bulk action saves them together).
    items = [fields for fields in rows[Item] if fields["summit_id"] == summit_fields["id"]]
    item_pks = {fields["id"] for fields in items}
    return _assemble(
        summit_fields,
        items=items,
        stances=[fields for fields in rows[Stance] if fields["item_id"] in item_pks],
        updates=[fields for fields in rows[ItemUpdate] if fields["item_id"] in item_pks],
        corrections=[
            fields for fields in rows[Correction] if fields["summit_id"] == summit_fields["id"]
        ],
    )


def _names(model, pks: Iterable) -> dict[int, str]:
    """Names by pk as str() gives them, in one query (with translations, for parler models)."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return {}
    rows = model._default_manager.filter(pk__in=pks)
    if issubclass(model, TranslatableModel):
        rows = rows.prefetch_related("translations")
    return {row.pk: str(row) for row in rows}


def _name(names: dict[int, str], model, pk) -> str | None:
    if pk is None:
        return None
    if pk in names:
        return names[pk]
    # An old version may name a participant or topic deleted since.
    return _("%(model)s %(id)s (deleted)") % {"model": model._meta.verbose_name, "id": pk}


def _comparable(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime):
        # Revisions keep milliseconds, the database microseconds; editors see neither.
        return value.replace(microsecond=0)
    if value is None or isinstance(value, (str, int, float, datetime.date)):
        return value
    return str(value)  # a django-countries Country: its code


def _assemble(summit_fields, *, items, stances, updates, corrections) -> Snapshot:
    participant_ids = {*summit_fields.get("participants", ())}
    participant_ids.update(fields["participant_id"] for fields in stances)
    topic_ids = {*summit_fields.get("topics", ())}
    topic_ids.update(fields["topic_id"] for fields in items)
    names = {
        Participant: _names(Participant, participant_ids),
        Topic: _names(Topic, topic_ids),
        Summit: _names(Summit, [summit_fields.get("original_id")]),
    }

    def values(model, fields):
        shown = {}
        for name in SHOWN_FIELDS[model]:
            model_field = model._meta.get_field(name)
            value = fields.get(model_field.attname)
            if model_field.is_relation:
                value = _name(names[model_field.related_model], model_field.related_model, value)
            shown[name] = _comparable(value)
        return shown

    def grouped(model, rows, *, key, order):
        by_item = {}
        for fields in sorted(rows, key=order):
            by_item.setdefault(fields["item_id"], {})[key(fields)] = values(model, fields)
        return by_item

    stances_by_item = grouped(
        Stance,
        stances,
        key=lambda fields: fields["participant_id"],
        order=lambda fields: names[Participant].get(fields["participant_id"], ""),
    )
    updates_by_item = grouped(
        ItemUpdate,
        updates,
        key=lambda fields: fields["id"],
        order=lambda fields: (fields["date"], fields["id"]),
    )
    item_snapshots = {}
    for fields in sorted(
        items, key=lambda fields: (_KIND_ORDER.get(fields["kind"], 0), fields["position"])
    ):
        identity = item_identity(fields)
        item_snapshots[identity] = ItemSnapshot(
            identity=identity,
            values=values(Item, fields),
            stances=stances_by_item.get(fields["id"], {}),
            updates=updates_by_item.get(fields["id"], {}),
        )
    return Snapshot(
        values=values(Summit, summit_fields),
        body=summit_fields.get("body") or "",
        participants={
            pk: _name(names[Participant], Participant, pk)
            for pk in summit_fields.get("participants", ())
        },
        topics={pk: _name(names[Topic], Topic, pk) for pk in summit_fields.get("topics", ())},
        items=item_snapshots,
        corrections={
            fields["id"]: values(Correction, fields)
            for fields in sorted(
                corrections, key=lambda fields: (fields["published_at"], fields["id"])
            )
        },
    )


# The word diff.

# A word, or one mark of punctuation; whitespace is only remembered as "a space before".
_TOKEN = re.compile(r"\w+|[^\w\s]")
_BREAK = "\n"


@dataclass(frozen=True)
class Paragraph:
    html: SafeString
    changed: bool


@dataclass(frozen=True)
class Section:
    """A run of paragraphs that all changed, or that all stayed the same."""

    changed: bool
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class TextDiff:
    paragraphs: list[Paragraph]
    inserted: list[str]
    deleted: list[str]

    @property
    def changed(self) -> bool:
        return any(paragraph.changed for paragraph in self.paragraphs)

    @property
    def html(self) -> SafeString:
        return mark_safe("<br>".join(paragraph.html for paragraph in self.paragraphs))

    @property
    def sections(self) -> list[Section]:
        sections = []
        for paragraph in self.paragraphs:
            if sections and sections[-1].changed == paragraph.changed:
                sections[-1].paragraphs.append(paragraph)
            else:
                sections.append(Section(paragraph.changed, [paragraph]))
        return sections


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _tokens(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """The words and punctuation of the paragraphs, each with whether a space comes before it;
    a paragraph break is a token of its own."""
    tokens = []
    for index, paragraph in enumerate(paragraphs):
        if index:
            tokens.append((_BREAK, False))
        for match in _TOKEN.finditer(paragraph):
            tokens.append(
                (match.group(), match.start() > 0 and paragraph[match.start() - 1] == " ")
            )
    return tokens


class _DiffWriter:
    def __init__(self):
        self.paragraphs: list[Paragraph] = []
        self._pieces: list[str] = []
        self._changed = False
        self.inserted: list[str] = []
        self.deleted: list[str] = []

    def write(self, tokens: list[tuple[str, bool]], tag: str | None) -> None:
        run: list[tuple[str, bool]] = []
        for token in tokens:
            if token[0] == _BREAK:
                self._write_run(run, tag)
                run = []
                if tag:
                    # A paragraph split or joined: shown, or it would go unnoticed.
                    self._pieces.append(format_html('<{0} class="compare-break">¶</{0}>', tag))
                    self._changed = True
                self._end_paragraph()
            else:
                run.append(token)
        self._write_run(run, tag)

    def _write_run(self, run, tag):
        if not run:
            return
        if run[0][1]:
            self._pieces.append(" ")
        text = "".join((" " if space else "") + word for word, space in run[1:])
        text = run[0][0] + text
        if tag is None:
            self._pieces.append(format_html("{}", text))
            return
        self._pieces.append(format_html("<{0}>{1}</{0}>", tag, text))
        self._changed = True
        words = [word for word, _space in run]
        (self.inserted if tag == "ins" else self.deleted).extend(words)

    def _end_paragraph(self):
        self.paragraphs.append(Paragraph(mark_safe("".join(self._pieces)), self._changed))
        self._pieces, self._changed = [], False

    def finish(self) -> TextDiff:
        if self._pieces:
            self._end_paragraph()
        return TextDiff(self.paragraphs, self.inserted, self.deleted)


def _write_word_diff(writer, old: list[tuple[str, bool]], new: list[tuple[str, bool]]) -> None:
    # No autojunk: it would leave common words ("the", ",") unmatched in a long paragraph.
    matcher = difflib.SequenceMatcher(
        None, [word for word, _space in old], [word for word, _space in new], autojunk=False
    )
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            writer.write(new[new_start:new_end], None)
            continue
        writer.write(old[old_start:old_end], "del")
        inserted = new[new_start:new_end]
        if tag == "replace" and inserted and not inserted[0][1] and inserted[0][0][0].isalnum():
            # A replaced first word: "<del>Old</del> <ins>New</ins>", not "OldNew" run together.
            inserted = [(inserted[0][0], True), *inserted[1:]]
        writer.write(inserted, "ins")


def text_diff(old_text: str, new_text: str) -> TextDiff:
    """Word diff of two plain texts whose lines are paragraphs."""
    old, new = _paragraphs(old_text), _paragraphs(new_text)
    writer = _DiffWriter()
    # Paragraphs are matched first, and words only where paragraphs differ: a long article's
    # diff stays fast, and each change stays within the paragraphs it touches.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for index, (tag, old_start, old_end, new_start, new_end) in enumerate(matcher.get_opcodes()):
        if index:
            writer.write([(_BREAK, False)], None)
        if tag == "equal":
            writer.write(_tokens(new[new_start:new_end]), None)
        else:
            _write_word_diff(
                writer, _tokens(old[old_start:old_end]), _tokens(new[new_start:new_end])
            )
    return writer.finish()


def word_diff(old_text: str, new_text: str) -> SafeString:
    """HTML of the two texts' words: deleted ones in <del>, inserted ones in <ins>, escaped."""
    return text_diff(old_text, new_text).html


def article_diff(old_body: str, new_body: str) -> TextDiff:
    return text_diff(
        "\n".join(annotate.html_to_paragraphs(old_body)),
        "\n".join(annotate.html_to_paragraphs(new_body)),
    )


# The comparison.


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    html: SafeString


@dataclass(frozen=True)
class NamesDiff:
    added: list[str]
    removed: list[str]

    def __bool__(self):
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class RowChange:
    label: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class RowsDiff:
    """Stances, follow-up updates or corrections: added and removed ones described in a line."""

    added: list[str]
    removed: list[str]
    changed: list[RowChange]

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class ItemDiff:
    identity: int
    kind: str  # ItemKind value
    kind_label: str
    reference: str  # as readers see it: A1, D2 (the new version's, for a removed item the old's)
    title: str
    quote: str
    old_position: int | None
    new_position: int | None
    changes: list[FieldChange] = field(default_factory=list)
    stances: RowsDiff = field(default_factory=lambda: RowsDiff([], [], []))
    updates: RowsDiff = field(default_factory=lambda: RowsDiff([], [], []))

    @property
    def old_reference(self) -> str:
        return "" if self.old_position is None else _reference(self.kind, self.old_position)


@dataclass(frozen=True)
class ItemsDiff:
    added: list[ItemDiff]
    removed: list[ItemDiff]
    reordered: list[ItemDiff]
    changed: list[ItemDiff]

    def __bool__(self):
        return bool(self.added or self.removed or self.reordered or self.changed)


@dataclass(frozen=True)
class SummitDiff:
    fields: list[FieldChange]
    article: TextDiff
    # The article's markup changed (a link, emphasis) but not a word of it.
    article_formatting_changed: bool
    participants: NamesDiff
    topics: NamesDiff
    items: ItemsDiff
    corrections: RowsDiff

    @property
    def has_changes(self) -> bool:
        return bool(
            self.fields
            or self.article.changed
            or self.article_formatting_changed
            or self.participants
            or self.topics
            or self.items
            or self.corrections
        )


def _display(model_field, value) -> str:
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return str(value)  # already a name
    if isinstance(model_field, ProseEditorField):
        return "\n".join(annotate.html_to_paragraphs(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _marked(tag: str, text: str) -> SafeString:
    if not text:
        return format_html('<span class="compare-empty">{}</span>', _("(empty)"))
    return format_html("<{0}>{1}</{0}>", tag, text)


def _old_to_new(old: str, new: str) -> SafeString:
    return format_html("{} → {}", _marked("del", old), _marked("ins", new))


def _field_changes(model, old_values, new_values, *, skip=()) -> list[FieldChange]:
    changes = []
    for name in SHOWN_FIELDS[model]:
        if name in skip or old_values.get(name) == new_values.get(name):
            continue
        model_field = model._meta.get_field(name)
        old = _display(model_field, old_values.get(name))
        new = _display(model_field, new_values.get(name))
        if old == new:
            html = format_html("{}", _("Only the formatting changed."))
        elif name in WORD_DIFF_FIELDS[model] and old and new:
            html = word_diff(old, new)
        else:
            html = _old_to_new(old, new)
        changes.append(FieldChange(name, str(capfirst(model_field.verbose_name)), old, new, html))
    return changes


def _display_value(model, values, name) -> str:
    return _display(model._meta.get_field(name), values.get(name))


def _row_label(model, values) -> str:
    if model is Stance:
        return values["participant"]
    if model is ItemUpdate:
        status = _display_value(ItemUpdate, values, "status")
        date = _display_value(ItemUpdate, values, "date")
        return f"{date} ({status})" if status else date
    return _display_value(model, values, "published_at")


def _row_summary(model, values) -> str:
    text_field = {Stance: "position", ItemUpdate: "note", Correction: "text"}[model]
    text = " ".join(_display_value(model, values, text_field).split())
    return f"{_row_label(model, values)}: {text}"


def _rows_diff(model, old_rows, new_rows, *, key_field=None) -> RowsDiff:
    skip = {key_field} if key_field else set()
    return RowsDiff(
        added=[
            _row_summary(model, values) for key, values in new_rows.items() if key not in old_rows
        ],
        removed=[
            _row_summary(model, values) for key, values in old_rows.items() if key not in new_rows
        ],
        changed=[
            RowChange(_row_label(model, values), changes)
            for key, values in new_rows.items()
            if key in old_rows
            and (changes := _field_changes(model, old_rows[key], values, skip=skip))
        ],
    )


def _reference(kind, position) -> str:
    return Item(kind=kind, position=position).reference_label


def _item_diff(old: ItemSnapshot | None, new: ItemSnapshot | None) -> ItemDiff:
    shown = new or old
    values = shown.values
    result = ItemDiff(
        identity=shown.identity,
        kind=values["kind"],
        kind_label=_display_value(Item, values, "kind"),
        reference=_reference(values["kind"], values["position"]),
        title=values["title"],
        quote=values["quote"],
        old_position=old.values["position"] if old else None,
        new_position=new.values["position"] if new else None,
    )
    if old is None or new is None:
        return result
    return replace(
        result,
        changes=_field_changes(Item, old.values, new.values, skip={"position"}),
        stances=_rows_diff(Stance, old.stances, new.stances, key_field="participant"),
        updates=_rows_diff(ItemUpdate, old.updates, new.updates),
    )


def _items_diff(old_items, new_items) -> ItemsDiff:
    added = [_item_diff(None, item) for key, item in new_items.items() if key not in old_items]
    removed = [_item_diff(item, None) for key, item in old_items.items() if key not in new_items]
    kept = [_item_diff(old_items[key], item) for key, item in new_items.items() if key in old_items]
    return ItemsDiff(
        added=added,
        removed=removed,
        reordered=[item for item in kept if item.old_position != item.new_position],
        changed=[item for item in kept if item.changes or item.stances or item.updates],
    )


def _names_diff(old: dict[int, str], new: dict[int, str]) -> NamesDiff:
    return NamesDiff(
        added=sorted(name for pk, name in new.items() if pk not in old),
        removed=sorted(name for pk, name in old.items() if pk not in new),
    )


def diff(old: Snapshot, new: Snapshot) -> SummitDiff:
    article = article_diff(old.body, new.body)
    return SummitDiff(
        fields=_field_changes(Summit, old.values, new.values),
        article=article,
        article_formatting_changed=old.body != new.body and not article.changed,
        participants=_names_diff(old.participants, new.participants),
        topics=_names_diff(old.topics, new.topics),
        items=_items_diff(old.items, new.items),
        corrections=_rows_diff(Correction, old.corrections, new.corrections),
    )


# The admin view.


def _version_label(version) -> str:
    revision = version.revision
    label = date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT")
    if revision.user is not None:
        label = _("%(date)s by %(user)s") % {"date": label, "user": revision.user.get_username()}
    return label


class ReadableCompareMixin:
    """Replaces reversion-compare's field-by-field compare of a summit's History with one an
    editor can read. Put it before CompareVersionAdmin in the ModelAdmin's bases."""

    readable_compare_template = "admin/summits/summit/compare.html"

    def compare_view(self, request, object_id, extra_context=None):
        summit = self.get_object(request, unquote(object_id))
        if summit is None:
            raise Http404(_("This summit does not exist."))
        # As the History page it is reached from: reversion-compare checks nothing itself.
        if not self.has_view_or_change_permission(request, summit):
            raise PermissionDenied
        nav = self._resolve_versions_and_navigation(
            request.GET, Version.objects.get_for_object(summit)
        )
        version1, version2 = nav["version1"], nav["version2"]
        try:
            old = snapshot_from_revision(version1.revision, summit.pk)
            new = snapshot_from_revision(version2.revision, summit.pk)
        except RevertError as error:
            # A version saved before a field was removed: reversion-compare shows its raw data.
            return self.compare_raw(
                request,
                summit,
                version1,
                version2,
                compare_error=error,
                extra_context=extra_context,
            )
        opts = self.model._meta
        context = {
            **nav,
            "save_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[quote(summit.pk), version1.pk],
            )
            if self.has_change_permission(request, summit)
            else None,
            **(extra_context or {}),
        }
        return self.render_compare(
            request,
            summit,
            old,
            new,
            title=_("Compare versions of “%(title)s”") % {"title": summit.title},
            old_label=_version_label(version1),
            new_label=_version_label(version2),
            extra_context=context,
        )

    def render_compare(
        self,
        request,
        summit,
        old_snapshot: Snapshot,
        new_snapshot: Snapshot,
        *,
        title,
        old_label="",
        new_label="",
        extra_context=None,
    ):
        opts = self.model._meta
        prefix = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": title,
            "summit": summit,
            "original": summit,
            "changes": diff(old_snapshot, new_snapshot),
            "old_label": old_label or _("Older version"),
            "new_label": new_label or _("Newer version"),
            "changelist_url": reverse(f"{prefix}_changelist"),
            "change_url": reverse(f"{prefix}_change", args=[quote(summit.pk)]),
            "history_url": reverse(f"{prefix}_history", args=[quote(summit.pk)]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.readable_compare_template, context)
