"""The readable compare of two versions of a summit (issue 11): word diff, items by identity."""

import datetime

import pytest
import reversion
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from reversion.models import Version

from summits import annotate, compare, services
from summits.choices import AgreementStatus, ItemKind
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

INTERNAL_FIELDS = [
    "body_html",
    "body_text",
    "search_document",
    "search_vector",
    "updated_at",
    "created_at",
    "last_edited_by",
    "first_published_at",
    "anchor_start",
    "anchor_end",
    "anchor_state",
    "anchor_score",
    "quote_prefix",
    "quote_suffix",
]


def make_revision(summit):
    with reversion.create_revision():
        reversion.add_to_revision(summit)
    return Version.objects.get_for_object(summit).order_by("-pk")[0]


def reworded(html):
    return html.replace("would return to their posts", "would go back to their posts")


def test_word_diff_marks_exactly_the_reworded_words():
    old = annotate.html_to_text(factories.ARTICLE)
    new = annotate.html_to_text(reworded(factories.ARTICLE))

    result = compare.text_diff(old, new)

    assert result.deleted == ["return"]
    assert result.inserted == ["go", "back"]
    assert "would <del>return</del> <ins>go back</ins> to their posts" in result.html
    assert compare.word_diff(old, new) == result.html


def test_word_diff_of_equal_texts_marks_nothing():
    text = annotate.html_to_text(factories.ARTICLE)

    assert "<ins>" not in compare.word_diff(text, text)
    assert "<del>" not in compare.word_diff(text, text)


def test_word_diff_escapes_the_texts():
    html = compare.word_diff("Talks went well.", "Talks went <script>alert(1)</script> well.")

    assert "<script>" not in html
    assert "&lt;" in html and "script" in html and "&gt;" in html


def test_a_script_typed_into_the_article_is_shown_as_text():
    summit = factories.SummitFactory()
    old = compare.snapshot_from_summit(summit)
    summit.body = summit.body + "<p>Quoted: &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    summit.save()

    article = compare.diff(old, compare.snapshot_from_summit(summit)).article

    assert "<script>" not in article.html
    assert "<ins>Quoted: &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in article.html


def test_the_article_diff_keeps_paragraphs_and_collapses_unchanged_ones():
    result = compare.article_diff(factories.ARTICLE, reworded(factories.ARTICLE))

    assert len(result.paragraphs) == 4
    assert [paragraph.changed for paragraph in result.paragraphs] == [True, False, False, False]
    assert [(section.changed, len(section.paragraphs)) for section in result.sections] == [
        (True, 1),
        (False, 3),
    ]


def test_a_split_paragraph_is_marked():
    old = "<p>They met. They talked.</p>"
    new = "<p>They met.</p><p>They talked.</p>"

    result = compare.article_diff(old, new)

    assert result.changed
    assert '<ins class="compare-break">¶</ins>' in result.paragraphs[0].html
    assert result.inserted == result.deleted == []


def test_paragraphs_of_the_article_join_to_the_text_readers_see():
    html = factories.ARTICLE + "<ul><li>one</li><li>two</li></ul><p>a<br>b</p>"

    paragraphs = annotate.html_to_paragraphs(html)

    assert paragraphs[-4:] == ["one", "two", "a", "b"]
    assert " ".join(paragraphs) == annotate.html_to_text(html)


def test_changed_summit_fields_are_listed_old_to_new_and_unchanged_ones_are_not():
    summit = factories.SummitFactory(title="Leaders meet in Geneva")
    old = compare.snapshot_from_summit(summit)
    summit.title = "Leaders meet briefly in Geneva"
    summit.start_date = datetime.date(2021, 6, 17)
    summit.save()

    changes = {
        change.name: change
        for change in compare.diff(old, compare.snapshot_from_summit(summit)).fields
    }

    assert set(changes) == {"title", "start_date"}
    assert changes["title"].label == "Headline"
    assert "<ins>briefly</ins>" in changes["title"].html
    assert changes["start_date"].old == "June 16, 2021"
    assert changes["start_date"].new == "June 17, 2021"
    assert "<del>June 16, 2021</del> → <ins>June 17, 2021</ins>" in changes["start_date"].html


def test_participants_and_topics_are_added_and_removed_by_name():
    summit = factories.SummitFactory()
    biden = factories.ParticipantFactory(name="Joe Biden")
    putin = factories.ParticipantFactory(name="Vladimir Putin")
    summit.participants.set([biden])
    summit.topics.set([factories.TopicFactory(name="Diplomacy")])
    old = compare.snapshot_from_summit(summit)
    summit.participants.set([putin])
    summit.topics.set([])

    changes = compare.diff(old, compare.snapshot_from_summit(summit))

    assert changes.participants.added == ["Vladimir Putin"]
    assert changes.participants.removed == ["Joe Biden"]
    assert changes.topics.added == []
    assert changes.topics.removed == ["Diplomacy"]


def test_a_formatting_change_of_the_article_is_reported_without_marked_words():
    summit = factories.SummitFactory()
    old = compare.snapshot_from_summit(summit)
    summit.body = summit.body.replace("lakeside villa", "<strong>lakeside villa</strong>")
    summit.save()

    changes = compare.diff(old, compare.snapshot_from_summit(summit))

    assert not changes.article.changed
    assert changes.article_formatting_changed


def test_items_are_listed_as_added_removed_reordered_and_edited_field_by_field():
    summit = factories.SummitFactory()
    topic = factories.TopicFactory(name="Arms control")
    first = factories.ItemFactory(
        summit=summit, position=1, title="Ambassadors return", quote=factories.PASSAGES[0]
    )
    # Passages given: the factory's sequence would pick them by how many items came before.
    second = factories.ItemFactory(
        summit=summit, position=2, title="Talks on stability", quote=factories.PASSAGES[1]
    )
    doomed = factories.ItemFactory(
        summit=summit, position=3, title="Cyber experts meet", quote=factories.PASSAGES[2]
    )
    doomed_pk = doomed.pk
    old = compare.snapshot_from_summit(summit)

    doomed.delete()
    Item.objects.filter(pk=first.pk).update(position=9)
    Item.objects.filter(pk=second.pk).update(position=1)
    Item.objects.filter(pk=first.pk).update(position=2)
    second.refresh_from_db()
    second.title = "Talks on strategic stability"
    second.status = AgreementStatus.STALLED
    second.topic = topic
    second.summary = "<p>What was agreed, in detail.</p>"
    second.quote = factories.PASSAGES[3]
    second.save()
    added = factories.DisputeFactory(summit=summit, position=1, title="Human rights")

    items = compare.diff(old, compare.snapshot_from_summit(summit)).items

    assert [(item.identity, item.reference, item.title) for item in items.added] == [
        (added.pk, "D1", "Human rights")
    ]
    assert [(item.identity, item.title) for item in items.removed] == [
        (doomed_pk, "Cyber experts meet")
    ]
    assert {(item.identity, item.old_reference, item.reference) for item in items.reordered} == {
        (first.pk, "A1", "A2"),
        (second.pk, "A2", "A1"),
    }
    [edited] = items.changed
    assert edited.identity == second.pk
    changes = {change.name: change for change in edited.changes}
    assert set(changes) == {"title", "summary", "status", "topic", "quote"}
    assert "<ins>strategic</ins>" in changes["title"].html
    assert "<del>brief</del> <ins>detail</ins>" in changes["summary"].html
    assert (changes["status"].old, changes["status"].new) == ("Announced", "Stalled")
    assert (changes["topic"].old, changes["topic"].new) == ("", "Arms control")
    assert changes["quote"].label == "Passage"
    assert changes["quote"].old == factories.PASSAGES[1]
    assert changes["quote"].new == factories.PASSAGES[3]


def test_stances_updates_and_corrections_are_added_removed_and_changed():
    summit = factories.SummitFactory()
    dispute = factories.DisputeFactory(summit=summit, position=1)
    kept = factories.StanceFactory(item=dispute, participant__name="Joe Biden")
    dropped = factories.StanceFactory(item=dispute, participant__name="Vladimir Putin")
    update = factories.ItemUpdateFactory(item=dispute, status="", note="<p>Talks began.</p>")
    correction = factories.CorrectionFactory(summit=summit)
    old = compare.snapshot_from_summit(summit)

    kept.position = "Holds that the matter concerns everyone."
    kept.save()
    dropped.delete()
    update.note = "<p>Talks began in Vienna.</p>"
    update.save()
    factories.ItemUpdateFactory(item=dispute, status="", date=datetime.date(2022, 1, 10))
    correction.text = "An earlier version gave the wrong date."
    correction.save()

    changes = compare.diff(old, compare.snapshot_from_summit(summit))

    [item] = changes.items.changed
    assert item.changes == []
    assert item.stances.added == []
    assert item.stances.removed == ["Vladimir Putin: Holds that the matter is an internal affair."]
    [stance] = item.stances.changed
    assert stance.label == "Joe Biden"
    assert [change.name for change in stance.changes] == ["position"]
    assert "<del>is an internal affair</del> <ins>concerns everyone</ins>" in (
        stance.changes[0].html
    )
    assert item.updates.added == ["Jan. 10, 2022: The first round of talks took place."]
    [changed_update] = item.updates.changed
    assert "<ins>in Vienna</ins>" in changed_update.changes[0].html
    [changed_correction] = changes.corrections.changed
    assert "<del>venue</del> <ins>date</ins>" in changed_correction.changes[0].html


def test_internal_fields_never_count_as_changes():
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit)
    old = compare.snapshot_from_summit(summit)
    Summit.objects.filter(pk=summit.pk).update(
        body_html="<p>other</p>", body_text="other", search_document="other", version=99
    )
    Item.objects.filter(pk=item.pk).update(
        anchor_start=None, anchor_end=None, anchor_state="orphaned", quote_prefix="x"
    )
    summit.refresh_from_db()

    changes = compare.diff(old, compare.snapshot_from_summit(summit))

    assert not changes.has_changes
    shown = {name for names in compare.SHOWN_FIELDS.values() for name in names}
    assert shown.isdisjoint(INTERNAL_FIELDS)


def test_a_revision_made_by_an_admin_save_reads_as_the_summit_it_saved(editor_client):
    summit = factories.SummitFactory(status="review")
    summit.participants.set([factories.ParticipantFactory(), factories.ParticipantFactory()])
    summit.topics.set([factories.TopicFactory()])
    dispute = factories.DisputeFactory(summit=summit, position=1, topic=factories.TopicFactory())
    factories.StanceFactory(item=dispute)
    factories.ItemUpdateFactory(item=factories.ItemFactory(summit=summit, position=1))
    factories.CorrectionFactory(summit=summit)
    change_url = reverse("admin:summits_summit_change", args=[summit.pk])

    editor_client.post(change_url, form_data(editor_client.get(change_url)))

    revision = Version.objects.get_for_object(summit).get().revision
    summit.refresh_from_db()
    from_revision = compare.snapshot_from_revision(revision, summit.pk)
    assert from_revision == compare.snapshot_from_summit(summit)
    assert len(from_revision.items) == 2
    assert len(from_revision.participants) == 2


def test_a_revision_holding_two_summits_reads_as_each_one_alone():
    summit = factories.SummitFactory()
    other = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Ours")
    factories.ItemFactory(summit=other, title="Theirs")
    factories.CorrectionFactory(summit=other)
    with reversion.create_revision():
        reversion.add_to_revision(summit)
        reversion.add_to_revision(other)
    revision = Version.objects.get_for_object(summit).get().revision

    snapshot = compare.snapshot_from_revision(revision, summit.pk)

    assert snapshot == compare.snapshot_from_summit(summit)
    assert [item.values["title"] for item in snapshot.items.values()] == ["Ours"]
    assert snapshot.corrections == {}


def test_item_identity_is_the_live_item_a_draft_item_edits():
    assert compare.item_identity({"id": 7, "live_item_id": 3}) == 3
    assert compare.item_identity({"id": 7, "live_item_id": None}) == 7
    assert compare.item_identity(Item(pk=7, kind=ItemKind.AGREEMENT)) == 7


def test_the_snapshot_of_a_summit_takes_as_many_queries_for_ten_items_as_for_two(
    django_assert_max_num_queries,
):
    small = factories.SummitFactory()
    large = factories.SummitFactory()
    for summit, count in ((small, 2), (large, 10)):
        summit.participants.set([factories.ParticipantFactory()])
        summit.topics.set([factories.TopicFactory()])
        for position in range(1, count + 1):
            dispute = factories.DisputeFactory(
                summit=summit, position=position, topic=factories.TopicFactory()
            )
            factories.StanceFactory(item=dispute)
            factories.ItemUpdateFactory(item=dispute, status="")
        factories.CorrectionFactory(summit=summit)

    with django_assert_max_num_queries(10) as small_queries:
        compare.snapshot_from_summit(small)
    with django_assert_max_num_queries(len(small_queries)):
        compare.snapshot_from_summit(large)


def compare_request(user, version1, version2):
    request = RequestFactory().get(
        "/compare/", {"version_id1": version1.pk, "version_id2": version2.pk}
    )
    request.user = user
    return request


def test_the_compare_page_shows_the_reworded_words_of_the_demo_summit(editor):
    call_command("seed_demo", stdout=None)
    summit = Summit.objects.get(slug="geneva-summit-2021")
    before = make_revision(summit)
    summit.body = summit.body.replace("Expectations were modest", "Expectations were low")
    summit.save()
    services.render_summit(summit)
    after = make_revision(summit)

    response = admin.site._registry[Summit].compare_view(
        compare_request(editor, before, after), str(summit.pk)
    )
    page = response.render().content.decode()

    assert response.status_code == 200
    changes = response.context_data["changes"]
    assert (changes.article.deleted, changes.article.inserted) == (["modest"], ["low"])
    assert "Expectations were <del>modest</del> <ins>low</ins>" in page
    assert changes.items == compare.ItemsDiff([], [], [], [])
    assert "summits/admin/compare.css" in page
    assert reverse("admin:summits_summit_history", args=[summit.pk]) in page
    assert not [name for name in INTERNAL_FIELDS if name in page]
    assert "style=" not in page.split('id="content-main"')[1]


def test_the_compare_page_is_refused_to_staff_who_may_not_view_summits():
    summit = factories.SummitFactory()
    before = make_revision(summit)
    after = make_revision(summit)
    stranger = factories.UserFactory(username="stranger")

    with pytest.raises(PermissionDenied):
        admin.site._registry[Summit].compare_view(
            compare_request(stranger, before, after), str(summit.pk)
        )


def test_a_version_that_no_longer_loads_is_shown_as_raw_data(editor):
    summit = factories.SummitFactory()
    before = make_revision(summit)
    after = make_revision(summit)
    # As a version saved before a migration changed the field would read.
    broken = before.serialized_data.replace('"2021-06-16"', '"the sixteenth of June"')
    Version.objects.filter(pk=before.pk).update(serialized_data=broken)

    response = admin.site._registry[Summit].compare_view(
        compare_request(editor, before, after), str(summit.pk)
    )

    assert response.status_code == 200
    assert "the sixteenth of June" in response.content.decode()
