"""Creates an API key for a partner newsroom and prints it, once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from summits.partners import PartnerKey, validate_rate


class Command(BaseCommand):
    help = (
        "Creates an API key for the partner NAME and prints it. Only its hash is stored: "
        "the key cannot be shown again, so hand it over now."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner newsroom, as it should appear in logs.")
        parser.add_argument(
            "--expires",
            type=int,
            metavar="DAYS",
            help="Days until the key expires (default: never).",
        )
        parser.add_argument(
            "--rate",
            default="",
            metavar="RATE",
            help="Requests per period, such as 600/hour or 10000/day (default: the API's rate).",
        )

    def handle(self, *args, name, expires=None, rate="", **options):
        if not name.strip():
            raise CommandError("Give the partner's name.")
        if rate:
            try:
                validate_rate(rate)
            except ValidationError as error:
                raise CommandError(f"--rate {rate}: {' '.join(error.messages)}") from None
        if expires is not None and expires < 1:
            raise CommandError("--expires takes a number of days, 1 or more.")
        expires_at = timezone.now() + timedelta(days=expires) if expires else None
        partner_key, key = PartnerKey.objects.create_key(
            name.strip(), expires_at=expires_at, rate_limit=rate
        )
        self.stderr.write(
            f"Created key {partner_key.prefix}… for {partner_key.name}"
            + (f", valid until {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "")
            + ". It is shown only this once; send it as `Authorization: Api-Key <key>`:"
        )
        self.stdout.write(key)
