"""Loads the demo content, and with --editor the demo users who log in to edit it."""

import datetime
import secrets
import zoneinfo
from collections import Counter

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from summits import conf, services
from summits.choices import SummitStatus
from summits.demo import geneva_2021
from summits.demo.records import DemoSummit
from summits.models import Correction, Item, ItemUpdate, Participant, Stance, Summit, Topic

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Where `make demo` serves the site.
DEMO_SITE = "http://127.0.0.1:8000"


def add_missing_translations(obj, names: dict[str, dict[str, str]]) -> None:
    """Gives a participant or topic its names in the languages it lacks; an editor's stay."""
    for language, fields in names.items():
        if not obj.has_translation(language):
            obj.create_translation(language, **fields)


class Command(BaseCommand):
    help = (
        "Loads the demo summit (Geneva 2021, in German with an English translation). "
        "Summits already there are left untouched, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--editor",
            action="store_true",
            help="Also create the staff users 'editor' and 'reporter', with new passwords.",
        )

    def handle(self, *args, editor=False, **options):
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Demo content loaded")
            participants = {}
            for demo in geneva_2021.PARTICIPANTS:
                participants[demo.slug], _ = Participant.objects.get_or_create(
                    slug=demo.slug,
                    defaults={"country": demo.country, "wikidata_id": demo.wikidata_id},
                )
                add_missing_translations(
                    participants[demo.slug],
                    {
                        language: {"name": name, "role": demo.role[language]}
                        for language, name in demo.name.items()
                    },
                )
            topics = {}
            for demo in geneva_2021.TOPICS:
                topics[demo.slug], _ = Topic.objects.get_or_create(slug=demo.slug)
                add_missing_translations(
                    topics[demo.slug],
                    {language: {"name": name} for language, name in demo.name.items()},
                )
            for demo in geneva_2021.SUMMITS:
                if Summit.objects.filter(slug=demo.slug).exists():
                    self.stdout.write(f"Summit “{demo.slug}” is already there; left it untouched.")
                    continue
                summit = self.load_summit(demo, participants, topics)
                self.stdout.write(
                    self.style.SUCCESS(f"Loaded summit “{summit.title}” ({summit.language}).")
                )
        if editor:
            self.create_users()

    def load_summit(
        self, demo: DemoSummit, participants: dict[str, Participant], topics: dict[str, Topic]
    ) -> Summit:
        summit = Summit(
            slug=demo.slug,
            language=demo.language,
            original=Summit.objects.get(slug=demo.original) if demo.original else None,
            title=demo.title,
            teaser=demo.teaser,
            credit_line=demo.credit_line,
            body=demo.body,
            city=demo.city,
            venue=demo.venue,
            country=demo.country,
            start_date=demo.start_date,
            status=SummitStatus.PUBLISHED,
            publish_at=demo.publish_at,
        )
        summit.full_clean()
        with transaction.atomic():
            change = services.SummitChange(summit)
            change.save()
            self.load_relations(summit, demo, participants, topics)
            # The demo tells a story that ends with its latest follow-up, not with the moment
            # it was loaded: readers see "updated" on that day.
            latest = max(
                (update.date for item in demo.items for update in item.updates), default=None
            )
            changed_at = (
                max(
                    datetime.datetime.combine(latest, datetime.time(12), tzinfo=BERLIN),
                    summit.publish_at,
                )
                if latest
                else None
            )
            report = change.finish(changed_at=changed_at)
            if report.drifted or report.orphaned:
                titles = ", ".join(item.title for item in report.drifted + report.orphaned)
                raise CommandError(f"These demo items' passages are not in the article: {titles}")
        return summit

    def load_relations(self, summit, demo, participants, topics):
        summit.participants.set([participants[slug] for slug in demo.participants])
        summit.topics.set([topics[slug] for slug in demo.topics])
        positions = Counter()
        for demo_item in demo.items:
            positions[demo_item.kind] += 1
            item = Item.objects.create(
                summit=summit,
                kind=demo_item.kind,
                position=positions[demo_item.kind],
                title=demo_item.title,
                summary=demo_item.summary,
                topic=topics[demo_item.topic],
                quote=demo_item.quote,
            )
            for stance in demo_item.stances:
                Stance.objects.create(
                    item=item,
                    participant=participants[stance.participant],
                    position=stance.position,
                    quote=stance.quote,
                    source_name=stance.source_name,
                )
            for update in demo_item.updates:
                ItemUpdate.objects.create(
                    item=item,
                    date=update.date,
                    status=update.status,
                    note=update.note,
                    source_name=update.source_name,
                )
            services.sync_item_status(item)
        for correction in demo.corrections:
            Correction.objects.create(
                summit=summit, published_at=correction.published_at, text=correction.text
            )

    @transaction.atomic
    def create_users(self):
        accounts = [
            ("editor", conf.get("EDITORS_GROUP"), "may publish"),
            ("reporter", conf.get("REPORTERS_GROUP"), "write and submit for review"),
        ]
        lines = []
        for username, group_name, role in accounts:
            password = self.create_user(username, group_name)
            lines.append(f"  username: {username:<9} password: {password}   ({group_name}: {role})")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo users (new passwords on every run); log in at "
                f"{DEMO_SITE}{reverse('admin:index')}"
            )
        )
        self.stdout.write("\n".join(lines))

    def create_user(self, username: str, group_name: str) -> str:
        """Makes the user a staff member of only this group, with a new password it returns."""
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(
                f"The group “{group_name}” does not exist; run `manage.py migrate` first."
            ) from None
        user_model = get_user_model()
        user, _ = user_model._default_manager.get_or_create(**{user_model.USERNAME_FIELD: username})
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_active = True
        user.is_staff = True
        user.is_superuser = False
        user.save()
        user.groups.set([group])
        return password
