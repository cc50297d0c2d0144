"""Text that XML can carry: the control characters XML 1.0 forbids never reach the database.

A vertical tab pasted from a word processor into a headline made the whole Atom feed answer
500 (XML has no way to write it). Every text field of the plugin's models is cleaned on save
(a pre_save receiver, summits.apps), and migration 0008 cleaned the rows stored before.
"""

import re

from django.db import models

# XML 1.0 allows tab, line feed and carriage return below U+0020, and neither U+FFFE nor U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A vertical tab or form feed stood between words (a line or page break): a space keeps them apart.
BREAKS = "\x0b\x0c"


def xml_safe(text: str) -> str:
    if not FORBIDDEN.search(text):
        return text
    return FORBIDDEN.sub(lambda match: " " if match.group() in BREAKS else "", text)


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    ]


def clean_text_fields(instance) -> None:
    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            setattr(instance, field.attname, xml_safe(value))


def clean_before_save(sender, instance, **kwargs):
    if sender._meta.app_label == "summits":
        clean_text_fields(instance)
