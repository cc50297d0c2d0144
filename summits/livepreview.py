"""The summit admin's live preview: the article as the form's unsaved state would make it."""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import router, transaction
from django.db.models import prefetch_related_objects
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import annotate, rendering, views
from .models import Correction, Item, Stance, Summit
from .querysets import PAGE_RELATIONS

# What the page shows of each item, taken from the one list of a summit page's relations.
ITEM_RELATIONS = [
    relation.removeprefix("items__")
    for relation in PAGE_RELATIONS
    if relation.startswith("items__")
]
# An unsaved summit has no primary key, and Django's related managers refuse to hand out even
# the objects in their cache without one. No row has this one (ids start at 1), so the one
# query that looks beyond the summit, for its translations, finds nothing of it.
UNSAVED_PK = 0


class LivePreviewMixin:
    """Adds the live preview of unsaved edits to the summit admin.

    List it first among the ModelAdmin's bases: ModelAdmin's own `media` does not call super().
    """

    live_preview_error_template = "summits/admin/live_preview_error.html"

    @property
    def media(self):
        # The script's words, in the editor's language; its address follows from the page's.
        labels = {
            "data-label-open": _("Preview unsaved changes"),
            "data-label-refresh": _("Refresh the preview"),
            "data-label-close": _("Close the preview"),
            "data-label-title": _("Preview of the unsaved changes"),
            "data-label-loading": _("Updating the preview…"),
            "data-label-ready": _("The preview shows the form as it is now; nothing was saved."),
            "data-label-invalid": _("The form has errors; the preview lists them."),
            "data-label-failed": _(
                "The preview could not be loaded. Copy your changes, then reload the page."
            ),
        }
        return super().media + forms.Media(
            js=[forms.Script("summits/admin/live-preview.js", **labels)],
            css={"all": ["summits/admin/live-preview.css"]},
        )

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_live_preview"
        view = self.admin_site.admin_view(self.live_preview_view)
        # Ahead of the admin's own URLs: its "<object_id>/" redirect would take these.
        return [
            path("live-preview/", view, name=name),
            path("<path:object_id>/live-preview/", view, name=name),
            *super().get_urls(),
        ]

    def live_preview_view(self, request, object_id=None):
        """The article page from the change form's POST data, built and validated as the change
        view builds and validates it, and rendered from memory (unsaved_summit()): it writes
        nothing and reads none of the rows the form would replace."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        add = object_id is None
        stored = None if add else self.get_object(request, unquote(object_id))
        if add and not self.has_add_permission(request):
            raise PermissionDenied
        if not add and not self.has_view_or_change_permission(request, stored):
            raise PermissionDenied
        if not add and stored is None:
            raise Http404(_("There is no summit with this id."))
        if not add and not self.has_change_permission(request, stored):
            # The form shows such a user nothing to change: the stored state is the preview.
            return views.preview_response(request, stored)

        with transaction.atomic(using=router.db_for_write(self.model)):
            try:
                # The summit form locks the row to compare versions, as it does for a save.
                form = self.get_form(
                    request,
                    stored,
                    change=not add,
                    fields=flatten_fieldsets(self.get_fieldsets(request, stored)),
                )(request.POST, request.FILES, instance=stored)
                formsets, _inlines = self._create_formsets(request, form.instance, change=not add)
                form_valid = form.is_valid()
                formsets_valid = all_valid(formsets)
                if form_valid and formsets_valid:
                    summit = unsaved_summit(form, formsets)
            finally:
                # Nothing here writes; should anything ever do so, it is undone.
                transaction.set_rollback(True)
        if not (form_valid and formsets_valid):
            response = TemplateResponse(
                request,
                self.live_preview_error_template,
                {"errors": form_errors(form, formsets)},
                status=400,
            )
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response
        return unsaved_page_response(request, summit)


def unsaved_page_response(request, summit):
    """The headers of views.preview_response(), which reads the summit from the database."""
    response = HttpResponse(views.render_summit_page(request, summit, preview=True))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = summit.language
    return response


def unsaved_summit(form, formsets) -> Summit:
    """The summit as a save of these valid forms would leave it, with all its page shows in
    memory: the article anchored and highlighted, the items in the form's order and numbered
    as a save numbers them, the corrections, participants and topics of the form.

    Everything goes into Django's prefetch caches, where `summit.items.all()` and the like look
    first, so that templates and helpers read the form's state, never the rows it would
    replace. What the form does not hold (the stances and updates of an item whose rows it
    did not send) is read from the database in one go for all items.
    """
    summit = form.instance
    # The form's fields have sanitised the article and the summaries (ProseEditorField).
    summit.body_text = annotate.html_to_text(summit.body or "")
    summit.updated_at = timezone.now()  # as the save would stamp it
    items, relations = [], {}
    for formset in formsets:
        if issubclass(formset.model, Item):
            kept = kept_in_form_order(formset)
            for number, item in enumerate(kept, start=1):
                item.position = number
            items += kept
        elif issubclass(formset.model, Correction):
            # Newest first, as Correction.Meta.ordering; a new one would get the highest id.
            relations["corrections"] = sorted(
                kept_in_form_order(formset),
                key=lambda correction: (
                    correction.published_at,
                    correction.pk is None,
                    correction.pk or 0,
                ),
                reverse=True,
            )
    items.sort(key=lambda item: (item.kind, item.position))
    prefetch_related_objects([item for item in items if item.pk is not None], *ITEM_RELATIONS)
    new_items = 0
    for item in items:
        item.summit = summit
        item.anchor(summit.body_text)
        if item.pk is None:
            new_items += 1
            # The page links passages and notes by id (#item-…, #passage-…).
            item.pk = f"new-{new_items}"
            item._prefetched_objects_cache = {
                name: in_memory(model, []) for name, model in many_relations(Item, ITEM_RELATIONS)
            }
    for item in items:
        for rows in getattr(item, "nested_formsets", ()):
            if rows.is_bound:  # the item's stances or follow-ups as the form edits them
                item._prefetched_objects_cache[rows.related_name] = in_memory(
                    rows.model, in_stored_order(rows.model, kept_in_form_order(rows))
                )
    summit.body_html = rendering.annotated_body(summit, items)
    relations["items"] = items
    for name, _model in many_relations(Summit, PAGE_RELATIONS):
        if name in form.cleaned_data:
            # Already loaded, with their names, by the form's validation.
            relations[name] = form.cleaned_data[name]

    summit._prefetched_objects_cache = {}
    others = [relation for relation in PAGE_RELATIONS if relation.split("__")[0] not in relations]
    if summit.pk is None:
        summit.pk = UNSAVED_PK
        relations.update((name, []) for name, _model in many_relations(Summit, others))
    elif others:
        prefetch_related_objects([summit], *others)
    for name, model in many_relations(Summit, relations):
        summit._prefetched_objects_cache[name] = in_memory(model, relations[name])
    return summit


def kept_in_form_order(formset) -> list:
    """The objects a save of the valid inline formset keeps, in the form's order: the existing
    rows not marked for deletion, then the added ones; by position where there is one."""
    formset.save(commit=False)  # fills new_objects and deleted_objects, writes nothing
    kept = [
        row.instance for row in formset.initial_forms if row.instance not in formset.deleted_objects
    ] + formset.new_objects
    if issubclass(formset.model, Item):
        # As SummitAdmin.save_formset: sortable2 numbers new rows after the highest position.
        kept.sort(key=lambda item: item.position)
    return kept


def in_stored_order(model, rows) -> list:
    """Stances or follow-ups in the order their model's Meta gives them; new ones count as
    the newest."""
    if model is Stance:
        return sorted(rows, key=lambda stance: stance.participant.slug)
    return sorted(
        rows, key=lambda update: (update.date, update.pk is None, update.pk or 0), reverse=True
    )


def in_memory(model, objects):
    """A queryset holding these objects as its results, as prefetch_related leaves one.

    Built on none(): a filter chained to it can never bring the database's rows in place of
    the form's.
    """
    queryset = model._default_manager.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def many_relations(model, relations):
    """(name, related model) of each relation's first step that leads to many objects."""
    fields = [
        model._meta.get_field(name) for name in dict.fromkeys(r.split("__")[0] for r in relations)
    ]
    return [
        (field.name, field.related_model)
        for field in fields
        if field.one_to_many or field.many_to_many
    ]


def form_errors(form, formsets) -> list[dict]:
    """Every error of the summit form and its inline formsets, each with where it is."""
    errors = [
        {"where": _field_label(form, name), "message": message}
        for name, messages in form.errors.items()
        for message in messages
    ]
    for formset in formsets:
        errors += [
            {"where": capfirst(formset.model._meta.verbose_name_plural), "message": message}
            for message in formset.non_form_errors()
        ]
        noun = capfirst(formset.model._meta.verbose_name)
        for number, row in enumerate(formset.forms, start=1):
            for name, messages in row.errors.items():
                label = _field_label(row, name)
                where = f"{noun} {number}, {label}" if label else f"{noun} {number}"
                errors += [{"where": where, "message": message} for message in messages]
    return errors


def _field_label(form, name):
    if name == NON_FIELD_ERRORS or name not in form.fields:
        return ""
    return capfirst(form.fields[name].label or name)
