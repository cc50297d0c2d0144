"""Strings of Django 6.1's admin that its German catalogue lacks.

The host project's catalogue (newsroom/locale) supplies them, and LOCALE_PATHS comes first.
They are listed here so that `make messages` finds them; drop one once Django translates it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("Run"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("- Select an option -"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
]
