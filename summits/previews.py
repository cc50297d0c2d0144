"""Signed preview links: an editor hands one to an outside reviewer; it expires."""

from django.core import signing

from . import conf

SALT = "summits.preview"


def make_token(summit) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(summit.pk))


def summit_pk(token: str) -> str | None:
    """The primary key a valid, unexpired token names, or None."""
    try:
        return signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=conf.get("PREVIEW_LINK_MAX_AGE")
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return None
