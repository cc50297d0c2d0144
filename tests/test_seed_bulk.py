"""seed_bulk: many realistic published summits, anchored, rendered and searchable, made fast."""

import io
import re
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from summits.choices import INITIAL_STATUS, STATUSES_BY_KIND, AnchorState, ItemKind
from summits.models import Item, Participant, Summit, Topic

pytestmark = pytest.mark.django_db


def seed_bulk(*args):
    stdout = io.StringIO()
    call_command("seed_bulk", *args, stdout=stdout)
    return stdout.getvalue()


def bulk_summits():
    return Summit.objects.filter(slug__startswith="bulk-").order_by("slug")


@pytest.fixture
def seeded():
    output = seed_bulk("--summits", "30", "--seed", "1")
    return output, list(bulk_summits().with_page_data())


def test_creates_published_summits_with_participants_and_topics(seeded):
    output, summits = seeded

    assert "Created 30 summits" in output
    assert Summit.objects.published().filter(slug__startswith="bulk-").count() == 30
    assert {summit.language for summit in summits} == {"de", "en"}
    for summit in summits:
        assert 2 <= len(summit.participants.all()) <= 4
        assert 1 <= len(summit.topics.all()) <= 3
        assert 3 <= len(summit.items.all()) <= 8
        assert 300 <= len(summit.body_text.split()) <= 900
        assert summit.first_published_at == summit.publish_at
        assert 1990 <= summit.start_date.year <= 2026


def test_every_item_is_anchored_to_its_quote(seeded):
    _, summits = seeded

    for summit in summits:
        for item in summit.items.all():
            assert item.anchor_state == AnchorState.ANCHORED
            assert summit.body_text[item.anchor_start : item.anchor_end] == item.quote
            assert summit.body_text[: item.anchor_start].endswith(item.quote_prefix)


def test_positions_run_from_one_per_kind(seeded):
    _, summits = seeded

    for summit in summits:
        positions = defaultdict(list)
        for item in summit.items.all():
            positions[item.kind].append(item.position)
        assert positions[ItemKind.AGREEMENT] == list(
            range(1, len(positions[ItemKind.AGREEMENT]) + 1)
        )
        assert positions[ItemKind.DISPUTE] == list(range(1, len(positions[ItemKind.DISPUTE]) + 1))


def test_item_statuses_fit_their_kind_and_follow_the_latest_update(seeded):
    _, summits = seeded

    updated = 0
    for summit in summits:
        for item in summit.items.all():
            kind = ItemKind(item.kind)
            assert item.status in STATUSES_BY_KIND[kind].values
            with_status = [update for update in item.updates.all() if update.status]
            for update in item.updates.all():
                assert update.date > summit.start_date
                assert not update.status or update.status in STATUSES_BY_KIND[kind].values
            latest = max(with_status, key=lambda update: (update.date, update.id), default=None)
            assert item.status == (latest.status if latest else INITIAL_STATUS[kind])
            updated += bool(with_status)
    assert updated > 0


def test_disputes_have_a_stance_per_participant(seeded):
    _, summits = seeded

    for summit in summits:
        participants = {participant.pk for participant in summit.participants.all()}
        for item in summit.items.all():
            stances = {stance.participant_id for stance in item.stances.all()}
            assert stances == (participants if item.kind == ItemKind.DISPUTE else set())


def test_body_html_marks_each_items_passage(seeded):
    _, summits = seeded

    for summit in summits:
        for item in summit.items.all():
            assert f'<mark id="passage-{item.pk}"' in summit.body_html
            assert f'href="#item-{item.pk}"' in summit.body_html
        assert summit.search_document.startswith(summit.title)


def test_the_first_request_renders_and_stores_a_loaded_summits_page_parts(seeded, client):
    _, summits = seeded
    summit = summits[0]
    assert (summit.page_parts, summit.card_parts) == (None, None)  # most are never read

    page = client.get(summit.get_absolute_url()).content.decode()
    listed = client.get("/summits/").context["page"].object_list

    summit.refresh_from_db()
    assert summit.items.all()[0].title in summit.page_parts["notes"]
    assert escape(summit.items.all()[0].title) in page
    for shown in Summit.objects.filter(pk__in=[listed_summit.pk for listed_summit in listed]):
        assert escape(shown.title) in shown.card_parts["en"]


def test_an_item_title_word_finds_its_summit(seeded, client):
    _, summits = seeded
    summit = summits[0]
    item = summit.items.all()[0]
    word = max(re.findall(r"\w+", item.title), key=len)

    assert summit in Summit.objects.published().search(word)
    response = client.get("/summits/", {"q": word, "year": summit.start_date.year})
    assert response.status_code == 200
    assert escape(summit.title) in response.content.decode()


def test_running_twice_adds_as_many_again():
    seed_bulk("--summits", "30", "--seed", "1")
    seed_bulk("--summits", "30", "--seed", "1")

    slugs = list(bulk_summits().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 60
    assert (
        Item.objects.filter(summit__slug__startswith="bulk-")
        .exclude(anchor_state=AnchorState.ANCHORED)
        .count()
        == 0
    )


def test_same_seed_gives_the_same_summits_with_or_without_workers():
    def titles():
        return list(bulk_summits().values_list("slug", "title", "body"))

    seed_bulk("--summits", "12", "--seed", "3", "--workers", "0")
    first = titles()
    bulk_summits().delete()
    seed_bulk("--summits", "12", "--seed", "3", "--workers", "2", "--batch-size", "5")
    assert titles() == first

    bulk_summits().delete()
    seed_bulk("--summits", "12", "--seed", "4", "--workers", "0")
    assert titles()[0] != first[0]


def test_items_gives_every_summit_that_many_anchored_items_of_both_kinds():
    seed_bulk("--summits", "6", "--seed", "2", "--items", "15")

    summits = list(bulk_summits().with_page_data())
    assert len(summits) == 6
    for summit in summits:
        items = summit.items.all()
        assert len(items) == 15
        assert {item.kind for item in items} == {ItemKind.AGREEMENT, ItemKind.DISPUTE}
        for item in items:
            assert item.anchor_state == AnchorState.ANCHORED
            assert item.anchor_start is not None
            assert summit.body_text[item.anchor_start : item.anchor_end] == item.quote
            # One place only: the same passage twice would leave the anchor to chance.
            assert summit.body_text.count(item.quote) == 1
            assert f'<mark id="passage-{item.pk}"' in summit.body_html


def test_items_positions_run_from_one_per_kind():
    seed_bulk("--summits", "4", "--seed", "2", "--items", "15")

    for summit in bulk_summits().with_page_data():
        positions = defaultdict(list)
        for item in summit.items.all():
            positions[item.kind].append(item.position)
        assert sorted(positions) == [ItemKind.AGREEMENT, ItemKind.DISPUTE]
        for kind, numbers in positions.items():
            assert numbers == list(range(1, len(numbers) + 1)), kind


def test_items_beyond_the_subjects_keep_titles_and_passages_apart():
    # 40 agreements and 20 disputes: every subject comes round again within its kind.
    seed_bulk("--summits", "2", "--seed", "5", "--items", "60")

    for summit in bulk_summits().with_page_data():
        items = summit.items.all()
        assert len(items) == 60
        assert len({item.title for item in items}) == 60
        for item in items:
            assert item.anchor_state == AnchorState.ANCHORED
            assert summit.body_text.count(item.quote) == 1


@pytest.mark.parametrize(
    ("items", "agreements", "disputes"), [("1", 1, 0), ("2", 1, 1), ("3", 2, 1), ("15", 10, 5)]
)
def test_items_are_about_two_thirds_agreements(items, agreements, disputes):
    seed_bulk("--summits", "3", "--seed", "2", "--items", items)

    for summit in bulk_summits().with_page_data():
        kinds = [item.kind for item in summit.items.all()]
        assert kinds.count(ItemKind.AGREEMENT) == agreements
        assert kinds.count(ItemKind.DISPUTE) == disputes


@pytest.mark.parametrize("items", ["0", "-3"])
def test_items_below_one_is_refused(items):
    with pytest.raises(CommandError, match="--items must be at least 1"):
        seed_bulk("--summits", "3", "--items", items)

    assert not bulk_summits().exists()


def test_leaders_and_topics_are_named_in_english_and_german_once(seeded):
    seed_bulk("--summits", "1", "--seed", "2")  # a second run adds no second translation

    putin = Participant.objects.get(slug="vladimir-putin")
    assert sorted(putin.translations.values_list("language_code", "name", "role")) == [
        ("de", "Wladimir Putin", "Präsident der Russischen Föderation"),
        ("en", "Vladimir Putin", "President of the Russian Federation"),
    ]
    merkel = Participant.objects.get(slug="angela-merkel")
    assert merkel.safe_translation_getter("role", language_code="de") == "Bundeskanzlerin"
    arms_control = Topic.objects.get(slug="arms-control")
    assert sorted(arms_control.translations.values_list("language_code", "name")) == [
        ("de", "Rüstungskontrolle"),
        ("en", "Arms control"),
    ]
    untranslated = [
        model.__name__
        for model in (Participant, Topic)
        for obj in model.objects.prefetch_related("translations")
        if {t.language_code for t in obj.translations.all()} != {"de", "en"}
    ]
    assert untranslated == []
