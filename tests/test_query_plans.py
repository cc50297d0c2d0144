"""The reader list's queries are served by an index, whatever the number of summits: at 100,000
summits the sequential scans they made took 0.05 to 0.14 s each (issue 14, part 5).

A test database is too small for the planner to prefer an index, so sequential scans are
switched off: what is asserted is that an index can serve the query (its columns and its
condition fit), which is what a large table's planner then picks.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's query plans; run with DATABASE_URL=postgres://…")

    def explain(sql, params):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    return explain


def list_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize("url", ["", "?page=2", "?country=CH", "?year=2021"])
def test_the_lists_count_order_and_countries_are_served_by_its_indexes(client, plans, url):
    for number in range(3):
        factories.PublishedSummitFactory(slug=f"live-{number}")
    factories.SummitFactory(slug="a-draft")

    queries = list_queries(client, reverse("summits:list") + url)

    on_summits = [
        query["sql"]
        for query in queries
        if query["sql"].startswith(
            ("SELECT COUNT", "SELECT DISTINCT", 'SELECT "summits_summit"."id" AS "pk"')
        )
    ]
    assert len(on_summits) == 3  # the count, the countries, the page's ids
    for sql in on_summits:
        plan = plans(sql, None)  # the logged SQL has its parameters in place
        assert "Seq Scan on summits_summit" not in plan, (sql, plan)
        assert "summit_list_idx" in plan or "summit_country_idx" in plan, (sql, plan)


@pytest.mark.parametrize("url", ["summits:list", "summits:tracker"])
def test_the_filter_choices_look_up_one_live_link_per_participant_and_topic(client, plans, url):
    # As EXISTS, PostgreSQL joined every link to every published summit.
    summit = factories.PublishedSummitFactory()
    summit.participants.add(factories.ParticipantFactory())
    summit.topics.add(factories.TopicFactory())
    factories.ItemFactory(summit=summit, topic=factories.TopicFactory())

    queries = list_queries(client, reverse(url))

    choices = [
        query["sql"]
        for query in queries
        if query["sql"].startswith(('SELECT "summits_participant"', 'SELECT "summits_topic"'))
    ]
    assert len(choices) == 2
    for sql in choices:
        plan = plans(sql, None)
        assert "SubPlan" in plan and "Hash" not in plan, (sql, plan)
        for table in ("summits_summit ", "summits_summit_participants", "summits_summit_topics"):
            assert f"Seq Scan on {table}" not in plan, (sql, plan)
        assert "Seq Scan on summits_item" not in plan, (sql, plan)
