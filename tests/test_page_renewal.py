"""Every write renews the pages readers and partners see: the safety net of the page caches.

For each way an editor, a command or time changes what readers see, every cached reader page
and API answer that shows the change gives the new content at once, under a new ETag, and the
ETag from before no longer gets a 304. Writes go the way users make them: the admin's forms,
buttons and changelist actions, History, the management commands, and the clock
(time-machine); the cache is the real one (local memory here).
"""

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import reversion
import time_machine
from django.contrib import messages
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from summits import services
from summits.choices import AgreementStatus, DisputeStatus, SummitStatus
from summits.models import Item, Summit
from tests import factories
from tests.admin_forms import add_inline_row, form_data
from tests.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db

AGREEMENTS, DISPUTES, CORRECTIONS = "items", "items-2", "corrections"
CHANGELIST = reverse("admin:summits_summit_changelist")
SITEMAP = "/sitemap.xml"
FEED = reverse("summits:feed")
# The surfaces not cached under an ETag; every other answer must carry one (summits.caching),
# or the checks of renewal below would pass on nothing.
UNCACHED = (FEED, SITEMAP)

# Where the world's summit's headline shows: its page, its translation's (the link to it),
# the lists, the tracker (each agreement names its summit), the feed and the API.
HEADLINE_SURFACES = (
    "article",
    "translation",
    "list",
    "filtered",
    "tracker",
    "feed",
    "api_detail",
    "api_list",
)
# Where its address shows, or the summit itself (its page and API entry are 404 once gone).
LISTINGS = ("list", "filtered", "tracker", "feed", "sitemap", "api_list")


# -- What a surface answers, and what it must answer ---------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    etag: str | None
    body: str


@dataclass(frozen=True)
class Shows:
    """The surface answers 200 with every text; renewed: under a new ETag since priming."""

    surface: str
    texts: tuple[str, ...]
    renewed: bool = True
    shown = True  # Lacks: without any of them

    def failures(self, world) -> list[str]:
        now = world.fetch(self.surface)
        if now.status != 200:
            return [f"{self.surface}: {now.status}, not 200"]
        wrong = "is not shown" if self.shown else "is still shown"
        problems = [
            f"{self.surface}: {text!r} {wrong}"
            for text in self.texts
            if (text in now.body) != self.shown
        ]
        return problems + (world.renewal_failures(self.surface, now) if self.renewed else [])


class Lacks(Shows):
    """The surface answers 200 without any of the texts; renewed: as for Shows."""

    shown = False


@dataclass(frozen=True)
class NotFound:
    """The surface answers 404, to a conditional request with the ETag from before too."""

    surface: str

    def failures(self, world) -> list[str]:
        now = world.fetch(self.surface)
        if now.status != 404:
            return [f"{self.surface}: {now.status}, not 404"]
        before = world.primed.get(self.surface)
        if before is not None and before.etag:
            again = world.fetch(self.surface, if_none_match=before.etag)
            if again.status != 404:
                return [f"{self.surface}: {again.status} to the ETag from before, not 404"]
        return []


@dataclass(frozen=True)
class Unchanged:
    """The surface answers as it did when primed, word for word."""

    surface: str

    def failures(self, world) -> list[str]:
        now, before = world.fetch(self.surface), world.primed[self.surface]
        if (now.status, now.body) != (before.status, before.body):
            return [f"{self.surface}: answers differently than before ({now.status})"]
        return []


def shows(surfaces, *texts):
    return [Shows(surface, texts) for surface in _names(surfaces)]


def still_shows(surfaces, *texts):
    """Shows, without asking for renewal: a change readers must not see yet."""
    return [Shows(surface, texts, renewed=False) for surface in _names(surfaces)]


def lacks(surfaces, *texts):
    return [Lacks(surface, texts) for surface in _names(surfaces)]


def still_lacks(surfaces, *texts):
    return [Lacks(surface, texts, renewed=False) for surface in _names(surfaces)]


def not_found(surfaces):
    return [NotFound(surface) for surface in _names(surfaces)]


def _names(surfaces):
    return [surfaces] if isinstance(surfaces, str) else list(surfaces)


# -- The world: a published summit, its translation, and every surface primed ---------------


class World:
    """The content, the clients (a reader, a partner, an editor) and the surfaces watched."""

    def __init__(self, client, api, editor):
        self.client, self.api, self.editor = client, api, editor
        self.surfaces: dict[str, str] = {}
        self.primed: dict[str, Answer] = {}
        self.checked = 0

    def watch(self, name, url):
        self.surfaces[name] = url

    def watch_summit(self, prefix, summit):
        """The page and the API entry of one more summit, as `<prefix>_page`, `<prefix>_api`."""
        self.watch(f"{prefix}_page", f"/summits/{summit.slug}/")
        self.watch(f"{prefix}_api", f"/api/v1/summits/{summit.slug}/")

    def fetch(self, name, *, if_none_match=None) -> Answer:
        if self.surfaces[name] == SITEMAP:
            # Read as a crawler does, the index then its pages; not cached, so no ETag.
            lines = [
                f"{entry['loc']} {entry.get('lastmod', '')}"
                for entry in sitemap_entries(self.client)
            ]
            return Answer(200, None, "\n".join(lines))
        address = self.surfaces[name]
        client = self.api if address.startswith("/api/") else self.client
        headers = {"HTTP_IF_NONE_MATCH": if_none_match} if if_none_match else {}
        response = client.get(address, **headers)
        return Answer(response.status_code, response.get("ETag"), response.content.decode())

    def prime(self):
        """GETs every surface once: what readers and partners (and the cache) now hold."""
        self.primed = {name: self.fetch(name) for name in self.surfaces}
        for name, answer in self.primed.items():
            if answer.status == 200 and self.surfaces[name] not in UNCACHED:
                assert answer.etag, f"{name} answered without an ETag"

    def renewal_failures(self, surface, now: Answer) -> list[str]:
        before = self.primed.get(surface)
        if before is None or before.etag is None:
            return []  # not there when primed (a 404), or not cached (the feed, the sitemap)
        problems = []
        if now.etag == before.etag:
            problems.append(f"{surface}: the ETag is the one from before the change")
        again = self.fetch(surface, if_none_match=before.etag)
        if again.status == 304:
            problems.append(f"{surface}: the ETag from before the change still gets a 304")
        elif again.body != now.body:
            problems.append(f"{surface}: answers the ETag from before with another body")
        return problems

    def check(self, *groups):
        """Asserts every expectation (given alone or in lists), naming each one that fails."""
        expectations = [
            one for group in groups for one in (group if isinstance(group, list) else [group])
        ]
        problems = [
            problem for expectation in expectations for problem in expectation.failures(self)
        ]
        self.checked += len(expectations)
        assert not problems, "\n".join(problems)


@pytest.fixture
def world(client, api, editor_client):
    cache.clear()
    alpha = factories.ParticipantFactory(name="Leader Alpha", slug="leader-alpha")
    beta = factories.ParticipantFactory(name="Leader Beta", slug="leader-beta", country="US")
    topic = factories.TopicFactory(name="Nuclear arms", slug="nuclear-arms")
    summit = factories.PublishedSummitFactory(title="Geneva talks", slug="geneva-talks")
    summit.participants.set([alpha, beta])
    summit.topics.set([topic])
    agreement = factories.ItemFactory(
        summit=summit,
        title="Ambassadors return",
        position=1,
        quote=factories.PASSAGES[0],
        topic=topic,
    )
    services.record_item_update(
        agreement,
        date=datetime.date(2021, 7, 28),
        status=AgreementStatus.IN_PROGRESS,
        note="<p>Envoys back in July.</p>",
    )
    dispute = factories.DisputeFactory(
        summit=summit, title="Human rights", position=1, quote=factories.PASSAGES[3]
    )
    factories.StanceFactory(
        item=dispute, participant=alpha, position="Calls it an internal affair."
    )
    translation = factories.PublishedSummitFactory(
        title="Genfer Gipfel", slug="genfer-gipfel", language="de", original=summit
    )
    translation.participants.set([alpha])

    world = World(client, api, editor_client)
    world.summit, world.translation = summit, translation
    world.agreement, world.dispute = agreement, dispute
    world.alpha, world.beta, world.topic = alpha, beta, topic
    world.watch("article", summit.get_absolute_url())
    world.watch("translation", translation.get_absolute_url())
    world.watch("list", reverse("summits:list"))
    world.watch("filtered", f"{reverse('summits:list')}?participant={alpha.slug}")
    world.watch("tracker", reverse("summits:tracker"))
    world.watch("feed", FEED)
    world.watch("sitemap", SITEMAP)
    world.watch("api_detail", f"/api/v1/summits/{summit.slug}/")
    world.watch("api_translation", f"/api/v1/summits/{translation.slug}/")
    world.watch("api_list", "/api/v1/summits/")
    return world


# -- What the surfaces show of a summit ----------------------------------------------------


def link(summit):
    """A reader page's link to the summit (a card, the tracker, the list of translations)."""
    return f'href="/summits/{summit.slug}/'


def url(summit):
    """The summit's address as the feed and the sitemap give it."""
    return f"http://testserver/summits/{summit.slug}/"


def api_entry(summit):
    return f'"slug":"{summit.slug}"'


def api_translation(summit):
    """The summit as another summit's API entry lists it among its translations."""
    return f'{{"id":{summit.pk},"language":"{summit.language}","slug":"{summit.slug}"'


def everywhere_gone(world, summit=None):
    """A summit no reader or partner may see any more: 404, absent from every listing."""
    summit = summit or world.summit
    return [
        *not_found(["article", "api_detail"]),
        *lacks(["list", "filtered", "feed", "api_list"], summit.title),
        *lacks(["list", "filtered", "tracker"], link(summit)),
        *lacks(["feed", "sitemap"], url(summit)),
        *lacks("api_list", api_entry(summit)),
        # Its translation stays, without its link to it.
        *lacks("translation", link(summit)),
        *lacks("api_translation", api_translation(summit)),
    ]


def everywhere_shown(world, prefix, summit):
    """A summit readers and partners see now: its page and entry, and in every listing."""
    return [
        *shows([f"{prefix}_page", f"{prefix}_api"], summit.title),
        *shows(["list", "filtered", "feed", "api_list"], summit.title),
        *shows(["list", "filtered", "tracker"], link(summit)),
        *shows(["feed", "sitemap"], url(summit)),
        *shows("api_list", api_entry(summit)),
    ]


def nowhere_yet(world, prefix, summit):
    return [
        *not_found([f"{prefix}_page", f"{prefix}_api"]),
        *still_lacks(["list", "filtered", "tracker"], link(summit)),
        *still_lacks(["feed", "sitemap"], url(summit)),
        *still_lacks("api_list", api_entry(summit)),
    ]


# -- How editors write: the admin's forms, buttons and actions ------------------------------


def change_url(summit):
    return reverse("admin:summits_summit_change", args=[summit.pk])


def press(world, summit, button=None, **fields):
    """Submits the summit's form as an editor does: as loaded, with `fields` changed."""
    data = form_data(world.editor.get(change_url(summit)))
    data.update(fields)
    if button:
        data[button] = "pressed"
    return submitted(world.editor.post(change_url(summit), data, follow=True))


def submitted(response):
    """The page the editor lands on after a POST; fails on a form error or an error message."""
    assert response.redirect_chain, form_errors(response)
    refused = [str(m) for m in response.context["messages"] if m.level >= messages.ERROR]
    assert not refused, refused
    return response


def form_errors(response):
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())


def act_on_selected(world, action, *summits, **extra):
    """A bulk action of the summits' changelist, as an editor picks it."""
    data = {"action": action, "_selected_action": [summit.pk for summit in summits], **extra}
    return submitted(world.editor.post(CHANGELIST, data, follow=True))


def schedule_fields(when):
    when = timezone.localtime(when)
    return {"publish_at_0": when.strftime("%Y-%m-%d"), "publish_at_1": when.strftime("%H:%M:%S")}


def item_url(item):
    kind = "agreement" if item.kind == "agreement" else "dispute"
    return reverse(f"admin:summits_{kind}_change", args=[item.pk])


def edit_item_in_draft(world, item, change: Callable[[dict], None]):
    """The item's own page of a live summit: "Edit in the working draft", then its form."""
    kind = "agreement" if item.kind == "agreement" else "dispute"
    world.editor.post(reverse(f"admin:summits_{kind}_edit_in_draft", args=[item.pk]))
    copy = Item.objects.get(live_item=item)
    data = form_data(world.editor.get(item_url(copy)))
    change(data)
    submitted(world.editor.post(item_url(copy), data, follow=True))


def delete_in_admin(world, model, obj):
    url = reverse(f"admin:summits_{model}_delete", args=[obj.pk])
    assert world.editor.get(url).status_code == 200
    submitted(world.editor.post(url, {"post": "yes"}, follow=True))


def renamed_in_admin(world, model, obj, name):
    url = reverse(f"admin:summits_{model}_change", args=[obj.pk])
    data = form_data(world.editor.get(url))
    data["name"] = name
    submitted(world.editor.post(url, data, follow=True))


def a_draft(world, **fields):
    """A summit a reporter has written and nobody reads yet, with an agreement and a leader."""
    summit = factories.SummitFactory(
        **{"title": "Helsinki talks", "slug": "helsinki-talks", **fields}
    )
    summit.participants.set([world.alpha])
    factories.ItemFactory(
        summit=summit, title="Hotline agreed", position=1, quote=factories.PASSAGES[1]
    )
    return summit


# -- The operations: one function each, which writes and says what readers see then ---------


def publish_changes_of_a_headline(world):
    press(world, world.summit, title="Talks by the lake")  # saved in the working draft
    world.check(
        still_shows(HEADLINE_SURFACES, "Geneva talks"),
        still_lacks(HEADLINE_SURFACES, "Talks by the lake"),
    )
    world.prime()
    press(world, world.summit, "_publish_changes")
    world.check(
        shows(HEADLINE_SURFACES, "Talks by the lake"),
        lacks(HEADLINE_SURFACES, "Geneva talks"),
    )


def publish_changes_of_the_address(world):
    press(world, world.summit, "_publish_changes", slug="geneva-talks-2021")
    world.watch_summit("moved", Summit.objects.get(slug="geneva-talks-2021"))
    world.check(
        not_found(["article", "api_detail"]),
        shows(["moved_page", "moved_api"], "Geneva talks"),
        shows(["translation", "list", "filtered", "tracker"], 'href="/summits/geneva-talks-2021/'),
        lacks(["translation", "list", "filtered", "tracker"], 'href="/summits/geneva-talks/'),
        shows(["feed", "sitemap"], "http://testserver/summits/geneva-talks-2021/"),
        lacks(["feed", "sitemap"], "http://testserver/summits/geneva-talks/"),
        shows("api_list", '"slug":"geneva-talks-2021"'),
        shows("api_translation", '"slug":"geneva-talks-2021"'),
    )


def publish_now(world):
    draft = world.draft
    press(world, draft, "_publish")
    world.check(everywhere_shown(world, "draft", draft), shows("tracker", "Hotline agreed"))


def publish_now_setup(world):
    world.draft = a_draft(world)
    world.watch_summit("draft", world.draft)


def schedule_then_time_passes(world):
    draft = world.draft
    press(
        world, draft, "_schedule", **schedule_fields(timezone.now() + datetime.timedelta(minutes=5))
    )
    world.check(nowhere_yet(world, "draft", draft))
    world.prime()
    # Not as far as the cache's timeout (an hour): the entries from before are still there.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=True):
        world.check(everywhere_shown(world, "draft", draft), shows("tracker", "Hotline agreed"))


def publish_selected(world):
    act_on_selected(world, "publish_selected", world.draft)
    world.check(everywhere_shown(world, "draft", world.draft))


def unpublish(world):
    press(world, world.summit, "_unpublish")
    world.check(everywhere_gone(world))


def archive(world):
    press(world, world.summit, "_archive")
    world.check(everywhere_gone(world))


def unpublish_selected(world):
    act_on_selected(world, "unpublish_selected", world.summit)
    world.check(everywhere_gone(world))


def archive_selected(world):
    act_on_selected(world, "archive_selected", world.summit)
    world.check(everywhere_gone(world))


def archived_setup(world):
    services.set_status(world.summit, SummitStatus.ARCHIVED, user=factories.editor())


def back_to_draft(world):
    """An archived summit brought back as a draft stays off the site."""
    press(world, world.summit, "_unarchive")
    world.check(
        not_found(["article", "api_detail"]),
        still_lacks(["list", "filtered", "tracker", "translation"], link(world.summit)),
        still_lacks(["feed", "sitemap"], url(world.summit)),
        still_lacks("api_list", api_entry(world.summit)),
    )


def back_to_draft_and_published_again(world):
    press(world, world.summit, "_unarchive")
    press(world, world.summit, "_publish")
    world.watch_summit("again", world.summit)
    world.check(
        everywhere_shown(world, "again", world.summit),
        shows("article", "Geneva talks"),
        shows("translation", link(world.summit)),
        shows("api_translation", api_translation(world.summit)),
        shows("tracker", "Ambassadors return"),
    )


def delete(world):
    delete_in_admin(world, "summit", world.summit)
    world.check(everywhere_gone(world))


def delete_selected(world):
    act_on_selected(world, "delete_selected", world.summit, post="yes")
    world.check(everywhere_gone(world))


def follow_up_on_the_item_page(world):
    note = "Talks suspended in February."
    edit_item_in_draft(
        world,
        world.agreement,
        lambda data: add_inline_row(
            data, "updates", date="2022-02-24", status="broken", note=f"<p>{note}</p>"
        ),
    )
    world.check(still_lacks(["article", "api_detail", "api_list"], note))
    world.prime()
    press(world, world.summit, "_publish_changes")
    world.check(
        shows("article", note, "badge--agreement badge--broken"),
        shows("tracker", 'badge--broken">Broken</span></th><td>1</td>'),
        shows(["list", "filtered"], "0 fulfilled, 1 broken"),
        shows("feed", "(Broken)"),
        shows(["api_detail", "api_list"], note, '"status":"broken"'),
    )


def follow_up_in_the_summits_row(world):
    note = "A working group met in September."
    data = form_data(world.editor.get(change_url(world.summit)))
    add_inline_row(
        data,
        f"{DISPUTES}-0-updates",
        date="2021-09-01",
        status=DisputeStatus.NARROWED,
        note=f"<p>{note}</p>",
    )
    data["_publish_changes"] = "pressed"
    submitted(world.editor.post(change_url(world.summit), data, follow=True))
    world.check(
        shows("article", note, "badge--dispute badge--narrowed"),
        shows("feed", "(Narrowed)"),
        shows(["api_detail", "api_list"], note, '"status":"narrowed"'),
    )


def stance_changed_on_the_item_page(world):
    def reworded(data):
        data["stances-0-position"] = "Will not be lectured on rights."

    edit_item_in_draft(world, world.dispute, reworded)
    world.prime()
    press(world, world.summit, "_publish_changes")
    world.check(
        shows(["article", "api_detail", "api_list"], "Will not be lectured on rights."),
        lacks(["article", "api_detail", "api_list"], "Calls it an internal affair."),
    )


def agreement_removed(world):
    press(world, world.summit, "_publish_changes", **{f"{AGREEMENTS}-0-DELETE": "on"})
    world.check(
        lacks(["article", "tracker", "feed", "api_detail", "api_list"], "Ambassadors return"),
        shows(["list", "filtered"], "0 agreements"),
    )


def correction_added(world):
    text = "An earlier version misnamed the venue."
    data = form_data(world.editor.get(change_url(world.summit)))
    add_inline_row(
        data, CORRECTIONS, published_at_0="2021-06-20", published_at_1="10:00:00", text=text
    )
    data["_publish_changes"] = "pressed"
    submitted(world.editor.post(change_url(world.summit), data, follow=True))
    world.check(shows(["article", "feed", "api_detail", "api_list"], text))


def with_an_older_headline_setup(world):
    """The summit's History holds its first headline; a later one is live."""
    with reversion.create_revision():
        reversion.add_to_revision(world.summit)
    press(world, world.summit, "_publish_changes", title="Lakeside meeting")


def history_restore(world):
    first = Version.objects.get_for_object(world.summit).order_by("pk").first()
    url = reverse("admin:summits_summit_revision", args=[world.summit.pk, first.pk])
    assert world.editor.get(url).status_code == 200
    submitted(world.editor.post(url, {"restore": "yes"}, follow=True))
    # A live summit's old content comes back in its working draft.
    world.check(still_shows(HEADLINE_SURFACES, "Lakeside meeting"))
    world.prime()
    press(world, world.summit, "_publish_changes")
    world.check(
        shows(HEADLINE_SURFACES, "Geneva talks"),
        lacks(HEADLINE_SURFACES, "Lakeside meeting"),
    )


def deleted_setup(world):
    with reversion.create_revision():
        reversion.add_to_revision(world.summit)
    delete_in_admin(world, "summit", world.summit)


def recover_then_publish(world):
    deleted = Version.objects.get_deleted(Summit).get()
    url = reverse("admin:summits_summit_recover", args=[deleted.pk])
    assert world.editor.get(url).status_code == 200
    submitted(world.editor.post(url, {"restore": "yes"}, follow=True))
    recovered = Summit.objects.get(slug="geneva-talks")
    world.check(  # back as a draft: still nobody's to read
        not_found(["article", "api_detail"]),
        still_lacks(["list", "filtered", "tracker"], link(recovered)),
        still_lacks("api_list", api_entry(recovered)),
    )
    world.prime()
    press(world, recovered, "_publish")
    world.watch_summit("recovered", recovered)
    world.check(
        everywhere_shown(world, "recovered", recovered),
        shows("article", "Ambassadors return", "Calls it an internal affair."),
    )


def participant_renamed(world):
    renamed_in_admin(world, "participant", world.alpha, "Leader Omega")
    surfaces = [*HEADLINE_SURFACES, "api_translation"]
    surfaces.remove("feed")  # the feed names no participant
    world.check(shows(surfaces, "Leader Omega"), lacks(surfaces, "Leader Alpha"))


def topic_renamed(world):
    renamed_in_admin(world, "topic", world.topic, "Missile talks")
    surfaces = ["article", "list", "filtered", "tracker", "api_detail", "api_list"]
    world.check(shows(surfaces, "Missile talks"), lacks(surfaces, "Nuclear arms"))


def participant_deleted(world):
    delete_in_admin(world, "participant", world.beta)
    surfaces = ["article", "list", "filtered", "tracker", "api_detail", "api_list"]
    world.check(lacks(surfaces, "Leader Beta"), shows(["article", "list"], "Leader Alpha"))


def participants_deleted_selected(world):
    data = {"action": "delete_selected", "_selected_action": [world.beta.pk], "post": "yes"}
    submitted(world.editor.post(reverse("admin:summits_participant_changelist"), data, follow=True))
    surfaces = ["article", "list", "filtered", "tracker", "api_detail", "api_list"]
    world.check(lacks(surfaces, "Leader Beta"), shows(["article", "list"], "Leader Alpha"))


def unlinked_setup(world):
    press(world, world.translation, "_publish_changes", original="")


def translation_linked(world):
    press(world, world.translation, "_publish_changes", original=str(world.summit.pk))
    world.check(
        shows("article", link(world.translation)),
        shows("translation", link(world.summit)),
        shows("api_detail", api_translation(world.translation)),
        shows("api_translation", api_translation(world.summit)),
        shows("api_list", api_translation(world.translation), api_translation(world.summit)),
    )


def translation_unlinked(world):
    press(world, world.translation, "_publish_changes", original="")
    world.check(
        lacks("article", link(world.translation)),
        lacks("translation", link(world.summit)),
        lacks("api_detail", api_translation(world.translation)),
        lacks("api_translation", api_translation(world.summit)),
        lacks("api_list", api_translation(world.translation), api_translation(world.summit)),
    )


def translation_offline_setup(world):
    services.set_status(world.translation, SummitStatus.DRAFT, user=factories.editor())


def translation_scheduled_then_time_passes(world):
    when = timezone.now() + datetime.timedelta(minutes=5)
    press(world, world.translation, "_schedule", **schedule_fields(when))
    world.check(
        not_found(["translation", "api_translation"]),
        still_lacks("article", link(world.translation)),
        still_lacks(["api_detail", "api_list"], api_translation(world.translation)),
    )
    world.prime()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10), tick=True):
        world.check(
            shows("translation", "Genfer Gipfel", link(world.summit)),
            shows("api_translation", api_translation(world.summit)),
            shows("article", link(world.translation)),
            shows(["list", "feed", "api_list"], "Genfer Gipfel"),
            shows(["api_detail", "api_list"], api_translation(world.translation)),
        )


def seed_bulk(world):
    call_command("seed_bulk", "--summits", "3", stdout=io.StringIO())
    added = list(Summit.objects.filter(slug__startswith="bulk-"))
    assert len(added) == 3
    world.check(
        *(shows(["list", "tracker"], link(summit)) for summit in added),
        *(shows(["feed", "sitemap"], url(summit)) for summit in added),
        *(shows("api_list", api_entry(summit)) for summit in added),
    )


def seed_demo(world):
    call_command("seed_demo", stdout=io.StringIO())
    demo = list(Summit.objects.filter(slug__in=["gipfel-genf-2021", "geneva-summit-2021"]))
    assert len(demo) == 2
    world.check(
        *(shows(["list", "tracker"], link(summit)) for summit in demo),
        *(shows(["feed", "sitemap"], url(summit)) for summit in demo),
        *(shows("api_list", api_entry(summit)) for summit in demo),
    )


@dataclass(frozen=True)
class Operation:
    act: Callable
    setup: Callable | None = None  # before priming: the state the operation starts from
    bug: str = ""  # a defect of the code as it is: the case is expected to fail, strictly


OPERATIONS = {
    "summit form, publish changes: new headline": Operation(publish_changes_of_a_headline),
    "summit form, publish changes: new address": Operation(publish_changes_of_the_address),
    "publish now": Operation(publish_now, publish_now_setup),
    "schedule, then time passes": Operation(schedule_then_time_passes, publish_now_setup),
    "changelist: publish selected": Operation(publish_selected, publish_now_setup),
    "unpublish": Operation(unpublish),
    "archive": Operation(archive),
    "changelist: unpublish selected": Operation(unpublish_selected),
    "changelist: archive selected": Operation(archive_selected),
    "archived, back to draft": Operation(back_to_draft, archived_setup),
    "archived, back to draft, published again": Operation(
        back_to_draft_and_published_again, archived_setup
    ),
    "delete": Operation(delete),
    "changelist: delete selected": Operation(delete_selected),
    "item page: follow-up, publish changes": Operation(follow_up_on_the_item_page),
    "summit form: follow-up in the item's row": Operation(follow_up_in_the_summits_row),
    "item page: stance reworded, publish changes": Operation(stance_changed_on_the_item_page),
    "summit form: agreement removed": Operation(agreement_removed),
    "summit form: correction added": Operation(correction_added),
    "history: restore an old revision": Operation(history_restore, with_an_older_headline_setup),
    "recover a deleted summit, publish it": Operation(recover_then_publish, deleted_setup),
    "participant renamed": Operation(participant_renamed),
    "topic renamed": Operation(topic_renamed),
    "participant deleted": Operation(participant_deleted),
    "participants changelist: delete selected": Operation(participants_deleted_selected),
    "translation linked": Operation(translation_linked, unlinked_setup),
    "translation unlinked": Operation(translation_unlinked),
    "translation scheduled, then time passes": Operation(
        translation_scheduled_then_time_passes,
        translation_offline_setup,
    ),
    "seed_bulk --summits 3": Operation(seed_bulk),
    "seed_demo beside newer summits": Operation(
        seed_demo,
    ),
}


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            operation,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=operation.bug)] if operation.bug else [],
        )
        for name, operation in OPERATIONS.items()
    ],
)
def test_every_write_renews_what_readers_and_partners_see(world, operation):
    if operation.setup:
        operation.setup(world)
    world.prime()

    operation.act(world)

    assert world.checked, "the operation said nothing of what readers see"


def test_seed_demo_on_an_empty_database_renews_the_lists_then_changes_nothing(
    client, api, editor_client
):
    cache.clear()
    world = World(client, api, editor_client)
    for name, address in [
        ("list", reverse("summits:list")),
        ("tracker", reverse("summits:tracker")),
        ("feed", FEED),
        ("sitemap", SITEMAP),
        ("api_list", "/api/v1/summits/"),
        ("demo_page", "/summits/gipfel-genf-2021/"),
        ("demo_api", "/api/v1/summits/gipfel-genf-2021/"),
    ]:
        world.watch(name, address)
    world.prime()

    call_command("seed_demo", stdout=io.StringIO())

    german, english = Summit.objects.get(language="de"), Summit.objects.get(language="en")
    world.check(
        shows(["demo_page", "demo_api"], german.title),
        shows("demo_page", link(english)),
        *(shows(["list", "tracker"], link(summit)) for summit in (german, english)),
        *(shows(["feed", "sitemap"], url(summit)) for summit in (german, english)),
        *(shows("api_list", api_entry(summit)) for summit in (german, english)),
    )
    world.prime()

    call_command("seed_demo", stdout=io.StringIO())

    world.check([Unchanged(name) for name in world.surfaces])
