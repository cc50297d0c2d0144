"""Participants' names and roles and topics' names move to translation tables (django-parler).

The values there are kept as the translation into the default language (PARLER_DEFAULT_LANGUAGE_CODE,
which is LANGUAGE_CODE unless set), the language they were entered in until now.
"""

import django.db.models.deletion
import parler.fields
import parler.models
from django.db import migrations, models
from parler import appsettings

# The translated fields of each model.
FIELDS = (("Participant", ["name", "role"]), ("Topic", ["name"]))


def copy_into_translations(apps, schema_editor):
    language = appsettings.PARLER_DEFAULT_LANGUAGE_CODE
    for model_name, fields in FIELDS:
        model = apps.get_model("summits", model_name)
        translation = apps.get_model("summits", f"{model_name}Translation")
        translation.objects.bulk_create(
            translation(
                master_id=row["pk"],
                language_code=language,
                **{field: row[f"untranslated_{field}"] for field in fields},
            )
            for row in model.objects.values("pk", *(f"untranslated_{field}" for field in fields))
        )


def copy_back(apps, schema_editor):
    """Going back keeps the default language's names, or any language's where it has none."""
    language = appsettings.PARLER_DEFAULT_LANGUAGE_CODE
    for model_name, fields in FIELDS:
        model = apps.get_model("summits", model_name)
        translations = apps.get_model("summits", f"{model_name}Translation").objects.order_by(
            "master_id", "id"
        )
        chosen = {}
        for translation in translations:
            if translation.master_id not in chosen or translation.language_code == language:
                chosen[translation.master_id] = translation
        for pk, translation in chosen.items():
            model.objects.filter(pk=pk).update(
                **{f"untranslated_{field}": getattr(translation, field) for field in fields}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("summits", "0004_partner_api"),
    ]
    operations = [
        migrations.AlterModelOptions(
            name="participant",
            options={
                "ordering": ["slug"],
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
            },
        ),
        migrations.AlterModelOptions(
            name="stance",
            options={
                "ordering": ["participant__slug"],
                "verbose_name": "stance",
                "verbose_name_plural": "stances",
            },
        ),
        migrations.AlterModelOptions(
            name="topic",
            options={
                "ordering": ["slug"],
                "verbose_name": "topic",
                "verbose_name_plural": "topics",
            },
        ),
        # Out of the way first: parler puts its own attributes under these names.
        migrations.RenameField("participant", "name", "untranslated_name"),
        migrations.RenameField("participant", "role", "untranslated_role"),
        migrations.RenameField("topic", "name", "untranslated_name"),
        migrations.CreateModel(
            name="ParticipantTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language_code",
                    models.CharField(db_index=True, max_length=15, verbose_name="Language"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        help_text="For example: President of the United States.",
                        max_length=200,
                        verbose_name="role",
                    ),
                ),
                (
                    "master",
                    parler.fields.TranslationsForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="summits.participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant Translation",
                "db_table": "summits_participant_translation",
                "db_tablespace": "",
                "managed": True,
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language_code", "master"),
                        name="summits_participant_translation_uniq_lang",
                    )
                ],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.CreateModel(
            name="TopicTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language_code",
                    models.CharField(db_index=True, max_length=15, verbose_name="Language"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "master",
                    parler.fields.TranslationsForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="summits.topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "topic Translation",
                "db_table": "summits_topic_translation",
                "db_tablespace": "",
                "managed": True,
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language_code", "master"),
                        name="summits_topic_translation_uniq_lang",
                    )
                ],
            },
            bases=(parler.models.TranslatedFieldsModelMixin, models.Model),
        ),
        migrations.RunPython(copy_into_translations, copy_back),
        # A default first, so that going back can add the columns to rows that exist.
        migrations.AlterField(
            "participant", "untranslated_name", models.CharField(max_length=200, default="")
        ),
        migrations.AlterField(
            "participant",
            "untranslated_role",
            models.CharField(max_length=200, blank=True, default=""),
        ),
        migrations.AlterField(
            "topic", "untranslated_name", models.CharField(max_length=100, default="")
        ),
        migrations.RemoveField("participant", "untranslated_name"),
        migrations.RemoveField("participant", "untranslated_role"),
        migrations.RemoveField("topic", "untranslated_name"),
    ]
