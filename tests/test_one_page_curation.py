"""One-page curation (issue 12, part 4): an item's stances and follow-ups are edited on the
summit's page, in the item's row, with the validation of the item pages and constant queries."""

import datetime
import html
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summits import services
from summits.choices import AgreementStatus, DisputeStatus, SummitStatus
from summits.models import Item, ItemUpdate, Stance, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data

pytestmark = pytest.mark.django_db

AGREEMENTS, DISPUTES = "items", "items-2"
READ = re.compile(r"^\s*SELECT\b", re.IGNORECASE)


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def saved(client, summit, data):
    response = client.post(change_url(summit), data)
    assert response.status_code == 302, errors_of(response)
    return response


def errors_of(response):
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())


@pytest.fixture
def summit(db):
    summit = factories.SummitFactory()
    leader, other = (
        factories.ParticipantFactory(name="Leader A"),
        factories.ParticipantFactory(name="Leader B"),
    )
    summit.participants.add(leader, other)
    factories.ItemFactory(summit=summit, title="Ambassadors", quote=factories.PASSAGES[0])
    dispute = factories.DisputeFactory(
        summit=summit, title="Human rights", quote=factories.PASSAGES[3]
    )
    factories.StanceFactory(item=dispute, participant=leader, position="Calls it internal.")
    return summit


def agreement(summit):
    return summit.items.get(title="Ambassadors")


def dispute(summit):
    return summit.items.get(title="Human rights")


def rows_of(client, page, row):
    """The stances and follow-ups of the item in `row`, as its fold fetches them."""
    fold = re.search(rf'<details class="nested-rows" data-rows-url="([^"]+prefix={row})"', page)
    assert fold, f"no fold of {row}"
    response = client.get(html.unescape(fold.group(1)))
    assert response.status_code == 200
    return response.content.decode()


def test_the_summit_page_shows_each_items_stances_and_follow_ups_in_its_row(editor_client, summit):
    factories.ItemUpdateFactory(item=agreement(summit), note="<p>Envoys back in July.</p>")

    page = editor_client.get(change_url(summit)).content.decode()

    # Folded in the row, with what it holds said on the fold; fetched when it opens.
    assert re.search(r"<summary>\s*Follow-up updates: 1\s*</summary>", page)
    assert re.search(r"<summary>\s*Stances: 1 · Follow-up updates: 0\s*</summary>", page)
    assert f'name="{DISPUTES}-0-stances-0-position"' not in page
    dispute_rows = rows_of(editor_client, page, f"{DISPUTES}-0")
    assert f'name="{DISPUTES}-0-stances-0-position"' in dispute_rows
    assert f'name="{DISPUTES}-0-stances-TOTAL_FORMS"' in dispute_rows
    assert "Calls it internal." in dispute_rows
    agreement_rows = rows_of(editor_client, page, f"{AGREEMENTS}-0")
    assert f'name="{AGREEMENTS}-0-updates-0-note"' in agreement_rows
    assert "Envoys back in July." in agreement_rows
    # An agreement has no stances; each kind can add rows of its own.
    assert "-stances-" not in agreement_rows
    # One empty row of each kind for the page, which every item's "Add" button copies.
    assert page.count(f'data-prefix="{DISPUTES}-__prefix__-stances"') == 1
    assert page.count(f'data-prefix="{AGREEMENTS}-__prefix__-updates"') == 1
    assert f'data-template="{DISPUTES}-__prefix__-stances"' in dispute_rows


def test_the_rows_of_an_item_are_only_its_summits_and_only_for_staff(editor_client, client, summit):
    other = factories.DisputeFactory(quote=factories.PASSAGES[3])
    url = reverse("admin:summits_summit_item_rows", args=[summit.pk, other.pk])

    assert editor_client.get(url, {"prefix": f"{DISPUTES}-0"}).status_code == 404
    own = reverse("admin:summits_summit_item_rows", args=[summit.pk, dispute(summit).pk])
    assert editor_client.get(own, {"prefix": 'x"><script>'}).status_code == 400
    assert client.get(own, {"prefix": f"{DISPUTES}-0"}).status_code == 302  # to the login


def test_adding_a_follow_up_moves_the_agreements_status_in_the_same_save(editor_client, summit):
    data = form_data(editor_client.get(change_url(summit)))
    add_inline_row(
        data,
        f"{AGREEMENTS}-0-updates",
        date="2021-07-28",
        status=AgreementStatus.IN_PROGRESS,
        note="<p>Both ambassadors returned.</p>",
    )

    saved(editor_client, summit, data)

    item = agreement(summit)
    assert [update.note for update in item.updates.all()] == ["<p>Both ambassadors returned.</p>"]
    assert item.status == AgreementStatus.IN_PROGRESS


def test_adding_a_stance_and_a_follow_up_to_a_dispute_on_the_summit_page(editor_client, summit):
    other = summit.participants.get(translations__name="Leader B")
    data = form_data(editor_client.get(change_url(summit)))
    add_inline_row(
        data, f"{DISPUTES}-0-stances", participant=str(other.pk), position="Calls it universal."
    )
    add_inline_row(
        data,
        f"{DISPUTES}-0-updates",
        date="2021-09-01",
        status=DisputeStatus.NARROWED,
        note="<p>A working group met.</p>",
    )

    saved(editor_client, summit, data)

    item = dispute(summit)
    assert sorted(item.stances.values_list("position", flat=True)) == [
        "Calls it internal.",
        "Calls it universal.",
    ]
    assert item.status == DisputeStatus.NARROWED


def test_a_new_dispute_gets_its_stances_in_the_save_that_adds_it(editor_client, summit):
    leader = summit.participants.get(translations__name="Leader A")
    data = form_data(editor_client.get(change_url(summit)))
    index = int(data[f"{DISPUTES}-TOTAL_FORMS"])
    add_inline_row(
        data, DISPUTES, title="Cyber", quote=factories.PASSAGES[2], status=DisputeStatus.OPEN
    )
    # The new row's own management forms, as the page's empty row carries them.
    for name in ("stances", "updates"):
        data[f"{DISPUTES}-{index}-{name}-TOTAL_FORMS"] = "0"
        data[f"{DISPUTES}-{index}-{name}-INITIAL_FORMS"] = "0"
    add_inline_row(
        data,
        f"{DISPUTES}-{index}-stances",
        participant=str(leader.pk),
        position="Denies any attack.",
    )

    saved(editor_client, summit, data)

    new = summit.items.get(title="Cyber")
    assert [stance.position for stance in new.stances.all()] == ["Denies any attack."]


def test_a_stance_or_follow_up_can_be_changed_and_deleted_on_the_summit_page(editor_client, summit):
    factories.ItemUpdateFactory(item=dispute(summit), status="", note="<p>Old note.</p>")
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{DISPUTES}-0-stances-0-position"] = "Calls it a domestic matter."
    data[f"{DISPUTES}-0-updates-0-DELETE"] = "on"

    saved(editor_client, summit, data)

    item = dispute(summit)
    assert [stance.position for stance in item.stances.all()] == ["Calls it a domestic matter."]
    assert not item.updates.exists()


@pytest.mark.parametrize(
    ("rows", "values", "message"),
    [
        ("stances", {"position": ""}, "This field is required."),
        ("updates", {"date": "", "note": "<p>Undated.</p>"}, "This field is required."),
        # A status of the other kind of item.
        (
            "updates",
            {"date": "2021-07-01", "status": AgreementStatus.FULFILLED, "note": "<p>x</p>"},
            "Select a valid choice.",
        ),
    ],
)
def test_a_bad_stance_or_follow_up_is_shown_in_its_row_and_nothing_is_saved(
    editor_client, summit, rows, values, message
):
    before = {
        "title": summit.title,
        "stances": list(Stance.objects.values_list("position", flat=True)),
        "updates": ItemUpdate.objects.count(),
    }
    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = "A new headline"
    if rows == "stances":
        data[f"{DISPUTES}-0-stances-0-position"] = values["position"]
    else:
        add_inline_row(data, f"{DISPUTES}-0-updates", **values)

    response = editor_client.post(change_url(summit), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A stance or follow-up of this item needs a correction: see below." in page
    assert message in page
    # The fold with the error is open, and the refused input is still in it.
    assert re.search(r'<details class="nested-rows" open>', page)
    assert "A new headline" in page
    summit.refresh_from_db()
    assert {
        "title": summit.title,
        "stances": list(Stance.objects.values_list("position", flat=True)),
        "updates": ItemUpdate.objects.count(),
    } == before


def test_two_stances_of_one_participant_are_refused_not_a_server_error(editor_client, summit):
    leader = summit.participants.get(translations__name="Leader A")
    data = form_data(editor_client.get(change_url(summit)))
    add_inline_row(
        data, f"{DISPUTES}-0-stances", participant=str(leader.pk), position="Says it twice."
    )

    response = editor_client.post(change_url(summit), data)

    assert response.status_code == 200
    assert "A stance or follow-up of this item needs a correction" in response.content.decode()
    assert dispute(summit).stances.count() == 1


def test_a_participant_not_of_the_summit_is_refused_for_a_new_stance(editor_client, summit):
    stranger = factories.ParticipantFactory(name="Stranger")
    data = form_data(editor_client.get(change_url(summit)))
    add_inline_row(
        data, f"{DISPUTES}-0-stances", participant=str(stranger.pk), position="Not here."
    )

    response = editor_client.post(change_url(summit), data)

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert dispute(summit).stances.count() == 1


def test_an_untouched_stance_of_a_former_participant_does_not_refuse_the_save(
    editor_client, summit
):
    leader = summit.participants.get(translations__name="Leader A")
    data = form_data(editor_client.get(change_url(summit)))
    data["participants"] = [
        str(pk) for pk in summit.participants.exclude(pk=leader.pk).values_list("pk", flat=True)
    ]
    data["title"] = "Renamed"

    saved(editor_client, summit, data)

    summit.refresh_from_db()
    assert summit.title == "Renamed"
    assert dispute(summit).stances.get().participant == leader


def test_a_live_summits_stances_and_follow_ups_wait_in_its_working_draft(editor_client, client):
    summit = factories.PublishedSummitFactory()
    leader = factories.ParticipantFactory(name="Leader A")
    summit.participants.add(leader)
    item = factories.DisputeFactory(
        summit=summit, title="Human rights", quote=factories.PASSAGES[3]
    )
    factories.StanceFactory(item=item, participant=leader, position="Calls it internal.")
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{DISPUTES}-0-stances-0-position"] = "Calls it a domestic matter."
    add_inline_row(
        data,
        f"{DISPUTES}-0-updates",
        date="2021-09-01",
        status=DisputeStatus.NARROWED,
        note="<p>A working group met.</p>",
    )

    saved(editor_client, summit, data)

    item.refresh_from_db()
    assert [s.position for s in item.stances.all()] == ["Calls it internal."]
    assert (item.status, item.updates.count()) == (DisputeStatus.OPEN, 0)
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "Calls it internal." in page and "A working group met." not in page
    draft = Summit.objects.get(draft_of=summit)
    drafted = draft.items.get()
    assert [s.position for s in drafted.stances.all()] == ["Calls it a domestic matter."]
    assert [u.note for u in drafted.updates.all()] == ["<p>A working group met.</p>"]
    assert drafted.status == DisputeStatus.NARROWED

    services.publish_changes(draft, user=factories.editor())

    live = Item.objects.get(summit=summit)
    assert [s.position for s in live.stances.all()] == ["Calls it a domestic matter."]
    assert [u.note for u in live.updates.all()] == ["<p>A working group met.</p>"]
    assert live.status == DisputeStatus.NARROWED
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "Calls it a domestic matter." in page and "A working group met." in page


def test_a_stance_changed_meanwhile_is_kept_when_this_editor_left_it_alone(editor_client, summit):
    loaded = [form_data(editor_client.get(change_url(summit))) for _ in range(2)]
    theirs = dict(loaded[0], **{f"{DISPUTES}-0-stances-0-position": "Theirs."})
    saved(editor_client, summit, theirs)

    saved(editor_client, summit, dict(loaded[1], title="Mine"))

    assert dispute(summit).stances.get().position == "Theirs."


def test_two_editors_rewording_one_stance_on_the_summit_page_cannot_both_win(editor_client, summit):
    loaded = [form_data(editor_client.get(change_url(summit))) for _ in range(2)]
    saved(editor_client, summit, dict(loaded[0], **{f"{DISPUTES}-0-stances-0-position": "Theirs."}))

    response = editor_client.post(
        change_url(summit), dict(loaded[1], **{f"{DISPUTES}-0-stances-0-position": "Mine."})
    )

    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert dispute(summit).stances.get().position == "Theirs."


def test_a_form_without_the_rows_leaves_them_as_they_are(editor_client, summit):
    data = form_data(editor_client.get(change_url(summit)))
    data = {key: value for key, value in data.items() if "-stances-" not in key}
    data["title"] = "Renamed"

    saved(editor_client, summit, data)

    assert dispute(summit).stances.get().position == "Calls it internal."


def summit_of(count):
    """A summit of `count` agreements and `count` disputes, each with its rows and a topic."""
    summit = factories.SummitFactory()
    topics = factories.TopicFactory.create_batch(2)
    summit.topics.add(*topics)
    participants = factories.ParticipantFactory.create_batch(2)
    summit.participants.add(*participants)
    add_items(summit, count, topics, participants)
    return summit, topics, participants


def add_items(summit, count, topics, participants):
    for index in range(count):
        topic = topics[index % 2]
        item = factories.ItemFactory(summit=summit, topic=topic, quote=factories.PASSAGES[0])
        factories.ItemUpdateFactory(item=item, date=datetime.date(2021, 7, 1 + index))
        dispute = factories.DisputeFactory(summit=summit, topic=topic, quote=factories.PASSAGES[3])
        for participant in participants:
            factories.StanceFactory(item=dispute, participant=participant)
        factories.ItemUpdateFactory(item=dispute, status="")


def reads(client, summit, data=None):
    with CaptureQueriesContext(connection) as queries:
        if data is None:
            response = client.get(change_url(summit))
            assert response.status_code == 200
        else:
            response = client.post(change_url(summit), data)
            assert response.status_code == 302, errors_of(response)
    return [query["sql"] for query in queries.captured_queries if READ.match(query["sql"])]


def more_often(many, few):
    """The queries, numbers left out, that `many` makes more often than `few`."""
    shapes = [Counter(re.sub(r"\d+", "N", sql) for sql in queries) for queries in (many, few)]
    return [f"{count}x {sql[:300]}" for sql, count in (shapes[0] - shapes[1]).items()]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_summit_page_with_its_rows_makes_a_constant_number_of_queries(editor_client, method):
    summit, topics, participants = summit_of(1)

    def measure():
        data = form_data(editor_client.get(change_url(summit))) if method == "POST" else None
        if data is not None:
            data["title"] = f"Headline {summit.items.count()}"  # a save that changes something
        return reads(editor_client, summit, data)

    measure()  # once-per-process lookups are not measured
    few = measure()
    add_items(summit, 6, topics, participants)
    many = measure()

    assert len(many) <= len(few), "\n".join(more_often(many, few))
    assert Summit.objects.get(pk=summit.pk).status == SummitStatus.DRAFT


def test_a_save_of_one_title_writes_that_item_only(editor_client):
    summit, _topics, _participants = summit_of(5)
    saved(editor_client, summit, form_data(editor_client.get(change_url(summit))))  # 1..n
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-2-title"] = "A new title"

    with CaptureQueriesContext(connection) as queries:
        assert editor_client.post(change_url(summit), data).status_code == 302

    item_writes = [
        query["sql"]
        for query in queries.captured_queries
        if re.match(r'\s*UPDATE "summits_item"', query["sql"])
    ]
    assert len(item_writes) == 1, item_writes
    assert summit.items.filter(title="A new title").count() == 1
