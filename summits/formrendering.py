"""A form renderer that writes the commonest widgets, labels and error lists without the
template engine, for the summit form's item rows and the reader pages' filter forms.

A summit of 300 items puts some 4,000 widgets, 3,300 labels and 7,600 (mostly empty) error
lists on its change page. Rendered through Django's templates, each costs a template render
(a select's every option an include of its own): most of the page's seconds. This renderer
writes exactly what Django's own templates of these widgets write (tests/test_form_rendering.py
compares them, escaping included) and hands any other template to the project's form renderer
(settings.FORM_RENDERER), so a widget with a template of its own renders as before.

What a host gives up on these rows: an override of one of the templates written here (say, a
project's own `django/forms/widgets/select.html`) is not used for them.
"""

from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    """As django/forms/widgets/attrs.html: True gives the bare name, False omits it."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    return '<input type="{}" name="{}"{}{}>'.format(
        conditional_escape(widget["type"]),
        conditional_escape(widget["name"]),
        "" if value is None else f' value="{conditional_escape(str(value))}"',
        _attrs(widget["attrs"]),
    )


def _textarea(context) -> str:
    widget = context["widget"]
    return '<textarea name="{}"{}>\n{}</textarea>'.format(
        conditional_escape(widget["name"]),
        _attrs(widget["attrs"]),
        conditional_escape(widget["value"]) if widget["value"] else "",
    )


def _option(option) -> str:
    return '<option value="{}"{}>{}</option>'.format(
        conditional_escape(str(option["value"])),
        _attrs(option["attrs"]),
        conditional_escape(option["label"]),
    )


def _select(context) -> str:
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                # An option with a template of its own (a project's Select subclass).
                parts.append(
                    "\n  "
                    + get_default_renderer().render(
                        option["template_name"], {**context, "widget": option}
                    )
                )
            else:
                parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context) -> str:
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = conditional_escape(context["tag"])
    return format_html(
        "<{}{}>{}</{}>", tag, mark_safe(_attrs(context["attrs"])), context["label"], tag
    )


def _error_list(context) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    return '<ul class="{}"{}>{}</ul>'.format(
        conditional_escape(context["error_class"]),
        f' id="{conditional_escape(field_id)}_error"' if field_id else "",
        "".join(f"<li>{conditional_escape(error)}</li>" for error in errors),
    )


_WIDGETS = "django/forms/widgets/"
WRITERS = {
    **{
        f"{_WIDGETS}{name}.html": _input
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "time",
            "datetime",
            "search",
            "tel",
            "color",
            "checkbox",
        )
    },
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/ul.html": _error_list,
}


class PlainFormRenderer:
    """Writes the templates of WRITERS in Python, the rest through the project's renderer."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None:
            return get_default_renderer().render(template_name, context, request=request)
        return mark_safe(write(context))

    def __getattr__(self, name):
        # The project's renderer's form, formset and field templates, get_template(), ...
        return getattr(get_default_renderer(), name)


plain_renderer = PlainFormRenderer()


class PlainRendered:
    """A widget mixin: the widget renders through plain_renderer whatever renderer it is given
    (the admin's related-object wrapper renders the widget it wraps without the form's)."""

    def _render(self, template_name, context, renderer=None):
        return plain_renderer.render(template_name, context)


class PlainHiddenInput(PlainRendered, forms.HiddenInput):
    pass


class PlainSelect(PlainRendered, forms.Select):
    pass


def fieldset_html(fieldset) -> str:
    """An admin fieldset without a name, written as admin/includes/fieldset.html writes it
    (classes, labels, help texts, errors, read-only contents), without the template engine.
    The rows of the summit form's items use it: the include, run for each of 300 items, was
    most of what was left of the page's time."""
    lines = []
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        names = [_name(field) for field in fields]
        classes = ["form-row"]
        if not single:
            classes += ["flex-container", "form-multiline"]
        if not line.has_visible_field:
            classes.append("hidden")
        classes += [f"field-{name}" for name in names if name]
        boxes = [
            _field_box(field, name, line, single) for field, name in zip(fields, names, strict=True)
        ]
        lines.append(f'<div class="{conditional_escape(" ".join(classes))}">{"".join(boxes)}</div>')
    return '<fieldset class="module aligned {}">{}</fieldset>'.format(
        conditional_escape(fieldset.classes), "".join(lines)
    )


def _name(field) -> str:
    return field.field["name"] if field.is_readonly else field.field.name


def _field_box(field, name, line, single) -> str:
    bound = field.field
    in_fieldset = getattr(field, "is_fieldset", False)  # not on a read-only field
    hidden = bound["is_hidden"] if field.is_readonly else bound.is_hidden
    errors = "" if field.is_readonly else field.errors()
    line_errors = line.errors() if single else ""
    classes = ["flex-container"]
    if errors or line_errors:
        classes.append("errors")
    if not single:
        classes += ["fieldBox", f"field-{name}"] if name else ["fieldBox"]
        if hidden:
            classes.append("hidden")
    if field.is_checkbox:
        classes.append("checkbox-row")
    help_text = bound["help_text"] if field.is_readonly else bound.help_text
    parts = []
    if field.is_checkbox:
        parts.append(f'<div class="checkbox">{bound}{field.label_tag()}</div>')
    elif not in_fieldset:
        parts.append(field.label_tag())
    if help_text:
        id_for_label = None if field.is_readonly else bound.id_for_label
        parts.append(
            '<div class="help{}"{}><div>{}</div></div>'.format(
                " hidden" if hidden else "",
                f' id="{conditional_escape(id_for_label)}_helptext"' if id_for_label else "",
                help_text,  # as the admin's template: help texts are HTML
            )
        )
    parts.append(line_errors if single else errors)
    if field.is_readonly:
        parts.append(f'<div class="readonly">{field.contents()}</div>')
    elif not field.is_checkbox:
        parts.append(str(bound))
    box = f'<div class="{" ".join(classes)}">{"".join(parts)}</div>'
    if in_fieldset:
        described = (
            f' aria-describedby="{conditional_escape(bound.id_for_label)}_helptext"'
            if help_text
            else ""
        )
        box = f"<fieldset{described}>{field.label_tag()}{box}</fieldset>"
    return box
