"""The annotated article: pure functions shared by the stored rendering and the live preview."""

from django.utils import translation
from django.utils.html import format_html

from . import annotate


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
