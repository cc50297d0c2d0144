"""seed_demo: the Geneva demo summit in two languages, loaded once, and the demo users."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from reversion.models import Revision, Version

from summits.choices import AgreementStatus, AnchorState, DisputeStatus, ItemKind
from summits.models import Participant, Summit, Topic

pytestmark = pytest.mark.django_db

GERMAN_SLUG = "gipfel-genf-2021"
ENGLISH_SLUG = "geneva-summit-2021"
CREDENTIALS = re.compile(r"username: (\w+)\s+password: (\S+)")


def seed_demo(*args):
    stdout = io.StringIO()
    call_command("seed_demo", *args, stdout=stdout)
    return stdout.getvalue()


def demo_summits():
    return [Summit.objects.get(slug=GERMAN_SLUG), Summit.objects.get(slug=ENGLISH_SLUG)]


def credentials(output):
    return dict(CREDENTIALS.findall(output))


def row_counts():
    models = [*apps.get_app_config("summits").get_models(), Revision, Version, get_user_model()]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_seed_demo_loads_a_german_article_with_its_english_translation():
    seed_demo()

    german, english = demo_summits()
    assert german.language == "de"
    assert german.original is None
    assert english.language == "en"
    assert english.original == german
    assert len(german.body_text.split()) >= 500
    assert len(english.body_text.split()) >= 350
    assert german.venue == english.venue == "Villa La Grange"
    assert {participant.slug for participant in german.participants.all()} == {
        "joe-biden",
        "vladimir-putin",
    }
    assert german.topics.count() == 5
    assert german.corrections.count() == 1


def test_each_demo_summit_has_three_agreements_and_two_disputes():
    seed_demo()

    for summit in demo_summits():
        assert list(summit.items.agreements().values_list("position", flat=True)) == [1, 2, 3]
        assert list(summit.items.disputes().values_list("position", flat=True)) == [1, 2]
        for dispute in summit.items.disputes():
            assert dispute.stances.count() == 2


def test_every_demo_item_is_anchored_to_its_quote():
    seed_demo()

    for summit in demo_summits():
        for item in summit.items.all():
            assert item.anchor_state == AnchorState.ANCHORED, item.title
            assert summit.body_text[item.anchor_start : item.anchor_end] == item.quote


def test_an_anchored_passage_crosses_inline_markup():
    seed_demo()

    for summit in demo_summits():
        emphasised = re.findall(r"<(em|strong)>(.*?)</\1>", summit.body)
        assert any(
            text in item.quote and text != item.quote
            for item in summit.items.all()
            for _, text in emphasised
        ), summit.slug


def test_item_statuses_follow_their_latest_updates():
    seed_demo()

    for summit in demo_summits():
        statuses = {(item.kind, item.position): item.status for item in summit.items.all()}
        assert statuses == {
            (ItemKind.AGREEMENT, 1): AgreementStatus.FULFILLED,
            (ItemKind.AGREEMENT, 2): AgreementStatus.BROKEN,
            (ItemKind.AGREEMENT, 3): AgreementStatus.STALLED,
            (ItemKind.DISPUTE, 1): DisputeStatus.ESCALATED,
            (ItemKind.DISPUTE, 2): DisputeStatus.OPEN,
        }
        for item in summit.items.filter(updates__isnull=False).distinct():
            assert item.status == item.updates.latest().status


def test_the_translation_has_the_same_follow_ups_as_the_original():
    seed_demo()

    german, english = demo_summits()

    def follow_ups(summit):
        return [
            (item.kind, item.position, item.topic.slug, update.date, update.status)
            for item in summit.items.all()
            for update in item.updates.all()
        ]

    assert follow_ups(english) == follow_ups(german)


def test_demo_summits_are_published():
    seed_demo()

    assert set(Summit.objects.published().values_list("slug", flat=True)) == {
        GERMAN_SLUG,
        ENGLISH_SLUG,
    }


def test_running_seed_demo_twice_changes_nothing():
    seed_demo()
    counts = row_counts()
    before = {summit.slug: (summit.updated_at, summit.version) for summit in demo_summits()}

    output = seed_demo()

    assert row_counts() == counts
    assert {summit.slug: (summit.updated_at, summit.version) for summit in demo_summits()} == before
    assert "already there" in output


def test_demo_is_recorded_as_a_revision():
    seed_demo()

    for summit in demo_summits():
        version = Version.objects.get_for_object(summit).get()
        assert version.revision.comment == "Demo content loaded"


def log_in(username, password):
    """The user the admin login would let in, or None (the lockout backend needs the request)."""
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


def test_editor_option_prints_credentials_that_log_in():
    logins = credentials(seed_demo("--editor"))

    assert set(logins) == {"editor", "reporter"}
    editor = log_in("editor", logins["editor"])
    reporter = log_in("reporter", logins["reporter"])
    assert editor is not None and reporter is not None
    assert editor.is_staff and reporter.is_staff
    assert not editor.is_superuser and not reporter.is_superuser
    assert editor.has_perm("summits.publish_summit")
    assert not reporter.has_perm("summits.publish_summit")


def test_editor_option_sets_a_new_password_on_every_run():
    first = credentials(seed_demo("--editor"))
    second = credentials(seed_demo("--editor"))

    for username in ("editor", "reporter"):
        assert second[username] != first[username]
        assert log_in(username, first[username]) is None
        assert log_in(username, second[username]) is not None
    assert get_user_model().objects.filter(username__in=["editor", "reporter"]).count() == 2


def test_demo_was_last_updated_with_its_latest_follow_up():
    seed_demo()
    german = Summit.objects.get(language="de")
    assert (
        german.updated_at.date().isoformat() == "2024-02-16"
    )  # Navalny's death, the latest update
    assert "<mark" in german.body_html


def test_demo_participants_and_topics_have_their_names_in_both_languages():
    seed_demo()
    seed_demo()  # a second run adds no second translation

    putin = Participant.objects.get(slug="vladimir-putin")
    assert sorted(putin.translations.values_list("language_code", "name", "role")) == [
        ("de", "Wladimir Putin", "Präsident der Russischen Föderation"),
        ("en", "Vladimir Putin", "President of the Russian Federation"),
    ]
    arms_control = Topic.objects.get(slug="arms-control")
    assert sorted(arms_control.translations.values_list("language_code", "name")) == [
        ("de", "Rüstungskontrolle"),
        ("en", "Arms control"),
    ]
