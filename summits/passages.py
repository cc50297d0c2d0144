"""Finding a passage an editor pasted in an article's plain text, whatever its typography."""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from string import ascii_letters, digits, punctuation

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from summits.annotate import occurrences

# Characters an editor's keyboard, word processor or the article's typesetting may have
# chosen differently for what a reader takes to be the same text.
_DOUBLE_QUOTES = '„“”‟"«»″〝〞＂'
_SINGLE_QUOTES = "‚‘’‛'‹›′ʼ＇`"
_DASHES = "‐‑‒–—―−﹘﹣－"
# Every character str.isspace() is true for; U+200B ZERO WIDTH SPACE is not among them.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Soft hyphens and zero-width characters: invisible, and nothing an editor means to quote.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_ELLIPSIS = "…"

_SAME_LENGTH = {
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    **dict.fromkeys(_SINGLE_QUOTES, "'"),
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_WHITESPACE.replace(" ", ""), " "),
}
# What changes the text's length: invisible characters go, an ellipsis becomes three full stops,
# and then whitespace, by now all plain spaces, is one space between words and none at the ends.
_INVISIBLE_OR_ELLIPSIS = re.compile(f"[{_INVISIBLE}]+|{_ELLIPSIS}")
_IRREGULAR_SPACE = re.compile(r" {2,}|\A | \Z")
_FIRST_WORD = re.compile(r"\A\S+")
_LAST_WORD = re.compile(r"\S+\Z")

# Characters an editor can tell apart at a glance; any other is named in a difference.
_SELF_EVIDENT = frozenset(ascii_letters + digits + punctuation + "äöüÄÖÜßéèêàâçëïôûÉÈÀ")


@dataclass(frozen=True)
class Occurrence:
    start: int  # offsets in the ORIGINAL text, end exclusive
    end: int


@dataclass(frozen=True)
class Closest:
    start: int
    end: int
    score: float  # 0..1, how alike the passage and text[start:end] are (folded)


@dataclass(frozen=True)
class Difference:
    typed: str  # what the editor's passage has here ("" when the article has extra characters)
    article: str  # what the article has here ("" when the passage has extra characters)


def fold(text: str) -> tuple[str, list[int]]:
    """The text with typography folded, and for each folded character the offset in `text` of
    the character it came from (plus one final entry: len(text)), so folded offsets map back to
    the original."""
    # One str.replace() per character that occurs is many times faster than str.translate(),
    # which looks each character of a non-ASCII text up in its table.
    folded = text
    for character, replacement in _SAME_LENGTH.items():
        if character in folded:
            folded = folded.replace(character, replacement)
    # Offsets start as a range, which slices without copying, until a change makes them a list.
    origins: Sequence[int] = range(len(text) + 1)
    if any(character in folded for character in _INVISIBLE + _ELLIPSIS):
        folded, origins = _replace(
            folded,
            origins,
            _INVISIBLE_OR_ELLIPSIS,
            lambda match: "..." if match[0] == _ELLIPSIS else "",
        )
    # A regular expression for spaces would be tried at every space; most texts need none.
    if "  " in folded or folded.startswith(" ") or folded.endswith(" "):
        folded, origins = _replace(
            folded,
            origins,
            _IRREGULAR_SPACE,
            lambda match: "" if match.start() == 0 or match.end() == len(folded) else " ",
        )
    return folded, list(origins)


def _replace(
    text: str,
    origins: Sequence[int],
    pattern: re.Pattern,
    replacement: Callable[[re.Match], str],
) -> tuple[str, list[int]]:
    """The text with every match of pattern replaced, and the origins of its characters; each
    character of a replacement comes from where its match began."""
    pieces = []
    new_origins: list[int] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(text[position : match.start()])
        new_origins.extend(origins[position : match.start()])
        replaced = replacement(match)
        pieces.append(replaced)
        new_origins.extend([origins[match.start()]] * len(replaced))
        position = match.end()
    pieces.append(text[position:])
    new_origins.extend(origins[position:])
    return "".join(pieces), new_origins


def _original_span(origins: list[int], start: int, end: int) -> tuple[int, int]:
    """The original characters of the folded ones from start to end (not empty), so that
    characters folded away on either side stay out and those within stay in."""
    return origins[start], origins[end - 1] + 1


def find(text: str, passage: str) -> list[Occurrence]:
    """Every place (overlapping ones too) where the passage stands in the text, typography
    folded on both sides. The span is the article's own characters: it starts at the first
    character of the match and ends after its last one (a soft hyphen inside the span is
    included, none outside at either end)."""
    folded_passage, _origins = fold(passage)
    if not folded_passage:
        return []
    folded_text, origins = fold(text)
    return [
        Occurrence(*_original_span(origins, start, start + len(folded_passage)))
        for start in occurrences(folded_text, folded_passage)
    ]


def closest(text: str, passage: str, min_score: float = 0.6) -> Closest | None:
    """Where the text comes nearest to a passage it does not hold, snapped to whole words of
    the text; None when nothing scores min_score."""
    folded_passage, _origins = fold(passage)
    folded_text, origins = fold(text)
    if not folded_passage or not folded_text:
        return None
    alignment = fuzz.partial_ratio_alignment(
        folded_passage, folded_text, score_cutoff=min_score * 100
    )
    if alignment is None or alignment.dest_start == alignment.dest_end:
        return None
    start, end = _original_span(origins, alignment.dest_start, alignment.dest_end)

    def score(span: tuple[int, int]) -> float:
        return fuzz.ratio(folded_passage, fold(text[span[0] : span[1]])[0]) / 100

    # A boundary inside a word moves to either end of that word, whichever makes the span
    # more like the passage: the aligner may have taken a word's last letter or left off its
    # first one.
    spans = [
        (word_start, word_end)
        for word_start in _word_starts_around(text, start)
        for word_end in _word_ends_around(text, end)
        if word_start < word_end
    ]
    if not spans:
        return None
    best = max(spans, key=score)
    best_score = score(best)
    if best_score < min_score:
        return None
    return Closest(*best, score=best_score)


def _is_word(character: str) -> bool:
    return character.isalnum() or character in _INVISIBLE


def _word_starts_around(text: str, offset: int) -> list[int]:
    """Where a span starting at offset may start instead so as not to split a word or start
    on whitespace or an invisible character: the start of the word offset is in, and the start
    of the next word."""
    if 0 < offset < len(text) and _is_word(text[offset - 1]) and _is_word(text[offset]):
        word_start = offset
        while word_start > 0 and _is_word(text[word_start - 1]):
            word_start -= 1
        next_word = offset
        while next_word < len(text) and _is_word(text[next_word]):
            next_word += 1
        starts = [word_start, next_word]
    else:
        starts = [offset]
    return [_skip_forward(text, start) for start in starts]


def _word_ends_around(text: str, offset: int) -> list[int]:
    """The mirror image of _word_starts_around(): the end of the word offset is in, and the
    end of the word before."""
    if 0 < offset < len(text) and _is_word(text[offset - 1]) and _is_word(text[offset]):
        word_end = offset
        while word_end < len(text) and _is_word(text[word_end]):
            word_end += 1
        previous_word = offset
        while previous_word > 0 and _is_word(text[previous_word - 1]):
            previous_word -= 1
        ends = [word_end, previous_word]
    else:
        ends = [offset]
    return [_skip_backward(text, end) for end in ends]


def _skip_forward(text: str, offset: int) -> int:
    while offset < len(text) and (text[offset].isspace() or text[offset] in _INVISIBLE):
        offset += 1
    return offset


def _skip_backward(text: str, offset: int) -> int:
    while offset > 0 and (text[offset - 1].isspace() or text[offset - 1] in _INVISIBLE):
        offset -= 1
    return offset


def differences(typed: str, article: str) -> list[Difference]:
    """The places where the passage as typed and the article's words differ, character by
    character (difflib.SequenceMatcher, autojunk=False), coalescing neighbouring changes that
    are at most one equal character apart; typography that fold() makes equal is not a
    difference."""
    folded_typed, typed_origins = fold(typed)
    folded_article, article_origins = fold(article)
    matcher = SequenceMatcher(None, folded_typed, folded_article, autojunk=False)
    # Folded ranges [typed_start, typed_end, article_start, article_end] of each change.
    changes: list[list[int]] = []
    for tag, typed_start, typed_end, article_start, article_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if changes and typed_start - changes[-1][1] <= 1:
            changes[-1][1], changes[-1][3] = typed_end, article_end
        else:
            changes.append([typed_start, typed_end, article_start, article_end])

    def original(text: str, origins: list[int], start: int, end: int) -> str:
        if start < end:
            original_start, original_end = _original_span(origins, start, end)
            return text[original_start:original_end]
        # Where one side has nothing, the other's characters may stand against invisible ones
        # that fold() took out, as a hyphen typed from print against the article's soft hyphen.
        gap_start = origins[start - 1] + 1 if start else 0
        return "".join(
            character for character in text[gap_start : origins[start]] if character in _INVISIBLE
        )

    return [
        Difference(
            typed=original(typed, typed_origins, typed_start, typed_end),
            article=original(article, article_origins, article_start, article_end),
        )
        for typed_start, typed_end, article_start, article_end in changes
    ]


def describe_difference(difference: Difference) -> str:
    """One difference in words, e.g. '“retrun” where the article has “return”', '“ ” (NO-BREAK
    SPACE) … ', 'the article has “s” that the passage lacks'. Any character that is not a
    printable ASCII letter, digit or common punctuation is followed by its Unicode name in
    parentheses (unicodedata.name; invisible ones like U+00AD SOFT HYPHEN must be named, since
    the editor cannot see them)."""
    typed, article = _show(difference.typed), _show(difference.article)
    if not difference.article:
        return _("the passage has %(typed)s that the article lacks") % {"typed": typed}
    if not difference.typed:
        return _("the article has %(article)s that the passage lacks") % {"article": article}
    return _("%(typed)s where the article has %(article)s") % {"typed": typed, "article": article}


def _show(text: str) -> str:
    """The text in quotation marks, followed by the names of the characters in it that may
    look like others or like nothing at all (once each, in order)."""
    quoted = _("“%(text)s”") % {"text": text}
    names = [
        unicodedata.name(character, f"U+{ord(character):04X}")
        for character in dict.fromkeys(text)
        if character not in _SELF_EVIDENT
    ]
    return f"{quoted} ({', '.join(names)})" if names else quoted


def in_context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str, str]:
    """(before, passage, after): up to `width` characters each side, cut at a word boundary,
    with "…" where cut, not crossing into other blocks ("\\n": give it one paragraph's text,
    as summits.forms.ArticleText does)."""
    block_start = text.rfind("\n", 0, start) + 1
    block_end = text.find("\n", end)
    if block_end == -1:
        block_end = len(text)

    before = text[block_start:start]
    if len(before) > width:
        cut = len(before) - width
        kept = before[cut:]
        # A word the cut went through is left out whole.
        if not before[cut - 1].isspace() and not kept[:1].isspace():
            kept = _FIRST_WORD.sub("", kept)
        before = "…" + kept.lstrip()

    after = text[end:block_end]
    if len(after) > width:
        kept = after[:width]
        if not after[width].isspace() and not kept[-1:].isspace():
            kept = _LAST_WORD.sub("", kept)
        after = kept.rstrip() + "…"

    return before, text[start:end], after
