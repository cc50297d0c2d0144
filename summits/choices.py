"""Choices shared by models, querysets, forms and filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ItemKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    DISPUTE = "dispute", _("Dispute")


class AgreementStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    STALLED = "stalled", _("Stalled")
    BROKEN = "broken", _("Broken")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NARROWED = "narrowed", _("Narrowed")
    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")


# An item's status column holds values of both sets; a check constraint ties each to its kind.
ITEM_STATUS_CHOICES = [
    (_("Agreements"), AgreementStatus.choices),
    (_("Disputes"), DisputeStatus.choices),
]
STATUSES_BY_KIND = {
    ItemKind.AGREEMENT: AgreementStatus,
    ItemKind.DISPUTE: DisputeStatus,
}
INITIAL_STATUS = {
    ItemKind.AGREEMENT: AgreementStatus.ANNOUNCED,
    ItemKind.DISPUTE: DisputeStatus.OPEN,
}


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", _("Anchored")
    # Drifted: found, but reworded, until an editor confirms the new passage.
    # Orphaned: the passage is no longer in the article.
    DRIFTED = "drifted", _("Drifted")
    ORPHANED = "orphaned", _("Orphaned")
