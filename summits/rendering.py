"""The annotated article and the page's other parts: pure functions shared by the stored
rendering (on save) and the previews (on request)."""

import functools
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from . import annotate, seo
from .choices import AgreementStatus, ItemKind

PAGE_TEMPLATE = "summits/summit_detail.html"
CARD_TEMPLATE = "summits/includes/summit_card.html"
# The templates the stored parts are rendered from; a change of any (a release, a host's
# override) makes every stored part out of date, and it is rendered again when next shown.
PART_TEMPLATES = (
    PAGE_TEMPLATE,
    CARD_TEMPLATE,
    "summits/includes/item.html",
    "summits/includes/status_badge.html",
)
PART_NAMES = ("participants", "legend", "notes")


def annotated_body(summit, items) -> str:
    """The summit's article with each anchored item's passage highlighted and linked to its note.

    `items` in the page's order (kind, then position), anchored to `summit.body_text`; the labels
    speak the summit's language, whatever language the request left active.
    """
    with translation.override(summit.language):
        return annotate.highlight(
            summit.body,
            [passage_highlight(item) for item in items if item.anchor_start is not None],
        )


def passage_highlight(item) -> annotate.Highlight:
    return annotate.Highlight(
        item.anchor_start,
        item.anchor_end,
        {
            "id": f"passage-{item.pk}",
            "class": f"passage passage--{item.kind}",
            "data-item": str(item.pk),
        },
        after=format_html(
            '<a class="passage-ref passage-ref--{kind}" href="#item-{pk}">'
            '<span class="visually-hidden">{kind_label}: </span>{label}</a>',
            kind=item.kind,
            pk=item.pk,
            kind_label=item.get_kind_display(),
            label=item.reference_label,
        ),
    )


@dataclass(frozen=True)
class PageParts:
    """What an article page shows that depends only on the summit's content, rendered in its
    language: the participants line, the legend, the notes (agreements, disputes with their
    stances and timelines, corrections) and the structured data without its addresses."""

    participants: SafeString
    legend: SafeString
    notes: SafeString
    json_ld: dict

    def stored(self) -> dict:
        return {"format": parts_format(), **asdict(self)}

    @classmethod
    def from_stored(cls, stored) -> "PageParts | None":
        """The parts a summit row holds; None if it holds none, or parts of other templates."""
        if not is_current(stored):
            return None
        return cls(
            **{name: mark_safe(stored[name]) for name in PART_NAMES},
            json_ld=stored["json_ld"],
        )


def page_parts(summit) -> PageParts:
    """Renders the parts from the summit's loaded relations (Summit.objects.with_page_data(),
    or the live preview's unsaved summit with its relations in memory)."""
    speak_summit_language(summit)
    items = summit.items.all()
    context = {
        "summit": summit,
        "agreements": [item for item in items if item.kind == ItemKind.AGREEMENT],
        "disputes": [item for item in items if item.kind == ItemKind.DISPUTE],
    }
    with translation.override(summit.language):
        rendered = {
            name: mark_safe(render_to_string(f"{PAGE_TEMPLATE}#{name}", context).strip())
            for name in PART_NAMES
        }
        return PageParts(**rendered, json_ld=seo.news_article(summit))


def card_parts(summit) -> dict:
    """The summit's card in the list, in each language the list is read in (the labels and
    the participants' names are the reader's), from its loaded relations, as stored."""
    agreements = [item for item in summit.items.all() if item.kind == ItemKind.AGREEMENT]
    summit.agreement_count = len(agreements)
    summit.dispute_count = len(summit.items.all()) - len(agreements)
    summit.fulfilled_count = sum(item.status == AgreementStatus.FULFILLED for item in agreements)
    summit.broken_count = sum(item.status == AgreementStatus.BROKEN for item in agreements)
    cards = {"format": parts_format()}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for participant in summit.participants.all():
                participant.set_current_language(language)
            cards[language] = render_to_string(CARD_TEMPLATE, {"summit": summit}).strip()
    return cards


def stored_card(stored) -> SafeString | None:
    """The card a summit row holds in the active language; None if none, or of other templates."""
    if not is_current(stored):
        return None
    card = stored.get(translation.get_language())
    return None if card is None else mark_safe(card)


def speak_summit_language(summit):
    """Gives the participants and topics the page shows their names in the summit's language.

    django-parler binds an object to the language active when it was loaded, here the
    reader's; the article's language is what the page speaks. Names not translated into it
    fall back to the default language's.
    """
    language = summit.language
    for participant in summit.participants.all():
        participant.set_current_language(language)
    for item in summit.items.all():
        if item.topic is not None:
            item.topic.set_current_language(language)
        for stance in item.stances.all():
            stance.participant.set_current_language(language)


def is_current(stored) -> bool:
    """Whether `stored` (a summit's page_parts or card_parts) holds parts of today's templates."""
    return bool(stored) and stored.get("format") == parts_format()


@functools.cache
def parts_format() -> str:
    """A fingerprint of what the parts are rendered with: the templates as the project resolves
    them, and the plugin's message catalogs (the labels the parts speak)."""
    fingerprint = hashlib.sha256()
    for name in PART_TEMPLATES:
        fingerprint.update(get_template(name).template.source.encode())
    for catalog in sorted((Path(__file__).parent / "locale").glob("*/LC_MESSAGES/django.mo")):
        fingerprint.update(catalog.read_bytes())
    return fingerprint.hexdigest()[:16]
