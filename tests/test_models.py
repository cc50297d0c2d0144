"""Model rules: database constraints, sanitised rich text, translations, publishing dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from summits import services
from summits.choices import ItemKind, SummitStatus
from summits.models import Agreement, Dispute, Summit
from tests import factories

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<p onmouseover="alert(1)">hover</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    "<style>body{display:none}</style>",
]


def assert_harmless(html):
    lowered = html.lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<svg",
        "<style",
    ):
        assert needle not in lowered, html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_article_body_is_stored_sanitised(payload):
    summit = factories.SummitFactory(body=f"<p>Before</p>{payload}<p>After</p>")
    summit.refresh_from_db()
    assert_harmless(summit.body)
    assert "Before" in summit.body and "After" in summit.body


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_item_summary_and_update_note_are_stored_sanitised(payload):
    item = factories.ItemFactory(summary=f"<p>Agreed{payload}</p>")
    update = factories.ItemUpdateFactory(item=item, note=f"<p>Held{payload}</p>")
    item.refresh_from_db()
    update.refresh_from_db()
    assert_harmless(item.summary)
    assert_harmless(update.note)


def test_article_keeps_the_markup_an_article_needs():
    body = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Subsub</h4><p><strong>strong</strong> <em>em</em> "
        '<a href="https://example.org/">link</a></p><ul><li>one</li></ul><ol><li>two</li></ol>'
        "<blockquote><p>quoted</p></blockquote>"
    )
    summit = factories.SummitFactory(body=body)
    for tag in (
        "<h2>",
        "<h3>",
        "<h4>",
        "<strong>",
        "<em>",
        'href="https://example.org/"',
        "<ul>",
        "<ol>",
        "<blockquote>",
    ):
        assert tag in summit.body


def test_article_drops_headings_it_does_not_allow_but_keeps_their_text():
    summit = factories.SummitFactory(body="<h1>Top</h1><h5>Deep</h5><p>Text</p>")
    assert "<h1>" not in summit.body and "<h5>" not in summit.body
    assert "Top" in summit.body and "Deep" in summit.body


def test_body_text_is_the_plain_text_readers_see():
    summit = factories.SummitFactory(body="<p>One <em>two</em></p><p>three &amp; four</p>")
    assert summit.body_text == "One two three & four"


def test_end_date_before_start_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SummitFactory(
            start_date=datetime.date(2021, 6, 16), end_date=datetime.date(2021, 6, 15)
        )


def test_published_summit_without_publish_at_is_refused_by_the_database():
    summit = factories.SummitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Summit.objects.filter(pk=summit.pk).update(status=SummitStatus.PUBLISHED, publish_at=None)


def test_slugs_are_unique():
    factories.SummitFactory(slug="geneva-2021")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SummitFactory(slug="geneva-2021")


def test_item_status_must_fit_its_kind():
    summit = factories.SummitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ItemFactory(summit=summit, kind=ItemKind.AGREEMENT, status="escalated")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ItemFactory(summit=summit, kind=ItemKind.DISPUTE, status="fulfilled")


def test_item_positions_are_unique_per_summit_and_kind():
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, position=1)
    factories.DisputeFactory(summit=summit, position=1)  # the other kind may share a number
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ItemFactory(summit=summit, position=1)


def test_proxies_create_items_of_their_kind_with_its_first_status():
    summit = factories.SummitFactory()
    agreement = Agreement.objects.create(
        summit=summit, position=1, title="A", quote="discuss cybersecurity"
    )
    dispute = Dispute.objects.create(summit=summit, position=1, title="D", quote="far apart")
    assert (agreement.kind, agreement.status) == (ItemKind.AGREEMENT, "announced")
    assert (dispute.kind, dispute.status) == (ItemKind.DISPUTE, "open")
    assert list(Agreement.objects.all()) == [agreement]
    assert list(Dispute.objects.all()) == [dispute]


def test_stances_belong_to_disputes_only():
    agreement = factories.ItemFactory()
    stance = factories.StanceFactory.build(
        item=agreement, participant=factories.ParticipantFactory()
    )
    with pytest.raises(ValidationError):
        stance.full_clean()


def test_one_stance_per_participant_and_dispute():
    stance = factories.StanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.StanceFactory(item=stance.item, participant=stance.participant)


def test_translation_must_be_in_another_language_and_point_at_the_original():
    original = factories.SummitFactory(language="de")
    same_language = factories.SummitFactory.build(language="de", original=original)
    with pytest.raises(ValidationError) as error:
        same_language.full_clean(exclude=["slug"])
    assert "language" in error.value.message_dict

    english = factories.SummitFactory(language="en", original=original)
    chained = factories.SummitFactory.build(language="fr", original=english)
    with pytest.raises(ValidationError) as error:
        chained.full_clean(exclude=["slug", "language"])
    assert "original" in error.value.message_dict
    assert set(english.translation_family()) == {original, english}
    assert set(original.translation_family()) == {original, english}


def test_first_published_at_follows_the_schedule_until_the_summit_goes_live():
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    summit = factories.SummitFactory(status=SummitStatus.PUBLISHED, publish_at=tomorrow)
    assert summit.first_published_at == tomorrow
    later = tomorrow + datetime.timedelta(days=1)
    summit.publish_at = later
    summit.save()
    assert summit.first_published_at == later


def test_first_published_at_stays_when_a_live_summit_is_republished():
    summit = factories.PublishedSummitFactory()
    first = summit.first_published_at
    summit.status = SummitStatus.DRAFT
    summit.save()
    summit.status = SummitStatus.PUBLISHED
    summit.publish_at = timezone.now()
    summit.save()
    assert summit.first_published_at == first


def test_every_change_moves_the_version_forward_from_the_stored_one():
    summit = factories.SummitFactory()
    loaded = summit.version
    summit.version = 1  # as an old revision or a form loaded long ago would carry
    services.save_summit(summit)
    summit.refresh_from_db()
    assert summit.version == loaded + 1
