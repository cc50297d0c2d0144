"""Re-anchoring over the edit corpus: no note on wrong words, no false orphan (issue 12, part 6).

Each passage of each case is re-anchored as the product does it, by an unsaved Item's
anchor(), which is pure: no test here is marked django_db, so a query would fail the test.
"""

from collections import Counter

from summits.annotate import html_to_text
from tests import edit_corpus
from tests.edit_corpus import (
    CATEGORIES,
    FALSE_ORPHAN_CHANGED,
    FALSE_ORPHAN_UNCHANGED,
    GONE,
    NOOP_NOT_KEPT,
    SURVIVING,
    WRONG_PLACE,
)

# Failures spelt out under the table, so that a red run can be checked by reading it.
SHOWN_FAILURES = 12


def test_the_corpus_is_big_and_varied_enough():
    cases = edit_corpus.cases()
    assert len(cases) >= 300
    per_category = Counter(case.category for case in cases)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 20
    assert len({case.article for case in cases}) >= 3
    assert {case.language for case in cases} == {"en", "de"}
    # Passages whose very words occur again elsewhere in their article, in both languages.
    repeated = {
        article.language
        for article in edit_corpus.articles()
        for start, end in article.passages
        if article.text.count(article.text[start:end]) > 1
    }
    assert repeated == {"en", "de"}
    gone = Counter(passage.truth.state for case in cases for passage in case.passages)
    assert gone[GONE] >= 100
    assert gone[SURVIVING] >= 1000


def test_the_corpus_is_the_same_every_time():
    cases = edit_corpus.cases()
    for index in (0, 57, 200, len(cases) - 1):
        case = cases[index]
        number = int(case.id.split("-")[1])
        assert edit_corpus._case(case.category, number) == case


def test_ground_truth_agrees_with_the_texts():
    for case in edit_corpus.cases():
        assert case.operations, case.id
        if case.new_html is not None:
            assert html_to_text(case.new_html) == case.new == case.original
        assert case.new.strip() == case.new and "  " not in case.new, case.id
        for passage in case.passages:
            assert case.original[passage.start : passage.end] == passage.quote
            truth = passage.truth
            if truth.state == SURVIVING:
                assert 0 <= truth.start < truth.end <= len(case.new)
                assert truth.kept >= edit_corpus.SURVIVING_SHARE * len(passage.quote)
                if truth.unchanged:
                    assert edit_corpus.normalize_quote(
                        case.new[truth.start : truth.end]
                    ) == edit_corpus.normalize_quote(passage.quote)
            else:
                assert truth.start is None and not truth.unchanged
            if case.new == case.original:
                assert truth.state == SURVIVING and truth.unchanged
                assert (truth.start, truth.end) == (passage.start, passage.end)


def test_no_note_lands_on_wrong_words_and_no_surviving_passage_is_orphaned():
    outcomes = edit_corpus.run()
    verdicts = Counter(outcome.verdict for outcome in outcomes)
    gone_anchored = [
        outcome
        for outcome in outcomes
        if outcome.passage.truth.state == GONE and outcome.found.state == "anchored"
    ]
    failures = [outcome for outcome in outcomes if outcome.verdict in edit_corpus.FAILURES]
    message = "\n".join(
        [
            "",
            edit_corpus.summarise(outcomes),
            "",
            f"{verdicts[WRONG_PLACE]} wrong places (of which {len(gone_anchored)} anchored "
            f"passages that are gone), {verdicts[FALSE_ORPHAN_UNCHANGED]} false orphans of an "
            f"unchanged passage, {verdicts[FALSE_ORPHAN_CHANGED]} of a changed one, "
            f"{verdicts[NOOP_NOT_KEPT]} passages not kept in place by an edit that changed "
            "nothing. The first of them:",
            *(edit_corpus.explain(outcome) for outcome in failures[:SHOWN_FAILURES]),
        ]
    )
    # Every gone passage that is anchored is a wrong place too; counted apart to say so.
    assert len(failures) + len(gone_anchored) == 0, message
