"""Partners of the API: their keys, and the tombstones of summits withdrawn from them."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import caching
from .choices import SummitStatus

# How often a key's last_used_at is written at most: every request would be one write too many.
LAST_USED_RESOLUTION = timedelta(minutes=1)
PREFIX_LENGTH = 8
PREFIX = re.compile(f"[0-9a-f]{{{PREFIX_LENGTH}}}")
# Key records are cached for partners' requests, and forgotten by any change of any key; the
# time bounds a change made around the models (a queryset update in a shell).
KEYS_GENERATION_KEY = "summits:partner-keys:generation"
KEY_RECORD_TIMEOUT = 60
KEY_RECORD_FIELDS = (
    "id",
    "name",
    "prefix",
    "hashed_key",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
    "rate_limit",
)
RATE_PATTERN = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def validate_rate(value):
    if not RATE_PATTERN.match(value):
        raise ValidationError(
            _("Give a number of requests per period, such as 600/hour, 20/min or 10000/day.")
        )


def _digest(key: str) -> str:
    # The secret part is 256 random bits, so a fast hash is safe: there is nothing to guess,
    # and a slow password hash would cost every API request tens of milliseconds.
    return hashlib.sha256(key.encode()).hexdigest()


def _key_record_key(prefix):
    return f"summits:partner-key:{prefix}"


def forget_key_records() -> None:
    """Call on every change of partner keys: no request is then authenticated from a cached
    record of before it (a revoked key is refused at once)."""
    caching.move(KEYS_GENERATION_KEY)


class PartnerKeyQuerySet(models.QuerySet):
    def revoke(self) -> int:
        """Revokes the keys not yet revoked; returns how many."""
        forget_key_records()
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    def delete(self):
        forget_key_records()
        return super().delete()

    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def create_key(self, name, *, expires_at=None, rate_limit=""):
        """Creates a key for the partner `name`; returns (partner_key, key). Show `key` once."""
        partner_key = self.model(name=name, expires_at=expires_at, rate_limit=rate_limit)
        key = partner_key.set_new_key()
        partner_key.save()
        return partner_key, key

    def get_from_key(self, key: str):
        """The key's record, usable or not, or None when no record matches `key`.

        From the cache when it holds the record, and no key changed since it was stored.
        """
        prefix, dot, _secret = key.partition(".")
        if not dot or not PREFIX.fullmatch(prefix):
            return None
        held = cache.get_many([KEYS_GENERATION_KEY, _key_record_key(prefix)])
        # Read before the database is: a change of a key after this moves it on.
        generation = caching.counter(KEYS_GENERATION_KEY, held.get(KEYS_GENERATION_KEY))
        record = held.get(_key_record_key(prefix))
        if record is not None and record[0] == generation:
            partner_key = self.model(**record[1])
            partner_key.record_generation = generation
        else:
            partner_key = self.filter(prefix=prefix).first()
            if partner_key is None:
                return None
            partner_key.remember(generation)
        if not hmac.compare_digest(partner_key.hashed_key, _digest(key)):
            return None
        return partner_key


class PartnerKey(models.Model):
    """A partner's API key. Only its SHA-256 is stored; the key itself is shown once."""

    name = models.CharField(
        _("partner"), max_length=200, help_text=_("The partner newsroom; it appears in logs.")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a key that never expires."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    rate_limit = models.CharField(
        _("rate limit"),
        max_length=20,
        blank=True,
        validators=[validate_rate],
        help_text=_("Requests per period, such as 600/hour. Empty: the API's default rate."),
    )

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-created_at"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args, **kwargs):
        forget_key_records()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        forget_key_records()
        return super().delete(*args, **kwargs)

    @property
    def is_usable(self):
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def set_new_key(self) -> str:
        """Gives the record a new key (in memory) and returns it: the only time it is seen."""
        self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        key = f"{self.prefix}.{secrets.token_urlsafe(32)}"
        self.hashed_key = _digest(key)
        return key

    def remember(self, generation) -> None:
        """Caches the record for the requests made with it, in the key records' `generation`
        (read before the record was: a change meanwhile has moved it on)."""
        self.record_generation = generation
        fields = {name: getattr(self, name) for name in KEY_RECORD_FIELDS}
        cache.set(_key_record_key(self.prefix), (generation, fields), KEY_RECORD_TIMEOUT)

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self):
        """Records that the key was used, at most once per LAST_USED_RESOLUTION."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        PartnerKey.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True)
            | models.Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now
        generation = getattr(self, "record_generation", None)
        if generation is not None:  # the cached record learns it too
            self.remember(generation)


class WithdrawalReason(models.TextChoices):
    UNPUBLISHED = "unpublished", _("Unpublished")
    ARCHIVED = "archived", _("Archived")
    DELETED = "deleted", _("Deleted")


class Withdrawal(models.Model):
    """A tombstone: a summit partners may hold a copy of is no longer live.

    One row per summit, moved forward when the summit is withdrawn again. Kept after a hard
    delete, so it holds the summit's id, slug and language rather than a foreign key.
    """

    summit_id = models.BigIntegerField(_("summit id"), unique=True)
    slug = models.SlugField(_("slug"), max_length=200)
    language = models.CharField(_("language"), max_length=7)
    withdrawn_at = models.DateTimeField(_("withdrawn"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=WithdrawalReason.choices)

    class Meta:
        ordering = ["withdrawn_at", "id"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        indexes = [models.Index(fields=["withdrawn_at", "id"], name="withdrawal_sync_idx")]

    def __str__(self):
        return f"{self.slug}: {self.get_reason_display()}"


def record_withdrawals(summits, reason: WithdrawalReason) -> int:
    """Records a tombstone for each of `summits` (a queryset) that is live in the database now.

    Call it before the change that withdraws them is saved, inside the same transaction.
    """
    return _tombstones(summits.published().values_list("pk", "slug", "language"), reason)


def _tombstones(summits, reason: WithdrawalReason) -> int:
    """Writes a tombstone for each (id, slug, language), or moves its existing one forward."""
    now = timezone.now()
    rows = [
        Withdrawal(
            summit_id=summit_id, slug=slug, language=language, withdrawn_at=now, reason=reason
        )
        for summit_id, slug, language in summits
    ]
    if rows:
        Withdrawal.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["summit_id"],
            update_fields=["slug", "language", "withdrawn_at", "reason"],
        )
    return len(rows)


# What a summit's translations show of it: when one of these changes, they change too.
FIELDS_SHOWN_TO_TRANSLATIONS = ("slug", "language", "original_id")


def mark_translations_changed(summit_model, family_roots, *, exclude_pk=None, at=None) -> None:
    """Moves updated_at of every summit in the translation families rooted at `family_roots`,
    so that partners (updated_since) and cached pages take up their new lists of translations."""
    roots = {root for root in family_roots if root is not None}
    if not roots:
        return
    family = summit_model.objects.filter(models.Q(pk__in=roots) | models.Q(original_id__in=roots))
    if exclude_pk is not None:
        family = family.exclude(pk=exclude_pk)
    family.update(updated_at=at or timezone.now())


def summit_changed(summit, before, *, at=None) -> None:
    """Keeps partners' copies exact after `summit` was written; `before` is what the database
    held when the change began (summits.services.StoredState), None for a new summit.

    A live summit leaving readers' sight (a new status, or a publish_at moved into the
    future) leaves a tombstone. When the summit appears, disappears, or changes what its
    translations show of it, they are marked changed as well.
    """
    summit_model = type(summit)
    is_live = summit.is_live
    if before is None:
        if is_live:
            mark_translations_changed(summit_model, [summit.original_id], at=at)
        return
    if before.was_live and not is_live:
        reason = (
            WithdrawalReason.ARCHIVED
            if summit.status == SummitStatus.ARCHIVED
            else WithdrawalReason.UNPUBLISHED
        )
        _tombstones([(summit.pk, before.slug, before.language)], reason)
    shown_differently = before.visible_to_translations() != tuple(
        getattr(summit, name) for name in FIELDS_SHOWN_TO_TRANSLATIONS
    )
    if before.was_live != is_live or (is_live and shown_differently):
        mark_translations_changed(
            summit_model,
            [before.original_id or summit.pk, summit.original_id or summit.pk],
            exclude_pk=summit.pk,
            at=at,
        )


@transaction.atomic
def before_summits_delete(summits) -> None:
    """Call before deleting `summits` (a queryset): tombstones for the live ones, and their
    translations marked changed."""
    live = list(summits.published().values_list("pk", "original_id"))
    caching.content_changed()
    record_withdrawals(summits, WithdrawalReason.DELETED)
    if live:
        mark_translations_changed(summits.model, [original_id or pk for pk, original_id in live])


def mark_summits_showing(shown) -> int:
    """Moves updated_at of the summits that show `shown` (a participant or a topic), so that
    partners polling with updated_since fetch them again, and empties their page parts and
    cards. Call it on a change of `shown`, and before deleting it."""
    from .models import Participant, Summit, Topic

    if isinstance(shown, Participant):
        showing = Q(participants=shown) | Q(items__stances__participant=shown)
    elif isinstance(shown, Topic):
        showing = Q(topics=shown) | Q(items__topic=shown)
    else:
        raise TypeError(f"Summits do not show {type(shown).__name__} objects.")
    summit_ids = Summit.objects.filter(showing).values("pk")
    caching.content_changed()
    # Their stored page parts name it: the next reader's request renders them again.
    return Summit.objects.filter(pk__in=summit_ids).update(
        updated_at=timezone.now(), page_parts=None, card_parts=None
    )
