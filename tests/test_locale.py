"""The German catalogues, the plugin's and the host project's: complete, compiled from the
committed .po, and used by the admin."""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

import summits
from summits.choices import AnchorState, ItemKind, SummitStatus
from summits.models import Item, ItemUpdate, Summit
from summits.services import orphaned_items_message
from tests import factories

CATALOGUES = {
    "summits": Path(summits.__file__).parent / "locale" / "de" / "LC_MESSAGES",
    "newsroom": Path(__file__).resolve().parent.parent
    / "newsroom"
    / "locale"
    / "de"
    / "LC_MESSAGES",
}

# The C escapes a PO string may hold; any other backslash sequence is an error.
ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index -> text; 0 if singular
    flags: set[str] = field(default_factory=set)

    @property
    def key(self):
        """The entry's key in a compiled catalogue: context and id joined by EOT."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def unquote(literal: str) -> str:
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise ValueError(f"not a quoted PO string: {literal!r}")
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], literal[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, the header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            flush()
        elif line.startswith("#"):
            if entry.msgstr:  # a comment after a msgstr opens the next entry
                flush()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"continuation line outside an entry: {raw!r}")
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + unquote(line))
        else:
            match = KEYWORD.match(line)
            if match is None:
                raise ValueError(f"unexpected PO line: {raw!r}")
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                flush()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = unquote(literal)
            else:
                target = (keyword, None)
                setattr(entry, keyword, unquote(literal))
    flush()
    return entries


@dataclass
class Catalogue:
    entries: list[Entry]
    mo: Path

    @property
    def header(self) -> Entry:
        return self.entries[0]

    @property
    def messages(self) -> list[Entry]:
        return self.entries[1:]


@pytest.fixture(params=sorted(CATALOGUES))
def catalogue(request) -> Catalogue:
    directory = CATALOGUES[request.param]
    return Catalogue(read_po(directory / "django.po"), directory / "django.mo")


def german(entry: Entry) -> dict[int, str]:
    """What Django returns for the entry under German: for plurals at n=1 and n=2."""
    context, msgid, plural = entry.msgctxt, entry.msgid, entry.msgid_plural
    with translation.override("de"):
        if plural is None and context is None:
            return {0: translation.gettext(msgid)}
        if plural is None:
            return {0: translation.pgettext(context, msgid)}
        if context is None:
            return {i: translation.ngettext(msgid, plural, n) for i, n in ((0, 1), (1, 2))}
        return {i: translation.npgettext(context, msgid, plural, n) for i, n in ((0, 1), (1, 2))}


@pytest.fixture(autouse=True)
def _keep_active_language():
    # LocaleMiddleware activates the request's language and leaves it active in this thread.
    with translation.override(translation.get_language()):
        yield


def test_po_parser_reads_multiline_strings_escapes_contexts_and_plurals(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "month"\nmsgid "May"\nmsgstr "Mai"\n'
        'msgid ""\n"Say \\"hi\\"\\n"\n"twice"\nmsgid_plural "many"\n'
        'msgstr[0] "Sag \\"hallo\\"\\n"\n"zweimal"\nmsgstr[1] "viele"\n\n'
        '#~ msgid "gone"\n#~ msgstr "weg"\n',
        encoding="utf-8",
    )
    header, month, greeting = read_po(po)
    assert header.msgstr == {0: "Language: de\n"}
    assert (month.key, month.msgstr, month.flags) == (
        "month\x04May",
        {0: "Mai"},
        {"fuzzy", "python-format"},
    )
    assert (greeting.msgid, greeting.msgid_plural) == ('Say "hi"\ntwice', "many")
    assert greeting.msgstr == {0: 'Sag "hallo"\nzweimal', 1: "viele"}


def test_header_declares_german_utf8_and_two_plural_forms(catalogue):
    header = catalogue.header.msgstr[0]
    assert catalogue.header.msgid == ""
    assert "Language: de\n" in header
    assert "Content-Type: text/plain; charset=UTF-8\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "fuzzy" not in catalogue.header.flags


def test_no_entry_is_untranslated_or_fuzzy(catalogue):
    messages = catalogue.messages
    assert messages
    untranslated = [e.msgid for e in messages if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    incomplete_plurals = [e.msgid for e in messages if e.msgid_plural and len(e.msgstr) != 2]
    assert (untranslated, fuzzy, incomplete_plurals) == ([], [], [])


def test_compiled_catalogue_gives_every_translation_of_the_po(catalogue):
    """Fails when the .po was edited without running compilemessages, or another app's
    catalogue shadows one of ours."""
    messages = catalogue.messages
    found = {entry.key: german(entry) for entry in messages}
    wrong = [(e.key, found[e.key], e.msgstr) for e in messages if found[e.key] != e.msgstr]
    assert wrong == []


def test_compiled_catalogue_holds_no_entry_the_po_lacks(catalogue):
    with catalogue.mo.open("rb") as compiled:
        compiled_catalogue = gettext.GNUTranslations(compiled)._catalog
    compiled_keys = {key[0] if isinstance(key, tuple) else key for key in compiled_catalogue}
    assert compiled_keys == {entry.key for entry in catalogue.entries}


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (SummitStatus.REVIEW.label, "In Prüfung"),
        (ItemKind.DISPUTE.label, "Streitpunkt"),
        (AnchorState.ORPHANED.label, "Verwaist"),
        (Summit._meta.verbose_name_plural, "Gipfel"),
        (ItemUpdate._meta.verbose_name_plural, "Nachträge"),
    ],
)
def test_choice_labels_and_model_names_read_german(label, expected):
    with translation.override("de"):
        assert str(label) == expected
    with translation.override("en"):
        assert str(label) != expected


def test_orphaned_items_message_takes_the_german_plural():
    items = [Item(title="Botschafter"), Item(title="Dialog")]
    with translation.override("de"):
        assert orphaned_items_message(items[:1]).startswith(
            "Die Textstelle dieses Eintrags steht nicht mehr im Artikel"
        )
        assert orphaned_items_message(items).startswith(
            "Die Textstellen dieser Einträge stehen nicht mehr im Artikel"
        )


@pytest.mark.django_db
def test_admin_speaks_german_to_a_german_browser(client):
    client.force_login(factories.editor())
    factories.SummitFactory()
    page = client.get("/admin/summits/summit/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="de"' in page
    assert "Gipfel zur Änderung auswählen" in page
    for label in (
        "Redaktion: Gipfelressort",
        "Überschrift",
        "Vereinbarungen",
        "Streitpunkte",
        "In Prüfung",
        # Django 6.1's own German lacks these three; the host project's catalogue has them.
        "Ausführen",
        "- Bitte auswählen -",
        "filtern",
    ):
        assert label in page
    assert "Agreements" not in page
    assert ">Run<" not in page and "Select an option" not in page
