"""The editorial workflow: who may move a summit to which status, and who may change what."""

from .choices import SummitStatus

PUBLISH_PERMISSION = "summits.publish_summit"

# Reporters write and submit for review; publishing, unpublishing and archiving take the
# publish_summit permission, and so does writing a summit that is live or archived.
REPORTER_STATUSES = (SummitStatus.DRAFT, SummitStatus.REVIEW)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def statuses_for(user) -> list[SummitStatus]:
    return list(SummitStatus) if can_publish(user) else list(REPORTER_STATUSES)


def can_edit(user, summit) -> bool:
    """Whether the user may open this summit (None: a new one) in the editor: a published
    one is edited in its working draft, which reporters may write too."""
    if summit is None or can_publish(user):
        return True
    return summit.status in (*REPORTER_STATUSES, SummitStatus.PUBLISHED)


def can_write(user, summit) -> bool:
    """Whether the user may write this summit's own rows (None: a new one), as stored."""
    if summit is None or can_publish(user):
        return True
    return summit.status in REPORTER_STATUSES
