"""The editorial workflow: who may move a summit to which status, and who may change what."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

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


@dataclass(frozen=True)
class Action:
    """A button of the summit form's workflow bar: its POST name, label and question."""

    name: str
    label: str
    editors_only: bool = True
    confirm: str = ""


SAVE = Action("_save", _("Save draft"), editors_only=False)
SUBMIT = Action("_submit", _("Submit for review"), editors_only=False)
REQUEST_CHANGES = Action("_request_changes", _("Request changes"))
PUBLISH = Action(
    "_publish",
    _("Publish now"),
    confirm=_("Publish this summit now? Readers and partners see it at once."),
)
SCHEDULE = Action("_schedule", _("Schedule"))
PUBLISH_CHANGES = Action(
    "_publish_changes",
    _("Publish changes"),
    confirm=_("Publish these changes now? Readers and partners see them at once."),
)
UNPUBLISH = Action(
    "_unpublish",
    _("Unpublish"),
    confirm=_(
        "Take this summit off the site? Readers lose the page and partners are told to withdraw it."
    ),
)
ARCHIVE = Action(
    "_archive",
    _("Archive"),
    confirm=_(
        "Archive this summit? It leaves the site, and partners are told to withdraw it; an "
        "editor can bring it back as a draft."
    ),
)
UNARCHIVE = Action("_unarchive", _("Back to draft"))
ACTIONS = (
    SAVE,
    SUBMIT,
    REQUEST_CHANGES,
    PUBLISH,
    SCHEDULE,
    PUBLISH_CHANGES,
    UNPUBLISH,
    ARCHIVE,
    UNARCHIVE,
)


def actions_for(user, summit) -> list[Action]:
    """What the user may do now with the summit as loaded (None: a new one; a working draft:
    its live summit's changes). Saving is always among them: every action saves the form."""
    if summit is None:
        status, edition = SummitStatus.DRAFT, SummitStatus.DRAFT
    elif summit.draft_of_id is not None:
        status, edition = summit.draft_of.status, summit.status
    else:
        status = edition = summit.status
    if status == SummitStatus.PUBLISHED:
        # Live (or scheduled): edits wait in a working draft, which is in `edition`.
        offered = [SAVE, SUBMIT, PUBLISH_CHANGES, UNPUBLISH, ARCHIVE]
        if edition == SummitStatus.REVIEW:
            offered.insert(2, REQUEST_CHANGES)
    elif status == SummitStatus.ARCHIVED:
        offered = [SAVE, UNARCHIVE] if can_publish(user) else []
    elif status == SummitStatus.REVIEW:
        offered = [SAVE, REQUEST_CHANGES, PUBLISH, SCHEDULE, ARCHIVE]
    else:
        offered = [SAVE, SUBMIT, PUBLISH, SCHEDULE]
        if summit is not None:
            offered.append(ARCHIVE)
    if not can_publish(user):
        offered = [action for action in offered if not action.editors_only]
    return offered


def chosen_action(data) -> Action:
    """The workflow button the form was submitted with; any other submission saves."""
    return next((action for action in ACTIONS[1:] if action.name in data), SAVE)


def _moment(value) -> str:
    return date_format(timezone.localtime(value), pgettext("a summit's state", "j M, H:i"))


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def state_label(
    status, *, publish_at=None, submitted_by: str = "", submitted_at=None, now=None
) -> str:
    """The state as the admin shows it: "Scheduled · goes live 3 Dec, 12:00", "In review ·
    submitted by Anna Berg, 2 Dec, 09:30"."""
    now = now or timezone.now()
    if status == SummitStatus.PUBLISHED and publish_at is not None and publish_at > now:
        return _("Scheduled · goes live %(when)s") % {"when": _moment(publish_at)}
    if status == SummitStatus.REVIEW and submitted_at is not None:
        return _("In review · submitted by %(user)s, %(when)s") % {
            "user": submitted_by or _("someone"),
            "when": _moment(submitted_at),
        }
    return str(SummitStatus(status).label)


def summit_state(summit) -> str:
    return state_label(
        summit.status,
        publish_at=summit.publish_at,
        submitted_by=person(summit.submitted_by),
        submitted_at=summit.submitted_at,
    )
