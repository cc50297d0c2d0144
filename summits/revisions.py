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

# items_with_rows: the items, loaded with the rows each of them follows, in three queries.
# The stored page parts are rendered again on a restore, never restored.
reversion.register(
    Summit, follow=["items_with_rows", "corrections"], exclude=["page_parts", "card_parts"]
)
for item_model in (Item, Agreement, Dispute):
    reversion.register(item_model, follow=["stances", "updates"])
for model in (Stance, ItemUpdate, Correction):
    reversion.register(model)
# Their names, one row per language, are versioned with them.
for model in (Participant, Topic):
    reversion.register(model, follow=["translations"])
    reversion.register(model._parler_meta.root_model)
