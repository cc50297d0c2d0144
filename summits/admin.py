"""The editors' workspace: summits with their agreements, disputes, stances, updates and corrections."""

import json
import re

import reversion
from adminsortable2.admin import SortableAdminBase, SortableStackedInline
from django import VERSION as DJANGO_VERSION
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from parler.admin import TranslatableAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from . import (
    compare,
    conf,
    partners,
    passages,
    previews,
    revisions,  # noqa: F401  (registers the models before VersionAdmin looks at them)
    services,
    workflow,
)
from .api import admin as api_admin  # noqa: F401  (registers the partner keys' admin)
from .choices import STATUSES_BY_KIND, AnchorState, ItemKind, SummitStatus
from .editorcomforts import EditorComfortsMixin
from .forms import (
    ItemFormSet,
    ItemInlineForm,
    LoadedChoiceField,
    NestedRowsFormSet,
    NestedStanceFormSet,
    RowForm,
    RowsLoadedOnceFormSet,
    StanceFormSet,
    SummitAdminForm,
)
from .livepreview import ITEM_RELATIONS, LivePreviewMixin, kept_in_form_order
from .models import (
    Agreement,
    Correction,
    Dispute,
    Item,
    ItemUpdate,
    Participant,
    Stance,
    Summit,
    Topic,
)

# django-admin-sortable2 2.3.1 ships inline templates and its patched actions.js only up to
# Django 6.0; 6.1's admin templates and actions.js are the same, so the 6.0 files serve (the
# items' inline has a template of the plugin's, which tests/test_form_rendering.py compares
# with the library's).
# tests/test_admin_assets.py fails when an upgrade changes this.
SORTABLE_DJANGO = "6.0" if DJANGO_VERSION[:2] >= (6, 1) else "{}.{}".format(*DJANGO_VERSION)


class SummitSortableAdminBase(SortableAdminBase):
    @property
    def media(self):
        media = super().media
        missing = "adminsortable2/js/actions-{}.{}.js".format(*DJANGO_VERSION[:2])
        shipped = f"adminsortable2/js/actions-{SORTABLE_DJANGO}.js"
        # Media assets compare equal to their path, whether strings or Script objects.
        js = [shipped if asset == missing else asset for asset in media._js]
        return type(media)(css=media._css, js=js)


def row_problems(inline_admin_formsets):
    """(row id, label, message) of each inline's error, in the order of the form: a row id
    of None for an error of a whole inline (a live summit's orphaned items)."""
    problems = []
    for inline in inline_admin_formsets:
        formset = inline.formset
        if not formset.is_bound:
            continue
        problems += [(None, "", message) for message in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            messages_ = [*form.non_field_errors()]
            messages_ += [
                f"{form.fields[name].label}: {message}" if name in form.fields else message
                for name, errors in form.errors.items()
                if name != NON_FIELD_ERRORS
                for message in errors
            ]
            if messages_:
                title = form.cleaned_data.get("title") if hasattr(form, "cleaned_data") else ""
                names = {"kind": capfirst(formset.model._meta.verbose_name), "number": number}
                if title:
                    label = _("%(kind)s %(number)d “%(title)s”") % {**names, "title": title}
                else:
                    label = _("%(kind)s %(number)d") % names
                problems.append((form.prefix, label, messages_[0]))
    return problems


def item_links(items):
    """Links to the items' anchors on the summit form, by name and label (A1, D2)."""
    return format_html_join(
        ", ",
        '<a href="#anchor-item-{}">“{}” ({})</a>',
        ((item.pk, item.title, item.reference_label) for item in items),
    )


def is_live_edition(summit) -> bool:
    """Whether the summit is the published edition readers see (or will see on schedule)."""
    return summit.draft_of_id is None and summit.status == SummitStatus.PUBLISHED


def _summit_of(obj):
    return obj if isinstance(obj, Summit) or obj is None else obj.summit


class EditorialLock:
    """Reporters may view but not change what is live or archived; editors may change anything.

    `obj` is the summit or item itself in a ModelAdmin and the parent object in an inline.
    """

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(
            request.user, _summit_of(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_write(
            request.user, _summit_of(obj)
        )


class InlineEditorialLock(EditorialLock):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and workflow.can_edit(
            request.user, _summit_of(obj)
        )


class SharedContentAdmin(CompareVersionAdmin):
    """Participants and topics appear on many summit pages: a change renews every cached page.

    Only editors change or delete them, since a new name shows on live pages at once; reporters
    add new ones (nobody reads those until an editor publishes a summit showing them).
    """

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # a new one is on no page yet
            partners.mark_summits_showing(obj)

    def delete_model(self, request, obj):
        partners.mark_summits_showing(obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # The changelist's "delete selected": each one off every page that shows it.
        for obj in queryset:
            partners.mark_summits_showing(obj)
        super().delete_queryset(request, queryset)


class TranslatedContentAdmin(TranslatableAdmin, SharedContentAdmin):
    """One tab per language for the name (django-parler); the slug follows the name typed."""

    def get_prepopulated_fields(self, request, obj=None):
        # Not prepopulated_fields: its check looks for the name on the model's own table.
        return {"slug": ["name"]}

    def get_queryset(self, request):
        # The list, the search and the autocomplete of the summit form show each one's name.
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(Participant)
class ParticipantAdmin(TranslatedContentAdmin):
    list_display = ["__str__", "role", "country", "wikidata_id"]
    list_filter = ["country"]
    search_fields = ["translations__name", "translations__role", "slug"]


@admin.register(Topic)
class TopicAdmin(TranslatedContentAdmin):
    list_display = ["__str__", "slug"]
    search_fields = ["translations__name", "slug"]


class StanceInline(InlineEditorialLock, admin.StackedInline):
    model = Stance
    form = RowForm
    formset = StanceFormSet
    extra = 0

    def get_queryset(self, request):
        # Each row's title names its participant, kept per language (django-parler).
        return (
            super()
            .get_queryset(request)
            .select_related("participant")
            .prefetch_related("participant__translations")
        )

    fields = ["participant", "position", "quote", ("source_name", "source_url"), "loaded_state"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participant":
            kwargs["form_class"] = LoadedChoiceField  # one lookup for all rows (StanceFormSet)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ItemUpdateInline(InlineEditorialLock, admin.StackedInline):
    model = ItemUpdate
    form = RowForm
    formset = RowsLoadedOnceFormSet
    extra = 0
    fields = [("date", "status"), "note", ("source_name", "source_url"), "loaded_state"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "status":
            field.choices = [("", "—"), *STATUSES_BY_KIND[self.parent_model.KIND].choices]
        return field


class ItemInline(InlineEditorialLock, SortableStackedInline):
    # django-admin-sortable2's stacked inline, its rows written in Python: a summit may have
    # hundreds (see the template).
    template = "admin/summits/edit_inline/items.html"
    form = ItemInlineForm
    formset = ItemFormSet
    ordering = ["position"]
    extra = 0
    show_change_link = True

    def get_max_num(self, request, obj=None, **kwargs):
        return conf.get("MAX_ITEMS_PER_KIND")  # see summits.conf

    fields = [
        "title",
        ("status", "topic"),
        "summary",
        "quote",
        ("quote_prefix", "quote_suffix", "quote_start"),
        "anchor",
        "follow_ups",
        "position",
        "loaded_state",
    ]
    readonly_fields = ["anchor", "follow_ups"]
    # The item's own rows, edited in its row of the summit form: (related name, inline, formset).
    nested_inlines: tuple = ()

    class Media:
        js = ["summits/admin/sortable-keyboard.js", "summits/admin/nested-rows.js"]
        css = {"all": ["summits/admin/nested-rows.css", "summits/admin/anchoring.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["form_class"] = LoadedChoiceField  # one lookup for all rows (ItemFormSet)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each item's stances and follow-ups are loaded with the items: one query per kind.
        # An agreement's (empty) stances too: django-reversion follows both from every item.
        return super().get_queryset(request).prefetch_related(*ITEM_RELATIONS)

    def get_formset(self, request, obj=None, **kwargs):
        # More rows than MAX_ITEMS_PER_KIND are refused with a message, not taken silently.
        formset = super().get_formset(request, obj, validate_max=True, **kwargs)
        nested = []
        for name, inline_class, formset_class in self.nested_inlines:
            inline = inline_class(self.model, self.admin_site)
            if inline.has_view_or_change_permission(request, obj) or inline.has_add_permission(
                request, obj
            ):
                nested_formset = inline.get_formset(request, obj, formset=formset_class)
                nested_formset.related_name = name
                nested_formset.verbose_name = inline.model._meta.verbose_name
                nested_formset.verbose_name_plural = inline.model._meta.verbose_name_plural
                nested_formset.can_add = inline.has_add_permission(request, obj)
                nested.append((name, nested_formset))
        formset.nested_formsets = tuple(nested)
        formset.empty_row_shown = self.has_add_permission(request, obj)
        return formset

    @admin.display(description=_("stances and follow-ups"))
    def follow_ups(self, item):
        formsets = getattr(item, "nested_formsets", [])
        if not formsets:
            return ""
        context = {
            "formsets": formsets,
            "open": any(formset.has_errors for formset in formsets),
            # Read here, not in the template: its lookups try formset[name] first, which
            # builds every row of the formset.
            "summary": [
                (formset.verbose_name_plural, formset.initial_form_count()) for formset in formsets
            ],
        }
        if item.pk is not None and not any(formset.is_bound for formset in formsets):
            # A stored item's rows come when its fold first opens (nested-rows.js): rendering
            # every item's rows made most of a 300-item page's 10 s. Rows submitted are shown
            # again in the page.
            context["rows_url"] = "{}?{}".format(
                reverse("admin:summits_summit_item_rows", args=[item.summit_id, item.pk]),
                urlencode({"prefix": item.row_prefix}),
            )
            context["item_url"] = reverse(
                f"admin:summits_{self.opts.model_name}_change", args=[item.pk]
            )
        return render_to_string("admin/summits/nested_rows.html", context)

    @admin.display(description=_("anchor"))
    def anchor(self, item):
        """The item's anchor in the article: in the article as submitted when the form is
        shown again with errors (ItemFormSet.clean), never a state from before the edit."""
        shown = getattr(item, "anchor_now", item)
        text = getattr(item, "anchor_text", None)
        if text is None:
            text = item.summit.body_text if item.summit_id or item.pk else ""
        context = {
            "item": item,
            "row": getattr(item, "row_prefix", ""),
            "language": item.summit.language if item.summit_id else "",
            "quote": item.quote,
        }
        if shown.pk is None and shown.anchor_start is None:
            return render_to_string("admin/summits/anchor_state.html", {**context, "state": "new"})
        context["state"] = shown.anchor_state
        if shown.anchor_start is not None:
            words = text[shown.anchor_start : shown.anchor_end]
            if shown.anchor_state == AnchorState.DRIFTED:
                context["diff"] = compare.word_diff(shown.quote, words)
            elif text.count(words) > 1:
                # Shown only where it tells the place apart from the others.
                context["context"] = passages.in_context(text, shown.anchor_start, shown.anchor_end)
        return render_to_string("admin/summits/anchor_state.html", context)


class AgreementInline(ItemInline):
    model = Agreement
    classes = ["item-kind-agreement"]  # where select-to-anchor.js adds an agreement
    nested_inlines = (("updates", ItemUpdateInline, NestedRowsFormSet),)


class DisputeInline(ItemInline):
    model = Dispute
    classes = ["item-kind-dispute"]
    nested_inlines = (
        ("stances", StanceInline, NestedStanceFormSet),
        ("updates", ItemUpdateInline, NestedRowsFormSet),
    )


class CorrectionInline(InlineEditorialLock, admin.TabularInline):
    model = Correction
    form = RowForm
    formset = RowsLoadedOnceFormSet
    extra = 0
    fields = ["published_at", "text", "loaded_state"]


class TranslatedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter by topic whose names (django-parler's table) load in one query, not one each."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.related_model._default_manager.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in related.prefetch_related("translations")]


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Summit.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset


class ReviewQueueFilter(admin.SimpleListFilter):
    """The review queue: summits, and live summits' changes, that wait for an editor."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for review"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(
                Q(status=SummitStatus.REVIEW) | Q(working_draft__status=SummitStatus.REVIEW)
            )
        return queryset


def working_draft_columns() -> dict:
    """The state of each listed summit's working draft, if it has one: three columns, so that
    the list says "unpublished changes (in review · submitted by …)" without a query a row."""
    draft = Summit.objects.filter(draft_of=OuterRef("pk"))
    submitter = Coalesce(
        NullIf(
            Trim(Concat("submitted_by__first_name", Value(" "), "submitted_by__last_name")),
            Value(""),
        ),
        "submitted_by__username",
    )
    return {
        "draft_status": Subquery(draft.values("status")[:1]),
        "draft_submitted_at": Subquery(draft.values("submitted_at")[:1]),
        "draft_submitted_by": Subquery(draft.annotate(name=submitter).values("name")[:1]),
    }


# The views where a live summit with a working draft stands for its draft.
EDITED_IN_DRAFT_VIEWS = {"summits_summit_change", "summits_summit_live_preview"}


@admin.register(Summit)
class SummitAdmin(
    LivePreviewMixin,
    EditorComfortsMixin,
    compare.ReadableCompareMixin,
    EditorialLock,
    SummitSortableAdminBase,
    CompareVersionAdmin,
):
    form = SummitAdminForm
    inlines = [AgreementInline, DisputeInline, CorrectionInline]

    class Media:
        js = [
            "summits/admin/workflow.js",
            forms.Script(
                "summits/admin/select-to-anchor.js",
                **{
                    "data-context": str(conf.get("ANCHOR_CONTEXT_LENGTH")),
                    "data-toolbar": _("Anchor the selected words"),
                    "data-agreement": _("Agreement from selection"),
                    "data-dispute": _("Dispute from selection"),
                    "data-hint": _("Select words in the article to anchor an item to them."),
                    "data-selected": _("Selected: “%(words)s”"),
                    "data-added": _("A new item’s passage: “%(words)s”. Give it a title."),
                    "data-reanchored": _("Re-anchored to “%(words)s” when saved."),
                    "data-one-paragraph": _("A passage is words of one paragraph: select fewer."),
                },
            ),
        ]

    list_display = [
        "title",
        "status_label",
        "language",
        "start_date",
        "place",
        "agreements",
        "disputes",
        "updated_at",
        "last_edited_by",
    ]
    list_filter = [
        ReviewQueueFilter,
        "status",
        YearListFilter,
        "country",
        "language",
        ("topics", TranslatedRelatedFilter),
    ]
    search_fields = ["title", "teaser", "slug", "city", "participants__translations__name"]
    search_help_text = _("Searches headline, teaser, slug, city and participants.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["participants", "topics", "original"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("participants", "topics"):
            # The chosen ones are shown by name, kept per language (django-parler).
            kwargs["queryset"] = db_field.related_model.objects.prefetch_related("translations")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    readonly_fields = [
        "publishing_state",
        "first_published_at",
        "updated_at",
        "last_edited_by",
        "anchoring",
        "translations_list",
        "preview_links",
    ]
    date_hierarchy = "start_date"
    list_select_related = ["last_edited_by", "submitted_by"]
    list_per_page = 50
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "teaser", "body", "loaded_state"]}),
        (
            _("Place and dates"),
            {
                "fields": [
                    ("city", "venue", "country"),
                    ("start_date", "end_date"),
                    "participants",
                    "topics",
                ]
            },
        ),
        (
            _("Lead image"),
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        (_("Language"), {"fields": ["language", "original", "translations_list"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "credit_line",
                    "publishing_state",
                    "first_published_at",
                    "updated_at",
                    "last_edited_by",
                ]
            },
        ),
        (_("Anchoring"), {"fields": ["anchoring"]}),
        (_("Preview"), {"fields": ["preview_links"]}),
    ]

    def get_queryset(self, request):
        summits = super().get_queryset(request)
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name == "summits_summit_changelist":
            # The list shows no article: leave the largest columns in the database. A working
            # draft is not listed beside its summit; the summit says it has one.
            summits = (
                summits.editions()
                .with_item_counts()
                .annotate(**working_draft_columns())
                .defer("body", "body_text")
            )
        elif url_name == "autocomplete":
            summits = summits.editions()  # a translation links to a summit, never to a draft
        return summits

    def get_object(self, request, object_id, from_field=None):
        """On the change page, a live summit with a working draft is edited in its draft."""
        summit = super().get_object(request, object_id, from_field)
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if summit is not None and url_name in EDITED_IN_DRAFT_VIEWS and summit.draft_of_id is None:
            summit = Summit.objects.filter(draft_of=summit).first() or summit
        return summit

    def change_view(self, request, object_id, form_url="", extra_context=None):
        summit = super().get_object(request, unquote(object_id))
        if summit is not None and summit.draft_of_id is not None:
            # A working draft has the address of its summit.
            return redirect(reverse("admin:summits_summit_change", args=[summit.draft_of_id]))
        extra_context = {**(extra_context or {}), **self._workflow_context(request, summit)}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A form shown again with errors lists each row's problem first, with a link to it.
        context["row_problems"] = row_problems(context.get("inline_admin_formsets", []))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_context(self, request, summit):
        shown = summit
        if summit is not None and summit.draft_of_id is None:
            shown = Summit.objects.filter(draft_of=summit).first() or summit
        return {
            "live_summit": summit if summit and summit.status == SummitStatus.PUBLISHED else None,
            "working_draft": shown if shown and shown.draft_of_id else None,
            "may_publish": workflow.can_publish(request.user),
            "shown_summit": shown,
            "publishing_state": self.publishing_state(shown) if shown else "",
            "workflow_actions": [
                action
                for action in workflow.actions_for(request.user, shown)
                if action != workflow.SAVE
            ],
        }

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._workflow_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" in kwargs and workflow.can_publish(request.user):
            # The go-live time is set in the workflow bar, beside "Schedule".
            kwargs["fields"] = [*kwargs["fields"], "publish_at"]
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    @admin.display(description=_("status"))
    def publishing_state(self, summit):
        if summit.pk is None:
            return _("New draft")
        live = summit.draft_of or summit
        state = workflow.summit_state(live)
        if summit.draft_of_id:
            return format_html(
                "{} · {}",
                state,
                _("changes in a working draft (%(status)s), not yet live")
                % {"status": workflow.summit_state(summit)},
            )
        return state

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, summit):
        label = workflow.summit_state(summit)
        if getattr(summit, "draft_status", None):
            draft = workflow.state_label(
                summit.draft_status,
                submitted_by=summit.draft_submitted_by or "",
                submitted_at=summit.draft_submitted_at,
            )
            return format_html(
                "{} · {}", label, _("unpublished changes (%(state)s)") % {"state": draft}
            )
        return label

    @admin.display(description=_("place"), ordering="city")
    def place(self, summit):
        return ", ".join(part for part in [summit.city, summit.country.name] if part)

    @admin.display(description=_("agreements"), ordering="agreement_count")
    def agreements(self, summit):
        return summit.agreement_count

    @admin.display(description=_("disputes"), ordering="dispute_count")
    def disputes(self, summit):
        return summit.dispute_count

    @admin.display(description=_("items needing attention"))
    def anchoring(self, summit):
        if summit.pk is None:
            return "—"
        unsettled = summit.items.needing_attention().order_by("kind", "position")
        if not unsettled:
            return _("Every item is anchored to its passage.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        _("%(kind)s “%(title)s”: %(state)s")
                        % {
                            "kind": item.get_kind_display(),
                            "title": item.title,
                            "state": item.get_anchor_state_display(),
                        },
                    )
                    for item in unsettled
                ),
            ),
        )

    def get_view_on_site_url(self, obj=None):
        """The page readers see, for a live summit (with a working draft too: its live page);
        the signed preview for one readers do not see (draft, review, scheduled, archived)."""
        if obj is None or obj.pk is None:
            return None
        summit = obj.draft_of or obj
        if summit.is_live:
            return summit.get_absolute_url()
        return reverse("summits:signed_preview", args=[previews.make_token(summit)])

    @admin.display(description=_("preview"))
    def preview_links(self, summit):
        if summit.pk is None:
            return _("Save the summit to preview it.")
        reviewer_url = reverse("summits:signed_preview", args=[previews.make_token(summit)])
        days = conf.get("PREVIEW_LINK_MAX_AGE") // (24 * 60 * 60)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br><a href="{}">{}</a>',
            reverse("summits:preview", args=[summit.slug]),
            _("Open the preview"),
            reviewer_url,
            ngettext(
                "Link for an outside reviewer (copy the link address), valid for %(days)d day",
                "Link for an outside reviewer (copy the link address), valid for %(days)d days",
                days,
            )
            % {"days": days},
        )

    @admin.display(description=_("translations"))
    def translations_list(self, summit):
        if summit.pk is None:
            return "—"
        others = summit.translation_family().exclude(pk=summit.pk)
        return ", ".join(f"{other.title} ({other.language})" for other in others) or "—"

    def save_model(self, request, obj, form, change):
        # The admin's change view runs in one transaction; the change ends in save_related.
        if change and services.is_edited_in_a_draft(obj):
            # The first save of a live summit's changes opens its working draft (save_related);
            # the live rows stay as they are.
            form.draft_parts = {"items": [], "corrections": None, "rows": {}}
            return
        form.summit_change = services.SummitChange(obj, user=request.user)
        form.summit_change.save()

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        kept = [
            row_form.instance
            for row_form in formset.initial_forms
            if row_form.instance not in formset.deleted_objects
        ] + formset.new_objects
        parts = getattr(form, "draft_parts", None)
        if not issubclass(formset.model, Item):
            if parts is not None:
                parts["corrections"] = kept
                return None
            return super().save_formset(request, form, formset, change)
        # New rows come last: sortable2 numbers them after the highest existing position.
        kept.sort(key=lambda item: item.position)
        nested = [
            (item_form.instance, [rows for rows in item_form.nested if rows.is_bound])
            for item_form in formset.forms
            if item_form.instance in kept
        ]
        if parts is not None:
            parts["items"] += kept
            for item, formsets in nested:
                parts["rows"][id(item)] = {
                    nested_formset.model: kept_in_form_order(nested_formset)
                    for nested_formset in formsets
                }
            return None
        services.save_items_in_order(
            kept,
            formset.deleted_objects,
            unchanged=[
                item_form.instance
                for item_form in formset.initial_forms
                if not item_form.has_changed()
                and not getattr(item_form.instance, "anchored_by_form", False)
            ],
        )
        for item, formsets in nested:
            for nested_formset in formsets:
                nested_formset.instance = item  # saved now, if it was new
                nested_formset.save()
            if any(nested_formset.has_changed() for nested_formset in formsets):
                services.sync_item_status(item)

    def save_related(self, request, form, formsets, change):
        parts = getattr(form, "draft_parts", None)
        if parts is not None:
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            form.instance = services.start_working_draft(
                form.instance,
                user=request.user,
                edited=form.instance,
                items=parts["items"],
                item_rows=parts["rows"],
                corrections=parts["corrections"],
                participants=form.cleaned_data.get("participants"),
                topics=form.cleaned_data.get("topics"),
                status=(
                    SummitStatus.REVIEW if form.action == workflow.SUBMIT else SummitStatus.DRAFT
                ),
            )
            self._after_draft_save(request, form.instance, form.action)
            return
        super().save_related(request, form, formsets, change)
        report = form.summit_change.finish()
        if form.instance.draft_of_id is not None:
            self._after_draft_save(request, form.instance, form.action)
        else:
            self._report_state(request, form.instance, form.action)
        if report.drifted:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    ngettext(
                        "The article changed around this item: check its new passage and "
                        "accept it, or re-anchor it.",
                        "The article changed around these items: check their new passages and "
                        "accept them, or re-anchor them.",
                        len(report.drifted),
                    ),
                    item_links(report.drifted),
                ),
                messages.WARNING,
            )
        if report.orphaned:
            self.message_user(
                request,
                format_html(
                    # The message's own words, with the items' links where it names them.
                    services.orphaned_items_message(
                        report.orphaned, live=is_live_edition(form.instance), titles="{}"
                    ),
                    item_links(report.orphaned),
                ),
                messages.WARNING,
            )
        # The page opens again at the first item to look at (response_change).
        problems = report.drifted + report.orphaned
        request.summits_first_problem = problems[0] if problems else None

    def log_change(self, request, obj, message):
        # The history (and django-reversion's revision comment) names the workflow step.
        action = workflow.chosen_action(request.POST)
        if action != workflow.SAVE:
            stored = json.dumps(message) if isinstance(message, list) else message
            fields = LogEntry(change_message=stored).get_change_message()
            message = " ".join([f"{action.label}.", fields]).strip()
        return super().log_change(request, obj, message)

    def _report_state(self, request, summit, action):
        if action == workflow.SAVE:
            return
        if action == workflow.REQUEST_CHANGES:
            message = _("The summit went back to its reporter with your note.")
        else:
            message = _("The summit is now: %(state)s.") % {"state": workflow.summit_state(summit)}
        self.message_user(request, message, messages.SUCCESS)

    def _after_draft_save(self, request, draft, action):
        """What follows the save of a live summit's working draft: its publishing, or the
        summit taken offline with the draft's changes, or a word on where the changes wait."""
        try:
            if action == workflow.PUBLISH_CHANGES:
                services.publish_changes(draft, user=request.user)
                self.message_user(request, _("The changes are live."), messages.SUCCESS)
                return
            if action in (workflow.UNPUBLISH, workflow.ARCHIVE):
                status = (
                    SummitStatus.DRAFT if action == workflow.UNPUBLISH else SummitStatus.ARCHIVED
                )
                summit = services.take_offline(draft, status, user=request.user)
                self._report_state(request, summit, action)
                return
        except (services.PublishError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        if action == workflow.REQUEST_CHANGES:
            message = _("The changes went back to their reporter with your note.")
        elif draft.status == SummitStatus.REVIEW:
            message = _("The changes are saved in the working draft and wait for review.")
        else:
            message = _(
                "The changes are saved in the working draft. Readers see the live version "
                "until an editor publishes the changes."
            )
        self.message_user(request, message, messages.INFO)

    def response_change(self, request, obj):
        live_pk = obj.draft_of_id or obj.pk
        page = reverse("admin:summits_summit_change", args=[live_pk])
        first_problem = getattr(request, "summits_first_problem", None)
        accepted = any(name.endswith("-confirm_anchor") for name in request.POST)
        if first_problem is not None and "_popup" not in request.POST:
            # Back on the page, at the item whose anchor needs the editor.
            return redirect(f"{page}#anchor-item-{first_problem.pk}")
        if accepted:
            return redirect(page)  # "Accept the new passage" saves and stays on the page
        if obj.draft_of_id is not None or workflow.chosen_action(request.POST) != workflow.SAVE:
            # Back to the summit, whose page shows the draft (or, once published, the live)
            # and its new state.
            return redirect(page)
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/item-rows/<int:item_id>/",
                self.admin_site.admin_view(self.item_rows_view),
                name="summits_summit_item_rows",
            ),
            path(
                "<path:object_id>/discard-draft/",
                self.admin_site.admin_view(self.discard_draft_view),
                name="summits_summit_discard_draft",
            ),
            path(
                "<path:object_id>/compare-draft/",
                self.admin_site.admin_view(self.compare_draft_view),
                name="summits_summit_compare_draft",
            ),
            *super().get_urls(),
        ]

    def item_rows_view(self, request, object_id, item_id):
        """The editable stances and follow-ups of one item of the summit form, for its row
        (`prefix`, as "items-2-5"), fetched when the row's fold first opens."""
        summit = super().get_object(request, unquote(object_id))
        if summit is None or not self.has_view_or_change_permission(request, summit):
            raise Http404
        shown = Summit.objects.filter(draft_of=summit).first() or summit
        item = get_object_or_404(
            Item.objects.prefetch_related(*ITEM_RELATIONS), pk=item_id, summit=shown
        )
        row = re.fullmatch(r"([a-z_]+(?:-\d+)?)-(\d+)", request.GET.get("prefix", ""))
        if row is None:
            return HttpResponseBadRequest(_("Which row the rows are for is missing."))
        inline_class = AgreementInline if item.kind == ItemKind.AGREEMENT else DisputeInline
        item.summit = shown
        formset_class = inline_class(self.model, self.admin_site).get_formset(request, shown)
        formsets = []
        for name, nested_class in formset_class.nested_formsets:
            nested = nested_class(instance=item, prefix=f"{row[0]}-{name}")
            nested.template_prefix = f"{row[1]}-__prefix__-{name}"
            nested.holds_template = not formset_class.empty_row_shown
            formsets.append(nested)
        return TemplateResponse(
            request, "admin/summits/nested_formsets.html", {"formsets": formsets}
        )

    def _working_draft_or_404(self, request, object_id):
        live = super().get_object(request, unquote(object_id))
        draft = Summit.objects.filter(draft_of=live).first() if live is not None else None
        if draft is None:
            raise Http404
        return live, draft

    def discard_draft_view(self, request, object_id):
        live, draft = self._working_draft_or_404(request, object_id)
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        if request.method == "POST":
            services.discard_working_draft(draft, user=request.user)
            self.message_user(
                request,
                _("The working draft is discarded; the live version stays."),
                messages.SUCCESS,
            )
            return redirect(reverse("admin:summits_summit_change", args=[live.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "summit": live,
            "title": _("Discard the working draft of “%(title)s”") % {"title": live.title},
        }
        return TemplateResponse(request, "admin/summits/summit/discard_draft.html", context)

    def compare_draft_view(self, request, object_id):
        live, draft = self._working_draft_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, live):
            raise PermissionDenied
        return self.render_compare(
            request,
            live,
            compare.snapshot_from_summit(live),
            compare.snapshot_from_summit(draft),
            title=_("Working draft of “%(title)s” against the live version")
            % {"title": live.title},
            old_label=_("Live"),
            new_label=_("Working draft"),
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision: a confirmation page, then a new save made from the old data."""
        summit = self.get_object(request, unquote(object_id))
        if summit is None:
            raise Http404
        if not self.has_change_permission(request, summit):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(summit), pk=version_id)
        if request.method == "POST":
            date = date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(_("Restored the version of %(date)s") % {"date": date})
                written = services.restore_revision(summit, version.revision, user=request.user)
            if written.draft_of_id:
                message = _(
                    "The version of %(date)s is restored into the working draft; readers see "
                    "it once an editor publishes the changes."
                )
            else:
                message = _("The version of %(date)s is restored, as a new revision.")
            self.message_user(request, message % {"date": date}, messages.SUCCESS)
            return redirect(reverse("admin:summits_summit_change", args=[summit.pk]))
        return self._confirm_restore(request, summit, version, recover=False)

    def recover_view(self, request, version_id, extra_context=None):
        """Recovering a deleted summit: it comes back as a draft, through the one write path."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(Summit), pk=version_id)
        if request.method == "POST":
            try:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment(_("Recovered after it was deleted"))
                    summit = services.recover_summit(version, user=request.user)
            except services.RestoreError as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect(reverse("admin:summits_summit_recoverlist"))
            self.message_user(request, _("The summit is back, as a draft."), messages.SUCCESS)
            return redirect(reverse("admin:summits_summit_change", args=[summit.pk]))
        return self._confirm_restore(request, None, version, recover=True)

    def _confirm_restore(self, request, summit, version, *, recover):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "summit": summit,
            "version": version,
            "recover": recover,
            "title": (_("Recover “%(title)s”") if recover else _("Restore “%(title)s”"))
            % {"title": version.object_repr},
        }
        return TemplateResponse(request, "admin/summits/summit/restore_confirmation.html", context)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    @admin.action(description=_("Publish selected summits"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = 0
        for summit in queryset:
            try:
                services.publish(summit, user=request.user)
            except (services.PublishError, PermissionDenied) as error:
                self.message_user(request, f"{summit.title}: {error}", messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d summit published.", "%(count)d summits published.", published)
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Unpublish selected summits (back to draft)"), permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, SummitStatus.DRAFT)

    @admin.action(description=_("Archive selected summits"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._set_status(request, queryset, SummitStatus.ARCHIVED)

    def _set_status(self, request, queryset, status):
        count = 0
        for summit in queryset:
            try:
                services.set_status(summit, status, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"{summit.title}: {error}", messages.ERROR)
            else:
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d summit is now “%(status)s”.",
                "%(count)d summits are now “%(status)s”.",
                count,
            )
            % {"count": count, "status": status.label},
            messages.SUCCESS,
        )


class ItemAdmin(EditorComfortsMixin, EditorialLock, admin.ModelAdmin):
    """One agreement or dispute with its follow-up updates (and, for disputes, the stances)."""

    form = ItemInlineForm
    list_display = ["title", "summit", "status", "topic", "anchor_state", "updated_at"]
    list_filter = ["status", "anchor_state", ("topic", TranslatedRelatedFilter)]
    list_select_related = ["summit", "topic"]
    search_fields = ["title", "summit__title", "quote"]
    autocomplete_fields = ["topic"]
    readonly_fields = ["summit", "quote", "anchor_state"]
    fields = [
        "summit",
        "title",
        ("status", "topic"),
        "summary",
        "quote",
        "anchor_state",
        "loaded_state",
    ]

    def get_queryset(self, request):
        # The list shows each item's topic by name, kept per language (django-parler).
        return super().get_queryset(request).prefetch_related("topic__translations")

    change_form_template = "admin/summits/item_change_form.html"

    def has_add_permission(self, request, obj=None):
        return False  # items are added on their summit's page, where their passage is checked

    def has_change_permission(self, request, obj=None):
        # A live summit's item changes in the summit's working draft (edit_in_draft_view).
        return super().has_change_permission(request, obj) and not (
            obj is not None and is_live_edition(obj.summit)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (
            obj is not None and is_live_edition(obj.summit)
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/edit-in-draft/",
                self.admin_site.admin_view(self.edit_in_draft_view),
                name=f"summits_{self.opts.model_name}_edit_in_draft",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, unquote(object_id))
        copy = getattr(item, "draft_copy", None) if item is not None else None
        if copy is not None:
            # The summit has a working draft: its copy of this item is the one to edit.
            return redirect(self._change_url(copy))
        extra_context = {
            **(extra_context or {}),
            "edited_in_draft": item is not None and is_live_edition(item.summit),
            "may_edit_draft": item is not None
            and workflow.can_edit(request.user, item.summit)
            and super().has_change_permission(request, item),
        }
        with reversion.create_revision(manage_manually=False):
            # The item's summit holds the history: an item page's save is a revision of it.
            reversion.set_user(request.user)
            return super().change_view(request, object_id, form_url, extra_context)

    def edit_in_draft_view(self, request, object_id):
        """Opens the working draft of the item's live summit (if it has none), and its copy
        of the item for editing. POST only: opening a draft writes it."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404
        if request.method != "POST":
            return redirect(self._change_url(item))
        if not (
            super().has_change_permission(request, item)
            and workflow.can_edit(request.user, item.summit)
        ):
            raise PermissionDenied
        if is_live_edition(item.summit) and not hasattr(item.summit, "working_draft"):
            services.start_working_draft(item.summit, user=request.user)
        copy = Item.objects.filter(live_item=item).first()
        return redirect(self._change_url(copy or item))

    def _change_url(self, item):
        kind_admin = "agreement" if item.kind == ItemKind.AGREEMENT else "dispute"
        return reverse(f"admin:summits_{kind_admin}_change", args=[item.pk])

    def save_model(self, request, obj, form, change):
        form.summit_change = services.SummitChange(obj.summit, user=request.user)
        obj.save()
        reversion.add_to_revision(obj.summit)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_item_status(form.instance)
        # Titles and labels of the item appear in the rendered article and its search text.
        form.summit_change.finish()

    def delete_model(self, request, obj):
        with services.summit_change(obj.summit, user=request.user):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        summits = {item.summit for item in queryset.select_related("summit")}
        with transaction.atomic():
            changes = [services.SummitChange(summit, user=request.user) for summit in summits]
            super().delete_queryset(request, queryset)
            for summit_change in changes:
                summit_change.finish()


@admin.register(Agreement)
class AgreementAdmin(ItemAdmin):
    inlines = [ItemUpdateInline]


@admin.register(Dispute)
class DisputeAdmin(ItemAdmin):
    inlines = [StanceInline, ItemUpdateInline]
