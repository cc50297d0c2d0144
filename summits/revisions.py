"""Registers the summit models with django-reversion: one admin save makes one revision of the
summit with every item, stance, update and correction as its own version."""

import reversion

from .models import (
    Agreement,
    Correction,
    Dispute,
    Item,
    ItemUpdate,
    Participant,
    Stance,
    Summit,
    Topic,
)

reversion.register(Summit, follow=["items", "corrections"])
for item_model in (Item, Agreement, Dispute):
    reversion.register(item_model, follow=["stances", "updates"])
for model in (Stance, ItemUpdate, Correction, Participant, Topic):
    reversion.register(model)
