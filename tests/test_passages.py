"""Finding a passage an editor pasted in an article's plain text, whatever its typography."""

import sys

import pytest

from summits.annotate import html_to_text
from summits.passages import (
    Closest,
    Difference,
    Occurrence,
    closest,
    describe_difference,
    differences,
    find,
    fold,
    in_context,
)

ARTIKEL = (
    "Nach zähen Verhandlungen in Genf haben sich die Botschafter auf einen Fahrplan für neue "
    "Abrüstungs\u00adgespräche verständigt.\n"
    "„Wir sind vorsichtig optimistisch“, sagte die Schweizer Gastgeberin am späten Abend. "
    "Umstritten blieb, wer die Einhaltung der Obergrenzen überprüfen soll.\n"
    "Die Delegationen wollen sich im Frühjahr erneut in Genf treffen."
)


def found(text: str, passage: str) -> list[str]:
    """The article's own characters at each place the passage was found."""
    return [text[occurrence.start : occurrence.end] for occurrence in find(text, passage)]


@pytest.mark.parametrize(
    "article_quote",
    ["„Wir sind bereit“", "“Wir sind bereit”", "«Wir sind bereit»", "»Wir sind bereit«"],
)
def test_straight_double_quotes_find_typographic_ones(article_quote):
    text = f"Sie sagte: {article_quote}, und ging."
    assert found(text, 'sagte: "Wir sind bereit",') == [f"sagte: {article_quote},"]


def test_typographic_quotes_in_the_passage_find_straight_ones_in_the_article():
    text = 'He said "we are ready" and left.'
    assert found(text, "said „we are ready“") == ['said "we are ready"']


def test_an_apostrophe_finds_a_typewriter_one_and_the_other_way_round():
    assert found("Russia’s envoy said", "Russia's envoy") == ["Russia’s envoy"]
    assert found("Russia's envoy said", "Russia’s envoy") == ["Russia's envoy"]


@pytest.mark.parametrize("dash", ["–", "—", "‑", "−"])
def test_a_hyphen_finds_a_dash(dash):
    text = f"Die Gespräche {dash} so hieß es {dash} gehen weiter."
    assert found(text, "Gespräche - so hieß es - gehen") == [
        f"Gespräche {dash} so hieß es {dash} gehen"
    ]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_a_space_finds_a_no_break_or_thin_space(space):
    text = f"Sie einigten sich auf 5{space}000 Soldaten und 3{space}%."
    assert found(text, "5 000 Soldaten und 3 %") == [f"5{space}000 Soldaten und 3{space}%"]


def test_a_soft_hyphen_in_a_word_of_the_article_is_found_and_kept_in_the_span():
    [occurrence] = find(ARTIKEL, "neue Abrüstungsgespräche verständigt")
    assert ARTIKEL[occurrence.start : occurrence.end] == (
        "neue Abrüstungs\u00adgespräche verständigt"
    )


def test_a_soft_hyphen_in_the_passage_finds_the_word_without_one():
    text = "Die Delegationen wollen sich im Frühjahr treffen."
    assert found(text, "Die Dele\u00adgationen wol\u00adlen") == ["Die Delegationen wollen"]


def test_a_soft_hyphen_just_outside_the_match_stays_out_of_the_span():
    text = "Die Abrüstungs\u00adgespräche"
    [ending_there] = find(text, "Die Abrüstungs")
    [starting_there] = find(text, "gespräche")
    assert (ending_there.start, ending_there.end) == (0, text.index("\u00ad"))
    assert (starting_there.start, starting_there.end) == (text.index("\u00ad") + 1, len(text))


def test_zero_width_characters_are_ignored_on_both_sides():
    text = "Ober\u200bgrenzen über\ufeffprüfen"
    assert found(text, "Obergrenzen über\u200dprüfen") == [text]


def test_three_full_stops_find_an_ellipsis_and_the_other_way_round():
    assert found("Und dann… nichts.", "dann... nichts") == ["dann… nichts"]
    assert found("Und dann... nichts.", "dann… nichts") == ["dann... nichts"]


def test_a_passage_across_two_blocks_is_found_with_a_space_or_any_whitespace_between():
    expected = ["verständigt.\n„Wir sind"]
    assert found(ARTIKEL, 'verständigt. "Wir sind') == expected
    assert found(ARTIKEL, 'verständigt.\n\n  "Wir\tsind') == expected


def test_whitespace_around_the_passage_is_ignored():
    assert found(ARTIKEL, '  \n "Wir sind vorsichtig optimistisch" \n') == [
        "„Wir sind vorsichtig optimistisch“"
    ]


def test_every_occurrence_is_listed_in_order():
    two = find(ARTIKEL, "in Genf")
    assert [ARTIKEL[occurrence.start : occurrence.end] for occurrence in two] == ["in Genf"] * 2
    assert two[0].start < two[1].start
    text = "Genf, dann Genf – und wieder Genf."
    assert find(text, "Genf") == [Occurrence(0, 4), Occurrence(11, 15), Occurrence(29, 33)]


def test_overlapping_occurrences_are_all_listed():
    assert find("ha ha ha ha", "ha ha") == [Occurrence(0, 5), Occurrence(3, 8), Occurrence(6, 11)]


@pytest.mark.parametrize("passage", ["", "   ", "\n\t\u00a0", "\u00ad\u200b"])
def test_an_empty_passage_is_found_nowhere(passage):
    assert find(ARTIKEL, passage) == []


def test_a_passage_in_other_case_is_not_found():
    assert find(ARTIKEL, "nach zähen verhandlungen") == []
    assert find(ARTIKEL, "NACH ZÄHEN VERHANDLUNGEN") == []


def test_a_passage_from_the_plain_text_of_article_html_is_found():
    text = html_to_text("<p>Die Dele&shy;gation sagte&nbsp;&bdquo;Nein&ldquo; &ndash; zweimal.</p>")
    assert found(text, 'Delegation sagte "Nein" - zweimal') == [
        "Dele\u00adgation sagte „Nein“ – zweimal"
    ]


def test_folded_offsets_map_back_to_the_characters_they_came_from():
    text = " „A\u00a0 b\u00adc“…\n"
    folded, origins = fold(text)
    assert folded == '"A bc"...'
    assert origins == [1, 2, 3, 5, 7, 8, 9, 9, 9, len(text)]


def test_a_text_with_nothing_to_fold_is_left_as_it_is():
    text = "Nothing to fold here, not even an umlaut: ä."
    assert fold(text) == (text, list(range(len(text) + 1)))


def test_every_kind_of_whitespace_folds_to_a_space():
    whitespace = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    for space in whitespace:
        assert fold(f"a{space}b")[0] == "a b", f"U+{ord(space):04X}"


def test_closest_finds_a_passage_with_a_typo_and_covers_whole_words():
    match = closest(ARTIKEL, "Umstriten blieb, wer die Einhaltung der Obergrenzen")
    assert isinstance(match, Closest)
    assert ARTIKEL[match.start : match.end] == (
        "Umstritten blieb, wer die Einhaltung der Obergrenzen"
    )
    assert 0.9 < match.score < 1


def test_closest_widens_a_match_that_would_start_or_end_inside_a_word():
    text = "Die Botschafter haben den Fahrplan für neue Gespräche gebilligt."
    match = closest(text, "schafter haben den Fahrplan für neue Gespr")
    assert text[match.start : match.end] == "Botschafter haben den Fahrplan für neue Gespräche"


def test_closest_keeps_a_soft_hyphen_inside_a_word_and_stops_after_the_last_word():
    match = closest(ARTIKEL, "Abrüstungsgespräche verständight")
    assert ARTIKEL[match.start : match.end] == "Abrüstungs\u00adgespräche verständigt"


def test_closest_takes_a_word_broken_by_a_soft_hyphen_as_one_word():
    text = "Die Abrüstungs\u00adgespräche beginnen."
    match = closest(text, "Die Abrüstungz")
    assert text[match.start : match.end] == "Die Abrüstungs\u00adgespräche"


def test_closest_finds_nothing_in_unrelated_text():
    assert closest(ARTIKEL, "Kartoffelsalat mit Würstchen und Senf zum Frühstück") is None
    assert closest(ARTIKEL, "") is None


def test_differences_name_a_typo_and_what_the_article_has_instead():
    [difference] = differences("Umstriten blieb", "Umstritten blieb")
    assert difference == Difference(typed="", article="t")
    assert describe_difference(difference) == "the article has “t” that the passage lacks"
    [difference] = differences("verständight", "verständigt")
    assert describe_difference(difference) == "the passage has “h” that the article lacks"
    [difference] = differences("Gastgeberin", "Gastgeberon")
    assert describe_difference(difference) == "“i” where the article has “o”"


def test_changes_one_character_apart_are_one_difference():
    assert differences("retrun", "return") == [Difference(typed="ru", article="ur")]
    assert len(differences("Verhandlungen in Bern", "Verhandlungen in Genf")) == 1


def test_a_soft_hyphen_and_a_no_break_space_are_named_in_a_difference():
    [difference] = differences("Abrüstungs-gespräche", "Abrüstungs\u00adgespräche")
    assert difference == Difference(typed="-", article="\u00ad")
    assert describe_difference(difference) == ("“-” where the article has “\u00ad” (SOFT HYPHEN)")
    [difference] = differences("5-000", "5\u00a0000")
    assert describe_difference(difference) == (
        "“-” where the article has “\u00a0” (NO-BREAK SPACE)"
    )


def test_a_character_that_only_looks_like_another_is_named():
    cyrillic_a = "\u0430"
    [difference] = differences("Genf", f"Genf{cyrillic_a}")
    assert describe_difference(difference) == (
        f"the article has “{cyrillic_a}” (CYRILLIC SMALL LETTER A) that the passage lacks"
    )


def test_typography_that_folds_alike_is_not_a_difference():
    assert (
        differences('"Wir sind - so hieß es - bereit..."', "„Wir sind – so hieß es – bereit…“")
        == []
    )
    assert differences("Die Delegationen  wollen", "Die Dele\u00adgationen\u00a0wollen") == []


def test_the_context_is_cut_at_words_with_an_ellipsis():
    start = ARTIKEL.index("die Schweizer")
    end = start + len("die Schweizer")
    assert in_context(ARTIKEL, start, end, width=24) == (
        "…optimistisch“, sagte ",
        "die Schweizer",
        " Gastgeberin am späten…",
    )


def test_the_context_stops_at_the_edges_of_the_block():
    start = ARTIKEL.index("„Wir")
    end = start + len("„Wir sind")
    assert in_context(ARTIKEL, start, end) == (
        "",
        "„Wir sind",
        " vorsichtig optimistisch“, sagte die…",
    )
    start = ARTIKEL.index("erneut")
    assert in_context(ARTIKEL, start, len(ARTIKEL), width=14) == (
        "…im Frühjahr ",
        "erneut in Genf treffen.",
        "",
    )


def test_the_context_of_a_short_block_is_the_whole_block():
    text = "Titel\nKurz gesagt: nein.\nEnde"
    start = text.index("gesagt")
    assert in_context(text, start, start + len("gesagt")) == ("Kurz ", "gesagt", ": nein.")
