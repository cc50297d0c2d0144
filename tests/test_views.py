"""Reader pages: the annotated article, the list, the tracker, previews, feed and sitemap."""

import datetime
import json
import re
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import cache
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from summits import conf, services
from summits.choices import SummitStatus
from summits.previews import make_token
from summits.sitemaps import SummitSitemap
from tests import factories
from tests.sitemaps import sitemap_entries, sitemap_pages

pytestmark = pytest.mark.django_db

HIDDEN_STATES = [
    {"status": SummitStatus.DRAFT},
    {"status": SummitStatus.REVIEW},
    {
        "status": SummitStatus.ARCHIVED,
        "publish_at": datetime.datetime(2021, 6, 16, tzinfo=datetime.UTC),
    },
    {
        "status": SummitStatus.PUBLISHED,
        "publish_at": datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    },
]


def annotated_summit(**fields):
    """A published summit with an agreement and a dispute, rendered as an admin save would."""
    summit = factories.PublishedSummitFactory(**fields)
    factories.ItemFactory(
        summit=summit, position=1, title="Ambassadors return", quote=factories.PASSAGES[0]
    )
    dispute = factories.DisputeFactory(
        summit=summit, position=1, title="Human rights", quote=factories.PASSAGES[3]
    )
    factories.StanceFactory(item=dispute, position="Will keep raising it.")
    services.reanchor_summit(summit)
    summit.refresh_from_db()
    return summit


@pytest.mark.parametrize("state", HIDDEN_STATES, ids=["draft", "review", "archived", "scheduled"])
def test_unpublished_summits_are_absent_from_every_reader_url(client, state):
    hidden = factories.SummitFactory(title="Secret summit talks", slug="secret-summit", **state)
    services.reanchor_summit(hidden)
    visible = annotated_summit(title="Open summit")

    assert client.get(reverse("summits:detail", args=[hidden.slug])).status_code == 404
    for url in (
        reverse("summits:list"),
        reverse("summits:list") + "?q=Secret",
        reverse("summits:tracker"),
        reverse("summits:feed"),
        "/sitemap.xml",
        "/sitemap-summits.xml",
    ):
        page = client.get(url).content.decode()
        assert "Secret summit" not in page and "secret-summit" not in page, url
    assert visible.title in client.get(reverse("summits:list")).content.decode()


def test_article_page_highlights_passages_linked_to_their_notes_and_back(client):
    summit = annotated_summit()
    agreement = summit.items.agreements().get()

    page = client.get(summit.get_absolute_url()).content.decode()

    assert f'<mark id="passage-{agreement.pk}" class="passage passage--agreement"' in page
    assert f'href="#item-{agreement.pk}"' in page
    assert f'id="item-{agreement.pk}"' in page
    assert f'href="#passage-{agreement.pk}"' in page
    assert "Will keep raising it." in page


def test_an_item_whose_passage_is_gone_is_listed_without_a_highlight(client):
    summit = annotated_summit()
    lost = factories.ItemFactory(
        summit=summit, position=2, title="Lost passage", quote="words that are not there"
    )
    services.reanchor_summit(summit)

    page = client.get(summit.get_absolute_url()).content.decode()

    assert "Lost passage" in page
    assert f'id="passage-{lost.pk}"' not in page
    assert f'href="#passage-{lost.pk}"' not in page


def test_german_summit_renders_in_german_and_links_its_english_translation(client):
    german = annotated_summit(language="de", slug="gipfel")
    english = annotated_summit(language="en", slug="summit", original=german)

    page = client.get(german.get_absolute_url()).content.decode()

    assert '<html lang="de">' in page
    assert "Vereinbarungen" in page and "Streitpunkte" in page
    assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in page
    english_page = client.get(
        english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert '<html lang="en">' in english_page and "Agreements" in english_page


def test_names_of_participants_and_topics_are_in_the_language_of_the_article(client):
    putin = factories.ParticipantFactory(name="Vladimir Putin", role="President of Russia")
    putin.create_translation("de", name="Wladimir Putin", role="Präsident Russlands")
    # Never translated into German: the German page falls back to the default language.
    biden = factories.ParticipantFactory(name="Joe Biden", role="President of the United States")
    topic = factories.TopicFactory(name="Arms control")
    topic.create_translation("de", name="Rüstungskontrolle")
    german = annotated_summit(language="de", slug="gipfel")
    english = annotated_summit(language="en", slug="summit", original=german)
    for summit in (german, english):
        summit.participants.set([putin, biden])
        dispute = summit.items.disputes().get()
        dispute.topic = topic
        dispute.save()
        dispute.stances.update(participant=putin)
        services.render_summit(summit)  # as the editor's save of these changes does

    # Asked for in English, the German page still speaks German, and the other way round.
    german_page = client.get(german.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    english_page = client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")

    german_html, english_html = german_page.content.decode(), english_page.content.decode()
    assert 'Wladimir Putin <span class="role">(Präsident Russlands)</span>' in german_html
    assert "<dt>Wladimir Putin</dt>" in german_html
    assert "Rüstungskontrolle" in german_html and "Arms control" not in german_html
    assert '"name": "Wladimir Putin"' in german_html  # the structured data too
    assert 'Joe Biden <span class="role">(President of the United States)</span>' in german_html
    assert 'Vladimir Putin <span class="role">(President of Russia)</span>' in english_html
    assert "Arms control" in english_html and "Wladimir" not in english_html


def test_article_page_links_a_translation_scheduled_for_later_once_it_is_live(client):
    german = annotated_summit(language="de", slug="gipfel")
    english = annotated_summit(language="en", slug="summit", original=german)
    first = client.get(german.get_absolute_url())
    # The English one is rescheduled for later: its link goes from the German page at once,
    # and comes back when its time comes, when nothing is saved.
    english.publish_at = timezone.now() + datetime.timedelta(minutes=5)
    services.save_summit(english)
    link = f'hreflang="en" href="http://testserver{english.get_absolute_url()}"'
    before = client.get(german.get_absolute_url())
    assert link in first.content.decode() and link not in before.content.decode()

    later = timezone.now() + datetime.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = client.get(german.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert link in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_article_page_carries_structured_data_and_sharing_metadata(client):
    summit = annotated_summit(language="de")
    summit.participants.add(factories.ParticipantFactory(name="Joe Biden"))
    services.render_summit(summit)

    page = client.get(summit.get_absolute_url()).content.decode()

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == summit.title
    assert data["inLanguage"] == "de"
    assert data["about"]["@type"] == "Event"
    assert data["about"]["startDate"] == "2021-06-16"
    assert data["about"]["location"]["address"]["addressCountry"] == "CH"
    assert {"@type": "Person", "name": "Joe Biden"} in data["about"]["performer"]
    assert f'<link rel="canonical" href="http://testserver{summit.get_absolute_url()}">' in page
    assert '<meta property="og:title"' in page and 'name="twitter:card"' in page


def test_structured_data_cannot_break_out_of_its_script_element(client):
    summit = annotated_summit(title="</script><script>alert(1)</script>")
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page


def test_article_page_costs_at_most_six_queries_whatever_it_shows(
    client, django_assert_max_num_queries
):
    # The version (cold here), the summit row with its stored parts, the live translations.
    summit = annotated_summit()
    summit.participants.add(factories.ParticipantFactory())
    summit.topics.add(factories.TopicFactory())
    summit.items.update(topic=factories.TopicFactory())
    services.reanchor_summit(summit)
    with django_assert_max_num_queries(3) as few:
        client.get(summit.get_absolute_url())
    for position in range(2, 12):
        item = factories.ItemFactory(
            summit=summit,
            position=position,
            quote=factories.PASSAGES[1],
            topic=factories.TopicFactory(),
        )
        factories.ItemUpdateFactory.create_batch(3, item=item)
        dispute = factories.DisputeFactory(
            summit=summit, position=position, quote=factories.PASSAGES[2]
        )
        factories.StanceFactory.create_batch(2, item=dispute)
        factories.CorrectionFactory(summit=summit)
        summit.participants.add(factories.ParticipantFactory())
    factories.PublishedSummitFactory(original=summit, language="de", slug="gipfel")
    services.reanchor_summit(summit)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get(summit.get_absolute_url()).content.decode()
    assert page.count('class="item item--') == 22 and 'hreflang="de"' in page
    tables = " ".join(query["sql"] for query in many.captured_queries)
    for table in ("summits_item", "summits_stance", "summits_itemupdate", "summits_correction"):
        assert table not in tables


def test_cached_article_page_costs_no_query_and_changes_the_moment_an_editor_saves(
    client, django_assert_num_queries
):
    summit = annotated_summit(title="First headline")
    first = client.get(summit.get_absolute_url())
    with django_assert_num_queries(0):
        assert "First headline" in client.get(summit.get_absolute_url()).content.decode()
        assert (
            client.get(summit.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
            == 304
        )

    summit.title = "Second headline"
    services.save_summit(summit)

    assert "Second headline" in client.get(summit.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_cached_page_at_once(client):
    summit = annotated_summit()
    assert client.get(summit.get_absolute_url()).status_code == 200
    services.set_status(summit, SummitStatus.DRAFT)
    assert client.get(summit.get_absolute_url()).status_code == 404


def test_renaming_a_participant_renews_cached_pages(editor_client, client):
    summit = annotated_summit()
    participant = factories.ParticipantFactory(name="Old Name")
    summit.participants.add(participant)
    services.render_summit(summit)
    assert "Old Name" in client.get(summit.get_absolute_url()).content.decode()

    url = reverse("admin:summits_participant_change", args=[participant.pk])
    editor_client.post(
        url,
        {
            "name": "New Name",
            "slug": participant.slug,
            "role": "",
            "country": "CH",
            "wikidata_id": "",
        },
    )

    assert "New Name" in client.get(summit.get_absolute_url()).content.decode()


def test_conditional_request_gets_304_until_the_summit_changes(client):
    summit = annotated_summit()
    first = client.get(summit.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]

    assert (
        client.get(summit.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    services.render_summit(summit)
    assert (
        client.get(summit.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    )


def test_editor_previews_a_draft_through_the_same_templates(editor_client):
    draft = factories.SummitFactory(title="Draft headline")
    services.reanchor_summit(draft)

    response = editor_client.get(reverse("summits:preview", args=[draft.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview — not published" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_is_a_404_for_anyone_else(client):
    draft = factories.SummitFactory()
    assert client.get(reverse("summits:preview", args=[draft.slug])).status_code == 404


def test_signed_preview_link_works_for_an_outside_reviewer_until_it_expires(client, settings):
    draft = factories.SummitFactory(title="Draft for review")
    services.reanchor_summit(draft)
    url = reverse("summits:signed_preview", args=[make_token(draft)])

    assert "Draft for review" in client.get(url).content.decode()
    assert client.get(url[:-3] + "xx/").status_code == 404
    later = timezone.now().timestamp() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(url).status_code == 404


def test_signed_preview_tokens_are_not_valid_for_other_signed_values(client):
    forged = signing.TimestampSigner(salt="another.purpose").sign("1")
    assert client.get(reverse("summits:signed_preview", args=[forged])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "page=-1",
        "page=99999",
        "page=abc",
        "country=XX",
        "participant=nobody",
        "q=" + "x" * 5000,
    ],
)
def test_junk_list_parameters_give_the_normal_page_never_an_error(client, query):
    annotated_summit()
    response = client.get(reverse("summits:list") + "?" + query)
    assert response.status_code == 200


def test_invalid_filters_are_explained(client):
    response = client.get(reverse("summits:list") + "?year=abc")
    assert "could not be used" in response.content.decode()


def test_list_filters_by_year_country_participant_and_topic(client):
    biden = factories.ParticipantFactory(slug="joe-biden")
    topic = factories.TopicFactory(slug="arms-control")
    match = annotated_summit(title="Matching summit", country="CH")
    match.participants.add(biden)
    match.topics.add(topic)
    annotated_summit(title="Other year", start_date=datetime.date(2019, 5, 1))
    annotated_summit(title="Other country", country="AT")

    response = client.get(
        reverse("summits:list"),
        {"year": 2021, "country": "CH", "participant": "joe-biden", "topic": "arms-control"},
    )

    assert [summit.title for summit in response.context["page"].object_list] == ["Matching summit"]


def test_list_offers_only_countries_participants_and_topics_of_published_summits(client):
    live = annotated_summit(country="CH")
    annotated_summit(country="CH", start_date=datetime.date(2019, 5, 1))
    biden = factories.ParticipantFactory(slug="joe-biden", name="Joe Biden")
    live.participants.add(biden)
    arms = factories.TopicFactory(slug="arms-control", name="Arms control")
    arms.create_translation("de", name="Rüstungskontrolle")
    live.topics.add(arms)
    draft = factories.SummitFactory(country="FR")
    draft.participants.add(factories.ParticipantFactory(slug="only-in-a-draft"))
    draft.topics.add(factories.TopicFactory(slug="draft-topic"))

    form = client.get(reverse("summits:list"), HTTP_ACCEPT_LANGUAGE="de").context["filter"].form

    assert list(form.fields["country"].choices) == [("", "Alle Länder"), ("CH", "Schweiz")]
    # In the reader's language, or the default language's where there is no translation.
    assert list(form.fields["participant"].choices)[1:] == [("joe-biden", "Joe Biden")]
    assert list(form.fields["topic"].choices)[1:] == [("arms-control", "Rüstungskontrolle")]
    # A real country without a published summit is explained, not a silently empty list.
    refused = client.get(reverse("summits:list"), {"country": "FR"})
    assert refused.status_code == 200
    assert "could not be used" in refused.content.decode()


def test_tracker_offers_only_topics_that_agreements_have(client):
    summit = annotated_summit()
    agreement, dispute = summit.items.agreements().get(), summit.items.disputes().get()
    agreement.topic = factories.TopicFactory(slug="diplomacy")
    agreement.save()
    dispute.topic = factories.TopicFactory(slug="human-rights")
    dispute.save()

    form = client.get(reverse("summits:tracker")).context["filter"].form

    assert [slug for slug, _name in form.fields["topic"].choices][1:] == ["diplomacy"]


def test_search_finds_words_in_item_text_not_only_the_article(client):
    summit = annotated_summit(title="Quiet summit")
    item = summit.items.agreements().get()
    item.title = "Uranium enrichment caps"
    item.save()
    services.render_summit(summit)
    annotated_summit(title="Unrelated summit")

    response = client.get(reverse("summits:list"), {"q": "uranium"})

    assert [summit.title for summit in response.context["page"].object_list] == ["Quiet summit"]


def test_list_shows_counts_and_the_fate_of_agreements(client):
    summit = annotated_summit()
    services.record_item_update(
        summit.items.agreements().get(),
        date=datetime.date(2021, 7, 1),
        status="fulfilled",
        note="<p>Done.</p>",
    )
    page = client.get(reverse("summits:list")).content.decode()
    assert "1 agreement" in page and "1 fulfilled, 0 broken" in page and "1 dispute" in page


@pytest.fixture
def grown_page(client, django_assert_max_num_queries):
    """The page at `url` uncached with 2 summits from `add_summits(number)`, in at most `budget`
    queries, then with 10 more in no more queries: its HTML and those queries."""

    def grow(url, add_summits, *, budget):
        add_summits(2)
        with django_assert_max_num_queries(budget) as few:
            client.get(url)
        add_summits(10)
        cache.clear()
        with django_assert_max_num_queries(len(few.captured_queries)) as many:
            page = client.get(url).content.decode()
        return page, [query["sql"] for query in many.captured_queries]

    return grow


def test_tracker_query_count_is_constant(grown_page):
    # The version (two), the filter choices (two), the counts by status (which are the
    # paginator's count too), the page's rows with their summits, their follow-ups.
    def add_summits(number):
        for _ in range(number):
            summit = annotated_summit()
            factories.ItemUpdateFactory(item=summit.items.agreements().get())

    page, queries = grown_page(reverse("summits:tracker"), add_summits, budget=7)
    assert page.count("tracker-title") == 12
    # Not the summits' articles, stored parts or search text, fifty times over.
    assert not any("body_html" in sql for sql in queries)


def test_list_query_count_is_constant(grown_page):
    # The version (two), the filter choices (three: countries, participants and topics with
    # their names), the count, the page's ids and its rows with their stored cards: no item,
    # no participant of a card is loaded.
    def add_summits(number):
        for _ in range(number):
            summit = annotated_summit()
            summit.participants.add(factories.ParticipantFactory())
            summit.topics.add(factories.TopicFactory())
            services.render_summit(summit)

    page, queries = grown_page(reverse("summits:list"), add_summits, budget=8)
    assert page.count('<article class="card">') == 12
    assert not any("summits_item" in sql for sql in queries)


def test_tracker_counts_agreements_by_status_and_links_to_them(client):
    summit = annotated_summit()
    agreement = summit.items.agreements().get()
    services.record_item_update(
        agreement, date=datetime.date(2022, 2, 24), status="broken", note="<p>Off.</p>"
    )

    response = client.get(reverse("summits:tracker"))

    counts = {status.value: count for status, count in response.context["by_status"]}
    assert counts["broken"] == 1 and counts["announced"] == 0
    assert f"{summit.get_absolute_url()}#item-{agreement.pk}" in response.content.decode()


def test_feed_is_atom_with_updates_and_corrections(client):
    summit = annotated_summit(title="Feed summit")
    factories.CorrectionFactory(summit=summit, text="The venue was misspelt.")

    response = client.get(reverse("summits:feed"))

    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Feed summit" in body and "<updated>" in body and "The venue was misspelt." in body
    assert "Ambassadors return" in body and "Human rights" in body  # the items, in full


def test_sitemap_lists_published_summits_with_lastmod(client):
    summit = annotated_summit()
    factories.SummitFactory(title="Not yet out")  # a draft
    entries = sitemap_entries(client)
    assert [entry["loc"] for entry in entries] == [f"http://testserver{summit.get_absolute_url()}"]
    assert entries[0]["lastmod"] == summit.updated_at.strftime("%Y-%m-%d")


def test_the_sitemap_is_an_index_of_pages_each_of_a_bounded_size(
    client, monkeypatch, django_assert_max_num_queries
):
    # At 100,000 summits one page of 50,000 URLs was 6.9 MB and took seconds to build.
    monkeypatch.setattr(SummitSitemap, "limit", 2)
    summits = [factories.PublishedSummitFactory() for _ in range(5)]
    with django_assert_max_num_queries(2):  # the count and the newest change
        pages = sitemap_pages(client)
    assert pages == [
        "http://testserver/sitemap-summits.xml",
        "http://testserver/sitemap-summits.xml?p=2",
        "http://testserver/sitemap-summits.xml?p=3",
    ]
    listed = [entry["loc"] for entry in sitemap_entries(client)]
    assert sorted(listed) == sorted(f"http://testserver{s.get_absolute_url()}" for s in summits)
    index = client.get("/sitemap.xml").content.decode()
    newest = max(summit.updated_at for summit in summits)
    lastmods = re.findall(r"<lastmod>([^<]+)</lastmod>", index)
    assert [datetime.datetime.fromisoformat(moment) for moment in lastmods] == [newest] * 3


@pytest.mark.parametrize(
    "address", ["/sitemap-summits.xml?p=9", "/sitemap-summits.xml?p=x", "/sitemap-drafts.xml"]
)
def test_a_sitemap_page_that_does_not_exist_is_a_404(client, address):
    factories.PublishedSummitFactory()
    assert client.get(address).status_code == 404


def test_home_leads_to_the_list(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("summits:list")


def test_postgres_search_stems_german_words_in_german_summits(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "German stemming is PostgreSQL full-text search; run with DATABASE_URL=postgres://…"
        )
    german = annotated_summit(
        language="de",
        title="Gipfel",
        body="<p>Die Verhandlungen über Abrüstung dauerten lange.</p>",
    )
    annotated_summit(language="en", title="Other", body="<p>Nothing about that here.</p>")

    response = client.get(reverse("summits:list"), {"q": "Verhandlung"})

    assert [summit.pk for summit in response.context["page"].object_list] == [german.pk]


def test_summit_admin_offers_the_preview_and_a_working_reviewer_link(editor_client, client):
    draft = factories.SummitFactory(title="Draft with links")
    services.reanchor_summit(draft)
    page = editor_client.get(
        reverse("admin:summits_summit_change", args=[draft.pk])
    ).content.decode()

    assert reverse("summits:preview", args=[draft.slug]) in page
    reviewer_path = re.search(r'href="(/summits/preview/[^"]+/)"', page).group(1)
    assert "Draft with links" in client.get(reviewer_path).content.decode()


def test_list_is_cached_and_changes_when_a_summit_is_published_or_withdrawn(
    client, django_assert_num_queries
):
    first = annotated_summit(title="First live summit")
    url = reverse("summits:list")
    response = client.get(url)
    with django_assert_num_queries(0):  # the version of the published set is in the cache
        assert client.get(url).content == response.content
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304

    second = factories.SummitFactory(title="Second summit")
    services.publish(second)
    assert "Second summit" in client.get(url).content.decode()
    services.set_status(first, SummitStatus.DRAFT)
    assert "First live summit" not in client.get(url).content.decode()


def test_list_shows_a_scheduled_summit_once_its_time_has_come(client):
    scheduled = factories.SummitFactory(
        title="Scheduled summit",
        status=SummitStatus.PUBLISHED,
        publish_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert "Scheduled summit" not in client.get(reverse("summits:list")).content.decode()
    later = timezone.now() + datetime.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Scheduled summit" in client.get(reverse("summits:list")).content.decode()
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_tracker_is_paginated(client):
    summit = annotated_summit()
    for position in range(2, 60):
        factories.ItemFactory(summit=summit, position=position, quote=factories.PASSAGES[0])

    first = client.get(reverse("summits:tracker"))
    second = client.get(reverse("summits:tracker"), {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 9


def test_favicon_ico_redirects_to_the_newsroom_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("newsroom/favicon.svg")
    assert finders.find("newsroom/favicon.svg")


@pytest.mark.parametrize("url_name", ["summits:list", "summits:tracker", "detail"])
def test_tracking_parameters_never_make_a_new_cache_entry(client, url_name):
    summit = annotated_summit()
    url = summit.get_absolute_url() if url_name == "detail" else reverse(url_name)
    cache.clear()
    plain = client.get(url)
    entries = len(cache._cache)

    variants = [
        client.get(url, {"utm_source": f"newsletter-{number}", "fbclid": f"x{number}"})
        for number in range(20)
    ]

    assert {response["ETag"] for response in variants} == {plain["ETag"]}
    assert len(cache._cache) == entries
    assert "utm_source" not in variants[0].content.decode()


def test_the_list_keeps_the_parameters_it_understands_in_its_key_and_links(client):
    for number in range(conf.get("PAGE_SIZE") + 1):
        annotated_summit(title=f"Summit {number}", slug=f"summit-{number}")
    geneva = client.get(reverse("summits:list"), {"q": "Summit", "utm_source": "x"})
    other = client.get(reverse("summits:list"), {"q": "Other"})

    assert geneva["ETag"] != other["ETag"]
    page = geneva.content.decode()
    assert "q=Summit" in page and "page=2" in page and "utm_source" not in page
