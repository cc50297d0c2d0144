"""Template helpers of the plugin's admin pages."""

from django import template
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from summits.formrendering import fieldset_html

register = template.Library()


@register.simple_tag
def item_row(inline_admin_formset, inline_admin_form, index, last):
    """One row of admin/summits/edit_inline/items.html: what django-admin-sortable2's stacked
    inline writes for it (heading, change link, delete box, sort handles, fieldsets, hidden
    keys), with the fieldsets written by summits.formrendering.fieldset_html."""
    formset, original = inline_admin_formset.formset, inline_admin_form.original
    empty = last and inline_admin_formset.has_add_permission
    classes = "inline-related"
    if original or inline_admin_form.show_url:
        classes += " has_original"
    if empty:
        classes += " empty-form last-related"
    row_id = f"{formset.prefix}-{'empty' if empty else index}"
    verbose_name = capfirst(inline_admin_formset.opts.verbose_name)
    heading = [format_html("<b>{}:</b> ", verbose_name)]
    if original:
        label = [format_html("{}", original)]
        admin = inline_admin_form.model_admin
        if admin.show_change_link and admin.has_registered_model:
            opts = admin.opts
            changes = inline_admin_formset.has_change_permission
            label.append(
                format_html(
                    ' <a href="{}" class="{}">{}</a>',
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(original.pk)],
                        current_app=admin.admin_site.name,
                    ),
                    "inlinechangelink" if changes else "inlineviewlink",
                    gettext("Change") if changes else gettext("View"),
                )
            )
        heading.append(
            format_html('<span class="inline_label">{}</span>', mark_safe("".join(label)))
        )
    else:
        heading.append(format_html('<span class="inline_label">#{}</span>', index + 1))
    if inline_admin_form.show_url:
        heading.append(
            format_html(
                ' <a href="{}">{}</a>', inline_admin_form.absolute_url, gettext("View on site")
            )
        )
    if formset.can_delete and inline_admin_formset.has_delete_permission and original:
        deletion = inline_admin_form.deletion_field()
        heading.append(
            format_html(' <span class="delete">{} {}</span>', deletion.field, deletion.label_tag())
        )
    if inline_admin_formset.has_change_permission and original:
        first, last_position = gettext("Move to first position"), gettext("Move to last position")
        heading.append(
            format_html(
                ' <span class="sort"><i class="move-begin" role="button" aria-label="{}" '
                'title="{}"></i><i class="move-end" role="button" aria-label="{}" title="{}"></i>'
                "</span>",
                first,
                first,
                last_position,
                last_position,
            )
        )
    parts = [f"<h3>{''.join(heading)}</h3>"]
    non_field_errors = inline_admin_form.form.non_field_errors()
    if non_field_errors:
        parts.append(str(non_field_errors))
    parts += [fieldset_html(fieldset) for fieldset in inline_admin_form]
    if inline_admin_form.needs_explicit_pk_field():
        parts.append(str(inline_admin_form.pk_field().field))
    if inline_admin_form.fk_field():
        parts.append(str(inline_admin_form.fk_field().field))
    return mark_safe(f'<div class="{classes}" id="{row_id}">{"".join(parts)}</div>')
