"""Admin forms: the editorial workflow, optimistic locking and passage validation."""

import copy

from adminsortable2.admin import CustomInlineFormSet
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import annotate, services, workflow
from .choices import STATUSES_BY_KIND, AnchorState, ItemKind, SummitStatus
from .models import Participant, Summit

SELECTOR_FIELDS = {"quote", "quote_prefix", "quote_suffix"}


class SummitAdminForm(forms.ModelForm):
    # The version the editor loaded; a save from an outdated form is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    may_publish = False  # set per request by SummitAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        status = self.fields.get("status")
        if status is not None and not self.may_publish:
            status.choices = [(value, value.label) for value in workflow.REPORTER_STATUSES]
            status.help_text = _("An editor publishes the summit once it has been reviewed.")

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            current = (
                Summit.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and cleaned_data.get("loaded_version") != current:
                raise ValidationError(
                    _(
                        "Someone else saved this summit while you were editing it. Open it again "
                        "to see their changes; copy yours first so that nothing is lost."
                    ),
                    code="stale",
                )
        if cleaned_data.get("status") == SummitStatus.PUBLISHED and not cleaned_data.get(
            "publish_at"
        ):
            cleaned_data["publish_at"] = timezone.now()
            self.instance.publish_at = cleaned_data["publish_at"]
        return cleaned_data


def passage_error(text: str, selector: annotate.Selector) -> str | None:
    """Why the selector does not pick exactly one passage of the text, or None when it does."""
    starts = annotate.occurrences(text, selector.exact)
    if not starts:
        return _(
            "This passage is not in the article. Copy the words exactly as they stand in the article text."
        )
    prefix = annotate.normalize_quote(selector.prefix)
    suffix = annotate.normalize_quote(selector.suffix)
    matching = [
        start
        for start in starts
        if text[:start].rstrip().endswith(prefix)
        and text[start + len(selector.exact) :].lstrip().startswith(suffix)
    ]
    if not matching:
        return _("The passage is in the article, but not with the text before or after given here.")
    if len(matching) > 1:
        return ngettext(
            "This passage occurs %(count)d time in the article.",
            "This passage occurs %(count)d times in the article: add a few words of the text "
            "before or after it to say which one is meant.",
            len(matching),
        ) % {"count": len(matching)}
    return None


class ItemInlineForm(forms.ModelForm):
    confirm_anchor = forms.BooleanField(
        label=_("Confirm the new passage"),
        required=False,
        help_text=_(
            "The article changed here: tick to accept the passage shown as this item's source."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "quote" in self.fields:
            # A passage is a sentence or two: a short box keeps each stacked row compact to drag.
            self.fields["quote"].widget.attrs["rows"] = 2
        for name in ("quote_prefix", "quote_suffix"):
            if name in self.fields:
                # The stored context begins or ends with a space more often than not.
                self.fields[name].strip = False
        status = self.fields.get("status")
        if status is not None:
            statuses = STATUSES_BY_KIND[ItemKind(self.instance.kind)]
            status.choices = statuses.choices
        if self.instance.anchor_state != AnchorState.DRIFTED:
            self.fields["confirm_anchor"].widget = forms.HiddenInput()

    def clean_quote(self):
        return annotate.normalize_quote(self.cleaned_data["quote"])


class ItemFormSet(CustomInlineFormSet):
    """Validates each new or changed passage against the article as submitted in the same save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_choices(self.forms, "topic")

    @property
    def empty_form(self):
        form = super().empty_form
        if self.forms:
            share_choices([self.forms[0], form], "topic")
        return form

    def clean(self):
        super().clean()
        summit = self.instance
        text = annotate.html_to_text(summit.body or "")
        orphaned = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self._should_delete_form(form) or form.errors:
                continue
            item = form.instance
            if item.pk is None or SELECTOR_FIELDS & set(form.changed_data):
                error = passage_error(text, item.selector)
                if error:
                    form.add_error("quote", error)
                continue
            probe = copy.copy(item)
            probe.anchor(text)
            if probe.anchor_state == AnchorState.ORPHANED:
                orphaned.append(item)
        if summit.status == SummitStatus.PUBLISHED and orphaned:
            raise ValidationError(services.orphaned_items_message(orphaned), code="orphaned")


class StanceFormSet(BaseInlineFormSet):
    """Offers the summit's participants, loaded once for every row of the dispute's stances."""

    def __init__(self, *args, **kwargs):
        self._participant_choices = None
        super().__init__(*args, **kwargs)
        self._limit_participants(self.forms)

    @property
    def empty_form(self):
        form = super().empty_form
        self._limit_participants([form])
        return form

    def _limit_participants(self, forms_):
        if self.instance.pk is None:
            return
        participants = Participant.objects.filter(summits=self.instance.summit_id).prefetch_related(
            "translations"
        )  # each option shows a name
        for form in forms_:
            field = form.fields["participant"]
            field.queryset = participants
            if self._participant_choices is None:
                self._participant_choices = list(field.choices)
            set_choices(field, self._participant_choices)


def set_choices(field, choices):
    field.choices = choices
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
    choices = list(field.choices)
    for form in forms_:
        set_choices(form.fields[field_name], choices)
