"""Admin forms: the editorial workflow, optimistic locking and passage validation."""

import copy
import datetime
import hashlib
import json
import re
from bisect import bisect_right
from dataclasses import dataclass

from adminsortable2.admin import CustomInlineFormSet
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import (
    BaseInlineFormSet,
    InlineForeignKeyField,
    ModelChoiceIteratorValue,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import annotate, passages, services, workflow
from .choices import STATUSES_BY_KIND, AnchorState, ItemKind, SummitStatus
from .formrendering import PlainHiddenInput, PlainSelect, plain_renderer
from .models import Participant, Summit

SELECTOR_FIELDS = {"quote", "quote_prefix", "quote_suffix"}


def _canonical(value) -> str:
    """One spelling of a form value, whether read from the database or cleaned from a POST."""
    if value is None or value == "":
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ",".join(sorted(_canonical(part) for part in value))
    if isinstance(value, datetime.datetime):
        # A form gives seconds in the editor's time zone; the database holds microseconds.
        return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    return str(value)


def _digest(value) -> str:
    return hashlib.blake2b(_canonical(value).encode(), digest_size=8).hexdigest()


class ConcurrentEditForm(forms.Form):
    """Optimistic locking by field, for a form that edits a row others may edit at once.

    The form carries a digest of each field as it was loaded. On saving, the fields this
    editor changed are compared with what the database holds now: a field someone else
    changed meanwhile, to another value, refuses the save and says who, what and when. A
    field only the other changed keeps their value, and a row this editor did not change is
    not written back: an item page's follow-up never refuses the same editor's summit form.
    """

    loaded_state = forms.CharField(widget=PlainHiddenInput, required=False)
    # Fields whose concurrent changes never conflict: the last order saved wins.
    merged_fields: tuple[str, ...] = ()
    # Fields that are not row content.
    untracked_fields = frozenset({"loaded_state", "confirm_anchor", "DELETE", "ORDER", "id"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_state"].initial = json.dumps(self._digests(self._current_value))

    def _tracked(self):
        for name, field in self.fields.items():
            if name in self.untracked_fields or isinstance(field, forms.FileField):
                continue
            if isinstance(field, InlineForeignKeyField):  # the parent's id
                continue
            yield name

    def _digests(self, value_of):
        return {name: _digest(value_of(name)) for name in self._tracked()}

    def _current_value(self, name):
        return self.get_initial_for_field(self.fields[name], name)

    def _loaded(self):
        try:
            loaded = json.loads(self.cleaned_data.get("loaded_state") or "null")
        except ValueError:
            loaded = None
        return loaded if isinstance(loaded, dict) else None

    def conflict_label(self) -> str:
        return _("this row")

    def resolve_concurrent_edits(self) -> None:
        """Call from clean(), before the instance takes the cleaned data."""
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return  # a new row: nobody else can have changed it
        loaded = self._loaded()
        if loaded is None:
            raise ValidationError(
                _("This form is incomplete or out of date. Open the page again."), code="stale"
            )
        names = [name for name in self._tracked() if name in self.cleaned_data]
        mine = {name for name in names if _digest(self.cleaned_data[name]) != loaded.get(name)}
        theirs = {name for name in names if _digest(self._current_value(name)) != loaded.get(name)}
        conflicts = [
            name
            for name in names
            if name in mine & theirs
            and name not in self.merged_fields
            and _digest(self.cleaned_data[name]) != _digest(self._current_value(name))
        ]
        if conflicts:
            # Saving again after reading this takes the editor's version knowingly.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_state")] = json.dumps(
                self._digests(self._current_value)
            )
            raise ValidationError(self.conflict_message(conflicts), code="stale")
        for name in theirs - mine:
            self.cleaned_data[name] = self._stored_value(name)

    def _stored_value(self, name):
        model_field = self.instance._meta.get_field(name)
        if model_field.many_to_many:
            return list(getattr(self.instance, name).all())
        return getattr(self.instance, name)

    def _summit(self) -> Summit:
        instance = self.instance
        if isinstance(instance, Summit):
            return instance
        return instance.summit if hasattr(instance, "summit_id") else instance.item.summit

    def conflict_message(self, conflicts) -> str:
        labels = ", ".join(str(self.fields[name].label or name) for name in conflicts)
        summit = self._summit()
        when = getattr(self.instance, "updated_at", None) or summit.updated_at
        return _(
            "Someone else saved this %(what)s while you were editing it: %(user)s changed "
            "%(fields)s at %(time)s. Your input is kept below; compare it with theirs (open "
            "the page in another tab), then save again to keep yours."
        ) % {
            "what": self.conflict_label(),
            "user": summit.last_edited_by or _("another editor"),
            "fields": labels,
            "time": date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else "?",
        }


class SummitAdminForm(ConcurrentEditForm, forms.ModelForm):
    """The summit form. Its state changes by the workflow bar's buttons (workflow.ACTIONS),
    never by a status field: each button is allowed or not for the summit as stored."""

    user = None  # set per request by SummitAdmin.get_form
    untracked_fields = ConcurrentEditForm.untracked_fields | {"change_request"}

    change_request = forms.CharField(
        label=_("What should change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent back to the reporter with the summit; they see it above the form."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        publish_at = self.fields.get("publish_at")
        if publish_at is not None:
            publish_at.label = _("Go live at")
            publish_at.help_text = _("Pick a date and time in the future, then “Schedule”.")

    def conflict_label(self):
        return _("summit")

    def clean_slug(self):
        # The database's constraint leaves working drafts out, so it is checked here too: a
        # draft's address is its summit's, and it must stay free of every other summit's.
        slug = self.cleaned_data["slug"]
        summit_pk = self.instance.draft_of_id or self.instance.pk
        if Summit.objects.editions().filter(slug=slug).exclude(pk=summit_pk).exists():
            raise ValidationError(_("Another summit has this address."), code="unique")
        return slug

    def clean(self):
        cleaned_data = super().clean()
        summit = self.instance
        if summit.pk is not None:
            # Locked until the save commits, so that two saves are compared one after the other.
            Summit.objects.select_for_update().filter(pk=summit.pk).values("pk").first()
        self.resolve_concurrent_edits()
        self.action = workflow.chosen_action(self.data)
        if self.action not in workflow.actions_for(self.user, summit if summit.pk else None):
            # The page offered it, but the summit changed meanwhile (or the POST is crafted).
            raise ValidationError(
                _(
                    "“%(action)s” is not possible for this summit as it is now (%(status)s). "
                    "Open the page again to see what changed."
                )
                % {"action": self.action.label, "status": summit.get_status_display()},
                code="workflow",
            )
        self._apply_action(cleaned_data)
        return cleaned_data

    def _apply_action(self, cleaned_data):
        """Gives the summit the status its button leads to. A live summit's own state is the
        admin's to change after saving its working draft (services.take_offline and the like)."""
        summit, action = self.instance, self.action
        if summit.status == SummitStatus.PUBLISHED and summit.draft_of_id is None:
            return
        if action == workflow.REQUEST_CHANGES:
            note = cleaned_data.get("change_request", "").strip()
            if not note:
                self.add_error(
                    "change_request", _("Say what should change before sending it back.")
                )
                return
            summit.status, summit.review_note = SummitStatus.DRAFT, note
        elif action == workflow.SUBMIT:
            summit.status = SummitStatus.REVIEW
        elif action in (workflow.PUBLISH, workflow.SCHEDULE) and summit.draft_of_id is None:
            publish_at = cleaned_data.get("publish_at")
            if action == workflow.PUBLISH:
                publish_at = timezone.now()
            elif publish_at is None or publish_at <= timezone.now():
                self.add_error("publish_at", _("Pick a date and time in the future to schedule."))
                return
            summit.status = SummitStatus.PUBLISHED
            cleaned_data["publish_at"] = summit.publish_at = publish_at
        elif action == workflow.ARCHIVE:
            summit.status = SummitStatus.ARCHIVED
        elif action == workflow.UNARCHIVE:
            summit.status = SummitStatus.DRAFT


@dataclass(frozen=True)
class ArticleText:
    """An article's plain text (annotate.html_to_text) and where each paragraph begins."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, html: str) -> "ArticleText":
        paragraphs = annotate.html_to_paragraphs(html)
        starts, offset = [], 0
        for paragraph in paragraphs:
            starts.append(offset)
            offset += len(paragraph) + 1
        return cls(" ".join(paragraphs), tuple(starts) or (0,))

    def paragraph(self, offset: int) -> tuple[int, int, int]:
        """The number (from 1), start and end of the paragraph that holds offset."""
        index = bisect_right(self.starts, offset) - 1
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return index + 1, self.starts[index], end

    def in_context(self, start: int, end: int) -> tuple[str, str, str]:
        """The words with a few of their paragraph's on each side (passages.in_context)."""
        _number, first, last = self.paragraph(start)
        return passages.in_context(self.text[first:last], start - first, min(end, last) - first)


class PassageNotPlaced(Exception):
    """Why a passage cannot be anchored, and for an ambiguous one the places to pick from."""

    def __init__(self, message, places=()):
        super().__init__(message)
        self.message = message
        self.places = places


def place_passage(article: ArticleText, selector: annotate.Selector, start: int | None = None):
    """The one place of the article's plain text that the passage an editor gave stands for,
    whatever its typography (summits.passages): an Occurrence, or PassageNotPlaced.

    The words alone decide when they stand once. When they stand more than once, the place the
    editor picked or selected (`start`) decides, else the context given with them (a
    selection's, or the stored one): the context tells places apart but never refuses a save.
    """
    text = article.text
    places = passages.find(text, selector.exact)
    if not places:
        raise PassageNotPlaced(not_found_message(article, selector.exact))
    if start is not None:
        picked = [place for place in places if place.start == start]
        if picked:
            places = picked
    if len(places) > 1 and (selector.prefix or selector.suffix):
        scores = [_context_fit(text, selector, place) for place in places]
        best = max(scores)
        if best >= annotate.CONTEXT_FITS and sorted(scores)[-2] < best:
            places = [places[scores.index(best)]]
    if len(places) > 1:
        raise PassageNotPlaced(
            ngettext(
                "This passage stands %(count)d time in the article.",
                "This passage stands %(count)d times in the article: pick the one this item "
                "comes from.",
                len(places),
            )
            % {"count": len(places)},
            places,
        )
    place = places[0]
    if article.paragraph(place.start) != article.paragraph(place.end - 1):
        raise PassageNotPlaced(
            _("A passage is words of one paragraph: this one runs across two or more.")
        )
    return place


def _context_fit(text, selector, place) -> float:
    """How like the given context the text around a place is (each side given counts, over
    as many characters as given)."""
    given_before, given_after = selector.prefix.lstrip(), selector.suffix.rstrip()
    sides = []
    if given_before:
        around = text[max(0, place.start - len(selector.prefix)) : place.start]
        sides.append((given_before, around.lstrip()))
    if given_after:
        sides.append((given_after, text[place.end : place.end + len(selector.suffix)].rstrip()))
    scores = [
        annotate.similarity(passages.fold(given)[0], passages.fold(around)[0])
        for given, around in sides
    ]
    return min(scores) if scores else 0.0


def not_found_message(article: ArticleText, passage: str) -> str:
    """Where the article comes nearest to a passage it does not hold, and what differs."""
    text = article.text
    near = passages.closest(text, passage)
    if near is None:
        return _(
            "This passage is not in the article: select its words in the article, or paste "
            "them as they stand there."
        )
    found = text[near.start : near.end]
    differences = passages.differences(annotate.normalize_quote(passage), found)
    described = "; ".join(passages.describe_difference(part) for part in differences[:3])
    if len(differences) > 3:
        described += ngettext(
            "; and %(count)d more difference",
            "; and %(count)d more differences",
            len(differences) - 3,
        ) % {"count": len(differences) - 3}
    before, words, after = article.in_context(near.start, near.end)
    return _(
        "This passage is not in the article. The nearest words are in paragraph %(number)d: "
        "“%(before)s%(words)s%(after)s”. They differ: %(differences)s."
    ) % {
        "number": article.paragraph(near.start)[0],
        "before": before,
        "words": words,
        "after": after,
        "differences": described or _("in spacing only"),
    }


def place_choices(article: ArticleText, places) -> list[tuple[int, str]]:
    """The places of an ambiguous passage as choices: each in its paragraph and context."""
    choices = []
    for place in places:
        before, words, after = article.in_context(place.start, place.end)
        choices.append(
            (
                place.start,
                _("Paragraph %(number)d: “%(before)s[%(words)s]%(after)s”")
                % {
                    "number": article.paragraph(place.start)[0],
                    "before": before,
                    "words": words,
                    "after": after,
                },
            )
        )
    return choices


class RowForm(ConcurrentEditForm, forms.ModelForm):
    """A row of a summit's content (item, correction, stance, follow-up): locked by field."""

    # A summit's page holds hundreds of rows: their widgets, labels and error lists are
    # written without the template engine (summits.formrendering).
    default_renderer = plain_renderer

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("DELETE"):
            self.resolve_concurrent_edits()
        return cleaned_data

    def conflict_label(self):
        return self.instance._meta.verbose_name

    # Set by a RowsLoadedOnceFormSet. Its rows take their options' objects (LoadedChoiceField)
    # from what it loaded once, and it holds every row of their parent: that such an object
    # exists, and that no two rows make the same choice (a participant's one stance), it knows
    # without a query a row, and checks the latter among its rows (validate_unique).
    in_loaded_formset = False
    _found_among_options = frozenset()

    def _post_clean(self):
        if self.in_loaded_formset:
            self._found_among_options = {
                name
                for name, field in self.fields.items()
                if isinstance(field, LoadedChoiceField) and field.found(self.cleaned_data.get(name))
            }
        try:
            super()._post_clean()
        finally:
            self._found_among_options = frozenset()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | self._found_among_options


class ItemInlineForm(RowForm):
    merged_fields = ("position",)
    # Sent by the "Accept the new passage" button of a drifted item's row (admin.ItemInline).
    confirm_anchor = forms.BooleanField(required=False, widget=PlainHiddenInput)
    # Which of the places of a passage that stands more than once: sent by a selection in
    # the article (select-to-anchor.js), or picked among the places listed when it is unclear.
    quote_start = forms.IntegerField(
        label=_("Which of its places"), required=False, min_value=0, widget=PlainHiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "quote" in self.fields:
            # A passage is a sentence or two: a short box keeps each stacked row compact to drag.
            self.fields["quote"].widget.attrs["rows"] = 2
        for name in ("quote_prefix", "quote_suffix"):
            if name in self.fields:
                # The system keeps the context (a selection's, or the article's around the
                # anchor): the editor never types it. It begins or ends with a space more
                # often than not.
                self.fields[name].strip = False
                self.fields[name].widget = PlainHiddenInput()
        status = self.fields.get("status")
        if status is not None:
            statuses = STATUSES_BY_KIND[ItemKind(self.instance.kind)]
            status.choices = statuses.choices

    def offer_places(self, choices):
        """Lists the places of an ambiguous passage in the row, to pick one."""
        field = self.fields["quote_start"]
        field.widget = forms.RadioSelect(choices=choices)
        field.help_text = _("The passage stands more than once: pick the place it comes from.")

    def clean_quote(self):
        return annotate.normalize_quote(self.cleaned_data["quote"])

    def conflict_label(self):
        return self.instance.get_kind_display().lower() if self.instance.kind else _("item")


class LoadedRowField(forms.ModelChoiceField):
    """An inline row's hidden id, found among the rows its formset loaded in one query.

    Django's own field looks each submitted id up with a query of its own, one per row; an id
    the formset did not load (a row deleted meanwhile, a crafted id) is still looked up so.
    """

    def __init__(self, formset, queryset, **kwargs):
        self.formset = formset
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            key = None
        loaded = self.formset._existing_object(key) if key is not None else None
        return loaded if loaded is not None else super().to_python(value)


# "items-3-title" is row 3 of the formset "items"; "items-2-0-stances-1-position" row 1 of
# "items-2-0-stances" (the last number names the row); "published_at_1" is the time half of a
# split field.
_ROW_FIELD = re.compile(r"(.+)-(\d+)-(\w+?)(?:_\d)?")


def submitted_rows(data) -> dict[str, dict[str, int]]:
    """For each formset prefix in the submitted data, the highest row number of each field."""
    rows: dict[str, dict[str, int]] = {}
    for key in data:
        if match := _ROW_FIELD.fullmatch(key):
            fields = rows.setdefault(match[1], {})
            fields[match[3]] = max(fields.get(match[3], -1), int(match[2]))
    return rows


class RowsLoadedOnceFormSet(BaseInlineFormSet):
    """An inline formset whose submitted rows cost one query in all, not one each, and that
    builds no more forms than the submission holds rows.

    Django believes the count of rows a POST claims (up to 2,000 rows here): a 1 KB POST
    claiming 10,000 rows built 2,000 empty item forms and held a worker for over 100 s.

    `shared` is a dict that formsets of one page share, for options (the participants of
    every dispute's stances) they would otherwise each look up.
    """

    def __init__(self, *args, shared=None, **kwargs):
        self.shared = {} if shared is None else shared
        super().__init__(*args, **kwargs)

    @property
    def management_form(self):
        form = super().management_form
        for field in form.fields.values():
            field.widget = PlainHiddenInput(attrs=field.widget.attrs)
        return form

    def total_form_count(self):
        claimed = super().total_form_count()
        if not self.is_bound:
            return claimed
        held = self._rows_submitted()
        self.claimed_more_rows_than_submitted = claimed > held
        return min(claimed, held)

    def _rows_submitted(self) -> int:
        """One more than the highest row number among the submitted fields (rows are numbered
        from 0 without gaps: a deleted row still sends its fields)."""
        if not hasattr(self, "_submitted_row_count"):
            names = {
                *self.form.base_fields,
                self.model._meta.pk.name,
                self.fk.name,
                "DELETE",
                "ORDER",
            }
            # Read once for all the formsets that share `shared`, not once each: the summit
            # form has a formset of stances and one of follow-ups in every item's row, and
            # each scanning every field made a 300-item save quadratic (5 million matches).
            if "submitted rows" not in self.shared:
                self.shared["submitted rows"] = submitted_rows(self.data)
            fields = self.shared["submitted rows"].get(self.prefix, {})
            rows = [row for name, row in fields.items() if name in names]
            self._submitted_row_count = max(rows) + 1 if rows else 0
        return self._submitted_row_count

    def clean(self):
        super().clean()
        if getattr(self, "claimed_more_rows_than_submitted", False):
            raise ValidationError(
                _("The form says it has more rows than it sent. Open the page again."),
                code="too_many_forms",
            )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.in_loaded_formset = True
        for field in form.fields.values():
            if type(field.widget) is forms.HiddenInput:  # the row's id and its parent's
                field.widget = PlainHiddenInput(attrs=field.widget.attrs)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:
            form.fields[name] = LoadedRowField(
                self,
                field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )


class NestedRowsFormSet(RowsLoadedOnceFormSet):
    """The stances or follow-ups of one item, edited inside the item's row of the summit form.

    Their rows come from the item's prefetched relation (`related_name`), so that a summit's
    items cost one query per kind of row, not one per item.
    """

    related_name = None  # set by the inline that builds the class (admin.ItemInline)

    def __init__(self, data=None, files=None, *, prefix=None, **kwargs):
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            # A submission without this item's rows (a script's, or a form from before they
            # were on this page) leaves them as they are.
            data = files = None
        super().__init__(data, files, prefix=prefix, **kwargs)

    def get_queryset(self):
        if self.instance.pk is None:
            return []
        return list(getattr(self.instance, self.related_name).all())

    @property
    def has_errors(self) -> bool:
        return self.is_bound and not self.is_valid()


class ItemFormSet(RowsLoadedOnceFormSet, CustomInlineFormSet):
    """Validates each new or changed passage against the article as submitted in the same save.

    Each item form carries the formsets of its stances and follow-ups (`nested_formsets`,
    pairs of a name and a NestedRowsFormSet class, set by admin.ItemInline) as `form.nested`.
    """

    nested_formsets: tuple = ()

    def __init__(self, *args, **kwargs):
        self._nested_shared = {}
        super().__init__(*args, **kwargs)
        share_choices(self.forms, "topic")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._nest(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        if self.forms:
            share_choices([self.forms[0], form], "topic")
        self._nest(form)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.instance.row_prefix = form.prefix  # the row's buttons name their fields with it
        if form.instance.summit_id == self.instance.pk:
            # Its row shows the item in its summit's article: the summit of this form.
            form.instance.summit = self.instance

    # Whether the page shows the empty item row (the admin's add permission, set by
    # admin.ItemInline): it then holds the one empty stance and follow-up row of each kind
    # that every item's "Add" button copies, instead of one each (450 at 300 items).
    empty_row_shown = False

    def _nest(self, form):
        empty = form.prefix == self.add_prefix("__prefix__")
        bound = self.is_bound and not empty
        form.nested = []
        for name, formset_class in self.nested_formsets:
            nested = formset_class(
                data=self.data if bound else None,
                files=self.files if bound else None,
                instance=form.instance,
                prefix=f"{form.prefix}-{name}",
                shared=self._nested_shared,
            )
            nested.template_prefix = f"{self.add_prefix('__prefix__')}-{name}"
            nested.holds_template = empty or not self.empty_row_shown
            form.nested.append(nested)
        # The row's readonly "stances and follow-ups" field renders them from the instance.
        form.instance.nested_formsets = form.nested

    @property
    def media(self):
        media = super().media
        for nested in self.empty_form.nested:
            media += nested.media
        return media

    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) or not (form.has_changed() or form.instance.pk):
                continue
            if any(nested.has_errors for nested in form.nested):
                form.add_error(
                    None,
                    _("A stance or follow-up of this item needs a correction: see below."),
                )
        for form in self.initial_forms:
            if form.instance.pk is None and not self._should_delete_form(form):
                # The row's id is not one of this summit's items (any more): deleted by
                # someone else meanwhile, or a crafted id of another summit's item.
                raise ValidationError(
                    _(
                        "An item of this form no longer belongs to this summit; someone else "
                        "may have deleted it. Open the page again to see the summit as it is."
                    ),
                    code="stale",
                )
        summit = self.instance
        article = ArticleText.of(summit.body or "")
        text = article.text
        orphaned = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self._should_delete_form(form):
                continue
            item = form.instance
            item.anchor_text = text  # what the row's anchor is shown in (admin.ItemInline)
            if item.pk is None or (SELECTOR_FIELDS | {"quote_start"}) & set(form.changed_data):
                if not form.errors:
                    self._place(form, article)
                continue
            # The row shows the item's anchor in the article as submitted, not as stored.
            probe = item.anchor_now = copy.copy(item)
            probe.anchor(text)
            if probe.anchor_state == AnchorState.ORPHANED:
                orphaned.append(item)
            elif probe.anchor_state == AnchorState.DRIFTED and form.cleaned_data.get(
                "confirm_anchor"
            ):
                # "Accept the new passage": the place shown becomes the item's passage.
                self._anchor(item, text, probe.anchor_start, probe.anchor_end)
        if summit.status == SummitStatus.PUBLISHED and orphaned:
            raise ValidationError(
                services.orphaned_items_message(orphaned, live=summit.draft_of_id is None),
                code="orphaned",
            )

    def _place(self, form, article):
        item = form.instance
        try:
            place = place_passage(article, item.selector, form.cleaned_data.get("quote_start"))
        except PassageNotPlaced as problem:
            form.add_error("quote", problem.message)
            if problem.places:
                form.offer_places(place_choices(article, problem.places))
            return
        self._anchor(item, article.text, place.start, place.end)

    @staticmethod
    def _anchor(item, text, start, end):
        """Anchors the item where the editor placed or accepted it: the article's own words
        there, and the context around them, become its passage."""
        item.anchor_start, item.anchor_end = start, end
        item.take_selector_from(text)
        item.anchor_state, item.anchor_score = AnchorState.ANCHORED, 1.0
        item.anchor_now = item
        item.anchored_by_form = True  # to be saved, whether or not a field of its form changed


class StanceFormSet(RowsLoadedOnceFormSet):
    """Offers the summit's participants (any participant while the summit is new), loaded once
    for every row of the dispute's stances, and once for all disputes of a summit form."""

    def _construct_form(self, i, **kwargs):
        # Row by row as they are built: a stance formset whose rows are never shown (a fold
        # fetched later) builds none of them.
        form = super()._construct_form(i, **kwargs)
        self._limit_participants([form])
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        self._limit_participants([form])
        return form

    def _limit_participants(self, forms_):
        summit_id = self.instance.summit_id
        participants = Participant.objects.prefetch_related("translations")  # options show names
        if summit_id is not None:
            participants = participants.filter(summits=summit_id)
        key = ("participants", summit_id)
        for form in forms_:
            field = form.fields["participant"]
            field.queryset = participants
            if key not in self.shared:
                self.shared[key] = evaluate_choices(field)
            choices = self.shared[key]
            held = form.instance.participant_id
            if held is not None and all(str(value) != str(held) for value, _ in choices):
                # A stance whose participant is not (or no longer) one of the summit's keeps
                # its participant among the options: an untouched row never refuses a save.
                participant = form.instance.participant  # prefetched with the summit's items
                choices = [
                    *choices,
                    (ModelChoiceIteratorValue(held, participant), str(participant)),
                ]
            set_choices(field, choices)


class NestedStanceFormSet(NestedRowsFormSet, StanceFormSet):
    pass


class LoadedChoiceField(forms.ModelChoiceField):
    """A model choice field that finds the submitted object among the options it offered
    (set_choices()), instead of looking it up with a query of its own, once per row."""

    widget = PlainSelect  # one select per row of a long page (summits.formrendering)
    loaded = None

    def found(self, value) -> bool:
        """Whether value is one of the objects the options were loaded with."""
        return (
            self.loaded is not None
            and value is not None
            and self.loaded.get(str(value.pk)) is value
        )

    def to_python(self, value):
        if self.loaded is not None and value not in self.empty_values:
            found = self.loaded.get(str(value))
            if found is not None:
                return found
        return super().to_python(value)


def evaluate_choices(field):
    # Through iter(): list(field.choices) would first ask for its length, which is a COUNT.
    return list(iter(field.choices))


def set_choices(field, choices):
    field.choices = choices
    if isinstance(field, LoadedChoiceField):
        field.loaded = {
            str(value): value.instance for value, _label in choices if hasattr(value, "instance")
        }
    inner = getattr(field.widget, "widget", None)  # the admin's RelatedFieldWidgetWrapper
    if inner is not None:
        inner.choices = choices


def share_choices(forms_, field_name):
    """Evaluates a model choice field's options once for a whole formset instead of once a row."""
    if not forms_ or field_name not in forms_[0].fields:
        return
    field = forms_[0].fields[field_name]
    if hasattr(field.queryset.model, "_parler_meta"):
        # Each option shows a name kept per language (django-parler): all of them at once.
        field.queryset = field.queryset.prefetch_related("translations")
    choices = evaluate_choices(field)
    for form in forms_:
        set_choices(form.fields[field_name], choices)
