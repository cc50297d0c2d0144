"""The data model: summits, their participants and topics, agreement and dispute items."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField
from django_prose_editor.fields import ProseEditorField
from parler.models import TranslatableModel, TranslatedFields

from . import annotate, conf, partners
from .choices import (
    INITIAL_STATUS,
    ITEM_STATUS_CHOICES,
    STATUSES_BY_KIND,
    AgreementStatus,
    AnchorState,
    DisputeStatus,
    ItemKind,
    SummitStatus,
)
from .partners import PartnerKey, Withdrawal  # noqa: F401  (the partner API's models)
from .querysets import ItemQuerySet, SummitQuerySet
from .richtext import ARTICLE_EXTENSIONS, SUMMARY_EXTENSIONS, sanitize_article, sanitize_summary


def language_choices():
    return settings.LANGUAGES


wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id is a Q followed by digits, such as Q6279.")
)


class Participant(TranslatableModel):
    """A leader or delegation. Name and role are kept per language (django-parler): a German
    page says "Wladimir Putin, Präsident der Russischen Föderation", an English one does not."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = CountryField(_("country"), blank=True)
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        role=models.CharField(
            _("role"),
            max_length=200,
            blank=True,
            help_text=_("For example: President of the United States."),
        ),
    )

    class Meta:
        # Not the name: it lives in another table, one row per language.
        ordering = ["slug"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Topic(TranslatableModel):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=100))

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True) or self.slug


def staff_member(verbose_name):
    """Who did something to a summit (saved, submitted, sent back); kept if the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class Summit(models.Model):
    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, help_text=_("The last part of the page's address.")
    )
    # A working draft of a live summit: its changes, which readers and partners see only once
    # an editor publishes them (summits.services.publish_changes). Never shown to readers.
    draft_of = models.OneToOneField(
        "self",
        verbose_name=_("working draft of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="working_draft",
    )
    teaser = models.TextField(_("teaser"), max_length=600, blank=True)
    body = ProseEditorField(
        _("article"), extensions=ARTICLE_EXTENSIONS, sanitize=sanitize_article, blank=True
    )
    # The article's plain text as readers see it: the offset space of every item's anchor.
    body_text = models.TextField(editable=False, blank=True)
    # Rendered when the content changes, so that a page request only assembles stored fragments:
    # the article with its passages highlighted, and the text that search looks through.
    body_html = models.TextField(editable=False, blank=True)
    search_document = models.TextField(editable=False, blank=True)
    # The page's other parts that depend only on the content (summits.rendering.PageParts):
    # the notes with their stances and timelines, the participants, the structured data.
    # Empty until rendered, and emptied when a participant or topic it names changes.
    page_parts = models.JSONField(null=True, blank=True, editable=False)
    # Its card in the list, in each of the site's languages (rendering.card_parts).
    card_parts = models.JSONField(null=True, blank=True, editable=False)
    # Filled on PostgreSQL only (full-text search in the summit's language; GIN-indexed).
    search_vector = SearchVectorField(null=True, editable=False)
    language = models.CharField(_("language"), max_length=7, choices=language_choices)
    original = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("For a translation: the summit article it translates."),
    )

    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for a one-day summit.")
    )
    participants = models.ManyToManyField(
        Participant, verbose_name=_("participants"), related_name="summits", blank=True
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="summits", blank=True
    )

    lead_image = models.ImageField(_("lead image"), upload_to="summits/%Y/", blank=True)
    lead_image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("For example: Photo: NAME / AGENCY."),
    )
    credit_line = models.CharField(
        _("credit line"),
        max_length=300,
        blank=True,
        help_text=_("Authors and agencies, e.g. dpa, Reuters."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=SummitStatus.choices, default=SummitStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Readers see a published summit from this moment on; a time in the future schedules it."
        ),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    last_edited_by = staff_member(_("last edited by"))
    # Moves forward with every change (summits.services), never back, not even on a restore.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The review: who submitted the summit (or its working draft) and when; the note of an
    # editor who sent it back. Kept by services.SummitChange, never restored from a revision.
    submitted_by = staff_member(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("changes requested"), blank=True, editable=False)
    review_note_by = staff_member(_("changes requested by"))
    review_note_at = models.DateTimeField(
        _("changes requested on"), null=True, blank=True, editable=False
    )

    objects = SummitQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        permissions = [("publish_summit", _("Can publish, unpublish and archive summits"))]
        constraints = [
            # A working draft has its summit's address until the changes are published.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(draft_of__isnull=True),
                name="summit_slug_unique",
                violation_error_message=_("Another summit has this address."),
            ),
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True)
                | Q(status__in=[SummitStatus.DRAFT, SummitStatus.REVIEW]),
                name="summit_working_draft_is_not_published",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="summit_end_date_not_before_start_date",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SummitStatus.PUBLISHED) | Q(publish_at__isnull=False),
                name="summit_published_has_publish_at",
                violation_error_message=_("A published summit needs a publishing time."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SummitStatus.values), name="summit_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(original=F("id")), name="summit_not_translation_of_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="summit_visibility_idx"),
            models.Index(fields=["updated_at", "id"], name="summit_sync_idx"),
            # The partner API's order and updated_since (summits.api.representations).
            models.Index(Greatest("updated_at", "publish_at"), "id", name="summit_change_idx"),
            # The reader list's order, its count and its countries, read from the index alone
            # (publish_at, the rest of querysets.is_published(), is in it: a key column, not
            # INCLUDE, which SQLite lacks).
            models.Index(
                F("start_date").desc(),
                F("id").desc(),
                "publish_at",
                name="summit_list_idx",
                condition=Q(status=SummitStatus.PUBLISHED, draft_of__isnull=True),
            ),
            models.Index(
                fields=["country", "publish_at"],
                name="summit_country_idx",
                condition=Q(status=SummitStatus.PUBLISHED, draft_of__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_article(self.body or "")
        self.body_text = annotate.html_to_text(self.body)
        # A scheduled summit is first published when its time comes; moving the schedule
        # before then moves that date with it.
        if (
            self.status == SummitStatus.PUBLISHED
            and self.publish_at is not None
            and (self.first_published_at is None or self.first_published_at > timezone.now())
        ):
            self.first_published_at = self.publish_at
        # What this change means to other rows (tombstones, translations, the version, the
        # rendered article) is summits.services.SummitChange's.
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("summits:detail", kwargs={"slug": self.slug})

    @property
    def items_with_rows(self):
        """The items with their stances (named by their participants) and follow-ups loaded,
        in a few queries for any number of items. What django-reversion records of a summit
        with it (summits.revisions)."""
        return self.items.prefetch_related("stances__participant__translations", "updates")

    @transaction.atomic
    def delete(self, *args, **kwargs):
        partners.before_summits_delete(Summit.objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)

    @property
    def is_live(self):
        return (
            self.draft_of_id is None
            and self.status == SummitStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def clean(self):
        super().clean()
        if self.original_id is not None:
            if self.original_id == self.pk:
                raise ValidationError(
                    {"original": _("A summit cannot be a translation of itself.")}
                )
            if self.original.original_id is not None:
                raise ValidationError(
                    {
                        "original": _(
                            "Link the translation to the original article, not to another translation."
                        )
                    }
                )
            if self.original.language == self.language:
                raise ValidationError(
                    {"language": _("A translation must be in another language than its original.")}
                )

    def translation_family(self):
        """Every summit in this one's translation group, this one included."""
        root_id = self.original_id or self.pk
        return Summit.objects.filter(Q(pk=root_id) | Q(original_id=root_id))


class Item(models.Model):
    """An agreement or a dispute of a summit, anchored to the passage of the article it comes from."""

    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = ProseEditorField(
        _("summary"), extensions=SUMMARY_EXTENSIONS, sanitize=sanitize_summary, blank=True
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ITEM_STATUS_CHOICES,
        help_text=_("The latest follow-up update with a status sets this."),
    )

    # The anchored passage (W3C Web Annotation TextQuoteSelector and TextPositionSelector).
    quote = models.TextField(
        _("passage"),
        help_text=_(
            "The words of the article this item comes from: select them in the article, or "
            "paste them here."
        ),
    )
    # The context is the system's: kept from the article around the anchor, never typed.
    quote_prefix = models.CharField(
        _("text before"),
        max_length=200,
        blank=True,
        help_text=_("The article's words just before the passage, as the anchor last found."),
    )
    quote_suffix = models.CharField(
        _("text after"),
        max_length=200,
        blank=True,
        help_text=_("The article's words just after the passage, as the anchor last found."),
    )
    anchor_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_state = models.CharField(
        _("anchor"),
        max_length=20,
        choices=AnchorState.choices,
        default=AnchorState.ANCHORED,
        editable=False,
    )
    anchor_score = models.FloatField(default=1.0, editable=False)
    # In a working draft: the live summit's item this one changes. Publishing the changes
    # writes them onto that item, so that its id (the page's #item-<id>, the API's) stays.
    live_item = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="draft_copy",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["summit", "kind", "position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "kind", "position"], name="item_position_unique_per_kind"
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=ItemKind.AGREEMENT, status__in=AgreementStatus.values)
                    | Q(kind=ItemKind.DISPUTE, status__in=DisputeStatus.values)
                ),
                name="item_status_valid_for_kind",
                violation_error_message=_("This status does not apply to this kind of item."),
            ),
            models.CheckConstraint(
                condition=Q(anchor_start__isnull=True) | Q(anchor_end__gt=F("anchor_start")),
                name="item_anchor_range_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.status and self.kind:
            self.status = INITIAL_STATUS[ItemKind(self.kind)]
        self.summary = sanitize_summary(self.summary or "")
        self.quote = annotate.normalize_quote(self.quote or "")
        if self.anchor_start is None:
            # Never anchored (or orphaned): try now, so no item claims an anchor it lacks.
            self.anchor(self.summit.body_text)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.kind
            and self.status
            and self.status not in STATUSES_BY_KIND[ItemKind(self.kind)].values
        ):
            raise ValidationError({"status": _("This status does not apply to this kind of item.")})

    def anchor(self, text: str) -> None:
        """Anchors the item to `text` in memory: exact match, else fuzzy (drifted), else orphaned."""
        found = annotate.locate(
            text, self.selector, position=self.anchor_start, min_score=conf.get("ANCHOR_MIN_SCORE")
        )
        if found is None:
            self.anchor_state = AnchorState.ORPHANED
            self.anchor_start = self.anchor_end = None
            self.anchor_score = 0.0
            return
        self.anchor_start, self.anchor_end, self.anchor_score = found.start, found.end, found.score
        if found.exact:
            # Refresh the context to what surrounds the passage now, so that the next edit is
            # re-anchored against the current article, not the first draft.
            self.take_selector_from(text)
            self.anchor_state = AnchorState.ANCHORED
        else:
            self.anchor_state = AnchorState.DRIFTED

    def take_selector_from(self, text: str) -> None:
        """Makes the passage the item is anchored to in `text` its quote, with fresh context."""
        selector = annotate.describe(
            text, self.anchor_start, self.anchor_end, context=conf.get("ANCHOR_CONTEXT_LENGTH")
        )
        self.quote, self.quote_prefix, self.quote_suffix = (
            selector.exact,
            selector.prefix,
            selector.suffix,
        )

    @property
    def selector(self):
        return annotate.Selector(
            exact=self.quote, prefix=self.quote_prefix, suffix=self.quote_suffix
        )

    @property
    def reference_label(self):
        """The short label of the item in the article, e.g. A1 (agreement 1), D2 (dispute 2)."""
        if self.kind == ItemKind.AGREEMENT:
            label = pgettext("short label of the agreement with this number", "A%(number)d")
        else:
            label = pgettext("short label of the dispute with this number", "D%(number)d")
        return label % {"number": self.position}

    @property
    def anchored_text(self):
        """The passage the item is anchored to now (differs from `quote` while drifted)."""
        if self.anchor_start is None:
            return ""
        return self.summit.body_text[self.anchor_start : self.anchor_end]


class KindManager(models.Manager.from_queryset(ItemQuerySet)):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class OfOneKind:
    """Makes a proxy of Item hold one kind, so that editors see agreements and disputes apart."""

    KIND: ItemKind

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = self.KIND
        if not self.status:
            self.status = INITIAL_STATUS[self.KIND]


class Agreement(OfOneKind, Item):
    KIND = ItemKind.AGREEMENT
    objects = KindManager(ItemKind.AGREEMENT)

    class Meta:
        proxy = True
        ordering = ["position", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")


class Dispute(OfOneKind, Item):
    KIND = ItemKind.DISPUTE
    objects = KindManager(ItemKind.DISPUTE)

    class Meta:
        proxy = True
        ordering = ["position", "id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")


class Stance(models.Model):
    """A participant's position in a dispute."""

    item = models.ForeignKey(
        Item, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="stances"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="stances"
    )
    position = models.TextField(
        _("position"), help_text=_("The participant's position, in a sentence or two.")
    )
    quote = models.TextField(_("quote"), blank=True)
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)

    class Meta:
        ordering = ["participant__slug"]
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant"], name="stance_one_per_participant"
            ),
        ]

    def __str__(self):
        return str(self.participant)

    def clean(self):
        super().clean()
        if self.item_id is not None and self.item.kind != ItemKind.DISPUTE:
            raise ValidationError(_("Stances belong to disputes, not to agreements."))


class ItemUpdate(models.Model):
    """A dated follow-up on an item; the tracker of whether agreements held is built from these."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    status = models.CharField(
        _("new status"),
        max_length=20,
        choices=ITEM_STATUS_CHOICES,
        blank=True,
        help_text=_("Leave empty when the update does not change the status."),
    )
    note = ProseEditorField(_("note"), extensions=SUMMARY_EXTENSIONS, sanitize=sanitize_summary)
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        get_latest_by = ["date", "id"]
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")

    def __str__(self):
        status = self.get_status_display() if self.status else _("no change of status")
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')}: {status}"

    def save(self, *args, **kwargs):
        self.note = sanitize_summary(self.note or "")
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.status
            and self.item_id is not None
            and self.status not in STATUSES_BY_KIND[ItemKind(self.item.kind)].values
        ):
            raise ValidationError({"status": _("This status does not apply to this kind of item.")})


class Correction(models.Model):
    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="corrections"
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    text = models.TextField(_("correction"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{date_format(self.published_at, 'SHORT_DATE_FORMAT')}: {Truncator(self.text).chars(60)}"
