"""Benchmark of editing at scale: the save of a long article, a summit of 300 items in the admin,
and the edit corpus's re-anchoring table (issue 12, parts 6 and 7).

Usage: .venv/bin/python bench/editing.py [--repeats N] [--admin-repeats N] [--items I]
       [--parts save,admin,corpus] [--profile CASE] [--report PATH]

It builds a throwaway database (a temporary SQLite file, unless DATABASE_URL is given: then
that database is migrated and written to, so point it at one you can throw away) and measures,
each as the median, min and max of several repeats, against its budget:

1. What a summit save does for a 10,000-word article with 30 items, in German and in English:
   the summit's row, re-anchoring every item and rendering and storing the annotated article
   (services.save_summit), with the article unchanged and with a few edits in passages and
   between them. Budget: 100 ms.
2. The admin's change page of a summit with 300 items (agreements and disputes, a few stances
   and follow-ups each), requested as a logged-in superuser through django.test.Client: the
   page (GET), the form posted back unchanged, and posted with one item's title changed (the
   fields are read from the page's <form id="summit_form"> as a browser submits them, with
   "Save and continue editing"; the save must answer 302). Budget: 2 s each.
3. The edit corpus (tests/edit_corpus.py) re-anchored as tests/test_edit_corpus.py does it,
   counted per category.

The settings are the production ones with DEBUG=False, the cache local memory. The tables are
printed and written to bench/editing.md (--report), with the machine they were measured on. It
exits non-zero when a measurement exceeds its budget, a page answers with an unexpected status
or a form with errors, or the corpus has a failure.
"""

import argparse
import cProfile
import datetime
import html
import importlib.metadata
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAVE_BUDGET = 0.100
ADMIN_BUDGET = 2.0
ARTICLE_WORDS = 10_000
ARTICLE_ITEMS = 30
SEED = "summits/bench/editing/1"
BOUNDARY = "SummitsBenchBoundary"
REPORT = ROOT / "bench" / "editing.md"
# Before run() sets its defaults: whether the caller chose the database.
ORIGINAL_ENVIRONMENT = dict(os.environ)


@dataclass
class Measurement:
    name: str
    budget: float | None
    seconds: list[float] = field(default_factory=list)
    queries: int | None = None
    note: str = ""
    # Why the case could not be measured (a status or form errors): a failure, whatever the time.
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def passed(self) -> bool:
        if self.error or not self.seconds:
            return False
        return self.budget is None or self.median < self.budget


class CaseFailed(Exception):
    """A page answered with an unexpected status, or a form did not save."""


class Report:
    """What the run prints, kept as Markdown for bench/editing.md."""

    def __init__(self):
        self.lines: list[str] = []

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines += text.split("\n")

    def table(self, header: list[str], rows: list[list], text: tuple[int, ...] = (0,)) -> None:
        """A Markdown table padded to read in a terminal too: the columns numbered in `text`
        aligned left, the others (numbers) right."""
        widths = [max(len(str(row[n])) for row in [header, *rows]) for n in range(len(header))]

        def line(cells):
            padded = [
                f"{cell:<{widths[n]}}" if n in text else f"{cell:>{widths[n]}}"
                for n, cell in enumerate(map(str, cells))
            ]
            return "| " + " | ".join(padded) + " |"

        rule = ["-" * w if n in text else "-" * (w - 1) + ":" for n, w in enumerate(widths)]
        self.say(line(header))
        self.say("| " + " | ".join(rule) + " |")
        for row in rows:
            self.say(line(row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="repeats of each save (15)")
    parser.add_argument(
        "--admin-repeats", type=int, default=5, help="repeats of each admin request (5)"
    )
    parser.add_argument("--items", type=int, default=300, help="items of the admin's summit (300)")
    parser.add_argument(
        "--parts",
        default="save,admin,corpus",
        help="which measurements to make, of save, admin and corpus (all three)",
    )
    parser.add_argument(
        "--profile",
        metavar="CASE",
        action="append",
        default=[],
        help="also profile this case with cProfile: a prefix of its name, e.g. 'admin GET' "
        "(repeatable)",
    )
    parser.add_argument("--report", type=Path, default=REPORT, help=f"markdown report ({REPORT})")
    args = parser.parse_args()
    if args.repeats < 1 or args.admin_repeats < 1 or args.items < 2:
        parser.error("--repeats and --admin-repeats must be at least 1, --items at least 2")
    unknown = set(args.parts.split(",")) - {"save", "admin", "corpus"}
    if unknown:
        parser.error(f"--parts: no part {', '.join(sorted(unknown))}")
    workdir = Path(tempfile.mkdtemp(prefix="summits-bench-editing-"))
    try:
        return run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> int:
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DEBUG"] = "False"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django
    from django.conf import settings

    settings.STATIC_ROOT = workdir / "static"
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    report = Report()
    now = datetime.datetime.now().astimezone()
    report.say("# Editing benchmark\n")
    command = " ".join([".venv/bin/python bench/editing.py", *sys.argv[1:]])
    report.say(f"{now:%Y-%m-%d %H:%M %Z}: `{command}`\n")
    report.say("## Machine and software\n")
    for key, value in machine_facts(connection).items():
        report.say(f"- {key}: {value}")
    report.say(f"- load average at the start: {load_average()}")
    report.say(
        "- settings: newsroom.settings with DEBUG=False, local memory cache, requests through "
        "django.test.Client in this process\n"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"migrate + collectstatic: {time.perf_counter() - started:.1f} s\n")

    parts = set(args.parts.split(","))
    results, admin_results, corpus_failures = [], [], 0
    if "save" in parts:
        report.say(f"## 1. Save of a {ARTICLE_WORDS:,}-word article with {ARTICLE_ITEMS} items\n")
        report.say(
            "services.save_summit() of a draft summit: the steps of the admin form's save (a "
            "SummitChange): the summit's row, every item re-anchored, the annotated article "
            "rendered and stored. Each repeat starts from the same stored state.\n"
        )
        for language in ("de", "en"):
            results += measure_saves(language, args, report)
        print_table(report, results)
    if "admin" in parts:
        report.say(f"## 2. Admin change page of a summit with {args.items} items\n")
        admin_results = measure_admin(args, report)
        print_table(report, admin_results)
    if "corpus" in parts:
        corpus_failures = print_corpus_table(report)
    failed = [m.name for m in results + admin_results if not m.passed]
    if failed:
        report.say(f"**Failed (over budget or not measured):** {', '.join(failed)}\n")
    elif results or admin_results:
        report.say("Every measurement is within its budget.\n")
    report.say(
        f"Load average at the end: {load_average()} (other processes on the machine share its "
        "CPUs with the run).\n"
    )
    args.report.write_text("\n".join(report.lines).rstrip() + "\n")
    print(f"Written to {args.report}")
    return 1 if failed or corpus_failures else 0


def load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg()) + " (1, 5, 15 min)"


def machine_facts(connection) -> dict:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    version = ".".join(map(str, connection.get_database_version()))
    where = "a temporary file" if "DATABASE_URL" not in ORIGINAL_ENVIRONMENT else "DATABASE_URL"
    return {
        "CPUs (nproc)": len(os.sched_getaffinity(0)),
        "CPU": cpu.group(1) if cpu else "?",
        "system": platform.platform(),
        "Python": platform.python_version(),
        "Django": importlib.metadata.version("django"),
        "database": f"{connection.display_name} {version} ({where})",
    }


# The article


def vocabulary(language: str) -> list[str]:
    """The words of the demo and corpus articles in `language`, as often as they occur there."""
    from summits.annotate import html_to_text
    from tests import edit_corpus

    texts = [article.text for article in edit_corpus.articles() if article.language == language]
    demo = ROOT / "summits" / "demo"
    texts += [html_to_text(path.read_text()) for path in demo.glob(f"*.{language}.html")]
    words = [re.sub(r"[^\w\-–’']", "", word) for text in texts for word in text.split()]
    return [word for word in words if word and word != "–"]


@dataclass
class Article:
    """An article as blocks of words: ("h2", words) or ("p", sentences), each sentence words."""

    language: str
    blocks: list[tuple[str, list]]

    def html(self) -> str:
        parts = []
        for number, (tag, content) in enumerate(self.blocks):
            if tag == "h2":
                parts.append(f"<h2>{html.escape(' '.join(content))}</h2>")
                continue
            sentences = [" ".join(sentence) for sentence in content]
            text = html.escape(" ".join(sentences), quote=False)
            if number % 3 == 1:
                # Some markup inside paragraphs, as articles have: a passage may span it.
                first, _, rest = text.partition(" ")
                second, _, rest = rest.partition(" ")
                text = f"<strong>{first} {second}</strong> {rest}"
            if number % 5 == 2:
                head, _, tail = text.rpartition(" ")
                text = f'{head} <a href="https://example.org/{number}">{tail}</a>'
            parts.append(f"<p>{text}</p>")
        return "\n".join(parts)

    def words(self) -> int:
        return sum(
            len(content) if tag == "h2" else sum(len(sentence) for sentence in content)
            for tag, content in self.blocks
        )


def make_article(language: str, words: int, seed: str) -> Article:
    """Sentences of the demo articles' words drawn at random: every passage occurs once."""
    rng = random.Random(f"{seed}/{language}")
    pool = vocabulary(language)
    blocks: list[tuple[str, list]] = []
    count = 0
    while count < words:
        if len(blocks) % 7 == 0:
            heading = [rng.choice(pool) for _ in range(rng.randint(2, 5))]
            heading[0] = heading[0].capitalize()
            blocks.append(("h2", heading))
            count += len(heading)
        sentences = []
        for _ in range(rng.randint(3, 6)):
            sentence = [rng.choice(pool) for _ in range(rng.randint(8, 24))]
            sentence[0] = sentence[0].capitalize()
            if len(sentence) > 12:
                sentence[len(sentence) // 2] += ","
            sentence[-1] += "."
            sentences.append(sentence)
            count += len(sentence)
        blocks.append(("p", sentences))
    return Article(language, blocks)


def passages(article: Article, count: int, seed: str) -> list[str]:
    """`count` quotes spread over the article, each of 5 to 12 words of one sentence, each
    occurring once in its text."""
    from summits.annotate import html_to_text

    rng = random.Random(f"{seed}/passages/{article.language}/{count}")
    text = html_to_text(article.html())
    sentences = [sentence for tag, content in article.blocks if tag == "p" for sentence in content]
    quotes = []
    step = len(sentences) / count
    for number in range(count):
        sentence = sentences[int(number * step)]
        # The first words of a paragraph may be in <strong>: the quote is the text either way.
        length = min(len(sentence), rng.randint(5, 12))
        start = rng.randint(0, len(sentence) - length)
        quote = " ".join(sentence[start : start + length]).rstrip(",")
        if text.count(quote) != 1 or quote in quotes:
            raise AssertionError(f"passage {quote!r} occurs {text.count(quote)} times")
        quotes.append(quote)
    return quotes


def edited(article: Article, quotes: list[str], seed: str) -> tuple[Article, list[str]]:
    """The article after a few edits: in passages (a typo, a word replaced) and between them
    (a new opening paragraph, a sentence added beside a passage, one deleted, typos)."""
    rng = random.Random(f"{seed}/edits/{article.language}")
    blocks = [
        (tag, [list(s) for s in content] if tag == "p" else list(content))
        for tag, content in article.blocks
    ]
    done = []

    def sentence_with(quote):
        for tag, content in blocks:
            if tag == "p":
                for sentence in content:
                    if quote in " ".join(sentence):
                        return content, sentence
        raise LookupError(quote)

    def word_index(sentence, quote, *, inside):
        joined = " ".join(sentence)
        start = joined.index(quote)
        first = joined[:start].count(" ")
        last = first + quote.count(" ")
        inside_words = range(first, last + 1)
        candidates = [
            index
            for index in (inside_words if inside else range(len(sentence)))
            if (index in inside_words) == inside and len(sentence[index].strip(",.")) > 4
        ]
        return rng.choice(candidates) if candidates else None

    def typo(word):
        core = word.rstrip(",.")
        index = rng.randint(1, len(core) - 2)
        core = core[:index] + core[index + 1] + core[index] + core[index + 2 :]
        return core + word[len(word.rstrip(",.")) :]

    # A typo inside two passages, a word of a third replaced.
    for quote in (quotes[3], quotes[17]):
        _, sentence = sentence_with(quote)
        index = word_index(sentence, quote, inside=True)
        sentence[index] = typo(sentence[index])
        done.append("typo in a passage")
    _, sentence = sentence_with(quotes[10])
    index = word_index(sentence, quotes[10], inside=True)
    sentence[index] = "entirely" if article.language == "en" else "vollkommen"
    done.append("word replaced in a passage")
    # Typos outside passages.
    for quote in (quotes[6], quotes[24]):
        _, sentence = sentence_with(quote)
        index = word_index(sentence, quote, inside=False)
        if index is not None:
            sentence[index] = typo(sentence[index])
            done.append("typo outside passages")
    # A sentence added just before a passage's sentence, one deleted between passages.
    content, sentence = sentence_with(quotes[20])
    content.insert(content.index(sentence), sentence_from(article, rng))
    done.append("sentence added beside a passage")
    for tag, content in blocks[len(blocks) // 2 :]:
        if tag == "p" and len(content) > 3:
            loose = [s for s in content if not any(q in " ".join(s) for q in quotes)]
            if loose:
                content.remove(loose[0])
                done.append("sentence deleted")
                break
    # A new opening paragraph: every offset after it moves.
    blocks.insert(0, ("p", [sentence_from(article, rng) for _ in range(3)]))
    done.append("paragraph added at the top")
    return Article(article.language, blocks), done


def sentence_from(article: Article, rng: random.Random) -> list[str]:
    pool = vocabulary(article.language)
    sentence = [rng.choice(pool) for _ in range(rng.randint(8, 16))]
    sentence[0] = sentence[0].capitalize()
    sentence[-1] += "."
    return sentence


# 1. The save of a long article


def create_summit(language: str, body: str, quotes: list[str], slug: str):
    """A draft summit on `body` with one item per quote, agreements and disputes in turn."""
    import datetime

    from summits import services
    from summits.choices import INITIAL_STATUS, ItemKind
    from summits.models import Item, Summit
    from summits.richtext import sanitize_summary

    summit = Summit(
        title=f"Benchmark summit {slug}",
        slug=slug,
        body=body,
        language=language,
        city="Genf",
        country="CH",
        start_date=datetime.date(2021, 6, 16),
        teaser="Two leaders met and agreed on little.",
    )
    services.save_summit(summit)
    positions = Counter()
    items = []
    for number, quote in enumerate(quotes):
        kind = ItemKind.AGREEMENT if number % 2 == 0 else ItemKind.DISPUTE
        positions[kind] += 1
        item = Item(
            summit=summit,
            kind=kind,
            position=positions[kind],
            status=INITIAL_STATUS[kind],
            # As the item's form and save() leave them (bulk_create() calls no save()).
            title=f"Item {number + 1}: {quote[:40]}".strip(),
            summary=sanitize_summary(
                f"<p>What was {'agreed' if kind == ItemKind.AGREEMENT else 'disputed'}, "
                f"in brief: <em>{html.escape(quote[:30])}</em>.</p>"
            ),
            quote=quote,
        )
        item.anchor(summit.body_text)
        items.append(item)
    Item.objects.bulk_create(items)
    services.save_summit(summit)
    return summit


def snapshot(summit):
    """What a save writes, so that each repeat starts from the same stored state."""
    from summits.models import Item, Summit
    from summits.services import ANCHOR_FIELDS

    summit_row = Summit.objects.filter(pk=summit.pk).values(
        "body", "body_text", "body_html", "search_document"
    )[0]
    items = list(Item.objects.filter(summit=summit).values("pk", *ANCHOR_FIELDS))
    return summit_row, items


def restore(summit, state) -> None:
    from django.db import transaction

    from summits.models import Item, Summit

    summit_row, items = state
    with transaction.atomic():
        Summit.objects.filter(pk=summit.pk).update(**summit_row)
        for row in items:
            Item.objects.filter(pk=row["pk"]).update(**{k: v for k, v in row.items() if k != "pk"})


def measure_saves(language: str, args, report: Report) -> list[Measurement]:
    from summits import services
    from summits.choices import AnchorState
    from summits.models import Item, Summit
    from summits.richtext import sanitize_article

    article = make_article(language, ARTICLE_WORDS, SEED)
    quotes = passages(article, ARTICLE_ITEMS, SEED)
    new_article, edits = edited(article, quotes, SEED)
    body, new_body = article.html(), new_article.html()
    summit = create_summit(language, body, quotes, f"bench-save-{language}")
    # "Unchanged" is the article as stored (sanitized), as the form sends it back.
    body = Summit.objects.get(pk=summit.pk).body
    state = snapshot(summit)
    report.say(
        f"- article ({language}): {article.words():,} words, {len(body) // 1024} KB of HTML, "
        f"{len(quotes)} items; edited: {', '.join(edits)}"
    )

    def loaded(new):
        """The summit as a form's save has it: read from the database, the article replaced."""
        fresh = Summit.objects.get(pk=summit.pk)
        fresh.body = new
        return fresh

    def save(new):
        fresh = loaded(new)
        started = time.perf_counter()
        services.save_summit(fresh)
        return time.perf_counter() - started

    def restored_and_loaded(new):
        restore(summit, state)
        return (loaded(new),)

    results = []
    for name, new in (("unchanged", body), ("edited", new_body)):
        measurement = Measurement(f"save ({language}), article {name}", SAVE_BUDGET)
        save(new)  # warm-up
        restore(summit, state)
        fresh = loaded(new)
        measurement.queries = count_queries(lambda fresh=fresh: services.save_summit(fresh))
        for _ in range(args.repeats):
            restore(summit, state)
            measurement.seconds.append(save(new))
        if Summit.objects.get(pk=summit.pk).body != sanitize_article(new):
            raise AssertionError(f"{measurement.name}: the article was not saved")
        states = Counter(Item.objects.filter(summit=summit).values_list("anchor_state", flat=True))
        measurement.note = ", ".join(
            f"{states[state_]} {state_.label.lower()}" for state_ in AnchorState if states[state_]
        )
        results.append(measurement)
        if wanted(measurement.name, args):
            profile(
                measurement.name,
                services.save_summit,
                args.repeats,
                before=lambda new=new: restored_and_loaded(new),
            )
        restore(summit, state)
    return results


def count_queries(call) -> int:
    """The SQL queries of one call, DEBUG=False or not."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps its last 9,000 queries only: count from an empty one
    with CaptureQueriesContext(connection) as queries:
        call()
    if len(connection.queries_log) == connection.queries_log.maxlen:
        raise AssertionError("more queries than the query log keeps: the count would be wrong")
    return len(queries)


def wanted(name: str, args) -> bool:
    return any(name.startswith(prefix) for prefix in args.profile)


# 2. A summit of 300 items in the admin


class FormFields(HTMLParser):
    """The fields a browser submits of the form with `form_id`: name and value pairs, and the
    names of its file inputs (sent empty). Nothing inside a <template> is submitted: the rows
    the page adds with JavaScript (nested_rows.html) are templates until then."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.templates = 0  # how deep inside <template> elements the parser is
        self.template_fields = 0  # named inputs, selects and textareas inside them
        self.fields: list[tuple[str, str]] = []
        self.files: list[str] = []
        self.buttons: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "template":
            self.templates += 1
        if self.templates:
            self.template_fields += tag in ("input", "select", "textarea") and "name" in attrs
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self.buttons.append((name, attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind == "file":
                self.files.append(name)
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "button" and name:
            self.buttons.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea, self._text = name, []
        elif tag == "select" and name and "disabled" not in attrs:
            self._select, self._options = name, []
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": [],
            }

    def handle_data(self, data):
        if self.templates:
            return
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "template" and self.inside:
            self.templates -= 1
        elif self.templates:
            return
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A newline just after <textarea> is not part of its value.
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None

    def _close_option(self):
        option = self._option
        value = option["value"] if option["value"] is not None else "".join(option["text"]).strip()
        self._options.append((value, option["selected"]))
        self._option = None


@dataclass
class Submission:
    fields: list[tuple[str, str]]
    files: list[str]  # file inputs, sent without a file
    template_fields: int = 0  # fields inside <template> elements, which are not sent

    def replace(self, change) -> "Submission":
        fields = [(name, change(name, value)) for name, value in self.fields]
        return Submission(fields, self.files, self.template_fields)

    def encode(self) -> bytes:
        """multipart/form-data, as a browser sends the summit form (it has a file input): line
        breaks as CR LF, an empty part for a file input with no file chosen."""
        lines = []
        for name, value in self.fields:
            lines += [
                f"--{BOUNDARY}",
                f'Content-Disposition: form-data; name="{crlf(name)}"',
                "",
                crlf(value),
            ]
        for name in self.files:
            lines += [
                f"--{BOUNDARY}",
                f'Content-Disposition: form-data; name="{name}"; filename=""',
                "Content-Type: application/octet-stream",
                "",
                "",
            ]
        lines += [f"--{BOUNDARY}--", ""]
        return "\r\n".join(lines).encode()


def crlf(text: str) -> str:
    return re.sub(r"\r\n?|\n", "\r\n", text)


def form_fields(content: bytes, form_id: str = "summit_form") -> Submission:
    parser = FormFields(form_id)
    # A browser reads CR LF and CR in the page as LF (HTML's input stream preprocessing).
    parser.feed(re.sub(r"\r\n?", "\n", content.decode()))
    parser.close()
    if not parser.fields:
        raise AssertionError(f"the page has no form #{form_id}")
    return Submission(parser.fields, parser.files, parser.template_fields)


def create_admin_summit(count: int):
    """A draft summit on a long article with `count` items: disputes have two stances, every
    item one or two follow-ups."""
    import datetime

    from summits import services
    from summits.choices import AgreementStatus, DisputeStatus, ItemKind
    from summits.models import Item, ItemUpdate, Participant, Stance, Topic

    words = max(ARTICLE_WORDS, count * 40)
    article = make_article("en", words, SEED + "/admin")
    quotes = passages(article, count, SEED + "/admin")
    summit = create_summit("en", article.html(), quotes, "bench-admin")
    participants = []
    for number in range(6):
        participant = Participant(slug=f"leader-{number}", country="CH")
        participant.set_current_language("en")
        participant.name = f"Leader {number}"
        participant.role = "Head of state"
        participant.save()
        participants.append(participant)
    summit.participants.set(participants)
    topics = []
    for number in range(8):
        topic = Topic(slug=f"topic-{number}")
        topic.set_current_language("en")
        topic.name = f"Topic {number}"
        topic.save()
        topics.append(topic)
    summit.topics.set(topics[:4])
    items = list(Item.objects.filter(summit=summit).order_by("kind", "position"))
    stances, updates = [], []
    for number, item in enumerate(items):
        item.topic = topics[number % len(topics)]
        if item.kind == ItemKind.DISPUTE:
            for participant in (participants[number % 6], participants[(number + 1) % 6]):
                stances.append(
                    Stance(
                        item=item,
                        participant=participant,
                        position="Holds that the matter is an internal affair.",
                        quote="We will not be lectured.",
                        source_name="Press conference",
                    )
                )
        status = (
            AgreementStatus.IN_PROGRESS
            if item.kind == ItemKind.AGREEMENT
            else DisputeStatus.NARROWED
        )
        for day in range(1 + number % 2):
            updates.append(
                ItemUpdate(
                    item=item,
                    date=datetime.date(2021, 7, 1 + day),
                    status=status if day == 0 else "",
                    note="<p>The first round of talks took place.</p>",
                    source_name="Foreign ministry",
                    source_url="https://example.org/statement",
                )
            )
    Item.objects.bulk_update(items, ["topic"])
    Stance.objects.bulk_create(stances)
    ItemUpdate.objects.bulk_create(updates)
    services.save_summit(summit)
    return summit, len(stances), len(updates)


def measure_admin(args, report: Report) -> list[Measurement]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from summits.choices import ItemKind
    from summits.models import Item, ItemUpdate, Stance, Summit

    summit, stances, updates = create_admin_summit(args.items)
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    browser = Client(HTTP_HOST="localhost", secure=settings.SECURE_SSL_REDIRECT)
    browser.force_login(user)
    url = reverse("admin:summits_summit_change", args=[summit.pk])
    content_type = f"multipart/form-data; boundary={BOUNDARY}"

    def content() -> dict:
        """What the editor sees of the summit: its article, items, stances and follow-ups."""
        return {
            ("summit", summit.pk): Summit.objects.filter(pk=summit.pk).values(*SUMMIT_FIELDS)[0],
            **{
                (model.__name__, row.pop("pk")): row
                for model, rows in (
                    (Item, Item.objects.filter(summit=summit).values("pk", *ITEM_FIELDS)),
                    (
                        Stance,
                        Stance.objects.filter(item__summit=summit).values("pk", *STANCE_FIELDS),
                    ),
                    (
                        ItemUpdate,
                        ItemUpdate.objects.filter(item__summit=summit).values("pk", *UPDATE_FIELDS),
                    ),
                )
                for row in rows
            },
        }

    def get():
        started = time.perf_counter()
        response = browser.get(url)
        response.content  # noqa: B018
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise CaseFailed(f"GET answered {response.status_code}: {errors(response.content)}")
        return elapsed, response

    def post(submission):
        body = submission.encode()
        started = time.perf_counter()
        response = browser.post(url, body, content_type=content_type)
        elapsed = time.perf_counter() - started
        if response.status_code == 400:
            raise CaseFailed(
                f"POST answered 400 (Bad Request) for {len(submission.fields)} fields; "
                f"DATA_UPLOAD_MAX_NUMBER_FIELDS is {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}, "
                f"DATA_UPLOAD_MAX_MEMORY_SIZE {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes "
                f"for a body of {len(body):,}"
            )
        if response.status_code != 302:
            raise CaseFailed(
                f"POST answered {response.status_code}, not 302 (saved): {errors(response.content)}"
            )
        if not response["Location"].startswith(url):
            raise CaseFailed(f"POST redirected to {response['Location']}, not back to {url}")
        return elapsed

    def submitted(response, change=None) -> Submission:
        submission = form_fields(response.content)
        if change is not None:
            submission = submission.replace(change)
        submission.fields.append(("_continue", "Save and continue editing"))
        return submission

    created = content()
    results = [
        Measurement("admin GET change page", ADMIN_BUDGET),
        Measurement("admin POST unchanged", ADMIN_BUDGET),
        Measurement("admin POST one title changed", ADMIN_BUDGET),
    ]
    try:
        get()  # warm-up: once-per-process lookups
        _, page = get()
    except CaseFailed as error:
        for measurement in results:
            measurement.error = str(error)
        report.say(f"The change page could not be loaded: {error}\n")
        return results
    submission = submitted(page)
    body = submission.encode()
    names = [name for name, _ in submission.fields]
    described = describe_submission(names, stances, updates)
    report.say(
        f"- summit: {args.items} items ({stances} stances, {updates} follow-ups) on an article "
        f"of {len(summit.body_text.split()):,} words; the page is {len(page.content) / 1e6:.2f} MB\n"
        f"- the form posts {len(names):,} fields ({described}) and {len(submission.files)} "
        f"empty file input(s), {len(body) / 1e6:.2f} MB as multipart/form-data; the "
        f"{submission.template_fields:,} fields of the empty stance and follow-up rows in the "
        "page's <template>s are not sent\n"
        f"- DATA_UPLOAD_MAX_NUMBER_FIELDS {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}, "
        f"DATA_UPLOAD_MAX_MEMORY_SIZE {settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1e6:.1f} MB\n"
        "- requests through django.test.Client as a logged-in superuser; each POST is the form "
        'of a page loaded just before (not timed), with "Save and continue editing"\n'
    )
    first_title = "items-0-title"
    if first_title not in names:
        raise AssertionError(f"the form has no field {first_title}")

    def retitled(tag):
        title = f"Retitled item {tag}"
        return title, lambda name, value: title if name == first_title else value

    def unchanged(tag):
        return None, None

    def saved(change, tag, measure=post):
        """Posts the form of a page loaded just before (not measured), as an editor does."""
        title, edit = change(tag)
        submission = submitted(get()[1], edit)
        result = measure(submission)
        if title is not None:
            stored = Item.objects.get(summit=summit, kind=ItemKind.AGREEMENT, position=1).title
            if stored != title:
                raise CaseFailed(f"the title saved is {stored!r}, not {title!r}")
        return result

    get_case, *post_cases = results
    try:
        get_case.queries = count_queries(get)
        get_case.seconds = [get()[0] for _ in range(args.admin_repeats)]
        if wanted(get_case.name, args):
            profile(get_case.name, get, args.admin_repeats)
    except CaseFailed as error:
        get_case.error = str(error)
    reference = created
    for measurement, change in zip(post_cases, (unchanged, retitled), strict=True):
        try:
            saved(change, "warm-up")
            if change is unchanged:
                # The reference: the summit as saved once from the browser's form.
                reference = content()
                first_save = differences(created, reference)
                report.say(
                    "- the first save from the form changed "
                    + (first_save or "nothing")
                    + " of the summit as created\n"
                )
            measurement.queries = saved(
                change, "counted", lambda submission: count_queries(lambda: post(submission))
            )
            for number in range(args.admin_repeats):
                measurement.seconds.append(saved(change, number))
            if wanted(measurement.name, args):
                tags = iter(range(1000, 1000 + args.admin_repeats))
                profile(
                    measurement.name,
                    post,
                    args.admin_repeats,
                    before=lambda change=change, tags=tags: (
                        submitted(get()[1], change(next(tags))[1]),
                    ),
                )
        except CaseFailed as error:
            measurement.error = str(error)
        if not measurement.error:
            expected = reference
            if change is retitled:
                first = Item.objects.get(summit=summit, kind=ItemKind.AGREEMENT, position=1)
                expected = {**reference, ("Item", first.pk): {**reference[("Item", first.pk)]}}
                expected[("Item", first.pk)]["title"] = first.title
            changed = differences(expected, content())
            if changed:
                measurement.error = f"the posts changed {changed}, not only what was edited"
    for measurement in results:
        if measurement.error:
            report.say(f"**{measurement.name} failed:** {measurement.error}\n")
    return results


SUMMIT_FIELDS = ["title", "teaser", "body", "city", "country", "start_date", "status", "language"]
ITEM_FIELDS = [
    "kind",
    "position",
    "title",
    "summary",
    "status",
    "topic_id",
    "quote",
    "anchor_state",
]
STANCE_FIELDS = ["item_id", "participant_id", "position", "quote", "source_name", "source_url"]
UPDATE_FIELDS = ["item_id", "date", "status", "note", "source_name", "source_url"]


def differences(before: dict, after: dict) -> str:
    """Which fields of how many rows differ, e.g. "Item.title (1)"; rows added or removed."""
    changed = Counter()
    for key in before.keys() | after.keys():
        if key not in after or key not in before:
            changed[f"{key[0]} {'removed' if key not in after else 'added'}"] += 1
            continue
        for name, value in before[key].items():
            if after[key][name] != value:
                newlines = isinstance(value, str) and crlf(value) == after[key][name]
                changed[f"{key[0]}.{name}" + (" (line breaks as CR LF)" if newlines else "")] += 1
    return ", ".join(f"{name} ({count})" for name, count in sorted(changed.items()))


def describe_submission(names: list[str], stances: int, updates: int) -> str:
    """What the summit form's fields are, checked against the rows it should carry."""
    management = [name for name in names if name.endswith("-TOTAL_FORMS")]
    nested = [name for name in management if re.fullmatch(r"items(-2)?-\d+-\w+-TOTAL_FORMS", name)]
    templates = [name for name in names if "__prefix__" in name]
    sent = {
        "stances": len({n for n in names if re.fullmatch(r"items-2-\d+-stances-\d+-position", n)}),
        "updates": len({n for n in names if re.fullmatch(r"items(-2)?-\d+-updates-\d+-date", n)}),
    }
    # A stored item's rows come into the page when its fold opens (nested-rows.js): the page
    # as loaded, with every fold closed, sends none of them.
    if sent != {"stances": 0, "updates": 0} or nested:
        raise AssertionError(f"the page as loaded carries {sent}, not the folds closed")
    return (
        f"{len(management)} management forms; none of the {stances} stances and {updates} "
        "follow-ups, which the page fetches when an item's fold opens; "
        f"{len(templates)} fields of the admin's empty item rows (__prefix__)"
    )


def errors(content: bytes) -> str:
    """The error lists of a form page, each named by its field where the page says which."""
    text = content.decode(errors="replace")
    found = []
    for match in re.finditer(r'<ul class="errorlist([^"]*)"([^>]*)>(.*?)</ul>', text, re.S):
        field_id = re.search(r'id="id_(.+?)_error"', match[2])
        where = field_id[1] if field_id else match[1].strip() or "form"
        message = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match[3])).split())
        found.append(f"{where}: {message}")
    return " | ".join(found)[:3000] or " ".join(re.sub(r"<[^>]+>", " ", text).split())[:500]


# 3. The edit corpus


def print_corpus_table(report: Report) -> int:
    """The corpus's outcomes per category, as tests/test_edit_corpus.py re-anchors it: each
    passage by an unsaved Item's anchor(). Returns how many are failures."""
    from tests import edit_corpus

    started = time.perf_counter()
    outcomes = edit_corpus.run()
    elapsed = time.perf_counter() - started
    columns = [
        "cases",
        "passages",
        "gone",
        "anchored right",
        "drifted right",
        "orphaned right",
        "silent moves",
        "wrong places",
        "false orphans",
        "no-op moved",
    ]
    named = {
        edit_corpus.SILENT_MOVE: "silent moves",
        edit_corpus.WRONG_PLACE: "wrong places",
        edit_corpus.FALSE_ORPHAN_CHANGED: "false orphans",
        edit_corpus.FALSE_ORPHAN_UNCHANGED: "false orphans",
        edit_corpus.NOOP_NOT_KEPT: "no-op moved",
    }
    rows: dict[str, Counter] = {}
    cases: dict[str, set] = {}
    for outcome in outcomes:
        category = outcome.case.category
        row = rows.setdefault(category, Counter())
        cases.setdefault(category, set()).add(outcome.case.id)
        row["passages"] += 1
        row["gone"] += outcome.passage.truth.state == edit_corpus.GONE
        if outcome.verdict == edit_corpus.OK:
            # Right: anchored where the passage now is, drifted onto it, or orphaned when gone.
            row[f"{outcome.found.state} right"] += 1
        else:
            row[named[outcome.verdict]] += 1
    total = Counter()
    for category, row in rows.items():
        row["cases"] = len(cases[category])
        total.update(row)
    order = [c for c in edit_corpus.CATEGORIES if c in rows] + sorted(
        set(rows) - set(edit_corpus.CATEGORIES)
    )
    report.say("## 3. Edit corpus\n")
    report.say(
        f"tests/edit_corpus.py: {len(outcomes):,} passages of {len(set().union(*cases.values()))} "
        f"cases re-anchored as tests/test_edit_corpus.py does it, in {elapsed:.1f} s.\n"
    )
    report.table(
        ["category", *columns],
        [[category, *(rows[category][column] for column in columns)] for category in order]
        + [["**all**", *(f"**{total[column]}**" for column in columns)]],
    )
    failures = sum(outcome.verdict in edit_corpus.FAILURES for outcome in outcomes)
    report.say(
        "\nSilent moves (anchored to an overlapping span other than the true one) are allowed; "
        f"wrong places, false orphans and moved no-ops are failures: {failures} "
        f"({'PASS' if not failures else 'FAIL'}).\n"
    )
    return failures


# Output


def print_table(report: Report, results: list[Measurement]) -> None:
    if report.lines and report.lines[-1]:
        report.say()
    rows = []
    for result in results:
        timed = bool(result.seconds)
        rows.append(
            [
                result.name,
                ms(result.median) if timed else "–",
                ms(min(result.seconds)) if timed else "–",
                ms(max(result.seconds)) if timed else "–",
                ms(result.budget) if result.budget is not None else "–",
                "–" if result.queries is None else result.queries,
                len(result.seconds),
                "PASS" if result.passed else "FAIL",
                "not measured: see above" if result.error and not timed else result.note,
            ]
        )
    header = ["case", "median", "min", "max", "budget", "queries", "repeats", "result", "note"]
    report.table(header, rows, text=(0, 7, 8))
    report.say()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def profile(name: str, call, repeats: int, before=None) -> None:
    """Profiles `repeats` calls of `call`, each with the arguments `before()` returns, which is
    not profiled."""
    profiler = cProfile.Profile()
    for _ in range(repeats):
        arguments = before() if before is not None else ()
        profiler.enable()
        call(*arguments)
        profiler.disable()
    print(f"\nProfile of {repeats} runs: {name}")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
