"""Anchoring of quoted passages to article text, after W3C Web Annotation selectors."""

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape
from html.parser import HTMLParser
from itertools import groupby
from typing import NamedTuple

from rapidfuzz import fuzz


@dataclass(frozen=True)
class Selector:
    """A W3C TextQuoteSelector: the quoted passage and the text just around it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Anchor:
    """Where a selector landed in the plain text; `end` is exclusive."""

    start: int
    end: int
    score: float
    exact: bool


@dataclass(frozen=True)
class Highlight:
    """A span of the plain text to wrap in <mark> elements with these attributes.

    `after` is trusted HTML, inserted as is once after the span, like a link to the item's note
    built with format_html(); see highlight() for where it goes.
    """

    start: int
    end: int
    attrs: Mapping[str, str] = field(default_factory=dict)
    after: str = ""


_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_HIDDEN_ELEMENTS = frozenset({"script", "style", "template"})
# The pattern html.unescape() decodes with, so that each match decodes as the parser decoded it.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
# Runs of whitespace and runs of visible characters (\s is str.isspace(), nbsp included), and
# whitespace that is not one plain space between two words: text without it is taken whole.
_RUNS = re.compile(r"\s+|\S+")
_IRREGULAR_SPACE = re.compile(r"\s\s|[^\S ]")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")

# The Hypothesis client's weights for re-anchoring: the quote counts most, its context next,
# and the old position only breaks near-ties.
_QUOTE_WEIGHT = 50
_PREFIX_WEIGHT = 20
_SUFFIX_WEIGHT = 20
_POSITION_WEIGHT = 2
_TOTAL_WEIGHT = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _POSITION_WEIGHT


# The node of the space between two blocks, which comes from no character of the source.
_BETWEEN_BLOCKS = -1
# The source end of a run whose characters each come from the next character of the source.
_CHARACTER_BY_CHARACTER = -1


class _Rendering(NamedTuple):
    """The plain text, and where its characters came from in the HTML source, run by run
    (not an object a character: an article has tens of thousands of them).

    Run i begins at offsets[i] of the text and is held by text node nodes[i] (the run of
    source text between two pieces of markup; _BETWEEN_BLOCKS for the space between two
    blocks). Its characters come from source[starts[i]:] one by one, or, when ends[i] is not
    _CHARACTER_BY_CHARACTER, each from source[starts[i]:ends[i]] (a whitespace run collapsed
    to one space, a character reference).
    """

    text: str
    offsets: list[int]
    nodes: list[int]
    starts: list[int]
    ends: list[int]
    # For each text node inside an <a>: the source offset just after the outermost enclosing
    # link's </a>, or the end of the source for a link that is never closed.
    link_ends: dict[int, int]

    def sources(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """(node, source start, source end) of each run's part of text[start:end], except
        the spaces between blocks, which come from no character of the source."""
        offsets = self.offsets
        index = max(0, bisect_right(offsets, start) - 1)
        while index < len(offsets) and offsets[index] < end:
            node, run_start = self.nodes[index], offsets[index]
            run_end = offsets[index + 1] if index + 1 < len(offsets) else len(self.text)
            first, last = max(start, run_start), min(end, run_end)
            if node != _BETWEEN_BLOCKS and first < last:
                if self.ends[index] != _CHARACTER_BY_CHARACTER:
                    yield node, self.starts[index], self.ends[index]
                else:
                    source_start = self.starts[index] + first - run_start
                    yield node, source_start, source_start + last - first
            index += 1


class _TextWalker(HTMLParser):
    """Renders HTML to plain text, remembering the source span of every character."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", source))]
        self._parts: list[str] = []
        self._length = 0
        self._offsets: list[int] = []
        self._nodes: list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._node = 0
        self._data_start: int | None = None
        self._hidden = 0
        # Whitespace and block boundaries are held back until visible text follows, so that
        # they collapse and never lead or trail. The held space is (node, start, end).
        self._space: tuple[int, int, int] | None = None
        self._block_break = False
        # Links as the markup nests them: how deep the current text is, which outermost link
        # holds each text node, and where each outermost link ends once its </a> is passed.
        self._link_depth = 0
        self._links = 0
        self._node_links: dict[int, int] = {}
        self._link_ends: dict[int, int] = {}
        self._closed_link: int | None = None

    def render(self) -> _Rendering:
        self.feed(self._source)
        self.close()
        end = len(self._source)
        self._take_data(end)
        self._end_closed_link(end)
        link_ends = {
            node: self._link_ends.get(link, end) for node, link in self._node_links.items()
        }
        return _Rendering(
            "".join(self._parts), self._offsets, self._nodes, self._starts, self._ends, link_ends
        )

    def handle_data(self, data: str) -> None:
        # The decoded data says nothing about where each character came from, so the source is
        # decoded again once the next piece of markup tells where this text ends.
        if self._data_start is None:
            self._data_start = self._position()
            self._end_closed_link(self._data_start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._markup()
        if tag in _HIDDEN_ELEMENTS:
            self._hidden += 1
        if tag == "a":
            if not self._link_depth:
                self._links += 1
            self._link_depth += 1
        self._block(tag)

    def handle_endtag(self, tag: str) -> None:
        self._markup()
        if tag in _HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1
        if tag == "a" and self._link_depth:
            self._link_depth -= 1
            if not self._link_depth:
                # The parser does not tell where the end tag ends: the next token, or the end
                # of the source, begins there.
                self._closed_link = self._links - 1
        self._block(tag)

    def handle_comment(self, data: str) -> None:
        self._markup()

    def handle_decl(self, decl: str) -> None:
        self._markup()

    def handle_pi(self, data: str) -> None:
        self._markup()

    def unknown_decl(self, data: str) -> None:
        self._markup()

    def _position(self) -> int:
        """Offset in the source of the data or markup being handled."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _markup(self) -> None:
        position = self._position()
        self._take_data(position)
        self._end_closed_link(position)

    def _end_closed_link(self, position: int) -> None:
        """Record that the link whose </a> was the last token ends at `position`."""
        if self._closed_link is not None:
            self._link_ends[self._closed_link] = position
            self._closed_link = None

    def _take_data(self, end: int) -> None:
        """Take in the text that ran up to `end`, where markup begins or the document ends."""
        start, self._data_start = self._data_start, None
        if start is None:
            return
        if not self._hidden:
            self._decode(start, end)
        if self._link_depth:
            self._node_links[self._node] = self._links - 1
        self._node += 1

    def _block(self, tag: str) -> None:
        if tag in _BLOCK_ELEMENTS and self._length:
            self._block_break, self._space = True, None

    def _decode(self, start: int, end: int) -> None:
        """Take in source[start:end], a text node, with character references decoded."""
        source, position = self._source, start
        for match in _CHARREF.finditer(source, start, end):
            decoded = unescape(match.group())
            if decoded == match.group():  # no reference after all, like the "&" in "AT&T"
                continue
            self._take_literally(position, match.start())
            reference_start, reference_end = match.span()
            for char in decoded:
                if char.isspace():
                    self._take_space(reference_start, reference_end)
                else:
                    self._take_visible(char, reference_start, reference_end)
            position = reference_end
        self._take_literally(position, end)

    def _take_literally(self, start: int, end: int) -> None:
        text = self._source[start:end]
        core = text.strip()
        if not core:
            if text:
                self._take_space(start, end)
            return
        core_start = start + len(text) - len(text.lstrip())
        core_end = core_start + len(core)
        if core_start > start:
            self._take_space(start, core_start)
        if _IRREGULAR_SPACE.search(core) is None:
            # Words with one space between them, as most text is: taken whole, as written.
            self._take_visible(core, core_start)
        else:
            for match in _RUNS.finditer(self._source, core_start, core_end):
                run_start, run_end = match.span()
                if match.group().isspace():
                    self._take_space(run_start, run_end)
                else:
                    self._take_visible(match.group(), run_start)
        if core_end < end:
            self._take_space(core_end, end)

    def _take_space(self, start: int, end: int) -> None:
        if self._space is None:
            if self._length and not self._block_break:
                self._space = (self._node, start, end)
        elif self._space[0] == self._node:
            # The one space a run collapses to stands for the whole run in its text node.
            self._space = (self._node, self._space[1], end)

    def _take_visible(self, text: str, start: int, end: int = _CHARACTER_BY_CHARACTER) -> None:
        if self._block_break:
            self._append(" ", _BETWEEN_BLOCKS, -1, -1)
        elif self._space is not None:
            self._append(" ", *self._space)
        self._block_break, self._space = False, None
        self._append(text, self._node, start, end)

    def _append(self, text: str, node: int, start: int, end: int) -> None:
        self._parts.append(text)
        self._offsets.append(self._length)
        self._length += len(text)
        self._nodes.append(node)
        self._starts.append(start)
        self._ends.append(end)


# A save renders its article's HTML several times over (the form's passage checks, the text
# that anchors are offsets of, the highlights): it is rendered once. A rendering is never
# changed once made.
@lru_cache(maxsize=8)
def _render(html: str) -> _Rendering:
    return _TextWalker(html).render()


def html_to_text(html: str) -> str:
    """The text of article HTML as a reader sees it; the offset space of every selector.

    Whitespace runs, non-breaking spaces included, collapse to one space, and block elements
    are separated by one space too: the text is then one line, like normalize_quote()'s output,
    so that a quote pasted across paragraphs matches exactly and a selector's context survives
    a round trip through a single-line form field.
    """
    return _render(html).text


def html_to_paragraphs(html: str) -> list[str]:
    """The text of html_to_text() cut where one block ends and the next begins: joined with
    one space, the paragraphs are that text again."""
    rendering = _render(html)
    paragraphs = []
    start = 0
    for offset, node in zip(rendering.offsets, rendering.nodes, strict=True):
        # Only the space that separates two blocks comes from no character of the source.
        if node == _BETWEEN_BLOCKS:
            paragraphs.append(rendering.text[start:offset])
            start = offset + 1
    if rendering.text:
        paragraphs.append(rendering.text[start:])
    return paragraphs


def normalize_quote(text: str) -> str:
    return " ".join(text.split())


def describe(text: str, start: int, end: int, context: int = 32) -> Selector:
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"[{start}:{end}] is not a range of a text of {len(text)} characters")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of every occurrence of `exact`, overlapping ones included."""
    if not exact:
        return []
    starts = []
    start = text.find(exact)
    while start != -1:
        starts.append(start)
        start = text.find(exact, start + 1)
    return starts


def locate(
    text: str, selector: Selector, position: int | None = None, min_score: float = 0.75
) -> Anchor | None:
    """Anchor the selector in text, or None when the passage is gone.

    Exact occurrences of the quote and the best approximate match compete on one score of
    quote, context and position: an old wording that still stands elsewhere (a repeated phrase,
    a quotation echoed in a summary) must not beat the edited passage in its own context, as
    it did when any exact occurrence won outright.

    The anchor is exact (the item stays anchored, and may take its new context) only for the
    quote's very words with their context on both sides; the very words out of that context,
    or an approximate match scoring at least `min_score` on the quote alone and in all, are for
    the editor to confirm.
    """
    if not selector.exact or not text:
        return None
    length = len(selector.exact)
    candidates = [
        _Candidate(
            start, start + length, _score(text, selector, start, start + length, position)[1], True
        )
        for start in occurrences(text, selector.exact)
    ]
    best = max(candidates, key=lambda candidate: candidate.rank(position), default=None)
    if (
        best is not None
        and min(_context_similarity(text, selector, best.start, best.end)) >= CONTEXT_FITS
    ):
        # The very words in their whole context: no other place can score higher.
        return Anchor(best.start, best.end, score=1.0, exact=True)
    approximate = _locate_approximately(text, selector, position, min_score)
    if approximate is not None and not any(
        # Around the very words, they are the passage: a near match there only stretches
        # over the text inserted next to it to win back the old context.
        approximate.start < exact.end and exact.start < approximate.end
        for exact in candidates
    ):
        candidates.append(_Candidate(approximate.start, approximate.end, approximate.score, False))
    if not candidates:
        return None
    best = max(candidates, key=lambda candidate: candidate.rank(position))
    # Even the very words are for the editor to confirm once their context has changed: a
    # sentence inserted beside the passage and the passage's words typed anew elsewhere look
    # the same from here.
    return Anchor(best.start, best.end, score=best.score, exact=False)


# How like its stored context the text on each side of a passage must be for it to count as
# the same place (fuzz.ratio over the context's 32 characters): a typo or a changed word next
# to the passage keeps it anchored; a new sentence beside it makes it drifted, for the editor
# to confirm. At 0.75 and above, an edit of a few words around a passage (tests/test_admin.py)
# drifted it; at 0.7 the edit corpus (tests/test_edit_corpus.py) still lands nothing wrong.
CONTEXT_FITS = 0.7


class _Candidate(NamedTuple):
    start: int
    end: int
    score: float
    exact: bool  # the quote's very words

    def rank(self, position):
        # The score first; then the very words over a near match, then the nearer place.
        distance = abs(self.start - position) if position is not None else 0
        return (round(self.score, 6), self.exact, -distance)


def anchor_all(
    text: str, selectors: Sequence[tuple[Selector, int | None]], min_score: float = 0.75
) -> list[Anchor | None]:
    return [locate(text, selector, position, min_score) for selector, position in selectors]


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100


def _context_similarity(text: str, selector: Selector, start: int, end: int) -> tuple[float, float]:
    """How well the text around [start:end] matches the prefix and the suffix."""
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return similarity(selector.prefix, before), similarity(selector.suffix, after)


def _score(
    text: str, selector: Selector, start: int, end: int, position: int | None
) -> tuple[float, float]:
    """How well text[start:end] matches the quote, and how well it matches all in all."""
    quote_score = similarity(selector.exact, text[start:end])
    prefix_score, suffix_score = _context_similarity(text, selector, start, end)
    position_score = (
        max(0.0, 1 - abs(start - position) / len(text)) if position is not None else 1.0
    )
    score = (
        _QUOTE_WEIGHT * quote_score
        + _PREFIX_WEIGHT * prefix_score
        + _SUFFIX_WEIGHT * suffix_score
        + _POSITION_WEIGHT * position_score
    ) / _TOTAL_WEIGHT
    return quote_score, score


def _locate_approximately(
    text: str, selector: Selector, position: int | None, min_score: float
) -> Anchor | None:
    best = None
    for region in dict.fromkeys(_regions(text, selector, position)):
        start, end = _snap(text, selector, position, *region)
        quote_score, score = _score(text, selector, start, end, position)
        if min(quote_score, score) >= min_score and (best is None or score > best.score):
            best = Anchor(start, end, score, exact=False)
    return best


def _regions(text: str, selector: Selector, position: int | None) -> Iterator[tuple[int, int]]:
    """Rough places of the quote: where it fits best, where its context does, near its old place.

    Each is as long as the quote, so an edit that changed the passage's length leaves its
    boundaries for _snap() to find.
    """
    quote = selector.exact
    yield _align(quote, text, 0, len(text))
    if selector.prefix or selector.suffix:
        start, end = _align(selector.prefix + quote + selector.suffix, text, 0, len(text))
        yield _align(quote, text, start, end)
    if position is not None:
        margin = len(quote) // 2
        yield _align(quote, text, position - margin, position + len(quote) + margin)


def _align(needle: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The part of text[start:end] most like needle."""
    start, end = min(max(0, start), len(text)), min(len(text), end)
    alignment = fuzz.partial_ratio_alignment(needle, text[start:end])
    return start + alignment.dest_start, start + alignment.dest_end


def _snap(
    text: str, selector: Selector, position: int | None, start: int, end: int
) -> tuple[int, int]:
    """Move the boundaries of a rough region to where quote and context fit best.

    Boundaries never fall on whitespace, nor inside a word unless the original passage itself
    began or ended inside one, as told by the character of context next to it.
    """
    quote = selector.exact
    slack = len(quote) // 2 + 1
    whole_start = not (_is_word(selector.prefix[-1:]) and _is_word(quote[0]))
    whole_end = not (_is_word(quote[-1]) and _is_word(selector.suffix[:1]))

    def starts_cleanly(index: int) -> bool:
        return not text[index].isspace() and not (
            whole_start and _is_word(text[index - 1 : index]) and _is_word(text[index])
        )

    def ends_cleanly(index: int) -> bool:
        return not text[index - 1].isspace() and not (
            whole_end and _is_word(text[index - 1]) and _is_word(text[index : index + 1])
        )

    def fit(start: int, end: int) -> float:
        return _score(text, selector, start, end, position)[1]

    # Of equally good boundaries, the one nearest the rough one wins.
    rough_start, rough_end = start, end
    start = max(
        filter(starts_cleanly, range(max(0, start - slack), min(end, start + slack))),
        key=lambda index: (fit(index, rough_end), -abs(index - rough_start)),
        default=start,
    )
    end = max(
        filter(ends_cleanly, range(max(start + 1, end - slack), min(len(text), end + slack) + 1)),
        key=lambda index: (fit(start, index), -abs(index - rough_end)),
        default=end,
    )
    return start, end


def _is_word(char: str) -> bool:
    return char.isalnum()


# The order of what highlight() inserts at one source offset: marks that end there close,
# then the `after` snippets of spans that end there follow, then marks that begin there open.
_CLOSE, _AFTER, _OPEN = range(3)


def highlight(html: str, spans: Sequence[Highlight]) -> str:
    """The HTML with each span of its plain text wrapped in <mark> elements.

    A mark never crosses markup: a span over several text nodes (into <em>, across paragraphs)
    becomes one <mark> per node, and overlapping spans nest, a span being closed and reopened
    where it would otherwise cross another. Every piece of a span carries its attributes except
    `id`, which only the first piece keeps, so ids stay unique and `mark[id]` styles the start.

    A span's `after` HTML follows its last piece, after every mark that closes there and before
    any that opens there, so it may sit inside another span's mark that goes on, or inside the
    <em> the span ends in. Links do not nest, so when the last piece is link text, `after`
    follows that link's </a> instead, that of the outermost link if links are nested; after a
    link that is never closed it goes at the end of the document. Snippets that land at one
    place come in span order. A span that marks nothing (an empty one, or one of nothing but
    the space between blocks) has no last piece and so gets no `after` either.
    """
    rendering = _render(html)
    pieces: defaultdict[int, list[tuple[int, int, int]]] = defaultdict(list)
    inserts: list[tuple[int, int, str]] = []
    for index, span in enumerate(spans):
        if not 0 <= span.start <= span.end <= len(rendering.text):
            raise ValueError(f"Highlight [{span.start}:{span.end}] is outside the text")
        if invalid := [name for name in span.attrs if not _ATTRIBUTE_NAME.fullmatch(name)]:
            raise ValueError(f"Invalid attribute names: {invalid}")
        sources = list(rendering.sources(span.start, span.end))
        for node, group in groupby(sources, key=lambda source: source[0]):
            runs = list(group)
            pieces[node].append((runs[0][1], runs[-1][2], index))
        if span.after and sources:
            node, _, end = sources[-1]
            inserts.append((rendering.link_ends.get(node, end), _AFTER, span.after))

    opened: set[int] = set()

    def open_tag(index: int) -> str:
        attrs = "".join(
            f' {name}="{escape(value)}"'
            for name, value in spans[index].attrs.items()
            if name != "id" or index not in opened
        )
        opened.add(index)
        return f"<mark{attrs}>"

    # Nodes in document order, so that the first piece of a span is the one that keeps its id.
    for node in sorted(pieces):
        inserts += _nest(pieces[node], open_tag)
    output = []
    written = 0
    # A stable sort keeps the nesting order of the tags and the span order of the snippets.
    for offset, _, insert in sorted(inserts, key=lambda insert: insert[:2]):
        output += [html[written:offset], insert]
        written = offset
    output.append(html[written:])
    return "".join(output)


def _nest(
    pieces: list[tuple[int, int, int]], open_tag: Callable[[int], str]
) -> Iterator[tuple[int, int, str]]:
    """Source offsets, kinds and tags that wrap the pieces of one text node in nested marks.

    Each piece is (source start, source end, span index).
    """
    stack: list[int] = []
    for offset in sorted({boundary for start, end, _ in pieces for boundary in (start, end)}):
        closing = {index for _, end, index in pieces if end == offset}
        reopen = []
        while closing.intersection(stack):
            index = stack.pop()
            yield offset, _CLOSE, "</mark>"
            if index not in closing:
                reopen.append(index)
        # Longer pieces open first, so that shorter ones nest inside them without a split.
        opening = sorted((-end, index) for start, end, index in pieces if start == offset)
        for index in [*reversed(reopen), *(index for _, index in opening)]:
            stack.append(index)
            yield offset, _OPEN, open_tag(index)
