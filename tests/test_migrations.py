"""Migration 0005 keeps every name when participants' and topics' names move to
django-parler's translation tables, going forward and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("summits", "0004_partner_api")]
AFTER = [("summits", "0005_translated_participants_and_topics")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0004(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    # Back to the newest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.usefixtures("at_0004")
def test_names_become_the_default_languages_translations_and_come_back(settings):
    # Rows as 0004 left them. In SQL: before 0005 the historical models carry parler's mixin
    # (0001 says so) without its translations, and parler refuses to build them from fields.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO summits_participant (slug, name, role, country, wikidata_id) "
            "VALUES (%s, %s, %s, %s, %s)",
            ["vladimir-putin", "Vladimir Putin", "President", "RU", ""],
        )
        cursor.execute(
            "INSERT INTO summits_topic (slug, name) VALUES (%s, %s)",
            ["arms-control", "Arms control"],
        )

    apps = migrate(AFTER)

    participant_names = apps.get_model("summits", "ParticipantTranslation").objects.values_list(
        "master__slug", "language_code", "name", "role"
    )
    topic_names = apps.get_model("summits", "TopicTranslation").objects.values_list(
        "master__slug", "language_code", "name"
    )
    language = settings.LANGUAGE_CODE
    assert list(participant_names) == [("vladimir-putin", language, "Vladimir Putin", "President")]
    assert list(topic_names) == [("arms-control", language, "Arms control")]

    # A German name added since is not what going back keeps: the default language's is.
    apps.get_model("summits", "ParticipantTranslation").objects.create(
        master=apps.get_model("summits", "Participant").objects.get(),
        language_code="de",
        name="Wladimir Putin",
        role="Präsident",
    )
    apps = migrate(BEFORE)

    assert list(
        apps.get_model("summits", "Participant").objects.values_list("slug", "name", "role")
    ) == [("vladimir-putin", "Vladimir Putin", "President")]
    assert list(apps.get_model("summits", "Topic").objects.values_list("slug", "name")) == [
        ("arms-control", "Arms control")
    ]
