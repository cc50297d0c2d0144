"""The article page's parts that depend only on content, rendered on save and stored with the
summit: a reader's request assembles them instead of loading items, stances and updates."""

import pytest
import reversion
from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from summits import partners, rendering, services, views
from summits.models import Summit
from tests import factories

pytestmark = pytest.mark.django_db


def live_summit(**fields):
    summit = factories.PublishedSummitFactory(**fields)
    leader = factories.ParticipantFactory(name="Leader A", role="President")
    summit.participants.add(leader)
    dispute = factories.DisputeFactory(
        summit=summit, position=1, title="Human rights", quote=factories.PASSAGES[3]
    )
    factories.StanceFactory(item=dispute, participant=leader, position="Will keep raising it.")
    factories.ItemUpdateFactory(item=dispute, note="<p>A working group met.</p>", status="")
    services.reanchor_summit(summit)
    summit.refresh_from_db()
    return summit, leader


def page(client, summit):
    cache.clear()
    return client.get(summit.get_absolute_url()).content.decode()


def test_a_save_stores_the_parts_the_page_shows(client):
    summit, _leader = live_summit()

    stored = Summit.objects.get(pk=summit.pk).page_parts
    assert stored["format"] == rendering.parts_format()
    assert "Leader A" in stored["participants"]
    assert "Human rights" in stored["notes"] and "Will keep raising it." in stored["notes"]
    assert "A working group met." in stored["notes"]
    assert stored["json_ld"]["about"]["performer"] == [{"@type": "Person", "name": "Leader A"}]
    # The page is those parts: what is stored is what a reader gets.
    Summit.objects.filter(pk=summit.pk).update(
        page_parts={**stored, "notes": stored["notes"].replace("Human rights", "Stored notes")}
    )
    assert "Stored notes" in page(client, summit)


def test_the_structured_data_gets_the_requests_addresses(client):
    summit, _leader = live_summit()
    response = page(client, summit)
    assert f'"url": "http://testserver{summit.get_absolute_url()}"' in response
    assert "url" not in Summit.objects.get(pk=summit.pk).page_parts["json_ld"]


def test_renaming_a_participant_renders_the_parts_naming_them_again(
    client, django_assert_max_num_queries
):
    summit, leader = live_summit()
    other, _ = live_summit(slug="other-summit")
    untouched = Summit.objects.get(pk=other.pk).page_parts
    leader.set_current_language("en")
    leader.name = "Leader B"
    leader.save()
    partners.mark_summits_showing(leader)  # as the participant admin's save does

    assert Summit.objects.get(pk=summit.pk).page_parts is None
    response = page(client, summit)
    assert "Leader B" in response and "Leader A" not in response
    stored = Summit.objects.get(pk=summit.pk).page_parts
    assert "Leader B" in stored["participants"] and "Leader B" in stored["notes"]
    # Stored again: the next cold request costs the page's few queries.
    with django_assert_max_num_queries(3):
        assert "Leader B" in page(client, summit)
    assert Summit.objects.get(pk=other.pk).page_parts == untouched


def test_parts_of_other_templates_are_rendered_again(client):
    summit, _leader = live_summit()
    stored = Summit.objects.get(pk=summit.pk).page_parts
    # As a release or a host's override of item.html leaves them.
    Summit.objects.filter(pk=summit.pk).update(
        page_parts={**stored, "format": "older", "notes": "<p>Older notes</p>"}
    )

    response = page(client, summit)

    assert "Older notes" not in response and "Human rights" in response
    assert Summit.objects.get(pk=summit.pk).page_parts == stored


def test_the_format_follows_the_templates(settings, tmp_path):
    before = rendering.parts_format()
    override = tmp_path / "summits" / "includes"
    override.mkdir(parents=True)
    (override / "item.html").write_text("<li>{{ item.title }}</li>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    rendering.parts_format.cache_clear()
    try:
        assert rendering.parts_format() != before
    finally:
        rendering.parts_format.cache_clear()


def test_parts_rendered_for_a_request_are_not_stored_over_a_newer_change(client):
    summit, _leader = live_summit()
    Summit.objects.filter(pk=summit.pk).update(page_parts=None)
    shown = Summit.objects.get(pk=summit.pk)
    # An editor's save lands between the request's read and its store.
    summit.title = "Saved meanwhile"
    services.save_summit(summit)
    newer = Summit.objects.get(pk=summit.pk).page_parts

    views.store_page_parts(shown)

    assert Summit.objects.get(pk=summit.pk).page_parts == newer


def test_revisions_do_not_hold_the_parts_a_restore_renders_again():
    summit, _leader = live_summit()
    with reversion.create_revision():
        services.save_summit(summit)
    version = Version.objects.get_for_object(summit).get()
    assert "page_parts" not in version.field_dict


def list_page(client, **headers):
    cache.clear()
    return client.get(reverse("summits:list"), headers=headers).content.decode()


def test_a_save_stores_the_card_in_each_language_of_the_site(client):
    summit, leader = live_summit()
    leader.create_translation("de", name="Anführerin A")
    services.render_summit(summit)

    cards = Summit.objects.get(pk=summit.pk).card_parts
    assert set(cards) == {"format", "de", "en"}
    assert "Leader A" in cards["en"] and "1 dispute" in cards["en"]
    assert "Anführerin A" in cards["de"] and "1 Streitpunkt" in cards["de"]
    assert "Anführerin A" in list_page(client, accept_language="de")
    assert "Leader A" in list_page(client, accept_language="en")


def test_renaming_a_participant_renders_the_cards_naming_them_again(
    client, django_assert_max_num_queries
):
    summit, leader = live_summit()
    for number in range(5):
        live_summit(slug=f"other-{number}")[0].participants.add(leader)
    leader.set_current_language("en")
    leader.name = "Leader B"
    leader.save()
    partners.mark_summits_showing(leader)

    assert Summit.objects.get(pk=summit.pk).card_parts is None
    # Six cards rendered again in a few queries, not a query per card and field.
    with django_assert_max_num_queries(20):
        assert list_page(client).count("Leader B") == 6 + 1  # and the filter's option
    assert "Leader B" in Summit.objects.get(pk=summit.pk).card_parts["de"]


def test_cards_of_other_templates_are_rendered_again(client):
    summit, _leader = live_summit()
    stored = Summit.objects.get(pk=summit.pk).card_parts
    Summit.objects.filter(pk=summit.pk).update(
        card_parts={**stored, "format": "older", "en": "<p>Older card</p>"}
    )

    response = list_page(client)

    assert "Older card" not in response and summit.title in response
    assert Summit.objects.get(pk=summit.pk).card_parts == stored
