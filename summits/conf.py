"""The plugin's settings: one `SUMMITS` dict in the host project's settings, with these defaults."""

from django.conf import settings

DEFAULTS = {
    # Characters of article text kept before and after an anchored passage (W3C TextQuoteSelector
    # prefix and suffix); they tell apart a passage that occurs twice and guide re-anchoring.
    "ANCHOR_CONTEXT_LENGTH": 32,
    # Lowest similarity (0..1) at which an edited passage is still taken for the anchored one.
    # Below it the item is orphaned; at or above it but not exact, it is marked drifted.
    "ANCHOR_MIN_SCORE": 0.75,
    # PostgreSQL text search configuration for each summit language (stemming, stop words);
    # a language not listed is searched with "simple" (no stemming).
    "SEARCH_CONFIGS": {
        "de": "german",
        "en": "english",
        "fr": "french",
        "es": "spanish",
        "it": "italian",
        "nl": "dutch",
        "ru": "russian",
    },
    # The publishing organisation named in structured data (schema.org NewsArticle).
    "PUBLISHER_NAME": "Newsroom",
    # Summits per page of the reader list.
    "PAGE_SIZE": 20,
    # Seconds a rendered reader page stays cached; keys change with every save, so this only
    # bounds memory, not staleness.
    "CACHE_TIMEOUT": 60 * 60,
    # Seconds the cache vouches for the versions of the published content (summits.caching)
    # without asking the database. Every write path renews them at once; this bounds only how
    # long a change made around it (a shell, a data migration) takes to show.
    "VERSION_TIMEOUT": 5 * 60,
    # How long a signed preview link handed to an outside reviewer stays valid, in seconds.
    "PREVIEW_LINK_MAX_AGE": 7 * 24 * 60 * 60,
    # Requests with a wrong, expired or revoked API key allowed per client address (then 429):
    # a guesser is slowed down, and each guess costs the server a key check.
    "INVALID_KEY_RATE": "30/min",
    # The most agreements, and the most disputes, one summit form takes. The form of a summit
    # at this limit sends about 60 fields an item (with a few stances and follow-ups each):
    # the host's DATA_UPLOAD_MAX_NUMBER_FIELDS must allow that, or Django answers 400 before
    # any form is read.
    "MAX_ITEMS_PER_KIND": 400,
    # Names of the auth groups the migrations create for the editorial workflow.
    "REPORTERS_GROUP": "Reporters",
    "EDITORS_GROUP": "Editors",
}


def search_config(language):
    return get("SEARCH_CONFIGS").get(language, "simple")


def get(name):
    """The value of SUMMITS[name] in the host settings, or its documented default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown summits setting: {name}")
    return getattr(settings, "SUMMITS", {}).get(name, DEFAULTS[name])
