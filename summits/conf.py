"""The plugin's settings: one `SUMMITS` dict in the host project's settings, with these defaults."""

from django.conf import settings

DEFAULTS = {
    # Characters of article text kept before and after an anchored passage (W3C TextQuoteSelector
    # prefix and suffix); they tell apart a passage that occurs twice and guide re-anchoring.
    "ANCHOR_CONTEXT_LENGTH": 32,
    # Lowest similarity (0..1) at which an edited passage is still taken for the anchored one.
    # Below it the item is orphaned; at or above it but not exact, it is marked drifted.
    "ANCHOR_MIN_SCORE": 0.75,
    # Names of the auth groups the migrations create for the editorial workflow.
    "REPORTERS_GROUP": "Reporters",
    "EDITORS_GROUP": "Editors",
}


def get(name):
    """The value of SUMMITS[name] in the host settings, or its documented default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown summits setting: {name}")
    return getattr(settings, "SUMMITS", {}).get(name, DEFAULTS[name])
