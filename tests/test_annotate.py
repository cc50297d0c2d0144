"""Anchoring quoted passages to article text, re-anchoring them after edits, highlighting them."""

import random
from html.parser import HTMLParser

import pytest

from summits.annotate import (
    Anchor,
    Highlight,
    Selector,
    anchor_all,
    describe,
    highlight,
    html_to_text,
    locate,
    normalize_quote,
    occurrences,
)

ARTICLE = (
    "In Geneva, ambassadors from both delegations met on Tuesday at the Palais des Nations. "
    "After nine hours of talks, they agreed to extend the inspection regime for another five "
    "years. Russia's envoy said the verification protocol remained a point of dispute. "
    "Washington wants on-site inspections at short notice; Moscow insists on thirty days' "
    "warning. Both sides agreed to meet again in March."
)

ARTIKEL = (
    "Nach zähen Verhandlungen in Genf haben sich die Botschafter auf einen Fahrplan für neue "
    "Abrüstungsgespräche verständigt.\n"
    "„Wir sind vorsichtig optimistisch“, sagte die Schweizer Gastgeberin am späten Abend. "
    "Umstritten blieb, wer die Einhaltung der Obergrenzen überprüfen soll.\n"
    "Die Delegationen wollen sich im Frühjahr erneut in Genf treffen."
)


def anchor_of(text: str, quote: str, context: int = 32) -> tuple[Selector, int]:
    """The selector and old start of the only occurrence of quote in text."""
    [start] = occurrences(text, quote)
    return describe(text, start, start + len(quote), context), start


def located(text: str, selector: Selector, position: int | None = None, **kwargs) -> str:
    anchor = locate(text, selector, position, **kwargs)
    assert anchor is not None
    return text[anchor.start : anchor.end]


# html_to_text


def test_nested_inline_markup_adds_nothing_to_the_text():
    html = (
        '<p>Die <strong>Botschafter <em>haben sich <a href="/genf">geeinigt</a></em></strong>.</p>'
    )
    assert html_to_text(html) == "Die Botschafter haben sich geeinigt."


def test_entities_are_decoded_to_one_character_each():
    html = "<p>Rock &amp; Roll, &quot;Genf&quot;, 5&nbsp;000 Mann, &#8222;Ja&#x201C;, &lt;b&gt;</p>"
    assert html_to_text(html) == 'Rock & Roll, "Genf", 5 000 Mann, „Ja“, <b>'


def test_an_ampersand_that_starts_no_entity_stays_as_written():
    assert html_to_text("<p>AT&T und H&M &unknown; </p>") == "AT&T und H&M &unknown;"


def test_block_elements_are_separated_by_exactly_one_newline():
    html = (
        "<h2>Gipfel in Genf</h2><p>Erster Absatz.</p>"
        "<ul><li>Punkt eins</li><li>Punkt zwei</li></ul>"
        "<blockquote><p>Ein Zitat.</p></blockquote><p>Zeile<br>neue Zeile</p>"
    )
    assert html_to_text(html) == (
        "Gipfel in Genf Erster Absatz. Punkt eins Punkt zwei Ein Zitat. Zeile neue Zeile"
    )


def test_whitespace_collapses_as_a_browser_renders_it():
    html = "\n  <p>  The   summit\n\t opened </p>\n\n  <ul>\n <li> <em> late </em> </li>\n</ul>\n"
    assert html_to_text(html) == "The summit opened late"


def test_whitespace_collapses_across_inline_markup():
    assert html_to_text("<p>arms <em> </em> <strong> control</strong></p>") == "arms control"


def test_empty_blocks_and_line_breaks_leave_no_blank_lines():
    assert html_to_text("<p><br></p><p>Genf</p><p></p><br><hr><p>Wien</p><p> </p>") == "Genf Wien"


def test_script_and_style_are_not_text():
    html = "<style>p { color: red }</style><p>Genf</p><script>if (a < b) alert(1)</script>"
    assert html_to_text(html) == "Genf"


def test_comments_are_not_text():
    assert html_to_text("<p>Gen<!-- redaktionell -->f</p>") == "Genf"


# normalize_quote


def test_a_pasted_quote_has_its_whitespace_collapsed_and_stripped():
    assert normalize_quote("  sagte  die\nGastgeberin\u00a0 am Abend\t") == (
        "sagte die Gastgeberin am Abend"
    )


# describe and occurrences


def test_describe_takes_context_on_both_sides():
    start = ARTICLE.index("they agreed")
    selector = describe(ARTICLE, start, start + len("they agreed"), context=10)
    assert selector == Selector(exact="they agreed", prefix="of talks, ", suffix=" to extend")


def test_describe_takes_what_context_there_is_at_the_start_and_end_of_the_text():
    assert describe(ARTICLE, 0, 9) == Selector("In Geneva", "", ARTICLE[9:41])
    end = len(ARTICLE)
    assert describe(ARTICLE, end - 6, end) == Selector("March.", ARTICLE[end - 38 : end - 6], "")


def test_describe_rejects_a_range_outside_the_text():
    with pytest.raises(ValueError):
        describe("Genf", 2, 5)
    with pytest.raises(ValueError):
        describe("Genf", 3, 2)


def test_occurrences_include_overlapping_ones():
    assert occurrences("Nein, nein, nein", "ein, ") == [1, 7]
    assert occurrences("ananas", "ana") == [0, 2]
    assert occurrences("Genf", "Wien") == []
    assert occurrences("Genf", "") == []


# locate: exact matches


def test_a_unique_quote_is_found_exactly():
    selector, start = anchor_of(ARTICLE, "the verification protocol")
    assert locate(ARTICLE, selector) == Anchor(start, start + 25, score=1.0, exact=True)


def test_duplicate_quote_is_resolved_by_its_prefix_even_against_its_old_position():
    text = (
        "The Russian envoy said both sides agreed to meet again. "
        "The American envoy said both sides agreed to meet again."
    )
    first, second = occurrences(text, "agreed to meet again")
    selector = Selector("agreed to meet again", prefix="The American envoy said both sides ")
    assert locate(text, selector, position=first).start == second


def test_duplicate_quote_is_resolved_by_its_suffix():
    text = "They agreed to meet again in Geneva, and later they agreed to meet again in March."
    first, second = occurrences(text, "agreed to meet again")
    assert locate(text, Selector("agreed to meet again", suffix=" in Geneva")).start == first
    assert locate(text, Selector("agreed to meet again", suffix=" in March")).start == second


def test_duplicate_quote_with_the_same_context_is_resolved_by_its_position():
    text = "Kein Kommentar. " * 4
    starts = occurrences(text, "Kein Kommentar.")
    selector = describe(text, starts[1], starts[1] + 15, context=8)
    assert locate(text, selector, position=starts[1]).start == starts[1]
    assert locate(text, selector, position=starts[2] + 3).start == starts[2]


def test_duplicate_quote_without_context_or_position_resolves_to_the_first():
    text = "Kein Kommentar, sagte er. Kein Kommentar, sagte sie."
    assert locate(text, Selector("Kein Kommentar")).start == 0


def test_a_quote_spanning_inline_markup_is_found_in_the_text():
    text = html_to_text("<p>„Wir sind <em>vorsichtig</em>  optimistisch“, sagte sie.</p>")
    assert located(text, Selector(normalize_quote("sind vorsichtig\n optimistisch"))) == (
        "sind vorsichtig optimistisch"
    )


def test_a_quote_in_a_german_article_with_typographic_quotes_is_found_exactly():
    html = "<p>&#8222;Wir sind vorsichtig optimistisch&#8220;, sagte die Gastgeberin.</p>"
    text = html_to_text(html)
    selector = Selector("„Wir sind vorsichtig optimistisch“")
    assert locate(text, selector) == Anchor(0, 34, score=1.0, exact=True)


def test_an_empty_quote_or_text_anchors_nowhere():
    assert locate(ARTICLE, Selector("", prefix="Geneva")) is None
    assert locate("", Selector("Geneva")) is None


# locate: re-anchoring after edits


def test_text_inserted_before_the_passage_shifts_the_exact_match():
    quote = "the verification protocol remained a point of dispute"
    selector, start = anchor_of(ARTICLE, quote)
    insert = "Update, Wednesday: the talks will continue next week. "
    anchor = locate(insert + ARTICLE, selector, position=start)
    shifted = start + len(insert)
    assert anchor == Anchor(shifted, shifted + len(quote), 1.0, exact=True)


def test_a_word_changed_inside_the_quote_is_found_approximately():
    quote = "they agreed to extend the inspection regime for another five years"
    selector, start = anchor_of(ARTICLE, quote)
    edited = ARTICLE.replace("another five years", "another four years")
    anchor = locate(edited, selector, position=start)
    assert anchor is not None
    assert edited[anchor.start : anchor.end] == (
        "they agreed to extend the inspection regime for another four years"
    )
    assert not anchor.exact
    assert 0.75 <= anchor.score < 1


def test_words_inserted_into_the_quote_are_taken_in():
    selector, start = anchor_of(ARTICLE, "agreed to extend the inspection regime")
    edited = ARTICLE.replace("agreed to", "agreed in principle to")
    assert located(edited, selector, start) == "agreed in principle to extend the inspection regime"


def test_a_fixed_typo_does_not_orphan_the_passage():
    typo = ARTICLE.replace("Moscow insists", "Moscow insits")
    selector, start = anchor_of(typo, "Moscow insits on thirty days' warning")
    anchor = locate(ARTICLE, selector, position=start)
    assert anchor is not None
    assert ARTICLE[anchor.start : anchor.end] == "Moscow insists on thirty days' warning"
    assert anchor.score > 0.9


def test_a_german_passage_with_umlauts_survives_a_copy_edit():
    selector, start = anchor_of(ARTIKEL, "„Wir sind vorsichtig optimistisch“, sagte die Schweizer")
    edited = ARTIKEL.replace("vorsichtig", "verhalten").replace("Schweizer", "Genfer")
    assert located(edited, selector, start) == "„Wir sind verhalten optimistisch“, sagte die Genfer"


def test_an_approximate_match_is_widened_to_whole_words():
    selector = Selector("verification protocol remained a point of dispute")
    edited = ARTICLE.replace("remained a point of dispute", "remains a point of disputes")
    assert located(edited, selector) == "verification protocol remains a point of disputes"

    selector = Selector("Botschafter auf einen Fahrplan für neue Abrüstungsgespräche")
    edited = ARTIKEL.replace("die Botschafter", "die Sonderbotschafter").replace(
        "gespräche", "runden"
    )
    assert (
        located(edited, selector)
        == "Sonderbotschafter auf einen Fahrplan für neue Abrüstungsrunden"
    )


def test_a_quote_that_began_inside_a_word_may_begin_inside_one_again():
    selector, start = anchor_of(ARTICLE, "bassadors from both delegations met on Tuesday")
    edited = ARTICLE.replace("met on Tuesday", "met late on Tuesday")
    assert located(edited, selector, start) == "bassadors from both delegations met late on Tuesday"


def test_an_old_position_beyond_the_end_of_a_shortened_article_does_no_harm():
    selector, start = anchor_of(ARTICLE, "Both sides agreed to meet again in March.")
    shortened = ARTICLE[:120] + " Both sides agreed to meet again in early March."
    assert start > len(shortened)
    assert located(shortened, selector, start) == "Both sides agreed to meet again in early March."


def test_a_deleted_passage_is_orphaned():
    passage = "Russia's envoy said the verification protocol remained a point of dispute. "
    selector, start = anchor_of(ARTICLE, passage.strip())
    assert locate(ARTICLE.replace(passage, ""), selector, position=start) is None


def test_a_rewritten_quote_is_orphaned_even_when_its_context_survives():
    selector, start = anchor_of(ARTICLE, "the verification protocol remained a point of dispute")
    edited = ARTICLE.replace(
        "the verification protocol remained a point of dispute",
        "who checks the figures remained a point of dispute",
    )
    assert locate(edited, selector, position=start) is None


def test_an_edited_quote_is_found_where_its_context_is_rather_than_where_it_fits_best():
    text = (
        "Russia's envoy said the talks were constructive and frank. "
        "America's envoy said the talks were constructive and frank, if long."
    )
    start = occurrences(text, "the talks were constructive and frank")[1]
    selector = describe(text, start, start + 37)
    edited = text.replace("and frank.", "and open.").replace(
        "were constructive and frank,", "were productive and very frank,"
    )
    anchor = locate(edited, selector)
    assert anchor is not None
    assert (anchor.start, edited[anchor.start : anchor.end]) == (
        edited.index("the talks were productive"),
        "the talks were productive and very frank",
    )


def test_an_edited_quote_that_now_occurs_twice_is_found_near_its_old_position():
    text = "Die Gespräche seien konstruktiv gewesen. Die Gespräche seien konstruktiv gewesen."
    selector = Selector("Die Gespräche seien sehr konstruktiv gewesen.")
    first, second = occurrences(text, "Die Gespräche")
    assert locate(text, selector, position=second).start == second
    assert locate(text, selector, position=first).start == first


def test_min_score_decides_whether_a_heavily_edited_passage_still_counts():
    selector, start = anchor_of(ARTICLE, "Washington wants on-site inspections at short notice")
    edited = ARTICLE.replace("wants on-site inspections at", "demands inspections on very")
    anchor = locate(edited, selector, position=start)
    assert anchor is not None
    assert (
        edited[anchor.start : anchor.end] == "Washington demands inspections on very short notice"
    )
    assert 0.75 <= anchor.score < 0.9
    assert locate(edited, selector, position=start, min_score=0.9) is None


def test_anchor_all_locates_each_selector_in_order():
    moscow, moscow_start = anchor_of(ARTICLE, "Moscow insists")
    march, march_start = anchor_of(ARTICLE, "meet again in March")
    gone = Selector("the talks collapsed")
    assert anchor_all(ARTICLE, [(march, march_start), (gone, None), (moscow, None)]) == [
        Anchor(march_start, march_start + 19, 1.0, exact=True),
        None,
        Anchor(moscow_start, moscow_start + 14, 1.0, exact=True),
    ]


def test_describe_then_locate_finds_the_same_passage():
    rng = random.Random(20240611)
    for _ in range(300):
        start = rng.randrange(len(ARTIKEL))
        end = rng.randint(start + 1, min(len(ARTIKEL), start + 80))
        anchor = locate(ARTIKEL, describe(ARTIKEL, start, end), position=start)
        assert anchor == Anchor(start, end, 1.0, exact=True)


def test_a_character_dropped_from_a_passage_of_whole_words_keeps_its_boundaries():
    rng = random.Random(7)
    word_starts = [0, *(i + 1 for i, char in enumerate(ARTICLE) if char == " ")]
    for _ in range(100):
        first, last = sorted(rng.sample(range(len(word_starts)), 2))
        if last - first < 4:
            continue
        start, end = word_starts[first], word_starts[last] - 1
        dropped = rng.randrange(start + 1, end - 1)
        edited = ARTICLE[:dropped] + ARTICLE[dropped + 1 :]
        anchor = locate(edited, describe(ARTICLE, start, end), position=start)
        assert anchor is not None
        assert (anchor.start, anchor.end) == (start, end - 1), ARTICLE[start:end]


def test_twenty_items_in_a_long_article_are_reanchored_after_edits():
    rng = random.Random(3)
    # Sentences of the articles' words in random order, so that no passage repeats.
    words = (ARTICLE + " " + ARTIKEL).split()
    sentences = (" ".join(rng.choices(words, k=rng.randint(8, 25))) for _ in range(2_000))
    text = ". ".join(sentences)[:30_000]
    spans = [(start, start + rng.randint(40, 250)) for start in range(0, 29_500, 1_475)]
    selectors = [(describe(text, start, end), start) for start, end in spans]
    edited = text
    for start, _ in reversed(spans):
        edited = edited[: start + 10] + "XYZ" + edited[start + 13 :]
    update = "Updated at 18:00 with the final communiqué. "
    edited = update + edited

    anchors = anchor_all(edited, selectors)

    assert len(anchors) == 20
    for anchor, (start, _) in zip(anchors, spans, strict=True):
        assert anchor is not None
        assert not anchor.exact
        assert anchor.start <= len(update) + start + 10 < anchor.end


# highlight


class _MarkReader(HTMLParser):
    """Checks that marks nest properly and collects the text each item's marks hold."""

    VOID = frozenset({"br", "hr", "img", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.marked: dict[str, str] = {}
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in self.VOID:
            self.open.append((tag, attributes))
        if tag == "mark" and "id" in attributes:
            self.ids.append(attributes["id"])

    def handle_endtag(self, tag):
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1][0] == tag, f"</{tag}> closes <{self.open[-1][0]}>"
        self.open.pop()

    def handle_data(self, data):
        for tag, attrs in self.open:
            if tag == "mark" and "data-item" in attrs:
                item = attrs["data-item"]
                self.marked[item] = self.marked.get(item, "") + data


def read_marks(html: str) -> _MarkReader:
    reader = _MarkReader()
    reader.feed(html)
    reader.close()
    assert not reader.open, f"unclosed: {reader.open}"
    return reader


def span_of(text: str, passage: str, attrs: dict[str, str]) -> Highlight:
    start = text.index(passage)
    return Highlight(start, start + len(passage), attrs)


def test_a_span_in_a_plain_paragraph_is_wrapped_in_one_mark():
    html = "<p>Die Gespräche in Genf endeten spät.</p>"
    span = span_of(html_to_text(html), "in Genf", {"id": "item-3", "class": "hl hl-agreement"})
    assert highlight(html, [span]) == (
        '<p>Die Gespräche <mark id="item-3" class="hl hl-agreement">in Genf</mark>'
        " endeten spät.</p>"
    )


def test_a_span_into_emphasis_is_split_and_only_its_first_piece_keeps_the_id():
    html = "<p>Er sei <em>sehr vorsichtig</em> optimistisch.</p>"
    span = span_of(html_to_text(html), "sei sehr", {"id": "item-1", "class": "hl"})
    assert highlight(html, [span]) == (
        '<p>Er <mark id="item-1" class="hl">sei </mark>'
        '<em><mark class="hl">sehr</mark> vorsichtig</em> optimistisch.</p>'
    )


def test_a_span_across_two_paragraphs_gets_a_mark_in_each():
    html = "<p>Die Gespräche endeten spät.</p>\n<p>Ein Abkommen gibt es nicht.</p>"
    span = span_of(html_to_text(html), "spät. Ein Abkommen", {"id": "item-2"})
    assert highlight(html, [span]) == (
        '<p>Die Gespräche endeten <mark id="item-2">spät.</mark></p>\n'
        "<p><mark>Ein Abkommen</mark> gibt es nicht.</p>"
    )


def test_two_spans_in_the_same_text_node_get_a_mark_each():
    html = "<p>Washington will Inspektionen, Moskau eine Frist.</p>"
    text = html_to_text(html)
    spans = [span_of(text, "Washington", {"id": "a"}), span_of(text, "Moskau", {"id": "b"})]
    assert highlight(html, spans) == (
        '<p><mark id="a">Washington</mark> will Inspektionen, '
        '<mark id="b">Moskau</mark> eine Frist.</p>'
    )


def test_overlapping_spans_nest_by_closing_and_reopening_the_later_one():
    html = "<p>Einigung über Obergrenzen, Streit über Kontrollen.</p>"
    text = html_to_text(html)
    spans = [
        span_of(text, "Einigung über Obergrenzen", {"id": "a"}),
        span_of(text, "Obergrenzen, Streit", {"id": "b"}),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="a">Einigung über <mark id="b">Obergrenzen</mark></mark>'
        "<mark>, Streit</mark> über Kontrollen.</p>"
    )


def test_a_span_inside_another_nests_without_splitting_either():
    html = "<p>Einigung über Obergrenzen, Streit über Kontrollen.</p>"
    text = html_to_text(html)
    spans = [
        span_of(text, "Obergrenzen", {"id": "inner"}),
        span_of(text, "Einigung über Obergrenzen, Streit", {"id": "outer"}),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="outer">Einigung über <mark id="inner">Obergrenzen</mark>, Streit</mark>'
        " über Kontrollen.</p>"
    )


def test_an_entity_counts_as_the_one_character_it_stands_for():
    html = "<p>Rock &amp; Roll in Genf</p>"
    text = html_to_text(html)
    spans = [span_of(text, "&", {"id": "a"}), span_of(text, "Roll", {"id": "b"})]
    assert highlight(html, spans) == (
        '<p>Rock <mark id="a">&amp;</mark> <mark id="b">Roll</mark> in Genf</p>'
    )


def test_an_ampersand_that_starts_no_entity_counts_as_itself():
    html = "<p>AT&T und H&M</p>"
    assert (
        highlight(html, [Highlight(3, 4, {"id": "a"})]) == '<p>AT&<mark id="a">T</mark> und H&M</p>'
    )


def test_spans_that_start_together_nest_the_longer_outside():
    html = "<p>Einigung über Obergrenzen</p>"
    spans = [Highlight(0, 8, {"id": "short"}), Highlight(0, 25, {"id": "long"})]
    assert highlight(html, spans) == (
        '<p><mark id="long"><mark id="short">Einigung</mark> über Obergrenzen</mark></p>'
    )


def test_spans_reopened_after_a_crossing_one_closes_keep_their_nesting_order():
    html = "<p>Einigung über Obergrenzen</p>"
    spans = [
        Highlight(0, 8, {"id": "a"}),
        Highlight(2, 25, {"id": "b", "class": "b"}),
        Highlight(4, 25, {"id": "c", "class": "c"}),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="a">Ei<mark id="b" class="b">ni<mark id="c" class="c">gung'
        "</mark></mark></mark>"
        '<mark class="b"><mark class="c"> über Obergrenzen</mark></mark></p>'
    )


def test_a_collapsed_space_maps_to_the_whitespace_it_stands_for():
    html = "<p>arms  \n control</p>"
    assert (
        highlight(html, [Highlight(0, 5, {"id": "a"})])
        == '<p><mark id="a">arms  \n </mark>control</p>'
    )
    assert (
        highlight(html, [Highlight(5, 12, {"id": "b"})])
        == '<p>arms  \n <mark id="b">control</mark></p>'
    )


def test_attribute_values_are_escaped():
    html = "<p>Genf</p>"
    marked = highlight(html, [Highlight(0, 4, {"title": "\"Genf\" <&> 'Wien'"})])
    assert (
        marked == '<p><mark title="&quot;Genf&quot; &lt;&amp;&gt; &#x27;Wien&#x27;">Genf</mark></p>'
    )


def test_a_span_of_nothing_but_a_block_boundary_marks_nothing():
    html = "<p>Genf</p><p>Wien</p>"
    assert highlight(html, [Highlight(4, 5, {"id": "a"}), Highlight(2, 2, {"id": "b"})]) == html


def test_highlight_rejects_spans_outside_the_text_and_bad_attribute_names():
    with pytest.raises(ValueError):
        highlight("<p>Genf</p>", [Highlight(2, 5)])
    with pytest.raises(ValueError):
        highlight("<p>Genf</p>", [Highlight(0, 4, {'id="x" onclick': "alert(1)"})])


def ref(item: str) -> str:
    """A note link like the one the reader page puts after each passage."""
    return f'<a class="passage-ref" href="#item-{item}">{item}</a>'


def referenced(text: str, passage: str, item: str) -> Highlight:
    start = text.index(passage)
    return Highlight(start, start + len(passage), {"id": f"item-{item}"}, after=ref(item))


class _LinkNestingChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            assert not self.depth, "<a> inside <a>"
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "a":
            assert self.depth, "</a> closes nothing"
            self.depth -= 1


def assert_no_nested_links(html: str) -> None:
    checker = _LinkNestingChecker()
    checker.feed(html)
    checker.close()


def test_after_follows_the_mark_of_a_span_in_plain_text():
    html = "<p>Die Gespräche in Genf endeten spät.</p>"
    marked = highlight(html, [referenced(html_to_text(html), "in Genf", "A1")])
    assert marked == (
        '<p>Die Gespräche <mark id="item-A1">in Genf</mark>'
        '<a class="passage-ref" href="#item-A1">A1</a> endeten spät.</p>'
    )
    assert html_to_text(marked) == "Die Gespräche in GenfA1 endeten spät."


def test_after_is_trusted_html_inserted_as_it_is():
    html = "<p>Genf</p>"
    after = '<sup><a href="#n?a=1&amp;b=2">&#8224;</a></sup>'
    assert highlight(html, [Highlight(0, 4, after=after)]) == f"<p><mark>Genf</mark>{after}</p>"


def test_after_a_span_into_emphasis_follows_its_last_piece_inside_the_emphasis():
    html = "<p>Er sei <em>sehr vorsichtig</em> optimistisch.</p>"
    marked = highlight(html, [referenced(html_to_text(html), "sei sehr", "A1")])
    assert marked == (
        '<p>Er <mark id="item-A1">sei </mark><em><mark>sehr</mark>'
        '<a class="passage-ref" href="#item-A1">A1</a> vorsichtig</em> optimistisch.</p>'
    )
    read_marks(marked)


def test_after_a_span_ending_in_link_text_follows_the_link():
    html = '<p>Ein <a href="/fahrplan">Fahrplan für Gespräche</a> steht.</p>'
    marked = highlight(html, [referenced(html_to_text(html), "Ein Fahrplan", "A1")])
    assert marked == (
        '<p><mark id="item-A1">Ein </mark><a href="/fahrplan"><mark>Fahrplan</mark>'
        ' für Gespräche</a><a class="passage-ref" href="#item-A1">A1</a> steht.</p>'
    )
    assert_no_nested_links(marked)
    assert html_to_text(marked) == "Ein Fahrplan für GesprächeA1 steht."


def test_after_a_span_ending_in_markup_inside_a_link_follows_the_link():
    html = '<p><a href="/genf"><em>Genf</em> und <strong>Wien</strong></a>, Bern</p>'
    marked = highlight(html, [referenced(html_to_text(html), "Genf", "A1")])
    assert marked == (
        '<p><a href="/genf"><em><mark id="item-A1">Genf</mark></em> und <strong>Wien</strong>'
        '</a><a class="passage-ref" href="#item-A1">A1</a>, Bern</p>'
    )
    assert_no_nested_links(marked)


def test_after_a_span_ending_just_before_a_link_stays_before_the_link():
    html = '<p>Ein <a href="/fahrplan">Fahrplan</a>, gut.</p>'
    marked = highlight(html, [referenced(html_to_text(html), "Ein", "A1")])
    assert marked == (
        '<p><mark id="item-A1">Ein</mark><a class="passage-ref" href="#item-A1">A1</a>'
        ' <a href="/fahrplan">Fahrplan</a>, gut.</p>'
    )


def test_after_a_link_comes_before_a_mark_opening_right_after_it():
    html = '<p><a href="/genf">Genf</a>, Wien</p>'
    text = html_to_text(html)
    marked = highlight(html, [referenced(text, "Genf", "A1"), referenced(text, ", Wien", "A2")])
    assert marked == (
        '<p><a href="/genf"><mark id="item-A1">Genf</mark></a>'
        '<a class="passage-ref" href="#item-A1">A1</a>'
        '<mark id="item-A2">, Wien</mark><a class="passage-ref" href="#item-A2">A2</a></p>'
    )


def test_after_an_outermost_link_when_links_are_nested():
    html = '<p><a href="/a">Ab <a href="/b">Genf</a> bis</a> Wien</p>'
    marked = highlight(html, [referenced(html_to_text(html), "Genf", "A1")])
    assert marked == (
        '<p><a href="/a">Ab <a href="/b"><mark id="item-A1">Genf</mark></a> bis</a>'
        '<a class="passage-ref" href="#item-A1">A1</a> Wien</p>'
    )


def test_after_a_link_that_is_never_closed_goes_at_the_end_of_the_document():
    html = '<p>Ein <a href="/fahrplan">Fahrplan für Gespräche</p><p>Wien</p>'
    marked = highlight(html, [referenced(html_to_text(html), "Fahrplan", "A1")])
    assert marked == (
        '<p>Ein <a href="/fahrplan"><mark id="item-A1">Fahrplan</mark> für Gespräche</p>'
        '<p>Wien</p><a class="passage-ref" href="#item-A1">A1</a>'
    )


def test_afters_of_spans_ending_at_the_same_place_come_in_span_order_after_their_marks():
    html = "<p>Einigung über Obergrenzen, Streit über Kontrollen.</p>"
    text = html_to_text(html)
    spans = [
        referenced(text, "Obergrenzen", "A1"),
        referenced(text, "Einigung über Obergrenzen", "A2"),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="item-A2">Einigung über <mark id="item-A1">Obergrenzen</mark></mark>'
        '<a class="passage-ref" href="#item-A1">A1</a>'
        '<a class="passage-ref" href="#item-A2">A2</a>, Streit über Kontrollen.</p>'
    )
    assert html_to_text(highlight(html, spans[::-1])) == (
        "Einigung über ObergrenzenA2A1, Streit über Kontrollen."
    )


def test_afters_of_spans_ending_in_the_same_link_come_in_span_order_after_it():
    html = '<p>Ein <a href="/fahrplan">Fahrplan für Gespräche</a>.</p>'
    text = html_to_text(html)
    spans = [referenced(text, "Gespräche", "A1"), referenced(text, "Ein Fahrplan", "A2")]
    marked = highlight(html, spans)
    assert marked.endswith(
        '</a><a class="passage-ref" href="#item-A1">A1</a>'
        '<a class="passage-ref" href="#item-A2">A2</a>.</p>'
    )
    assert_no_nested_links(marked)


def test_after_of_overlapping_spans_follows_each_ones_last_piece_outside_the_other():
    html = "<p>Einigung über Obergrenzen, Streit über Kontrollen.</p>"
    text = html_to_text(html)
    spans = [
        referenced(text, "Einigung über Obergrenzen", "A1"),
        referenced(text, "Obergrenzen, Streit", "A2"),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="item-A1">Einigung über <mark id="item-A2">Obergrenzen</mark></mark>'
        '<a class="passage-ref" href="#item-A1">A1</a>'
        '<mark>, Streit</mark><a class="passage-ref" href="#item-A2">A2</a>'
        " über Kontrollen.</p>"
    )


def test_after_of_a_span_inside_another_stays_inside_the_outer_mark():
    html = "<p>Einigung über Obergrenzen, Streit über Kontrollen.</p>"
    text = html_to_text(html)
    spans = [
        referenced(text, "Obergrenzen", "A1"),
        referenced(text, "Einigung über Obergrenzen, Streit", "A2"),
    ]
    assert highlight(html, spans) == (
        '<p><mark id="item-A2">Einigung über <mark id="item-A1">Obergrenzen</mark>'
        '<a class="passage-ref" href="#item-A1">A1</a>, Streit</mark>'
        '<a class="passage-ref" href="#item-A2">A2</a> über Kontrollen.</p>'
    )


def test_a_span_that_marks_nothing_gets_no_after():
    html = "<p>Genf</p><p>Wien</p>"
    spans = [Highlight(4, 5, after=ref("A1")), Highlight(2, 2, after=ref("A2"))]
    assert highlight(html, spans) == html


def test_after_changes_the_text_only_by_its_own_text_at_the_end_of_the_passage():
    html = (
        "<h2>Gipfel in Genf</h2>\n<p>Die <strong>Botschafter <em>haben sich</em></strong> auf "
        'einen <a href="/fahrplan">Fahrplan</a> verständigt.</p>'
    )
    text = html_to_text(html)
    spans = [
        referenced(text, "Genf Die", "A1"),
        referenced(text, "Botschafter haben", "A2"),
        referenced(text, "auf einen Fahr", "A3"),
    ]
    plain = [Highlight(span.start, span.end, span.attrs) for span in spans]
    assert html_to_text(highlight(html, plain)) == text
    marked = highlight(html, spans)
    assert html_to_text(marked) == (
        "Gipfel in Genf DieA1 Botschafter habenA2 sich auf einen FahrplanA3 verständigt."
    )
    read_marks(marked)
    assert_no_nested_links(marked)


class _RefReader(HTMLParser):
    """The tokens of highlighted HTML, each `after` snippet taken as one token."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str]] = []
        self.in_ref = False
        self.links = 0  # source links opened so far
        self.open_links: list[int] = []
        self.open_marks: list[str | None] = []
        self.last_piece_links: dict[str, int | None] = {}  # item -> link of its last piece

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "passage-ref":
            self.tokens.append(("ref", attributes["href"].removeprefix("#item-")))
            self.in_ref = True
        elif tag == "a":
            self.links += 1
            self.open_links.append(self.links)
            self.tokens.append(("start", f"a{self.links}"))
        elif tag == "mark":
            self.open_marks.append(attributes["data-item"])
            self.tokens.append(("start", "mark"))
        else:
            self.tokens.append(("start", tag))

    def handle_endtag(self, tag):
        if self.in_ref:
            self.in_ref = False
        elif tag == "a":
            self.tokens.append(("end", f"a{self.open_links.pop()}"))
        elif tag == "mark":
            item = self.open_marks.pop()
            self.last_piece_links[item] = self.open_links[-1] if self.open_links else None
            self.tokens.append(("end", f"mark{item}"))
        else:
            self.tokens.append(("end", tag))

    def handle_data(self, data):
        if not self.in_ref:
            self.tokens.append(("data", data))


def assert_afters_in_place(marked: str) -> None:
    """Each snippet follows its span's last mark, past the end of the link that mark is in."""
    reader = _RefReader()
    reader.feed(marked)
    reader.close()
    tokens = reader.tokens
    refs = [index for index, token in enumerate(tokens) if token[0] == "ref"]
    assert sorted(token[1] for token in tokens if token[0] == "ref") == sorted(
        reader.last_piece_links
    )
    for position in refs:
        item = tokens[position][1]
        last_piece = max(i for i, token in enumerate(tokens) if token == ("end", f"mark{item}"))
        between = [token for token in tokens[last_piece + 1 : position] if token[0] != "ref"]
        link = reader.last_piece_links[item]
        if link is None:
            assert all(kind == "end" and tag.startswith("mark") for kind, tag in between)
        else:
            assert between[-1] == ("end", f"a{link}")
        # Snippets side by side landed at the same place, so come in span order.
        if tokens[position - 1][0] == "ref":
            assert int(tokens[position - 1][1]) < int(item)


RANDOM_HTML = (
    "<h2>Gipfel in Genf</h2>\n"
    "<p>Die <strong>Botschafter <em>haben sich</em></strong> auf einen "
    '<a href="/fahrplan?a=1&amp;b=2">Fahrplan</a> verständigt.</p>\n'
    "<blockquote><p>&#8222;Wir sind  vorsichtig optimistisch&#8220;, sagte sie.</p>"
    "</blockquote>\n"
    "<ul><li>Obergrenzen &amp; Fristen</li><li>Inspektionen<br>vor Ort</li></ul>"
)
RANDOM_LINKED_HTML = (
    '<p><a href="/genf">Genf</a>, <a href="/wien"><em>Wien</em> und Bern</a> &amp; '
    '<a href="/x?a=1&amp;b=2">Fristen <strong>f&uuml;r Inspektionen</strong></a></p>\n'
    '<ul><li><a href="/l">Obergrenzen</a></li><li>vor <a href="/o">Ort</a><br>und weiter</li>'
    '</ul><p><a href="/e">Ende &amp; Schluss</a></p>'
)


@pytest.mark.parametrize("html", [RANDOM_HTML, RANDOM_LINKED_HTML], ids=["article", "links"])
def test_random_spans_give_balanced_marks_around_exactly_their_text(html):
    text = html_to_text(html)
    rng = random.Random(11)
    for _ in range(200):
        spans = []
        for item in range(rng.randint(1, 4)):
            start = rng.randrange(len(text))
            end = rng.randint(start, len(text))
            spans.append(
                Highlight(
                    start,
                    end,
                    {"id": f"item-{item}", "data-item": str(item)},
                    after=f'<a class="passage-ref" href="#item-{item}">\u2020{item}</a>',
                )
            )
        plain = [Highlight(span.start, span.end, span.attrs) for span in spans]

        marked = highlight(html, plain)

        assert html_to_text(marked) == text
        reader = read_marks(marked)
        assert len(set(reader.ids)) == len(reader.ids)
        for item, span in enumerate(spans):
            wanted = "".join(text[span.start : span.end].split())
            assert "".join(reader.marked.get(str(item), "").split()) == wanted

        referenced_marks = highlight(html, spans)

        read_marks(referenced_marks)
        assert_no_nested_links(referenced_marks)
        assert_afters_in_place(referenced_marks)
        # Only spans that mark something get their snippet, and it adds only its own text.
        assert set(reader.marked) == {
            item for item in map(str, range(len(spans))) if f"#item-{item}" in referenced_marks
        }
        with_refs = html_to_text(referenced_marks)
        for item in range(len(spans)):
            with_refs = with_refs.replace(f"\u2020{item}", "")
        assert with_refs == text


# locate: never the wrong words (issue 12)

ECHOED = (
    "The presidents met for four hours in the villa. Putin said both sides would return their "
    "ambassadors to their posts. Human rights remained in dispute. "
    "In summary: both sides would return their ambassadors to their posts, the Kremlin said."
)


def test_an_edited_passage_beats_its_old_wording_standing_elsewhere():
    # The old wording is echoed in the summary: any exact occurrence used to win, with score
    # 1.0 and state anchored, and the edited passage itself (0.97) was never considered.
    quote = "both sides would return their ambassadors to their posts"
    start = ECHOED.index(quote)  # the first: the one annotated
    selector = describe(ECHOED, start, start + len(quote))
    edited = ECHOED.replace("Putin said both sides would", "Putin said both sides will", 1)

    anchor = locate(edited, selector, position=start)

    assert anchor is not None and not anchor.exact  # drifted: the editor confirms the rewording
    assert anchor.start < edited.index("In summary")
    assert edited[anchor.start : anchor.end] == (
        "both sides will return their ambassadors to their posts"
    )


def test_a_deleted_passage_whose_words_stand_elsewhere_is_drifted_there_never_anchored():
    quote = "both sides would return their ambassadors to their posts"
    start = ECHOED.index(quote)
    selector = describe(ECHOED, start, start + len(quote))
    edited = ECHOED.replace(
        "Putin said both sides would return their ambassadors to their posts. ", ""
    )

    anchor = locate(edited, selector, position=start)

    assert anchor is not None
    assert not anchor.exact  # the survivor is shown for the editor to confirm, not taken
    assert edited[anchor.start : anchor.end] == quote


def test_the_very_words_with_a_new_sentence_beside_them_are_confirmed_by_the_editor():
    # From here a sentence inserted beside the passage looks like its words typed anew
    # elsewhere (the edit corpus has that case): the editor confirms, the place is right.
    quote = "Human rights remained in dispute"
    start = ECHOED.index(quote)
    selector = describe(ECHOED, start, start + len(quote))
    edited = ECHOED.replace("to their posts. Human", "to their posts. A new sentence. Human")

    anchor = locate(edited, selector, position=start)

    assert not anchor.exact
    assert (anchor.start, anchor.end) == (edited.index(quote), edited.index(quote) + len(quote))


def test_an_item_whose_passage_was_edited_is_drifted_to_it_and_keeps_its_stored_context():
    from summits.choices import AnchorState
    from summits.models import Item

    quote = "both sides would return their ambassadors to their posts"
    start = ECHOED.index(quote)
    selector = describe(ECHOED, start, start + len(quote))
    item = Item(
        kind="agreement",
        quote=selector.exact,
        quote_prefix=selector.prefix,
        quote_suffix=selector.suffix,
        anchor_start=start,
        anchor_end=start + len(quote),
    )
    edited = ECHOED.replace("Putin said both sides would", "Putin said both sides will", 1)

    item.anchor(edited)

    assert item.anchor_state == AnchorState.DRIFTED
    assert item.anchor_start < edited.index("In summary")
    # Not overwritten with the summary's context: the next edit still finds the passage.
    assert (item.quote_prefix, item.quote_suffix) == (selector.prefix, selector.suffix)
