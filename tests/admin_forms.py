"""Builds admin POST data from a rendered change form, as a browser would submit it."""

from django.urls import reverse

from tests import factories


def _field_values(form):
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
            continue
        widget = field.widget
        if hasattr(widget, "widgets") and hasattr(widget, "decompress"):  # split date/time
            for index, part in enumerate(widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
            continue
        data[key] = str(getattr(value, "pk", value))
    return data


def form_data(response):
    """The POST data of an admin add or change page, with every inline as it was rendered."""
    context = response.context
    data = _field_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_values(formset.management_form))
        for form in formset.initial_forms:
            data.update(_field_values(form))
            # An item's stances and follow-ups, edited in its row.
            for nested in getattr(form, "nested", ()):
                data.update(_field_values(nested.management_form))
                for row in nested.initial_forms:
                    data.update(_field_values(row))
    return data


def add_inline_row(data, prefix, **values):
    """Appends a new row to the inline formset `prefix` of the POST data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def new_summit_data(client, **fields):
    """The add form's POST data for a new summit on the test article."""
    data = form_data(client.get(reverse("admin:summits_summit_add")))
    data.update(
        title="Geneva talks",
        slug="geneva-talks",
        body=factories.ARTICLE,
        language="en",
        city="Geneva",
        country="CH",
        start_date="2021-06-16",
    )
    data.update(fields)
    return data
