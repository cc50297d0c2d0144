"""A corpus of article edits for re-anchoring, whose ground truth is tracked through each edit.

Every case takes the plain text of an article (the offset space of every selector, as
`summits.annotate.html_to_text` renders it), applies one edit or a combination of two or three,
and says for each annotated passage where its characters are now. The truth is never computed
by a matcher: the text is a list of characters, each remembering its index in the original
text (`None` for a character the edit typed), and every operation works on that list. Inserted
text, a rewritten word and a pasted copy of a passage are new; a moved sentence or paragraph
keeps its characters; a typographic change of one character for one other (a straight quote
for a curly one, a dash for another, a non-breaking space) keeps the character's origin.

A passage is SURVIVING when at least `SURVIVING_SHARE` of its original characters remain and
the span from the first to the last of them is at most `SURVIVING_STRETCH` times the original
length; its true span is that one, less a space of the passage left at either edge. Otherwise
it is GONE.

An anchor is a WRONG PLACE when it is anchored or drifted to a span that does not overlap the
true one, anchored (not drifted) for a gone passage, or anchored to words other than the quote;
a FALSE ORPHAN when a surviving passage is orphaned; a SILENT MOVE when it is anchored to an
overlapping span other than the true one. An edit that leaves the text as it was must leave
every passage anchored where it was (NOOP_NOT_KEPT otherwise).

Markup-only edits are made to the HTML and rendered again: the generator checks that the
plain text is the original one, so they are cases in which nothing may move.

Importing this module needs no Django (nor a database); only `anchor_with_item()` does, to
build an unsaved `summits.models.Item`. `cases()` builds the corpus, `run()` anchors it and
classifies every passage, and `summarise()` renders the per-category table.
"""

from __future__ import annotations

import ast
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from summits.annotate import html_to_paragraphs, html_to_text, normalize_quote

SEED = "summits/edit-corpus/1"
CONTEXT = 32  # characters of context on each side of a selector, as the item stores them
SURVIVING_SHARE = 0.6
SURVIVING_STRETCH = 1.5

_DEMO = Path(__file__).resolve().parent.parent / "summits" / "demo"


# Articles


# Written for this corpus, in German, in its own words. The diplomat's sentence is quoted in the
# second paragraph and again in the last one, so that its words occur twice.
GENF_BERICHT = """\
<p>Seit dem frühen Morgen war der Park rund um die Villa La Grange abgesperrt. Spaziergänger \
mussten draußen bleiben, auf dem See kreuzten Boote der Polizei, und über der Altstadt kreisten \
Hubschrauber. Bundespräsident Guy Parmelin empfing die beiden Gäste vor der Villa und überließ \
ihnen danach das Haus.</p>
<p>Drinnen sprachen Joe Biden und Wladimir Putin gut drei Stunden miteinander – kürzer, als \
es angekündigt war. Eine Schweizer Diplomatin, die an den Vorbereitungen beteiligt war, sagte \
am Abend: „Man hat sich zugehört, und das ist mehr, als viele erwartet hatten.“ Ein Durchbruch \
sei das nicht, aber ein Anfang.</p>
<h2>Was vereinbart wurde</h2>
<p>Konkret einigten sich die beiden Präsidenten auf drei Schritte. Die Botschafter, die im \
Frühjahr abgezogen worden waren, sollen auf ihre Posten zurückkehren. Fachleute beider \
Regierungen sollen über Fragen der strategischen Stabilität beraten, woraus später neue \
Abrüstungsverträge entstehen könnten. Außerdem wollen Experten klären, welche Einrichtungen bei \
Angriffen im Netz unantastbar bleiben müssen.</p>
<p>Über den Fall Nawalny und über die Lage der Menschenrechte in Russland gab es dagegen keine \
Annäherung. Beide Seiten trugen ihre bekannten Standpunkte vor, und beide wiederholten sie \
anschließend vor der Presse, jeder für sich.</p>
<h2>Die Stadt atmet auf</h2>
<p>Am späten Nachmittag rollten die Kolonnen zum Flughafen, und bald darauf öffneten die \
ersten Straßen wieder. Händler in der Altstadt klagten über einen verlorenen Tag, die Hoteliers \
über gar nichts. Genf hatte sich wieder einmal als Ort bewährt, an dem Gegner miteinander reden \
können.</p>
<p>Was bleibt, fasste die Diplomatin in einem Satz zusammen: „Man hat sich zugehört, und das \
ist mehr, als viele erwartet hatten.“ Ob aus dem Zuhören eine Verständigung wird, müssen die \
kommenden Monate zeigen.</p>
"""

# The same kind of report in English, also written for this corpus, with its echoed quotation.
LAKESIDE_REPORT = """\
<p>By mid-morning the park around the Villa La Grange had been sealed off, police boats \
patrolled the lake and helicopters circled over the old town. The Swiss president, Guy \
Parmelin, greeted both visitors on the steps and then left the house to them.</p>
<p>Inside, Joe Biden and Vladimir Putin talked for a little over three hours – less than had \
been planned. A Swiss official who had helped to prepare the meeting said in the evening: \
"They listened to each other, which is more than most people expected." It was no \
breakthrough, she added, but it was a beginning.</p>
<h2>Three modest steps</h2>
<p>The presidents agreed to send their ambassadors back to the posts they had left in the \
spring. Officials from both governments are to hold talks on strategic stability, which could \
one day lead to new arms control treaties. Experts will also try to agree on which facilities \
must be spared from attacks on computer networks.</p>
<p>There was no movement on the case of Alexei Navalny or on human rights in Russia. Each side \
restated its known position, and each repeated it afterwards to the press, on its own.</p>
<h2>A city breathes again</h2>
<p>In the late afternoon the motorcades left for the airport, and soon afterwards the first \
roads reopened. Shopkeepers in the old town complained of a lost day; hotel owners complained \
of nothing. Once again Geneva had served as a place where adversaries can talk.</p>
<p>The official summed up the day in one sentence: "They listened to each other, which is \
more than most people expected." Whether listening turns into understanding, the coming months \
will tell.</p>
"""


class PassageSpec(NamedTuple):
    quote: str
    occurrence: int = 0  # which occurrence of the quote in the article's text


ARTICLE_SPECS: dict[str, tuple[str, tuple[PassageSpec, ...]]] = {
    "geneva-summit-2021.en": (
        "en",
        (
            PassageSpec("a handful of concrete steps – and had been just as clear"),
            PassageSpec("a matter of interests, not of trust"),
            PassageSpec("the ambassadors will return to their posts in Washington and Moscow"),
            PassageSpec("begin a bilateral dialogue on strategic stability"),
            PassageSpec("the world's two largest nuclear powers"),
            PassageSpec("their governments will begin consultations on cybersecurity"),
            PassageSpec("On human rights, however, the two remained far apart"),
            PassageSpec("Putin defended the imprisonment of opposition politician Alexei Navalny"),
        ),
    ),
    "gipfel-genf-2021.de": (
        "de",
        (
            PassageSpec("einige handfeste Verabredungen fest – und ebenso klar"),
            PassageSpec("Im Verhältnis der beiden Länder gehe es nicht um Vertrauen"),
            PassageSpec(
                "dass die Botschafter auf ihre Posten in Washington und Moskau zurückkehren"
            ),
            PassageSpec("in Washington und Moskau", occurrence=1),  # also in the passage above
            PassageSpec("einen bilateralen Dialog über strategische Stabilität beginnen"),
            PassageSpec("dass ihre Regierungen Konsultationen zur Cybersicherheit aufnehmen"),
            PassageSpec("Gegen solche Ransomware-Banden, so die Verabredung"),
            PassageSpec(
                "Putin verteidigte die Inhaftierung des Oppositionspolitikers Alexej Nawalny"
            ),
        ),
    ),
    "factories.en": (
        "en",
        (
            PassageSpec("agreed that their ambassadors would return to their posts within weeks"),
            PassageSpec("a dialogue on strategic stability"),
            PassageSpec("will meet to discuss cybersecurity"),
            PassageSpec("such as power grids and water supply"),
            PassageSpec("the two leaders remained far apart"),
        ),
    ),
    "genf-bericht.de": (
        "de",
        (
            PassageSpec("Bundespräsident Guy Parmelin empfing die beiden Gäste vor der Villa"),
            PassageSpec("gut drei Stunden miteinander – kürzer"),
            PassageSpec("Man hat sich zugehört, und das ist mehr, als viele erwartet hatten"),
            PassageSpec(
                "„Man hat sich zugehört, und das ist mehr, als viele erwartet hatten.“",
                occurrence=1,
            ),
            PassageSpec(
                "Die Botschafter, die im Frühjahr abgezogen worden waren, sollen auf ihre Posten zurückkehren"
            ),
            PassageSpec("über Fragen der strategischen Stabilität beraten"),
            PassageSpec("welche Einrichtungen bei Angriffen im Netz unantastbar bleiben müssen"),
            PassageSpec("Genf hatte sich wieder einmal als Ort bewährt"),
        ),
    ),
    "lakeside-report.en": (
        "en",
        (
            PassageSpec("greeted both visitors on the steps"),
            PassageSpec("They listened to each other, which is more than most people expected"),
            PassageSpec(
                '"They listened to each other, which is more than most people expected."',
                occurrence=1,
            ),
            PassageSpec("agreed to send their ambassadors back to the posts they had left"),
            PassageSpec("hold talks on strategic stability"),
            PassageSpec("which facilities must be spared from attacks on computer networks"),
            PassageSpec("There was no movement on the case of Alexei Navalny"),
            PassageSpec("Geneva had served as a place where adversaries can talk"),
        ),
    ),
}


@dataclass(frozen=True)
class Article:
    id: str
    language: str
    html: str
    text: str
    paragraphs: tuple[str, ...]
    passages: tuple[tuple[int, int], ...]  # (start, end) in text, end exclusive


def _factories_article() -> str:
    """tests.factories.ARTICLE, read without Django when its apps are not set up."""
    try:
        from django.apps import apps

        if apps.ready:
            from tests.factories import ARTICLE

            return ARTICLE
    except ImportError:  # pragma: no cover - Django is a dependency of the project
        pass
    tree = ast.parse(Path(__file__).with_name("factories.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "ARTICLE" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError("tests/factories.py defines no ARTICLE")


def _article_html(article_id: str) -> str:
    if article_id == "factories.en":
        return _factories_article()
    if article_id == "genf-bericht.de":
        return GENF_BERICHT
    if article_id == "lakeside-report.en":
        return LAKESIDE_REPORT
    return (_DEMO / f"{article_id}.html").read_text(encoding="utf-8")


def _is_word(char: str) -> bool:
    return char.isalnum()


@cache
def articles() -> tuple[Article, ...]:
    result = []
    for article_id, (language, specs) in ARTICLE_SPECS.items():
        html = _article_html(article_id)
        text = html_to_text(html)
        paragraphs = tuple(html_to_paragraphs(html))
        if " ".join(paragraphs) != text:
            raise AssertionError(f"{article_id}: paragraphs do not join to the text")
        passages = []
        for spec in specs:
            starts = [match.start() for match in re.finditer(re.escape(spec.quote), text)]
            if len(starts) <= spec.occurrence:
                raise AssertionError(f"{article_id}: {spec.quote!r} is not in the text that often")
            start = starts[spec.occurrence]
            end = start + len(spec.quote)
            # At word boundaries, and 2 to 15 words long.
            if (start and _is_word(text[start - 1]) and _is_word(text[start])) or (
                end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])
            ):
                raise AssertionError(f"{article_id}: {spec.quote!r} cuts a word")
            if not 2 <= len(spec.quote.split()) <= 15:
                raise AssertionError(f"{article_id}: {spec.quote!r} is not 2 to 15 words long")
            passages.append((start, end))
        result.append(Article(article_id, language, html, text, paragraphs, tuple(passages)))
    return tuple(result)


# Ground truth


SURVIVING, GONE = "surviving", "gone"


@dataclass(frozen=True)
class Truth:
    state: str  # SURVIVING or GONE
    start: int | None  # the true span in the new text, for a surviving passage
    end: int | None
    kept: int  # how many of the passage's original characters are still in the text
    unchanged: bool  # the passage's text at its new place equals the old one


@dataclass(frozen=True)
class PassageCase:
    start: int  # in the original text
    end: int
    quote: str
    truth: Truth
    targeted: bool  # an operation of the case aimed at this passage


@dataclass(frozen=True)
class EditCase:
    id: str
    category: str
    language: str
    article: str
    original: str
    new: str
    passages: tuple[PassageCase, ...]
    operations: tuple[str, ...]  # what was done, for reading a failure
    new_html: str | None = None  # for markup-only edits, the edited HTML


class _Cell(NamedTuple):
    char: str
    origin: int | None  # index in the original text; None for typed text
    block: bool = False  # the space between two paragraphs


_SPACE = _Cell(" ", None)
_BREAK = _Cell(" ", None, True)
# A sentence ends with . ! ? (and a closing quote) before a space and a capital or a quote.
_SENTENCE_END = re.compile(r"[.!?][\"“”»«’']?(?= [„\"“«»‚‘A-ZÄÖÜ])")
_ENDS_SENTENCE = tuple('.!?"“”»«')


def _typed(text: str) -> list[_Cell]:
    return [_Cell(char, None) for char in text]


class _Doc:
    """The text being edited, one cell per character."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self.cells: list[_Cell] = []
        for paragraph in paragraphs:
            if self.cells:
                self.cells.append(_Cell(" ", len(self.cells), True))
            self.cells += [_Cell(char, len(self.cells) + i) for i, char in enumerate(paragraph)]

    @property
    def text(self) -> str:
        return "".join(cell.char for cell in self.cells)

    def snapshot(self) -> tuple[_Cell, ...]:
        return tuple(self.cells)

    def splice(self, start: int, end: int, cells: Iterable[_Cell] = ()) -> None:
        self.cells[start:end] = list(cells)

    def normalise(self) -> None:
        """Collapse whitespace as html_to_text() does: one space, no leading or trailing one."""
        out: list[_Cell] = []
        space: _Cell | None = None
        block = False
        for cell in self.cells:
            if cell.char.isspace():
                space = space or cell
                block = block or cell.block
                continue
            if space is not None and out:
                out.append(_Cell(" ", space.origin, block))
            space, block = None, False
            out.append(cell)
        self.cells = out

    def positions(self, start: int, end: int) -> list[int]:
        """Where the characters that were text[start:end] are now, in order."""
        return [
            index
            for index, cell in enumerate(self.cells)
            if cell.origin is not None and start <= cell.origin < end
        ]

    def paragraphs(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for index, cell in enumerate(self.cells):
            if cell.block:
                spans.append((start, index))
                start = index + 1
        spans.append((start, len(self.cells)))
        return spans

    def is_body(self, paragraph: tuple[int, int]) -> bool:
        """A paragraph of sentences, not a heading or a list item."""
        start, end = paragraph
        return end > start and self.cells[end - 1].char in _ENDS_SENTENCE

    def sentences(self, paragraph: tuple[int, int]) -> list[tuple[int, int]]:
        start, end = paragraph
        text = "".join(cell.char for cell in self.cells[start:end])
        spans, begin = [], 0
        for match in _SENTENCE_END.finditer(text):
            spans.append((start + begin, start + match.end()))
            begin = match.end() + 1
        spans.append((start + begin, end))
        return spans

    def paragraph_of(self, index: int) -> tuple[int, int]:
        return next(span for span in self.paragraphs() if span[0] <= index < span[1])

    def sentence_of(self, index: int) -> tuple[int, int]:
        return next(
            span for span in self.sentences(self.paragraph_of(index)) if span[0] <= index < span[1]
        )

    def body_sentences(self) -> list[tuple[int, int]]:
        return [
            sentence
            for paragraph in self.paragraphs()
            if self.is_body(paragraph)
            for sentence in self.sentences(paragraph)
        ]

    def boundaries(self) -> list[tuple[str, int]]:
        """Places a sentence can go: before a sentence of a body paragraph, or at its end."""
        points = []
        for paragraph in self.paragraphs():
            if self.is_body(paragraph):
                points += [("before", start) for start, _ in self.sentences(paragraph)]
                points.append(("after", paragraph[1]))
        return points

    def put_sentence(self, point: tuple[str, int], cells: list[_Cell]) -> None:
        side, index = point
        if side == "before":
            self.splice(index, index, [*cells, _SPACE])
        else:
            self.splice(index, index, [_SPACE, *cells])

    def cut_sentence(self, sentence: tuple[int, int]) -> list[_Cell]:
        """Take a sentence out with the space that parted it from its neighbour."""
        start, end = sentence
        paragraph = self.paragraph_of(start)
        cells = self.cells[start:end]
        if end < paragraph[1] or (paragraph == sentence and end < len(self.cells)):
            self.splice(start, end + 1)
        elif start > 0:
            self.splice(start - 1, end)
        else:
            self.splice(start, end)
        return cells


def _truth(doc: _Doc, start: int, end: int, quote: str) -> Truth:
    positions = doc.positions(start, end)
    length = end - start
    if not positions:
        return Truth(GONE, None, None, 0, False)
    first, last = positions[0], positions[-1] + 1
    if len(positions) < SURVIVING_SHARE * length or last - first > SURVIVING_STRETCH * length:
        return Truth(GONE, None, None, len(positions), False)
    # A space of the passage left at an edge (its last word rewritten, say) is not part of it.
    while doc.cells[first].char.isspace():
        first += 1
    while doc.cells[last - 1].char.isspace():
        last -= 1
    found = doc.text[first:last]
    unchanged = found == quote or normalize_quote(found) == normalize_quote(quote)
    return Truth(SURVIVING, first, last, len(positions), unchanged)


# Words for the edits, written for this corpus


SENTENCES = {
    "en": [
        "Officials on both sides declined to give further details.",
        "Several hundred journalists had travelled to Geneva for the day.",
        "The Swiss hosts had spent weeks preparing the villa and its grounds.",
        "A short joint statement was released after the talks.",
        "The Kremlin later called the atmosphere businesslike.",
        "Observers had warned against expecting too much from a single afternoon.",
        "It was the first meeting of the two men since Biden took office.",
        "Security in the city was tighter than on any day in recent memory.",
        "Neither leader took questions from the other side's reporters.",
        "The talks ended earlier than the schedule had foreseen.",
        "Diplomats described the mood in the room as calm.",
        "Both delegations brought their foreign ministers.",
        "A second round of talks was not announced.",
        "Some of the results will take months to show.",
        "The city's hotels were fully booked for the week.",
        "Protesters gathered at a distance from the park.",
    ],
    "de": [
        "Weitere Einzelheiten wollten beide Seiten nicht nennen.",
        "Mehrere hundert Journalisten waren für den Tag nach Genf gereist.",
        "Die Schweizer Gastgeber hatten die Villa wochenlang vorbereitet.",
        "Nach den Gesprächen wurde eine kurze gemeinsame Erklärung veröffentlicht.",
        "Der Kreml sprach später von einer sachlichen Atmosphäre.",
        "Beobachter hatten davor gewarnt, von einem einzigen Nachmittag zu viel zu erwarten.",
        "Es war die erste Begegnung der beiden als Präsidenten.",
        "Die Sicherheitsvorkehrungen in der Stadt waren ungewöhnlich streng.",
        "Fragen der Journalisten der jeweils anderen Seite ließen beide nicht zu.",
        "Die Gespräche endeten früher als geplant.",
        "Diplomaten beschrieben die Stimmung im Raum als ruhig.",
        "Beide Delegationen wurden von ihren Außenministern begleitet.",
        "Eine zweite Gesprächsrunde wurde nicht angekündigt.",
        "Manche Ergebnisse werden sich erst in Monaten zeigen.",
        "Die Hotels der Stadt waren für die ganze Woche ausgebucht.",
        "In sicherem Abstand zum Park versammelten sich einige Demonstranten.",
    ],
}

# What a heavy rewrite puts in place of a passage.
REWRITES = {
    "en": [
        "the two sides found some common ground",
        "little more was said on the subject",
        "nothing of the kind was settled",
        "officials would not go into detail",
        "the matter was left for a later meeting",
        "no one expected a quick result here",
        "the question remained open for now",
        "a working group is to look into it",
    ],
    "de": [
        "fanden beide Seiten etwas Gemeinsames",
        "mehr wurde dazu nicht gesagt",
        "nichts dergleichen wurde beschlossen",
        "wollten die Beamten nicht ins Detail gehen",
        "blieb die Frage vorerst offen",
        "soll sich eine Arbeitsgruppe damit befassen",
        "erwartete niemand ein schnelles Ergebnis",
        "wurde das Thema auf später verschoben",
    ],
}

# Sentences that repeat a passage's words in a context of their own.
ECHOES = {
    "en": [
        "One adviser summed it up afterwards: {}.",
        "Later that evening the point was made once more: {}.",
        "The written statement put it plainly: {}.",
        "Asked about it, a spokesman repeated the words: {}.",
    ],
    "de": [
        "Ein Berater fasste es danach so zusammen: {}.",
        "Am Abend hieß es dazu noch einmal: {}.",
        "In der schriftlichen Erklärung stand es schlicht so: {}.",
        "Auf Nachfrage wiederholte ein Sprecher die Worte: {}.",
    ],
}

FILLERS = {
    "en": ["now", "also", "still", "soon", "formally", "indeed"],
    "de": ["nun", "auch", "wohl", "bald", "offiziell", "bereits"],
}

SYNONYMS = {
    "en": {
        "agreed": "decided",
        "return": "go back",
        "begin": "start",
        "governments": "administrations",
        "remained": "stayed",
        "posts": "positions",
        "defended": "justified",
        "facilities": "installations",
        "hold": "conduct",
        "spared": "protected",
        "movement": "progress",
        "served": "proved itself",
        "greeted": "welcomed",
        "listened": "paid attention",
        "concrete": "tangible",
        "largest": "biggest",
        "meet": "gather",
        "discuss": "talk about",
        "dialogue": "conversation",
        "far": "wide",
    },
    "de": {
        "empfing": "begrüßte",
        "Gäste": "Besucher",
        "sollen": "wollen",
        "beraten": "sprechen",
        "Einrichtungen": "Anlagen",
        "zurückkehren": "heimkehren",
        "beginnen": "aufnehmen",
        "verteidigte": "rechtfertigte",
        "Annäherung": "Bewegung",
        "bewährt": "erwiesen",
        "handfeste": "konkrete",
        "Vertrauen": "Zuversicht",
        "Regierungen": "Staaten",
        "Verabredung": "Vereinbarung",
        "erwartet": "gedacht",
        "Posten": "Stellen",
        "Stabilität": "Sicherheit",
        "unantastbar": "tabu",
    },
}

# Characters a typo may bring in.
LETTERS = {"en": "abcdefghijklmnopqrstuvwxyz", "de": "abcdefghijklmnopqrstuvwxyzäöüß"}


# Edit operations: each changes the document and says what it did, or returns None when it
# does not apply (and changes nothing).


@dataclass
class _Context:
    article: Article
    rng: random.Random
    targeted: set[int]

    @property
    def language(self) -> str:
        return self.article.language

    def passage(self, index: int) -> tuple[int, int]:
        return self.article.passages[index]

    def in_any_passage(self, origin: int | None) -> bool:
        return origin is not None and any(s <= origin < e for s, e in self.article.passages)


Operation = Callable[[_Doc, _Context, int], str | None]


def _typo_at(doc: _Doc, ctx: _Context, candidates: list[int]) -> str | None:
    letters = [i for i in candidates if doc.cells[i].char.isalpha()]
    if not letters:
        return None
    index = ctx.rng.choice(letters)
    cell = doc.cells[index]
    kind = ctx.rng.choice(["swap", "drop", "double", "replace"])
    following = doc.cells[index + 1] if index + 1 < len(doc.cells) else None
    if kind == "swap" and following is not None and following.char.isalpha():
        if following.char != cell.char:
            doc.splice(index, index + 2, _typed(following.char + cell.char))
            return f"swapped {cell.char}{following.char} at {index}"
        kind = "double"
    if kind == "drop":
        doc.splice(index, index + 1)
        return f"dropped {cell.char!r} at {index}"
    if kind == "double":
        doc.splice(index + 1, index + 1, _typed(cell.char))
        return f"doubled {cell.char!r} at {index}"
    other = ctx.rng.choice([c for c in LETTERS[ctx.language] if c != cell.char.lower()])
    doc.splice(index, index + 1, _typed(other.upper() if cell.char.isupper() else other))
    return f"replaced {cell.char!r} by {other!r} at {index}"


def typo_outside(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """A typo (or its correction) in no passage; often in the context a selector keeps."""
    outside = [i for i, cell in enumerate(doc.cells) if not ctx.in_any_passage(cell.origin)]
    positions = doc.positions(*ctx.passage(target))
    if positions and ctx.rng.random() < 0.6:
        near = set(range(positions[0] - CONTEXT, positions[0])) | set(
            range(positions[-1] + 1, positions[-1] + 1 + CONTEXT)
        )
        outside = [i for i in outside if i in near] or outside
    return _typo_at(doc, ctx, outside)


def typo_inside(doc: _Doc, ctx: _Context, target: int) -> str | None:
    done = _typo_at(doc, ctx, doc.positions(*ctx.passage(target)))
    if done:
        ctx.targeted.add(target)
    return done and f"in passage {target}: {done}"


def _target_sentence(doc: _Doc, ctx: _Context, target: int) -> tuple[int, int] | None:
    positions = doc.positions(*ctx.passage(target))
    return doc.sentence_of(positions[0]) if positions else None


def sentence_added(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """A new sentence just before or after the passage's sentence, or somewhere else."""
    sentence = _target_sentence(doc, ctx, target)
    new = ctx.rng.choice(SENTENCES[ctx.language])
    if sentence is not None and ctx.rng.random() < 0.7:
        ctx.targeted.add(target)
        if ctx.rng.random() < 0.5:
            doc.put_sentence(("before", sentence[0]), _typed(new))
            return f"sentence added before passage {target}'s: {new!r}"
        doc.put_sentence(("after", sentence[1]), _typed(new))
        return f"sentence added after passage {target}'s: {new!r}"
    point = ctx.rng.choice(doc.boundaries())
    doc.put_sentence(point, _typed(new))
    return f"sentence added {point[0]} {point[1]}: {new!r}"


def paragraph_added(doc: _Doc, ctx: _Context, target: int) -> str | None:
    new = " ".join(ctx.rng.sample(SENTENCES[ctx.language], ctx.rng.randint(1, 3)))
    paragraphs = doc.paragraphs()
    positions = doc.positions(*ctx.passage(target))
    if positions and ctx.rng.random() < 0.5:
        ctx.targeted.add(target)
        here = doc.paragraph_of(positions[0])
        at = here[0] if ctx.rng.random() < 0.5 else here[1]
    else:
        at = ctx.rng.choice([start for start, _ in paragraphs] + [len(doc.cells)])
    if at == len(doc.cells):
        doc.splice(at, at, [_BREAK, *_typed(new)])
    elif at == 0 or doc.cells[at - 1].block:
        doc.splice(at, at, [*_typed(new), _BREAK])
    else:  # the end of a paragraph other than the last
        doc.splice(at, at, [_BREAK, *_typed(new)])
    return f"paragraph added at {at}: {new!r}"


def sentence_moved(doc: _Doc, ctx: _Context, target: int) -> str | None:
    sentences = doc.body_sentences()
    own = _target_sentence(doc, ctx, target)
    if own is not None and own in sentences and ctx.rng.random() < 0.6:
        sentence = own
        ctx.targeted.add(target)
    else:
        sentence = ctx.rng.choice(sentences)
    before = doc.snapshot()
    moved = doc.cut_sentence(sentence)
    after_cut = doc.snapshot()
    points = doc.boundaries()
    ctx.rng.shuffle(points)
    for point in points:
        doc.put_sentence(point, moved)
        doc.normalise()
        if doc.snapshot() != before:
            text = "".join(cell.char for cell in moved)
            return f"sentence moved from {sentence[0]} to {point[0]} {point[1]}: {text[:40]!r}…"
        doc.cells = list(after_cut)
    doc.cells = list(before)
    return None


def sentences_swapped(doc: _Doc, ctx: _Context, target: int) -> str | None:
    pairs = []
    for paragraph in doc.paragraphs():
        if doc.is_body(paragraph):
            sentences = doc.sentences(paragraph)
            pairs += list(pairwise(sentences))
    if not pairs:
        return None
    own = _target_sentence(doc, ctx, target)
    mine = [pair for pair in pairs if own in pair]
    if mine and ctx.rng.random() < 0.6:
        first, second = ctx.rng.choice(mine)
        ctx.targeted.add(target)
    else:
        first, second = ctx.rng.choice(pairs)
    cells = doc.cells
    doc.splice(
        first[0],
        second[1],
        [*cells[second[0] : second[1]], cells[first[1]], *cells[first[0] : first[1]]],
    )
    return f"sentences at {first[0]} and {second[0]} swapped"


def paragraphs_swapped(doc: _Doc, ctx: _Context, target: int) -> str | None:
    body = [paragraph for paragraph in doc.paragraphs() if doc.is_body(paragraph)]
    if len(body) < 2:
        return None
    positions = doc.positions(*ctx.passage(target))
    own = doc.paragraph_of(positions[0]) if positions else None
    if own in body and ctx.rng.random() < 0.6:
        ctx.targeted.add(target)
        others = [paragraph for paragraph in body if paragraph != own]
        pair = sorted([own, ctx.rng.choice(others)])
    elif ctx.rng.random() < 0.5:
        k = ctx.rng.randrange(len(body) - 1)
        pair = [body[k], body[k + 1]]
    else:
        pair = sorted(ctx.rng.sample(body, 2))
    (s1, e1), (s2, e2) = pair
    cells = doc.cells
    doc.cells = [*cells[:s1], *cells[s2:e2], *cells[e1:s2], *cells[s1:e1], *cells[e2:]]
    return f"paragraphs at {s1} and {s2} swapped"


def sentence_deleted(doc: _Doc, ctx: _Context, target: int) -> str | None:
    sentence = _target_sentence(doc, ctx, target)
    if sentence is None:
        return None
    ctx.targeted.add(target)
    text = doc.text[sentence[0] : sentence[1]]
    doc.cut_sentence(sentence)
    return f"passage {target}'s sentence deleted: {text[:50]!r}…"


def _echo(ctx: _Context, quote: str) -> str:
    template = ctx.rng.choice(ECHOES[ctx.language])
    if quote[-1] in _ENDS_SENTENCE:
        template = template[:-1]
    return template.format(quote)


def _put_elsewhere(doc: _Doc, ctx: _Context, sentence: tuple[int, int], cells: list[_Cell]) -> str:
    """Put a sentence at a boundary outside the given sentence's paragraph, if there is one.

    Nor right next to that paragraph: there, once the given sentence is deleted, the new one
    would stand in its place between the same neighbours, the passage's words retyped around
    the same context, which is a rewrite of that sentence rather than words that survive
    elsewhere.
    """
    start, end = doc.paragraph_of(sentence[0])
    points = [p for p in doc.boundaries() if not start - 2 <= p[1] <= end + 2]
    point = ctx.rng.choice(points or doc.boundaries())
    doc.put_sentence(point, cells)
    return f"{point[0]} {point[1]}"


def deleted_survives_elsewhere(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """The passage's sentence is deleted while its words stand elsewhere.

    The other place is the passage's repetition in the article when it has one, else a new
    sentence quoting the passage's words, written in another paragraph.
    """
    sentence = _target_sentence(doc, ctx, target)
    if sentence is None:
        return None
    ctx.targeted.add(target)
    quote = ctx.article.text[slice(*ctx.passage(target))]
    before = doc.snapshot()
    doc.cut_sentence(sentence)
    if quote in doc.text and ctx.rng.random() < 0.8:
        return f"passage {target}'s sentence deleted; its repetition stays"
    doc.cells = list(before)
    echo = _echo(ctx, quote)
    where = _put_elsewhere(doc, ctx, sentence, _typed(echo))
    doc.cut_sentence(_target_sentence(doc, ctx, target))
    return f"passage {target}'s words written again at {where} ({echo!r}), its sentence deleted"


def _words(doc: _Doc, positions: list[int]) -> list[tuple[int, int]]:
    """The words of a passage, as (start, end) in the document."""
    words, start = [], None
    for index in range(positions[0], positions[-1] + 1):
        if _is_word(doc.cells[index].char) or doc.cells[index].char in "'’-":
            start = index if start is None else start
        else:
            if start is not None:
                words.append((start, index))
            start = None
    if start is not None:
        words.append((start, positions[-1] + 1))
    return words


def slight_rewording(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """One word of the passage changed: a synonym, an ending, a word added or left out."""
    positions = doc.positions(*ctx.passage(target))
    if not positions:
        return None
    words = _words(doc, positions)
    synonyms = SYNONYMS[ctx.language]
    kinds = ["filler", "ending"]
    if any(doc.text[s:e] in synonyms for s, e in words):
        kinds += ["synonym", "synonym"]
    if len(words) >= 5:
        kinds.append("drop")
    kind = ctx.rng.choice(kinds)
    ctx.targeted.add(target)
    if kind == "synonym":
        start, end = ctx.rng.choice([(s, e) for s, e in words if doc.text[s:e] in synonyms])
        old = doc.text[start:end]
        doc.splice(start, end, _typed(synonyms[old]))
        return f"passage {target}: {old!r} → {synonyms[old]!r}"
    if kind == "drop":
        start, end = ctx.rng.choice(words[1:-1])
        old = doc.text[start:end]
        if doc.cells[end].char == " ":
            doc.splice(start, end + 1)  # with the space after it
        else:  # before a comma: with the space before it
            doc.splice(start - 1, end)
        return f"passage {target}: {old!r} left out"
    if kind == "filler" and len(words) >= 2:
        # After the space that follows a word (and its comma, if any).
        after = doc.text.index(" ", ctx.rng.choice(words[:-1])[1]) + 1
        filler = ctx.rng.choice(FILLERS[ctx.language])
        doc.splice(after, after, _typed(filler + " "))
        return f"passage {target}: {filler!r} added at {after}"
    start, end = ctx.rng.choice([(s, e) for s, e in words if e - s >= 5] or words)
    word = doc.text[start:end]
    ending = "s" if ctx.language == "en" else "e"
    if word.endswith(ending):
        doc.splice(end - 1, end)
        return f"passage {target}: {word!r} loses its {ending!r}"
    doc.splice(end, end, _typed(ending))
    return f"passage {target}: {word!r} gets an {ending!r}"


def heavy_rewrite(doc: _Doc, ctx: _Context, target: int) -> str | None:
    positions = doc.positions(*ctx.passage(target))
    if not positions:
        return None
    ctx.targeted.add(target)
    words = _words(doc, positions)
    start, end = positions[0], positions[-1] + 1
    if len(words) >= 4 and ctx.rng.random() < 0.3:
        start = words[1][0]  # keep the first word
    new = ctx.rng.choice(REWRITES[ctx.language])
    old = doc.text[start:end]
    doc.splice(start, end, _typed(new))
    return f"passage {target} rewritten: {old!r} → {new!r}"


def duplicate_inserted(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """The passage's words, pasted into a new sentence somewhere else: new text."""
    sentence = _target_sentence(doc, ctx, target)
    if sentence is None:
        return None
    ctx.targeted.add(target)
    quote = ctx.article.text[slice(*ctx.passage(target))]
    echo = _echo(ctx, quote)
    if ctx.rng.random() < 0.5:
        where = _put_elsewhere(doc, ctx, sentence, _typed(echo))
    else:
        points = [p for p in doc.boundaries() if not sentence[0] < p[1] < sentence[1]]
        point = ctx.rng.choice(points)
        doc.put_sentence(point, _typed(echo))
        where = f"{point[0]} {point[1]}"
    return f"passage {target}'s words pasted at {where}: {echo!r}"


_QUOTES = {
    # straight to typographic and back; the direction of a straight double quote is guessed
    "en": {"'": "’", "’": "'", "“": '"', "”": '"'},
    "de": {"„": '"', "“": '"', "‚": "'", "‘": "'", "'": "’"},
}
_DASHES = {"–": "—", "—": "–", "-": "\u2011"}


def _retype(doc: _Doc, index: int, char: str) -> None:
    cell = doc.cells[index]
    doc.cells[index] = _Cell(char, cell.origin, cell.block)


def typography(doc: _Doc, ctx: _Context, target: int) -> str | None:
    """Quotes, dashes and spaces of another style: one character for one, same origin."""
    rng = ctx.rng
    text = doc.text
    positions = set(doc.positions(*ctx.passage(target)))
    quotes = _QUOTES[ctx.language]

    def straight_double(index: int) -> str:
        opening = index == 0 or text[index - 1].isspace()
        if ctx.language == "de":
            return "„" if opening else "“"
        return "“" if opening else "”"

    def swap_quote(index: int) -> None:
        char = text[index]
        _retype(doc, index, straight_double(index) if char == '"' else quotes[char])

    quote_places = [i for i, c in enumerate(text) if c in quotes or c == '"']
    dash_places = [
        i
        for i, c in enumerate(text)
        if c in "–—" or (c == "-" and 0 < i < len(text) - 1 and text[i - 1].isalpha())
    ]
    spaces = [i for i, c in enumerate(text) if c == " " and not doc.cells[i].block]
    long_words = [
        m.start() + rng.randint(3, len(m.group()) - 3) for m in re.finditer(r"\w{9,}", text)
    ]
    modes = [mode for mode, places in [("quotes", quote_places), ("dashes", dash_places)] if places]
    modes += ["nbsp", "soft hyphen"]
    done = []
    # Soft hyphens last: they are inserted, and the other places are indices of `text`.
    chosen_modes = rng.sample(modes, rng.choice([1, 1, 2]))
    for mode in sorted(chosen_modes, key=lambda mode: mode == "soft hyphen"):
        places = {
            "quotes": quote_places,
            "dashes": dash_places,
            "nbsp": spaces,
            "soft hyphen": long_words,
        }[mode]
        mine = [i for i in places if i in positions]
        if mine and rng.random() < 0.5:
            ctx.targeted.add(target)
            chosen = [rng.choice(mine)]
        elif mode in ("quotes", "dashes") and rng.random() < 0.5:
            chosen = places  # the whole article in the other style
        else:
            chosen = rng.sample(places, min(len(places), rng.randint(1, 4)))
        if mode == "quotes":
            for index in chosen:
                swap_quote(index)
        elif mode == "dashes":
            for index in chosen:
                _retype(doc, index, _DASHES[text[index]])
        elif mode == "nbsp":
            for index in chosen:
                _retype(doc, index, "\xa0")
        else:
            for index in sorted(chosen, reverse=True):
                doc.splice(index, index, _typed("\xad"))
        done.append(f"{mode} at {sorted(chosen)[:6]}")
    return "; ".join(done)


EDITS: dict[str, Operation] = {
    "typo outside passages": typo_outside,
    "typo inside a passage": typo_inside,
    "sentence added before/after": sentence_added,
    "paragraph added": paragraph_added,
    "sentence moved": sentence_moved,
    "sentences swapped": sentences_swapped,
    "paragraphs swapped": paragraphs_swapped,
    "passage's sentence deleted": sentence_deleted,
    "deleted, words survive elsewhere": deleted_survives_elsewhere,
    "slight rewording in a passage": slight_rewording,
    "heavy rewrite of a passage": heavy_rewrite,
    "duplicate inserted elsewhere": duplicate_inserted,
    "typography only": typography,
}
MARKUP = "markup only (no-op)"
COMBINATIONS = {"combination of 2": 2, "combination of 3": 3}
CATEGORIES = (*EDITS, MARKUP, *COMBINATIONS)
CASES_PER_CATEGORY = 24
CASES_PER_COMBINATION = 48


# Markup-only edits, made to the HTML


_TAG = re.compile(r"(<[^>]*>)")


def _text_tokens(html: str) -> tuple[list[str], list[int]]:
    tokens = _TAG.split(html)
    return tokens, [i for i, token in enumerate(tokens) if i % 2 == 0 and token.strip()]


def _markup_wrap(html: str, rng: random.Random) -> str:
    tokens, texts = _text_tokens(html)
    index = rng.choice([i for i in texts if tokens[i].count(" ") >= 3] or texts)
    token = tokens[index]
    spaces = [m.start() for m in re.finditer(" ", token)]
    a, b = sorted(rng.sample(spaces, 2))
    tag, attrs = rng.choice(
        [("em", ""), ("strong", ""), ("a", ' href="https://example.org/"'), ("span", ' lang="fr"')]
    )
    tokens[index] = f"{token[: a + 1]}<{tag}{attrs}>{token[a + 1 : b]}</{tag}>{token[b:]}"
    return "".join(tokens)


def _markup_unwrap(html: str, rng: random.Random) -> str:
    pairs = list(re.finditer(r"<(strong|em)>(.*?)</\1>", html))
    if not pairs:
        return _markup_wrap(html, rng)
    match = rng.choice(pairs)
    return html[: match.start()] + match.group(2) + html[match.end() :]


def _markup_split(html: str, rng: random.Random) -> str:
    """A paragraph cut in two where a sentence ends."""
    stops = [m.start() + 1 for m in re.finditer(r"\. (?=[A-ZÄÖÜ])", html)]
    at = rng.choice(stops)
    return f"{html[:at]}</p>\n<p>{html[at + 1 :]}"


def _markup_join(html: str, rng: random.Random) -> str:
    joints = list(re.finditer(r"</p>\s*<p>", html))
    if not joints:
        return _markup_split(html, rng)
    match = rng.choice(joints)
    return html[: match.start()] + " " + html[match.end() :]


def _markup_whitespace(html: str, rng: random.Random) -> str:
    tokens, texts = _text_tokens(html)
    for _ in range(rng.randint(1, 4)):
        index = rng.choice(texts)
        spaces = [m.start() for m in re.finditer(" ", tokens[index])]
        if spaces:
            at = rng.choice(spaces)
            space = rng.choice(["\n", "\n    ", "  ", "&nbsp;", "\t", " \n"])
            tokens[index] = tokens[index][:at] + space + tokens[index][at + 1 :]
    return "".join(tokens).replace("</p>\n<p>", rng.choice(["</p>\n<p>", "</p>\n\n<p>", "</p><p>"]))


_ENTITIES = {"ä": "&auml;", "ö": "&ouml;", "ü": "&uuml;", "–": "&ndash;", "'": "&#39;"}
_ENTITIES |= {"„": "&bdquo;", "“": "&ldquo;", '"': "&quot;", "ß": "&szlig;", "é": "&eacute;"}


def _markup_entity(html: str, rng: random.Random) -> str:
    tokens, texts = _text_tokens(html)
    places = [(i, j) for i in texts for j, char in enumerate(tokens[i]) if char in _ENTITIES]
    if not places:
        return _markup_wrap(html, rng)
    for i, j in sorted(rng.sample(places, min(3, len(places))), reverse=True):
        tokens[i] = tokens[i][:j] + _ENTITIES[tokens[i][j]] + tokens[i][j + 1 :]
    return "".join(tokens)


def _markup_attributes(html: str, rng: random.Random) -> str:
    starts = [m.start() for m in re.finditer(r"<(p|h2|h3|li)>", html)]
    at = rng.choice(starts)
    close = html.index(">", at)
    value = rng.choice([' class="lead"', ' id="section-2"', ' dir="ltr"', ' data-edited="1"'])
    return html[:close] + value + html[close:]


def _markup_blocks(html: str, rng: random.Random) -> str:
    """Headings of another level, a comment, a wrapping element."""
    choice = rng.randrange(3)
    if choice == 0 and "<h2>" in html:
        return html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    if choice == 1:
        joints = [m.end() for m in re.finditer(r"</p>", html)]
        at = rng.choice(joints)
        return html[:at] + "\n<!-- edited -->\n" + html[at:]
    return f"<article>\n<section>{html}</section>\n</article>"


_MARKUP_EDITS = {
    "inline element added": _markup_wrap,
    "inline element removed": _markup_unwrap,
    "paragraph split": _markup_split,
    "paragraphs joined": _markup_join,
    "source whitespace": _markup_whitespace,
    "character references": _markup_entity,
    "attributes": _markup_attributes,
    "block markup": _markup_blocks,
}


def _markup_case(article: Article, rng: random.Random) -> tuple[str, list[str]]:
    html, done = article.html, []
    for name in rng.sample(sorted(_MARKUP_EDITS), rng.randint(1, 3)):
        edited = _MARKUP_EDITS[name](html, rng)
        if html_to_text(edited) != article.text:
            raise AssertionError(f"{article.id}: the markup edit {name!r} changed the text")
        html = edited
        done.append(f"markup: {name}")
    return html, done


# The corpus


def _case(category: str, number: int) -> EditCase:
    all_articles = articles()
    # Articles in turn; one an edit does not apply to (no two sentences in one paragraph to
    # swap, say) hands the case to the next.
    for attempt in range(len(all_articles)):
        case = _edit(category, number, all_articles[(number + attempt) % len(all_articles)])
        if case is not None:
            return case
    raise AssertionError(f"{category} #{number} applies to no article")


def _edit(category: str, number: int, article: Article) -> EditCase | None:
    rng = random.Random(f"{SEED}/{category}/{number}/{article.id}")
    # Each passage of the article is aimed at in turn, from a place of its own per category.
    turn = number // len(articles()) + CATEGORIES.index(category)
    target = turn % len(article.passages)
    ctx = _Context(article, rng, set())
    doc = _Doc(article.paragraphs)
    new_html = None
    if category == MARKUP:
        new_html, operations = _markup_case(article, rng)
    else:
        if category in COMBINATIONS:
            names = rng.sample(sorted(EDITS), len(EDITS))
            wanted = COMBINATIONS[category]
        else:
            names, wanted = [category], 1
        operations = []
        for name in names:
            before, targeted = doc.snapshot(), set(ctx.targeted)
            done = EDITS[name](doc, ctx, target)
            doc.normalise()
            if done is None or doc.snapshot() == before:
                doc.cells, ctx.targeted = list(before), targeted
                continue
            operations.append(f"{name}: {done}")
            if len(operations) == wanted:
                break
            if rng.random() < 0.5:  # the next edit aims at another passage
                target = rng.randrange(len(article.passages))
        if len(operations) < wanted:
            return None
    passages = tuple(
        PassageCase(
            start,
            end,
            article.text[start:end],
            _truth(doc, start, end, article.text[start:end]),
            index in ctx.targeted,
        )
        for index, (start, end) in enumerate(article.passages)
    )
    new = html_to_text(new_html) if new_html is not None else doc.text
    return EditCase(
        id=f"{CATEGORIES.index(category):02d}-{number:03d}",
        category=category,
        language=article.language,
        article=article.id,
        original=article.text,
        new=new,
        passages=passages,
        operations=tuple(operations),
        new_html=new_html,
    )


def build_cases() -> tuple[EditCase, ...]:
    """The corpus, built afresh (it is the same every time)."""
    cases = []
    for category in CATEGORIES:
        count = CASES_PER_COMBINATION if category in COMBINATIONS else CASES_PER_CATEGORY
        cases += [_case(category, number) for number in range(count)]
    return tuple(cases)


@cache
def cases() -> tuple[EditCase, ...]:
    return build_cases()


# Anchoring and classification


class Found(NamedTuple):
    state: str  # "anchored", "drifted" or "orphaned", as summits.choices.AnchorState
    start: int | None
    end: int | None
    score: float


Anchorer = Callable[[str, str, int, int], Found]


def anchor_with_item(original: str, new: str, start: int, end: int) -> Found:
    """Re-anchor a passage of `original` in `new` as the product does: an unsaved Item's anchor().

    Needs Django set up (no database: anchor() makes no query).
    """
    from summits.annotate import describe
    from summits.models import Item

    selector = describe(original, start, end, context=CONTEXT)
    item = Item(
        kind="agreement",
        quote=selector.exact,
        quote_prefix=selector.prefix,
        quote_suffix=selector.suffix,
        anchor_start=start,
        anchor_end=end,
    )
    item.anchor(new)
    return Found(str(item.anchor_state), item.anchor_start, item.anchor_end, item.anchor_score)


OK = "ok"
WRONG_PLACE = "wrong place"
FALSE_ORPHAN_UNCHANGED = "false orphan, text unchanged"
FALSE_ORPHAN_CHANGED = "false orphan, text changed"
SILENT_MOVE = "silent move"
NOOP_NOT_KEPT = "no-op not kept"
VERDICTS = (
    OK,
    WRONG_PLACE,
    FALSE_ORPHAN_UNCHANGED,
    FALSE_ORPHAN_CHANGED,
    SILENT_MOVE,
    NOOP_NOT_KEPT,
)
FAILURES = (WRONG_PLACE, FALSE_ORPHAN_UNCHANGED, FALSE_ORPHAN_CHANGED, NOOP_NOT_KEPT)


@dataclass(frozen=True)
class Outcome:
    case: EditCase
    index: int  # of the passage in case.passages
    found: Found
    verdict: str

    @property
    def passage(self) -> PassageCase:
        return self.case.passages[self.index]


def classify(case: EditCase, passage: PassageCase, found: Found) -> str:
    truth = passage.truth
    placed = found.state in ("anchored", "drifted") and found.start is not None
    if truth.state == GONE:
        # Orphaned, or drifted for the editor to confirm; never silently anchored.
        return WRONG_PLACE if found.state == "anchored" else OK
    if not placed:
        return FALSE_ORPHAN_UNCHANGED if truth.unchanged else FALSE_ORPHAN_CHANGED
    if not (found.start < truth.end and truth.start < found.end):
        return WRONG_PLACE
    if found.state == "anchored" and normalize_quote(
        case.new[found.start : found.end]
    ) != normalize_quote(passage.quote):
        return WRONG_PLACE
    if case.new == case.original and (
        found.state != "anchored" or (found.start, found.end) != (passage.start, passage.end)
    ):
        return NOOP_NOT_KEPT  # nothing changed, so nothing may move or ask to be confirmed
    if found.state == "anchored" and (found.start, found.end) != (truth.start, truth.end):
        return SILENT_MOVE
    return OK


def run(
    corpus: Iterable[EditCase] | None = None, anchor: Anchorer = anchor_with_item
) -> list[Outcome]:
    outcomes = []
    for case in cases() if corpus is None else corpus:
        for index, passage in enumerate(case.passages):
            found = anchor(case.original, case.new, passage.start, passage.end)
            outcomes.append(Outcome(case, index, found, classify(case, passage, found)))
    return outcomes


def summarise(outcomes: Sequence[Outcome]) -> str:
    """The per-category table of outcomes, in Markdown."""
    columns = (
        "cases",
        "passages",
        "gone",
        OK,
        WRONG_PLACE,
        FALSE_ORPHAN_UNCHANGED,
        FALSE_ORPHAN_CHANGED,
        SILENT_MOVE,
        NOOP_NOT_KEPT,
    )
    rows: dict[str, Counter] = {}
    seen: dict[str, set[str]] = {}
    for outcome in outcomes:
        row = rows.setdefault(outcome.case.category, Counter())
        seen.setdefault(outcome.case.category, set()).add(outcome.case.id)
        row["passages"] += 1
        row["gone"] += outcome.passage.truth.state == GONE
        row[outcome.verdict] += 1
    total: Counter = Counter()
    for category, row in rows.items():
        row["cases"] = len(seen[category])
        total.update(row)
    order = [c for c in CATEGORIES if c in rows] + sorted(set(rows) - set(CATEGORIES))
    lines = [
        "| category | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for category in order:
        lines.append(
            f"| {category} | " + " | ".join(str(rows[category][c]) for c in columns) + " |"
        )
    lines.append("| **all** | " + " | ".join(f"**{total[c]}**" for c in columns) + " |")
    return "\n".join(lines)


def _around(text: str, start: int, end: int, width: int = 40) -> str:
    return f"…{text[max(0, start - width) : start]}[{text[start:end]}]{text[end : end + width]}…"


def explain(outcome: Outcome) -> str:
    """A failure as a person checks it: the old passage, the truth and what the anchor found."""
    case, passage, found = outcome.case, outcome.passage, outcome.found
    truth = passage.truth
    lines = [
        f"{outcome.verdict}: case {case.id} ({case.category}, {case.article}), passage "
        f"{outcome.index} {passage.quote!r}",
        *(f"    edit: {operation}" for operation in case.operations),
        f"    old:   {_around(case.original, passage.start, passage.end)}",
    ]
    if truth.state == SURVIVING:
        lines.append(f"    truth: {_around(case.new, truth.start, truth.end)}")
    else:
        lines.append(f"    truth: gone ({truth.kept} of {len(passage.quote)} characters left)")
    if found.start is not None:
        lines.append(
            f"    found: {found.state} {found.score:.3f} {_around(case.new, found.start, found.end)}"
        )
    else:
        lines.append(f"    found: {found.state}")
    return "\n".join(lines)
