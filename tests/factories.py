"""factory_boy factories for the summits models."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from parler import appsettings as parler_settings

from summits import conf, services
from summits.choices import AgreementStatus, DisputeStatus, ItemKind, SummitStatus
from summits.models import Correction, Item, ItemUpdate, Participant, Stance, Summit, Topic

ARTICLE = (
    "<p>Two heads of state met for four hours in a lakeside villa and agreed that their "
    "ambassadors would return to their posts within weeks.</p>"
    "<p>They also launched a dialogue on strategic stability that is meant to prepare "
    "future arms control talks between both governments.</p>"
    "<p>Experts on both sides will meet to discuss cybersecurity and the protection of "
    "critical infrastructure such as power grids and water supply.</p>"
    "<p>On human rights the two leaders remained far apart, and neither hid it afterwards.</p>"
)

PASSAGES = [
    "ambassadors would return to their posts",
    "a dialogue on strategic stability",
    "discuss cybersecurity",
    "the two leaders remained far apart",
]


class TranslatedFactory(factory.django.DjangoModelFactory):
    """Names go in as the default language's, whatever language a request left active."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with translation.override(parler_settings.PARLER_DEFAULT_LANGUAGE_CODE):
            return super()._create(model_class, *args, **kwargs)


class ParticipantFactory(TranslatedFactory):
    class Meta:
        model = Participant
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Leader {n}")
    slug = factory.Sequence(lambda n: f"leader-{n}")
    role = "Head of state"
    country = "CH"


class TopicFactory(TranslatedFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SummitFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Summit number {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    teaser = "Two leaders met and agreed on little."
    body = ARTICLE
    language = "en"
    city = "Geneva"
    venue = "Villa La Grange"
    country = "CH"
    start_date = datetime.date(2021, 6, 16)
    status = SummitStatus.DRAFT

    class Meta:
        model = Summit
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the one write path, as every save of a summit goes: the rendered article,
        # the search text, and what partners must learn of it.
        summit = model_class(*args, **kwargs)
        services.save_summit(summit)
        return summit


class PublishedSummitFactory(SummitFactory):
    status = SummitStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class ItemFactory(factory.django.DjangoModelFactory):
    summit = factory.SubFactory(SummitFactory)
    kind = ItemKind.AGREEMENT
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    summary = "<p>What was agreed, in brief.</p>"
    status = factory.LazyAttribute(
        lambda item: (
            AgreementStatus.ANNOUNCED if item.kind == ItemKind.AGREEMENT else DisputeStatus.OPEN
        )
    )
    quote = factory.Sequence(lambda n: PASSAGES[n % len(PASSAGES)])

    class Meta:
        model = Item
        skip_postgeneration_save = True

    @factory.post_generation
    def rendered(self, create, extracted, **kwargs):
        if create:
            services.render_summit(self.summit)


class DisputeFactory(ItemFactory):
    kind = ItemKind.DISPUTE


class StanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stance
        skip_postgeneration_save = True

    item = factory.SubFactory(DisputeFactory)
    participant = factory.SubFactory(ParticipantFactory)
    position = "Holds that the matter is an internal affair."
    quote = "We will not be lectured."
    source_name = "Press conference"

    @factory.post_generation
    def rendered(self, create, extracted, **kwargs):
        # As an editor's save of the item's row renders its summit's page parts.
        if create:
            services.render_summit(self.item.summit)


class ItemUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemUpdate
        skip_postgeneration_save = True

    item = factory.SubFactory(ItemFactory)
    date = datetime.date(2021, 7, 28)
    status = AgreementStatus.IN_PROGRESS
    note = "<p>The first round of talks took place.</p>"
    source_name = "Foreign ministry"

    @factory.post_generation
    def rendered(self, create, extracted, **kwargs):
        if create:
            services.render_summit(self.item.summit)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction
        skip_postgeneration_save = True

    summit = factory.SubFactory(SummitFactory)
    text = "An earlier version gave the wrong venue."

    @factory.post_generation
    def rendered(self, create, extracted, **kwargs):
        if create:
            services.render_summit(self.summit)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or []:
            self.groups.add(Group.objects.get(name=name))


def reporter():
    return UserFactory(username="reporter", groups=[conf.get("REPORTERS_GROUP")])


def editor():
    return UserFactory(username="editor", groups=[conf.get("EDITORS_GROUP")])
