"""Removes the control characters XML forbids from the text stored before they were cleaned
on save (summits.xmlsafe): such a character in one live headline made the feed answer 500."""

from django.db import migrations

from summits.xmlsafe import text_fields, xml_safe


def clean_stored_text(apps, schema_editor):
    for model in apps.get_app_config("summits").get_models():
        fields = [field.attname for field in text_fields(model)]
        if not fields:
            continue
        # Values, not instances: parler's translation models recurse on deferred fields.
        rows = model._base_manager.values_list("pk", *fields).iterator(chunk_size=500)
        for pk, *values in rows:
            changes = {
                name: xml_safe(value)
                for name, value in zip(fields, values, strict=True)
                if isinstance(value, str) and xml_safe(value) != value
            }
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("summits", "0007_review")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
