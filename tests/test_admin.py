"""The editors' workspace: curating summits with agreements and disputes in the Django admin."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from summits.choices import AnchorState, ItemKind, SummitStatus
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data, new_summit_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:summits_summit_add")
AGREEMENTS, DISPUTES = "items", "items-2"


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def post(client, url, data):
    return client.post(url, data, follow=True)


def errors_of(response):
    context = response.context
    found = list(context["adminform"].form.errors.values()) if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        found += list(inline.formset.non_form_errors())
        found += [e for form in inline.formset.forms for errs in form.errors.values() for e in errs]
    return " ".join(str(e) for e in found)


def test_editor_creates_a_summit_with_agreements_and_disputes(editor_client):
    data = new_summit_data(editor_client)
    add_inline_row(
        data,
        AGREEMENTS,
        title="Ambassadors return",
        quote="ambassadors would return to their posts",
        status="announced",
    )
    add_inline_row(
        data,
        AGREEMENTS,
        title="Stability dialogue",
        quote="a dialogue on strategic stability",
        status="announced",
    )
    add_inline_row(
        data,
        DISPUTES,
        title="Human rights",
        quote="the two leaders remained far apart",
        status="open",
    )

    response = post(editor_client, ADD_URL, data)

    assert response.status_code == 200, errors_of(response)
    summit = Summit.objects.get(slug="geneva-talks")
    assert summit.last_edited_by.username == "editor"
    agreements = list(summit.items.agreements().order_by("position"))
    assert [(item.title, item.position) for item in agreements] == [
        ("Ambassadors return", 1),
        ("Stability dialogue", 2),
    ]
    dispute = summit.items.disputes().get()
    assert (dispute.kind, dispute.position, dispute.status) == (ItemKind.DISPUTE, 1, "open")
    assert all(item.anchor_state == AnchorState.ANCHORED for item in summit.items.all())
    first = agreements[0]
    assert (
        summit.body_text[first.anchor_start : first.anchor_end]
        == "ambassadors would return to their posts"
    )
    assert first.quote_prefix.endswith("agreed that their ")


def test_passage_not_in_the_article_is_a_form_error(editor_client):
    data = new_summit_data(editor_client)
    add_inline_row(
        data, AGREEMENTS, title="Invented", quote="words nobody ever wrote", status="announced"
    )

    response = post(editor_client, ADD_URL, data)

    assert "This passage is not in the article" in errors_of(response)
    assert not Summit.objects.exists()


def test_ambiguous_passage_lists_its_places_and_the_one_picked_is_taken(editor_client):
    body = "<p>Before lunch the talks were short; after lunch the talks were long.</p>"
    data = new_summit_data(editor_client, body=body)
    add_inline_row(data, AGREEMENTS, title="Talks", quote="the talks were", status="announced")
    response = post(editor_client, ADD_URL, data)
    assert "This passage stands 2 times in the article" in errors_of(response)
    page = response.content.decode()
    picks = re.findall(rf'name="{AGREEMENTS}-0-quote_start" value="(\d+)"', page)
    text = "Before lunch the talks were short; after lunch the talks were long."
    assert picks == [str(text.index("the talks")), str(text.rindex("the talks"))]
    assert "the talks were]" in page and "after lunch [the talks were] long." in page

    data[f"{AGREEMENTS}-0-quote_start"] = picks[1]
    response = post(editor_client, ADD_URL, data)
    assert response.status_code == 200, errors_of(response)
    item = Item.objects.get()
    assert item.anchor_start == body.index("the talks were long") - len("<p>")


def test_an_agreement_cannot_take_a_dispute_status(editor_client):
    data = new_summit_data(editor_client)
    add_inline_row(
        data,
        AGREEMENTS,
        title="Ambassadors",
        quote="ambassadors would return to their posts",
        status="escalated",
    )

    response = post(editor_client, ADD_URL, data)

    assert "Select a valid choice" in errors_of(response)
    assert not Item.objects.exists()


def test_end_date_before_start_date_is_a_form_error(editor_client):
    response = post(editor_client, ADD_URL, new_summit_data(editor_client, end_date="2021-06-15"))
    assert "The end date cannot be before the start date." in errors_of(response)


def test_reordering_items_swaps_positions_without_breaking_the_unique_constraint(editor_client):
    summit = factories.SummitFactory()
    first = factories.ItemFactory(summit=summit, position=1, quote=factories.PASSAGES[0])
    second = factories.ItemFactory(summit=summit, position=2, quote=factories.PASSAGES[1])
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-position"], data[f"{AGREEMENTS}-1-position"] = "2", "1"

    response = post(editor_client, change_url(summit), data)

    assert response.status_code == 200, errors_of(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_deleting_an_item_renumbers_the_rest(editor_client):
    summit = factories.SummitFactory()
    items = [
        factories.ItemFactory(summit=summit, position=n, quote=factories.PASSAGES[n - 1])
        for n in (1, 2, 3)
    ]
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-DELETE"] = "on"

    post(editor_client, change_url(summit), data)

    assert list(summit.items.order_by("position").values_list("pk", "position")) == [
        (items[1].pk, 1),
        (items[2].pk, 2),
    ]


def test_editing_the_body_reanchors_items_and_marks_drift_and_orphans(editor_client):
    summit = factories.SummitFactory()
    kept = factories.ItemFactory(
        summit=summit, position=1, quote="ambassadors would return to their posts"
    )
    edited = factories.ItemFactory(
        summit=summit, position=2, quote="a dialogue on strategic stability"
    )
    removed = factories.ItemFactory(summit=summit, position=3, quote="discuss cybersecurity")
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = (
        "<p>After a long introduction: two heads of state agreed that their ambassadors would "
        "return to their posts within weeks.</p><p>They also launched a new dialogue on "
        "strategical stability meant to prepare arms control talks.</p>"
    )

    response = post(editor_client, change_url(summit), data)

    assert response.status_code == 200, errors_of(response)
    kept.refresh_from_db()
    edited.refresh_from_db()
    removed.refresh_from_db()
    assert kept.anchor_state == AnchorState.ANCHORED
    assert edited.anchor_state == AnchorState.DRIFTED
    assert "strategical stability" in edited.anchored_text
    assert removed.anchor_state == AnchorState.ORPHANED
    page = response.content.decode()
    # Each message names its items, linked to their rows, and the page opens at the first.
    assert "The article changed around this item: check its new passage" in page
    assert f'<a href="#anchor-item-{edited.pk}">“{edited.title}” (A2)</a>' in page
    assert f'<a href="#anchor-item-{removed.pk}">“{removed.title}” (A3)</a>' in page
    assert response.redirect_chain[-1][0].endswith(f"#anchor-item-{edited.pk}")
    assert "discuss cybersecurity" not in Summit.objects.get().body_text
    assert removed.title in page  # the orphan is named, never silently dropped


def test_editor_confirms_a_drifted_passage(editor_client):
    summit = factories.SummitFactory()
    item = factories.ItemFactory(summit=summit, quote="a dialogue on strategic stability")
    summit.body = summit.body.replace("strategic stability", "strategical stability")
    summit.save()
    from summits.services import reanchor_summit

    reanchor_summit(summit)
    item.refresh_from_db()
    assert item.anchor_state == AnchorState.DRIFTED
    data = form_data(editor_client.get(change_url(summit)))
    data[f"{AGREEMENTS}-0-confirm_anchor"] = "on"

    post(editor_client, change_url(summit), data)

    item.refresh_from_db()
    assert item.anchor_state == AnchorState.ANCHORED
    assert item.quote == "a dialogue on strategical stability"


def test_publishing_with_orphaned_items_is_refused_naming_them(editor_client):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, title="Cyber talks", quote="discuss cybersecurity")
    data = form_data(editor_client.get(change_url(summit)))
    data["body"] = "<p>Nothing about computers here.</p>"
    data["_publish"] = "Publish now"

    response = post(editor_client, change_url(summit), data)

    assert "Cyber talks" in errors_of(response)
    summit.refresh_from_db()
    assert summit.status == SummitStatus.DRAFT
    assert "computers" not in summit.body


def test_editor_publishes_through_the_form_and_publish_at_defaults_to_now(editor_client):
    summit = factories.SummitFactory()
    data = form_data(editor_client.get(change_url(summit)))
    data["_publish"] = "Publish now"

    response = post(editor_client, change_url(summit), data)

    assert response.status_code == 200, errors_of(response)
    assert Summit.objects.published().filter(pk=summit.pk).exists()
    assert Summit.objects.get(pk=summit.pk).first_published_at is not None


def test_reporter_cannot_publish_through_the_form(reporter_client):
    summit = factories.SummitFactory()
    page = reporter_client.get(change_url(summit))
    assert 'name="_submit"' in page.content.decode()
    assert 'name="_publish"' not in page.content.decode()
    data = form_data(page)

    for crafted in ({"_publish": "x"}, {"_schedule": "x"}, {"status": "published"}):
        post(reporter_client, change_url(summit), {**data, **crafted})

        summit.refresh_from_db()
        assert summit.status == SummitStatus.DRAFT
    response = post(reporter_client, change_url(summit), {**data, "_publish": "x"})
    assert "“Publish now” is not possible for this summit" in errors_of(response)


def test_reporter_submits_for_review(reporter_client, reporter):
    summit = factories.SummitFactory()
    data = form_data(reporter_client.get(change_url(summit)))
    data["_submit"] = "Submit for review"

    post(reporter_client, change_url(summit), data)

    summit.refresh_from_db()
    assert summit.status == SummitStatus.REVIEW
    assert summit.submitted_by == reporter and summit.submitted_at is not None


def test_reporter_cannot_use_the_publish_action(reporter_client):
    summit = factories.SummitFactory(status=SummitStatus.REVIEW)
    changelist = reverse("admin:summits_summit_changelist")
    action_form = reporter_client.get(changelist).context["action_form"]
    actions = (
        [value for value, _label in action_form.fields["action"].choices] if action_form else []
    )
    assert "publish_selected" not in actions

    response = reporter_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [summit.pk]}
    )

    assert response.status_code in (200, 302)
    summit.refresh_from_db()
    assert summit.status == SummitStatus.REVIEW


def test_reporter_cannot_change_a_published_summit_with_a_crafted_post(
    reporter_client, editor_client
):
    summit = factories.PublishedSummitFactory()
    data = form_data(editor_client.get(change_url(summit)))
    data.update(title="Rewritten by a reporter", status="archived")

    refused = {}
    for button in ("_publish_changes", "_unpublish", "_archive", "_publish"):
        response = reporter_client.post(change_url(summit), {**data, button: "on"})
        refused[button] = response.status_code
        summit.refresh_from_db()
        assert summit.title != "Rewritten by a reporter" and summit.is_live
        assert not Summit.objects.filter(draft_of=summit).exists()
    assert set(refused.values()) == {200}  # the form, with the error

    # Saved without a button of the editors, the change waits in the working draft.
    assert reporter_client.post(change_url(summit), data).status_code == 302
    summit.refresh_from_db()
    assert summit.title != "Rewritten by a reporter" and summit.is_live
    assert summit.working_draft.title == "Rewritten by a reporter"


def test_reporter_cannot_change_an_archived_summit(reporter_client, editor_client):
    summit = factories.SummitFactory(status=SummitStatus.ARCHIVED)
    data = form_data(editor_client.get(change_url(summit)))
    data["title"] = "Rewritten by a reporter"

    response = reporter_client.post(change_url(summit), data)

    assert response.status_code == 403
    summit.refresh_from_db()
    assert summit.title != "Rewritten by a reporter"


def test_editor_publish_action_refuses_summits_with_orphans_and_publishes_the_rest(editor_client):
    good = factories.SummitFactory(status=SummitStatus.REVIEW)
    bad = factories.SummitFactory(status=SummitStatus.REVIEW)
    factories.ItemFactory(summit=bad, title="Lost passage", quote="words the article never had")
    assert bad.items.get().anchor_state == AnchorState.ORPHANED
    changelist = reverse("admin:summits_summit_changelist")

    response = editor_client.post(
        changelist,
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )

    assert set(Summit.objects.published().values_list("pk", flat=True)) == {good.pk}
    assert "Lost passage" in response.content.decode()


def test_unpublish_action_hides_the_summit_from_readers(editor_client):
    summit = factories.PublishedSummitFactory()
    editor_client.post(
        reverse("admin:summits_summit_changelist"),
        {"action": "unpublish_selected", "_selected_action": [summit.pk]},
    )
    assert not Summit.objects.published().exists()


def test_a_save_from_an_outdated_form_is_refused(editor_client):
    summit = factories.SummitFactory()
    stale = form_data(editor_client.get(change_url(summit)))
    fresh = dict(stale, title="First editor's headline")
    post(editor_client, change_url(summit), fresh)

    response = post(
        editor_client, change_url(summit), dict(stale, title="Second editor's headline")
    )

    assert "Someone else saved this summit" in errors_of(response)
    assert Summit.objects.get().title == "First editor's headline"


def test_body_is_sanitised_when_saved_through_the_admin(editor_client):
    data = new_summit_data(
        editor_client,
        body='<p onclick="steal()">Hello <a href="javascript:alert(1)">x</a></p><script>alert(1)</script>',
    )
    post(editor_client, ADD_URL, data)
    body = Summit.objects.get().body
    assert "script" not in body and "onclick" not in body and "javascript" not in body
    assert "Hello" in body


def test_changelist_shows_counts_and_filters_by_year_and_status(editor_client):
    summit = factories.SummitFactory(title="Counted summit")
    factories.ItemFactory.create_batch(2, summit=summit)
    factories.DisputeFactory(summit=summit)
    factories.SummitFactory(title="Other year", start_date="2019-01-01")
    changelist = reverse("admin:summits_summit_changelist")

    response = editor_client.get(changelist, {"year": "2021", "status__exact": "draft"})

    rows = response.context["cl"].result_list
    assert [row.title for row in rows] == ["Counted summit"]
    assert (rows[0].agreement_count, rows[0].dispute_count) == (2, 1)


def test_changelist_query_count_is_constant(editor_client, django_assert_max_num_queries):
    changelist = reverse("admin:summits_summit_changelist")
    for _ in range(3):
        factories.ItemFactory.create_batch(3, summit=factories.SummitFactory())
    factories.TopicFactory()
    editor_client.get(changelist)  # once-per-process lookups (content types) are not measured
    with django_assert_max_num_queries(14) as few:
        editor_client.get(changelist)
    for _ in range(30):
        summit = factories.SummitFactory()
        factories.ItemFactory.create_batch(3, summit=summit)
        # Each a topic of its own: the filter by topic lists them all, names from another table.
        summit.topics.add(factories.TopicFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(changelist)


def test_change_form_query_count_is_constant(editor_client, django_assert_max_num_queries):
    summit = factories.SummitFactory()
    topic = factories.TopicFactory()
    factories.ItemFactory(summit=summit, topic=topic)
    factories.DisputeFactory(summit=summit, topic=topic)
    summit.participants.add(factories.ParticipantFactory())
    summit.topics.add(topic)
    editor_client.get(change_url(summit))  # once-per-process lookups are not measured
    with django_assert_max_num_queries(40) as few:
        editor_client.get(change_url(summit))
    factories.ItemFactory.create_batch(15, summit=summit, topic=topic)
    factories.DisputeFactory.create_batch(15, summit=summit, topic=topic)
    factories.CorrectionFactory.create_batch(5, summit=summit)
    # More topics to choose from, and more participants and topics chosen (names per language).
    factories.TopicFactory.create_batch(10)
    summit.participants.add(*factories.ParticipantFactory.create_batch(10))
    summit.topics.add(*factories.TopicFactory.create_batch(5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(change_url(summit))


def test_saving_the_change_form_looks_up_its_rows_in_one_query_not_one_a_row(editor_client):
    # Django's inline formsets look each submitted row's id up with a query of its own.
    summit = factories.SummitFactory()
    factories.ItemFactory.create_batch(10, summit=summit)
    factories.DisputeFactory.create_batch(10, summit=summit)
    factories.CorrectionFactory.create_batch(5, summit=summit)
    data = form_data(editor_client.get(change_url(summit)))
    with CaptureQueriesContext(connection) as saved:
        assert editor_client.post(change_url(summit), data).status_code == 302
    one_row = re.compile(r'WHERE .*"summits_(item|correction)"\."id" = \S+ LIMIT 21')
    row_reads = [query["sql"] for query in saved.captured_queries if one_row.search(query["sql"])]
    assert row_reads == []


def test_participant_changelist_query_count_is_constant(
    editor_client, django_assert_max_num_queries
):
    changelist = reverse("admin:summits_participant_changelist")
    factories.ParticipantFactory.create_batch(2)
    editor_client.get(changelist)  # once-per-process lookups are not measured
    with django_assert_max_num_queries(12) as few:
        editor_client.get(changelist)
    factories.ParticipantFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(changelist)
    assert response.content.decode().count("Head of state") == 32  # each one's role


def test_editor_gives_a_participant_a_german_name_on_its_german_tab(editor_client, client):
    putin = factories.ParticipantFactory(name="Vladimir Putin", role="President of Russia")
    german = factories.PublishedSummitFactory(language="de")
    german.participants.add(putin)
    english = factories.PublishedSummitFactory(language="en")
    english.participants.add(putin)
    url = reverse("admin:summits_participant_change", args=[putin.pk])
    form = editor_client.get(url + "?language=de")
    assert form.status_code == 200
    assert 'class="parler-language-tabs' in form.content.decode()

    response = editor_client.post(
        url + "?language=de",
        {
            "name": "Wladimir Putin",
            "role": "Präsident Russlands",
            "slug": putin.slug,
            "country": "RU",
            "wikidata_id": "",
        },
    )

    assert response.status_code == 302
    putin.refresh_from_db()
    assert putin.safe_translation_getter("name", language_code="de") == "Wladimir Putin"
    assert putin.safe_translation_getter("name", language_code="en") == "Vladimir Putin"
    assert "Wladimir Putin" in client.get(german.get_absolute_url()).content.decode()
    assert "Wladimir" not in client.get(english.get_absolute_url()).content.decode()
    # Editors find summits by any language's name of a participant.
    found = editor_client.get(reverse("admin:summits_summit_changelist"), {"q": "Wladimir"})
    assert set(found.context["cl"].result_list) == {english, german}


@pytest.mark.parametrize(
    ("claimed", "refusal"), [("10000", "Please submit at most"), ("900", "more rows than it sent")]
)
def test_a_post_claiming_many_rows_builds_only_the_rows_it_sent(reporter_client, claimed, refusal):
    # A 1 KB POST claiming 10,000 rows once built 2,000 item forms and held a worker 100 s.
    summit = factories.SummitFactory(title="Before")
    factories.ItemFactory(summit=summit)
    data = form_data(reporter_client.get(change_url(summit)))
    data.update({f"{AGREEMENTS}-TOTAL_FORMS": claimed, "title": "After"})

    response = reporter_client.post(change_url(summit), data)

    assert response.status_code == 200
    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    assert len(formsets[AGREEMENTS].forms) == 1
    assert refusal in str(formsets[AGREEMENTS].non_form_errors())
    summit.refresh_from_db()
    assert summit.title == "Before"


def test_a_summit_form_takes_no_more_items_of_a_kind_than_its_limit(editor_client, settings):
    settings.SUMMITS = {"MAX_ITEMS_PER_KIND": 2}
    summit = factories.SummitFactory()
    factories.ItemFactory.create_batch(2, summit=summit, quote=factories.PASSAGES[0])
    page = editor_client.get(change_url(summit))
    # The page says so: the admin's script hides "Add another" at the limit.
    assert f'name="{AGREEMENTS}-MAX_NUM_FORMS" value="2"' in page.content.decode()
    data = form_data(page)
    add_inline_row(data, AGREEMENTS, title="Third", quote=factories.PASSAGES[1], status="announced")

    response = post(editor_client, change_url(summit), data)

    assert "Please submit at most 2 forms." in errors_of(response)
    assert summit.items.count() == 2


@pytest.mark.parametrize("value", [None, "", 'a"<b>', 5])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x"}, {"id": "id_x", "disabled": True, "x": False}]
)
def test_the_plain_hidden_input_writes_what_djangos_template_writes(value, attrs):
    from django import forms

    from summits.forms import PlainHiddenInput

    assert PlainHiddenInput().render("items-0-id", value, attrs) == forms.HiddenInput().render(
        "items-0-id", value, attrs
    )
