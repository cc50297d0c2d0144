"""Control characters XML forbids never reach the feed (issue 13): cleaned on save and in the
rows stored before."""

import importlib
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from summits import services
from summits.models import Correction, Participant, Summit
from summits.xmlsafe import xml_safe
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

FEED = reverse("summits:feed")
clean_stored_text = importlib.import_module(
    "summits.migrations.0008_xml_safe_text"
).clean_stored_text


def feed_titles(client):
    response = client.get(FEED)
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    return [
        entry.findtext(f"{atom}title")
        for entry in ET.fromstring(response.content).iter(f"{atom}entry")
    ]


def test_xml_safe_keeps_tabs_and_newlines_turns_breaks_into_spaces_and_drops_the_rest():
    assert xml_safe("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert xml_safe("Biden\x0bPutin\x0cGeneva") == "Biden Putin Geneva"
    assert xml_safe("Gen\x00e\x08va\x1f\ufffe") == "Geneva"


def test_a_vertical_tab_pasted_into_a_live_headline_no_longer_breaks_the_feed(editor_client):
    summit = factories.SummitFactory()
    data = form_data(editor_client.get(reverse("admin:summits_summit_change", args=[summit.pk])))
    data.update(title="Talks in\x0bGeneva", teaser="A teaser\x01 with a stray byte", _publish="x")

    response = editor_client.post(reverse("admin:summits_summit_change", args=[summit.pk]), data)

    assert response.status_code == 302
    summit.refresh_from_db()
    assert (summit.title, summit.teaser) == ("Talks in Geneva", "A teaser with a stray byte")
    assert feed_titles(Client()) == ["Talks in Geneva"]


def test_every_text_field_of_every_model_is_cleaned_on_save():
    summit = factories.PublishedSummitFactory()
    correction = factories.CorrectionFactory(summit=summit, text="Wrong\x0bdate.")
    item = factories.ItemFactory(summit=summit, title="Cyber\x07security")
    participant = factories.ParticipantFactory()
    participant.set_current_language("en")
    participant.name = "Joe\x1bBiden"
    participant.save()

    assert Correction.objects.get(pk=correction.pk).text == "Wrong date."
    assert item.__class__.objects.get(pk=item.pk).title == "Cybersecurity"
    assert Participant.objects.language("en").get(pk=participant.pk).name == "JoeBiden"


def test_the_migration_cleans_rows_stored_before_and_the_feed_answers_again():
    summit = factories.PublishedSummitFactory(title="Clean headline")
    # Written past save(), as rows stored before the cleaning were.
    Summit.objects.filter(pk=summit.pk).update(title="Stored\x0bheadline")
    services.render_summit(Summit.objects.get(pk=summit.pk))
    broken = Client(raise_request_exception=False).get(FEED)
    assert broken.status_code == 500

    clean_stored_text(apps, schema_editor=None)

    assert Summit.objects.get(pk=summit.pk).title == "Stored headline"
    assert feed_titles(Client()) == ["Stored headline"]
