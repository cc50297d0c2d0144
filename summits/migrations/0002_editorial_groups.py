"""Creates the Reporters and Editors groups of the editorial workflow, with their permissions."""

from django.db import migrations

from summits import conf

# Model name: verbose name, as Django names their default permissions ("Can add summit").
MODELS = {
    "summit": "summit",
    "item": "item",
    "agreement": "agreement",
    "dispute": "dispute",
    "stance": "stance",
    "itemupdate": "follow-up update",
    "correction": "correction",
    "participant": "participant",
    "topic": "topic",
}
REPORTER_DELETES = ["item", "agreement", "dispute", "stance", "itemupdate", "correction"]


def permission(apps, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="summits", model=model)
    codename = f"{action}_{model}"
    if action == "publish":
        name = "Can publish, unpublish and archive summits"
    else:
        name = f"Can {action} {MODELS[model]}"
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return perm


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reporter_perms = [permission(apps, model, action) for model in MODELS for action in ("add", "change", "view")]
    reporter_perms += [permission(apps, model, "delete") for model in REPORTER_DELETES]
    editor_perms = reporter_perms + [
        permission(apps, "summit", "delete"),
        permission(apps, "participant", "delete"),
        permission(apps, "topic", "delete"),
        permission(apps, "summit", "publish"),
    ]
    reporters, _ = Group.objects.get_or_create(name=conf.get("REPORTERS_GROUP"))
    reporters.permissions.add(*reporter_perms)
    editors, _ = Group.objects.get_or_create(name=conf.get("EDITORS_GROUP"))
    editors.permissions.add(*editor_perms)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[conf.get("REPORTERS_GROUP"), conf.get("EDITORS_GROUP")]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("summits", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
