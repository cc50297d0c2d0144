"""Creates many realistic published summits quickly, for scale tests and the benchmark."""

import datetime
import html
import multiprocessing
import os
import random
import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from summits import annotate, caching, services
from summits.choices import INITIAL_STATUS, AgreementStatus, DisputeStatus, ItemKind, SummitStatus
from summits.management.commands.seed_demo import add_missing_translations
from summits.models import Item, ItemUpdate, Participant, Stance, Summit, Topic
from summits.richtext import sanitize_article, sanitize_summary

SLUG_PREFIX = "bulk-"
BULK_SLUG = re.compile(rf"^{SLUG_PREFIX}(\d+)-")
BATCH_SIZE = 250

FIRST_DATE = datetime.date(1990, 1, 1)
LAST_DATE = datetime.date(2026, 10, 15)
# Follow-up updates are dated up to here, so that a seed gives the same rows on any later day.
UPDATES_UNTIL = datetime.date(2026, 11, 1)

# (city in German, city in English, venue, country): places where summits were held.
PLACES = [
    ("Genf", "Geneva", "Villa La Grange", "CH"),
    ("Genf", "Geneva", "Palais des Nations", "CH"),
    ("Helsinki", "Helsinki", "Präsidentenpalast", "FI"),
    ("Reykjavík", "Reykjavík", "Höfði", "IS"),
    ("Singapur", "Singapore", "Capella Hotel", "SG"),
    ("Hanoi", "Hanoi", "Sofitel Legend Metropole", "VN"),
    ("Osaka", "Osaka", "INTEX Osaka", "JP"),
    ("Biarritz", "Biarritz", "Hôtel du Palais", "FR"),
    ("Krün", "Krün", "Schloss Elmau", "DE"),
    ("Hamburg", "Hamburg", "Messe Hamburg", "DE"),
    ("Heiligendamm", "Heiligendamm", "Grand Hotel Heiligendamm", "DE"),
    ("Washington", "Washington", "Weißes Haus", "US"),
    ("Anchorage", "Anchorage", "Joint Base Elmendorf-Richardson", "US"),
    ("Brüssel", "Brussels", "Europa-Gebäude", "BE"),
    ("Vilnius", "Vilnius", "Litexpo", "LT"),
    ("Madrid", "Madrid", "IFEMA", "ES"),
    ("Nusa Dua", "Nusa Dua", "Apurva Kempinski", "ID"),
    ("Neu-Delhi", "New Delhi", "Bharat Mandapam", "IN"),
    ("Rom", "Rome", "La Nuvola", "IT"),
    ("Buenos Aires", "Buenos Aires", "Costa Salguero", "AR"),
    ("Newport", "Newport", "Celtic Manor Resort", "GB"),
    ("Carbis Bay", "Carbis Bay", "Carbis Bay Hotel", "GB"),
    ("Minsk", "Minsk", "Palast der Unabhängigkeit", "BY"),
    ("Istanbul", "Istanbul", "Dolmabahçe-Palast", "TR"),
    ("Paris", "Paris", "Élysée-Palast", "FR"),
    ("Moskau", "Moscow", "Kreml", "RU"),
    ("Peking", "Beijing", "Große Halle des Volkes", "CN"),
    ("Panmunjom", "Panmunjom", "Haus des Friedens", "KR"),
    ("Davos", "Davos", "Kongresszentrum", "CH"),
    ("Bürgenstock", "Bürgenstock", "Bürgenstock Resort", "CH"),
    ("Dayton", "Dayton", "Wright-Patterson Air Force Base", "US"),
    ("Kyoto", "Kyoto", "Internationales Konferenzzentrum", "JP"),
    ("Johannesburg", "Johannesburg", "Sandton Convention Centre", "ZA"),
    ("Hiroshima", "Hiroshima", "Grand Prince Hotel", "JP"),
    ("Fasano", "Fasano", "Borgo Egnazia", "IT"),
    ("Kananaskis", "Kananaskis", "Kananaskis Lodge", "CA"),
    ("Évian-les-Bains", "Évian-les-Bains", "Hôtel Royal", "FR"),
    ("Gleneagles", "Gleneagles", "Gleneagles Hotel", "GB"),
    ("Sankt Petersburg", "Saint Petersburg", "Konstantinpalast", "RU"),
    ("Toyako", "Tōyako", "Windsor Hotel Toya", "JP"),
    ("L’Aquila", "L’Aquila", "Polizeischule Coppito", "IT"),
    ("Deauville", "Deauville", "Centre International", "FR"),
    ("Enniskillen", "Enniskillen", "Lough Erne Resort", "GB"),
    ("Taormina", "Taormina", "Teatro Antico", "IT"),
    ("La Malbaie", "La Malbaie", "Fairmont Le Manoir Richelieu", "CA"),
    ("Camp David", "Camp David", "Laurel Lodge", "US"),
    ("Sotschi", "Sochi", "Bocharov Ruchey", "RU"),
    ("Wien", "Vienna", "Hofburg", "AT"),
    ("Berlin", "Berlin", "Bundeskanzleramt", "DE"),
    ("Warschau", "Warsaw", "Präsidentenpalast", "PL"),
]

# (name, short name used in the text, role, country, in office from, until): leaders of the
# years the summits are spread over, so that a summit only brings together contemporaries.
LEADERS = [
    ("George H. W. Bush", "Bush", "President of the United States", "US", 1990, 1992),
    ("Bill Clinton", "Clinton", "President of the United States", "US", 1993, 2000),
    ("George W. Bush", "Bush", "President of the United States", "US", 2001, 2008),
    ("Barack Obama", "Obama", "President of the United States", "US", 2009, 2016),
    ("Donald Trump", "Trump", "President of the United States", "US", 2017, 2026),
    ("Joe Biden", "Biden", "President of the United States", "US", 2021, 2024),
    ("Mikhail Gorbachev", "Gorbachev", "President of the Soviet Union", "RU", 1990, 1991),
    ("Boris Yeltsin", "Yeltsin", "President of the Russian Federation", "RU", 1991, 1999),
    ("Vladimir Putin", "Putin", "President of the Russian Federation", "RU", 2000, 2026),
    ("Dmitry Medvedev", "Medvedev", "President of the Russian Federation", "RU", 2008, 2012),
    ("Helmut Kohl", "Kohl", "Chancellor of Germany", "DE", 1990, 1998),
    ("Gerhard Schröder", "Schröder", "Chancellor of Germany", "DE", 1998, 2005),
    ("Angela Merkel", "Merkel", "Chancellor of Germany", "DE", 2005, 2021),
    ("Olaf Scholz", "Scholz", "Chancellor of Germany", "DE", 2021, 2025),
    ("Friedrich Merz", "Merz", "Chancellor of Germany", "DE", 2025, 2026),
    ("François Mitterrand", "Mitterrand", "President of France", "FR", 1990, 1995),
    ("Jacques Chirac", "Chirac", "President of France", "FR", 1995, 2007),
    ("Nicolas Sarkozy", "Sarkozy", "President of France", "FR", 2007, 2012),
    ("François Hollande", "Hollande", "President of France", "FR", 2012, 2017),
    ("Emmanuel Macron", "Macron", "President of France", "FR", 2017, 2026),
    ("John Major", "Major", "Prime Minister of the United Kingdom", "GB", 1990, 1997),
    ("Tony Blair", "Blair", "Prime Minister of the United Kingdom", "GB", 1997, 2007),
    ("Gordon Brown", "Brown", "Prime Minister of the United Kingdom", "GB", 2007, 2010),
    ("David Cameron", "Cameron", "Prime Minister of the United Kingdom", "GB", 2010, 2016),
    ("Theresa May", "May", "Prime Minister of the United Kingdom", "GB", 2016, 2019),
    ("Boris Johnson", "Johnson", "Prime Minister of the United Kingdom", "GB", 2019, 2022),
    ("Rishi Sunak", "Sunak", "Prime Minister of the United Kingdom", "GB", 2022, 2024),
    ("Keir Starmer", "Starmer", "Prime Minister of the United Kingdom", "GB", 2024, 2026),
    ("Jiang Zemin", "Jiang", "President of the People's Republic of China", "CN", 1993, 2003),
    ("Hu Jintao", "Hu", "President of the People's Republic of China", "CN", 2003, 2013),
    ("Xi Jinping", "Xi", "President of the People's Republic of China", "CN", 2013, 2026),
    ("Junichiro Koizumi", "Koizumi", "Prime Minister of Japan", "JP", 2001, 2006),
    ("Shinzo Abe", "Abe", "Prime Minister of Japan", "JP", 2012, 2020),
    ("Fumio Kishida", "Kishida", "Prime Minister of Japan", "JP", 2021, 2024),
    ("Silvio Berlusconi", "Berlusconi", "Prime Minister of Italy", "IT", 2001, 2011),
    ("Romano Prodi", "Prodi", "Prime Minister of Italy", "IT", 1996, 1998),
    ("Mario Draghi", "Draghi", "Prime Minister of Italy", "IT", 2021, 2022),
    ("Giorgia Meloni", "Meloni", "Prime Minister of Italy", "IT", 2022, 2026),
    ("Jean Chrétien", "Chrétien", "Prime Minister of Canada", "CA", 1993, 2003),
    ("Stephen Harper", "Harper", "Prime Minister of Canada", "CA", 2006, 2015),
    ("Justin Trudeau", "Trudeau", "Prime Minister of Canada", "CA", 2015, 2025),
    ("Mark Carney", "Carney", "Prime Minister of Canada", "CA", 2025, 2026),
    ("Leonid Kuchma", "Kuchma", "President of Ukraine", "UA", 1994, 2005),
    ("Viktor Yushchenko", "Yushchenko", "President of Ukraine", "UA", 2005, 2010),
    ("Petro Poroshenko", "Poroshenko", "President of Ukraine", "UA", 2014, 2019),
    ("Volodymyr Zelensky", "Zelensky", "President of Ukraine", "UA", 2019, 2026),
    ("Recep Tayyip Erdoğan", "Erdoğan", "President of Turkey", "TR", 2003, 2026),
    ("Manmohan Singh", "Singh", "Prime Minister of India", "IN", 2004, 2014),
    ("Narendra Modi", "Modi", "Prime Minister of India", "IN", 2014, 2026),
    ("Kim Jong Un", "Kim", "Supreme Leader of North Korea", "KP", 2011, 2026),
    ("Moon Jae-in", "Moon", "President of South Korea", "KR", 2017, 2022),
    ("Luiz Inácio Lula da Silva", "Lula", "President of Brazil", "BR", 2003, 2026),
    ("Yitzhak Rabin", "Rabin", "Prime Minister of Israel", "IL", 1992, 1995),
    ("Benjamin Netanyahu", "Netanyahu", "Prime Minister of Israel", "IL", 1996, 2026),
    ("Yasser Arafat", "Arafat", "President of the Palestinian Authority", "PS", 1994, 2004),
    ("Mahmoud Abbas", "Abbas", "President of the Palestinian Authority", "PS", 2005, 2026),
    ("Nelson Mandela", "Mandela", "President of South Africa", "ZA", 1994, 1999),
    ("Hassan Rouhani", "Rouhani", "President of Iran", "IR", 2013, 2021),
    ("Donald Tusk", "Tusk", "Prime Minister of Poland", "PL", 2007, 2026),
    ("Franjo Tuđman", "Tuđman", "President of Croatia", "HR", 1990, 1999),
    ("Slobodan Milošević", "Milošević", "President of Serbia", "RS", 1990, 2000),
]


@dataclass(frozen=True)
class Subject:
    """What an item is about, in both languages; passages name the sides as {a} and {b}."""

    topic: str
    agreement_title: dict[str, str]
    agreement_passage: dict[str, str]
    dispute_title: dict[str, str]
    dispute_passage: dict[str, str]


# (slug, name, name in German text, name in English text)
# The leaders' names and roles on German pages, where they differ from the English.
GERMAN_NAMES = {
    "Mikhail Gorbachev": "Michail Gorbatschow",
    "Boris Yeltsin": "Boris Jelzin",
    "Vladimir Putin": "Wladimir Putin",
    "Dmitry Medvedev": "Dmitri Medwedew",
    "Leonid Kuchma": "Leonid Kutschma",
    "Viktor Yushchenko": "Wiktor Juschtschenko",
    "Petro Poroshenko": "Petro Poroschenko",
    "Volodymyr Zelensky": "Wolodymyr Selenskyj",
    "Hassan Rouhani": "Hassan Ruhani",
    "Yitzhak Rabin": "Jitzchak Rabin",
    "Yasser Arafat": "Jassir Arafat",
}
GERMAN_ROLES = {
    "President of the United States": "Präsident der Vereinigten Staaten",
    "President of the Soviet Union": "Präsident der Sowjetunion",
    "President of the Russian Federation": "Präsident der Russischen Föderation",
    "Chancellor of Germany": "Bundeskanzler",
    "President of France": "Präsident Frankreichs",
    "Prime Minister of the United Kingdom": "Premierminister des Vereinigten Königreichs",
    "President of the People's Republic of China": "Staatspräsident der Volksrepublik China",
    "Prime Minister of Japan": "Premierminister Japans",
    "Prime Minister of Italy": "Ministerpräsident Italiens",
    "Prime Minister of Canada": "Premierminister Kanadas",
    "President of Ukraine": "Präsident der Ukraine",
    "President of Turkey": "Präsident der Türkei",
    "Prime Minister of India": "Premierminister Indiens",
    "Supreme Leader of North Korea": "Machthaber Nordkoreas",
    "President of South Korea": "Präsident Südkoreas",
    "President of Brazil": "Präsident Brasiliens",
    "Prime Minister of Israel": "Ministerpräsident Israels",
    "President of the Palestinian Authority": "Präsident der Palästinensischen Autonomiebehörde",
    "President of South Africa": "Präsident Südafrikas",
    "President of Iran": "Präsident Irans",
    "Prime Minister of Poland": "Ministerpräsident Polens",
    "President of Croatia": "Präsident Kroatiens",
    "President of Serbia": "Präsident Serbiens",
}
GERMAN_ROLES_OF = {
    "Angela Merkel": "Bundeskanzlerin",
    "Theresa May": "Premierministerin des Vereinigten Königreichs",
    "Giorgia Meloni": "Ministerpräsidentin Italiens",
}

TOPICS = [
    ("diplomacy", "Diplomacy", "Diplomatie", "diplomacy"),
    ("arms-control", "Arms control", "Rüstungskontrolle", "arms control"),
    ("cybersecurity", "Cybersecurity", "Cybersicherheit", "cybersecurity"),
    ("human-rights", "Human rights", "Menschenrechte", "human rights"),
    ("rule-of-law", "Rule of law", "Rechtsstaatlichkeit", "the rule of law"),
    ("trade", "Trade", "Handel", "trade"),
    ("climate", "Climate", "Klimaschutz", "climate policy"),
    ("energy", "Energy", "Energie", "energy"),
    ("security", "Security", "Sicherheit", "security"),
    ("migration", "Migration", "Migration", "migration"),
    ("health", "Public health", "Gesundheit", "public health"),
    ("nuclear-programmes", "Nuclear programmes", "Atomprogramme", "nuclear programmes"),
]

SUBJECTS = [
    Subject(
        "diplomacy",
        {
            "de": "Die Botschafter kehren auf ihre Posten zurück",
            "en": "Ambassadors return to their posts",
        },
        {
            "de": "{a} und {b} vereinbarten, dass die Botschafter beider Länder auf ihre Posten zurückkehren",
            "en": "{a} and {b} agreed that the ambassadors of both countries would return to their posts",
        },
        {"de": "Streit über ausgewiesene Diplomaten", "en": "Row over expelled diplomats"},
        {
            "de": "Über die Ausweisung von Diplomaten und die Schließung von Konsulaten gerieten {a} und {b} aneinander",
            "en": "{a} and {b} clashed over the expulsion of diplomats and the closure of consulates",
        },
    ),
    Subject(
        "arms-control",
        {"de": "Dialog über strategische Stabilität", "en": "Dialogue on strategic stability"},
        {
            "de": "Beide Seiten wollen in einem Dialog über strategische Stabilität künftige Abrüstungsschritte vorbereiten",
            "en": "Both sides will prepare future disarmament steps in a dialogue on strategic stability",
        },
        {
            "de": "Streit über Mittelstreckenraketen",
            "en": "Dispute over intermediate-range missiles",
        },
        {
            "de": "Bei den Mittelstreckenraketen in Europa blieben die Positionen von {a} und {b} unvereinbar",
            "en": "On intermediate-range missiles in Europe the positions of {a} and {b} remained irreconcilable",
        },
    ),
    Subject(
        "cybersecurity",
        {"de": "Expertengruppe zu Cyberangriffen", "en": "Expert group on cyberattacks"},
        {
            "de": "Eine gemeinsame Expertengruppe soll Angriffe auf kritische Infrastruktur wie Stromnetze und Wasserwerke untersuchen",
            "en": "A joint expert group is to examine attacks on critical infrastructure such as power grids and waterworks",
        },
        {"de": "Vorwürfe wegen Hackerangriffen", "en": "Accusations over hacking"},
        {
            "de": "{a} warf der Regierung von {b} vor, Hackergruppen gewähren zu lassen, die Krankenhäuser und Behörden erpressen",
            "en": "{a} accused the government of {b} of tolerating hacker groups that extort hospitals and public authorities",
        },
    ),
    Subject(
        "human-rights",
        {"de": "Gefangenenaustausch wird geprüft", "en": "Prisoner exchange to be explored"},
        {
            "de": "Die Außenminister sollen einen Austausch von Gefangenen prüfen, die in beiden Ländern in Haft sitzen",
            "en": "The foreign ministers are to explore an exchange of prisoners held in both countries",
        },
        {"de": "Streit über politische Gefangene", "en": "Row over political prisoners"},
        {
            "de": "Beim Umgang mit Oppositionellen und Journalisten blieben {a} und {b} weit auseinander",
            "en": "On the treatment of opposition figures and journalists {a} and {b} remained far apart",
        },
    ),
    Subject(
        "rule-of-law",
        {"de": "Kommission für Rechtshilfe", "en": "Commission on legal assistance"},
        {
            "de": "Eine gemeinsame Kommission soll Auslieferungsersuchen und Rechtshilfe schneller bearbeiten",
            "en": "A joint commission is to handle extradition requests and legal assistance more quickly",
        },
        {
            "de": "Streit über Urteile gegen Oppositionelle",
            "en": "Dispute over verdicts against opposition figures",
        },
        {
            "de": "{a} nannte die Urteile gegen Oppositionelle politisch motiviert, {b} sprach von unabhängigen Gerichten",
            "en": "{a} called the verdicts against opposition figures politically motivated, while {b} spoke of independent courts",
        },
    ),
    Subject(
        "trade",
        {"de": "Zölle auf Stahl sollen sinken", "en": "Steel tariffs to be lowered"},
        {
            "de": "Die Zölle auf Stahl und Aluminium sollen schrittweise gesenkt werden",
            "en": "Tariffs on steel and aluminium are to be lowered step by step",
        },
        {"de": "Streit über Subventionen", "en": "Dispute over subsidies"},
        {
            "de": "Über staatliche Subventionen für die Autoindustrie gab es keine Einigung zwischen {a} und {b}",
            "en": "There was no agreement between {a} and {b} on state subsidies for the car industry",
        },
    ),
    Subject(
        "climate",
        {"de": "Gemeinsames Ziel für Methan", "en": "Joint methane target"},
        {
            "de": "Beide Regierungen verpflichten sich, den Ausstoß von Methan bis zum Ende des Jahrzehnts deutlich zu senken",
            "en": "Both governments commit to cutting methane emissions sharply by the end of the decade",
        },
        {"de": "Kein Datum für den Kohleausstieg", "en": "No date for the coal exit"},
        {
            "de": "Ein Datum für den Ausstieg aus der Kohle lehnte {b} ab, obwohl {a} darauf drängte",
            "en": "{b} refused to set a date for phasing out coal, although {a} pressed for one",
        },
    ),
    Subject(
        "energy",
        {"de": "Neue Verträge über Gaslieferungen", "en": "New gas supply contracts"},
        {
            "de": "Die Energieminister sollen bis zum Herbst neue Verträge über Gaslieferungen aushandeln",
            "en": "The energy ministers are to negotiate new gas supply contracts by the autumn",
        },
        {"de": "Streit über eine Pipeline", "en": "Dispute over a pipeline"},
        {
            "de": "Über den Bau einer neuen Pipeline durch die Ostsee stritten {a} und {b} offen",
            "en": "{a} and {b} openly argued over the construction of a new pipeline through the Baltic Sea",
        },
    ),
    Subject(
        "security",
        {"de": "Heißer Draht zwischen den Militärs", "en": "A hotline between the militaries"},
        {
            "de": "Die Generalstäbe richten einen heißen Draht ein, um Zwischenfälle in der Luft und auf See zu vermeiden",
            "en": "The general staffs will set up a hotline to avoid incidents in the air and at sea",
        },
        {"de": "Streit über Truppen an der Grenze", "en": "Row over troops at the border"},
        {
            "de": "{a} forderte den Abzug der Truppen von der Grenze, {b} wies dies als Einmischung zurück",
            "en": "{a} demanded the withdrawal of troops from the border, which {b} rejected as interference",
        },
    ),
    Subject(
        "migration",
        {"de": "Abkommen über Rückführungen", "en": "Agreement on returns"},
        {
            "de": "Ein Abkommen soll Rückführungen regeln und zugleich legale Wege für Arbeitskräfte öffnen",
            "en": "An agreement is to govern returns and at the same time open legal routes for workers",
        },
        {"de": "Streit über Grenzschließungen", "en": "Dispute over border closures"},
        {
            "de": "Die Schließung der Grenzübergänge bleibt zwischen {a} und {b} umstritten",
            "en": "The closure of border crossings remains contested between {a} and {b}",
        },
    ),
    Subject(
        "health",
        {"de": "Impfstoffe für ärmere Länder", "en": "Vaccines for poorer countries"},
        {
            "de": "Beide Staaten sagen ärmeren Ländern zusätzliche Impfstoffdosen und Geld für Kliniken zu",
            "en": "Both states pledge additional vaccine doses and money for clinics to poorer countries",
        },
        {"de": "Streit über Patente auf Impfstoffe", "en": "Dispute over vaccine patents"},
        {
            "de": "Ob Patente auf Impfstoffe ausgesetzt werden sollen, blieb zwischen {a} und {b} strittig",
            "en": "Whether patents on vaccines should be waived remained disputed between {a} and {b}",
        },
    ),
    Subject(
        "nuclear-programmes",
        {"de": "Inspektoren erhalten wieder Zugang", "en": "Inspectors to regain access"},
        {
            "de": "Internationale Inspektoren sollen wieder Zugang zu den Atomanlagen erhalten",
            "en": "International inspectors are to regain access to the nuclear facilities",
        },
        {"de": "Streit über Urananreicherung", "en": "Dispute over uranium enrichment"},
        {
            "de": "{b} bestand auf dem Recht zur Anreicherung von Uran, {a} verlangte einen Stopp",
            "en": "{b} insisted on the right to enrich uranium, while {a} demanded a halt",
        },
    ),
]

TITLES = {
    "de": [
        "{names} in {city}: {agreement}",
        "Gipfel in {city}: {agreement}, Streit über {dispute_topic} bleibt",
        "{a} trifft {b} in {city}: Annäherung beim Thema {agreement_topic}, Streit über {dispute_topic}",
        "Gipfel von {city}: {agreement}",
        "{city} {year}: {agreement}",
        "Nach dem Treffen in {city}: {agreement}, aber keine Einigung beim Thema {dispute_topic}",
    ],
    "en": [
        "{names} in {city}: {agreement}",
        "{city} summit: {agreement}, row over {dispute_topic} persists",
        "{a} meets {b} in {city}: progress on {agreement_topic}, dispute over {dispute_topic}",
        "Summit in {city}: {agreement}",
        "{city} {year}: {agreement}",
        "After the {city} talks: {agreement}, but no deal on {dispute_topic}",
    ],
}

TEASERS = {
    "de": [
        "Beim Treffen in {city} verständigen sich {names} auf {count} Vorhaben. Beim Thema {dispute_topic} bleiben sie uneins.",
        "{names} kommen in {city} zusammen. Es gibt Fortschritte beim Thema {agreement_topic}, doch der Streit über {dispute_topic} bleibt.",
        "{count_capital} Vereinbarungen, ein offener Streit über {dispute_topic}: was vom Gipfel in {city} bleibt.",
    ],
    "en": [
        "Meeting in {city}, {names} agree on {count} steps. On {dispute_topic} they remain divided.",
        "{names} meet in {city}. There is progress on {agreement_topic}, but the row over {dispute_topic} goes on.",
        "{count_capital} agreements and an open row over {dispute_topic}: what is left of the {city} summit.",
    ],
}

COUNT_WORDS = {
    "de": ["kein", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben"],
    "en": ["no", "one", "two", "three", "four", "five", "six", "seven"],
}

# Share of agreements among a summit's items when --items sets their number.
AGREEMENT_SHARE = 2 / 3
# Told apart so, an item whose subject comes round again in its kind (--items beyond SUBJECTS).
PART = {"de": "Teil {number}", "en": "part {number}"}

INTROS = {
    "de": [
        "Zum ersten Mal seit Langem sind {names} einander persönlich begegnet.",
        "Zu Gesprächen über {agreement_topic} und {dispute_topic} sind {names} zusammengekommen.",
        "Die Erwartungen an das Treffen von {names} in {city} waren gedämpft.",
        "Nach monatelanger Vorbereitung haben sich {names} in {city} getroffen.",
    ],
    "en": [
        "For the first time in a long while, {names} have met in person.",
        "{names} came together for talks on {agreement_topic} and {dispute_topic}.",
        "Expectations of the meeting of {names} in {city} were low.",
        "After months of preparation, {names} have met in {city}.",
    ],
}

FILLERS = {
    "de": [
        "Die Gespräche dauerten länger als geplant.",
        "Als Tagungsort diente {venue}.",
        "Am Rande des Treffens demonstrierten einige Hundert Menschen in der Innenstadt von {city}.",
        "Beobachter hatten im Vorfeld keine großen Fortschritte erwartet.",
        "{a} sprach anschließend von einem offenen und sachlichen Austausch.",
        "{b} sagte, man habe auch über schwierige Fragen gesprochen.",
        "Die Delegationen wurden von den Außenministern der Länder geleitet.",
        "Die Sicherheitsvorkehrungen in {city} waren streng, weite Teile der Stadt blieben gesperrt.",
        "Es war das erste Treffen dieser Art seit mehreren Jahren.",
        "Diplomaten hatten die Begegnung wochenlang vorbereitet.",
        "Eine gemeinsame Abschlusserklärung gab es nicht, wohl aber getrennte Pressekonferenzen.",
        "Fachleute werten die Ergebnisse als bescheiden, aber nicht bedeutungslos.",
        "Wie belastbar die Zusagen sind, wird sich erst in den kommenden Monaten zeigen.",
        "Die Opposition in den Hauptstädten reagierte zurückhaltend.",
        "Beim Thema {topic} gab es zumindest eine Annäherung im Ton.",
        "Nach dem Mittagessen zogen sich {a} und {b} zu einem Gespräch unter vier Augen zurück.",
        "Mehrere Verbündete hatten vor dem Treffen zur Vorsicht gemahnt.",
        "Die Börsen reagierten kaum auf die Nachrichten aus {city}.",
        "Ein Folgetreffen ist für das kommende Jahr im Gespräch.",
        "Kritiker warfen den Beteiligten vor, vor allem Bilder für das heimische Publikum zu liefern.",
        "Im Jahr {year} war das Verhältnis der Länder ohnehin angespannt.",
        "Die Gastgeber hatten {venue} als neutralen Ort angeboten.",
        "Journalisten aus aller Welt verfolgten das Treffen aus einem Pressezentrum in der Nähe.",
        "Über Einzelheiten wurde Stillschweigen vereinbart.",
        "Auch wirtschaftliche Fragen kamen zur Sprache, standen aber nicht im Mittelpunkt.",
        "Die Arbeitsgruppen sollen in den kommenden Wochen erstmals zusammentreten.",
        "Ob die Parlamente den Vereinbarungen zustimmen, ist offen.",
        "{a} betonte, man werde die andere Seite an ihren Taten messen.",
        "{b} erklärte, man sei zu weiteren Gesprächen bereit.",
        "Der Ton zwischen den Regierungen war in den Wochen zuvor rauer geworden.",
        "Am Abend gaben die Gastgeber ein Essen für die Delegationen.",
        "Menschenrechtsorganisationen hatten gefordert, auch über {topic} zu sprechen.",
        "Das Treffen begann mit einer Verspätung von fast einer Stunde.",
        "Vor Beginn der Gespräche posierten {a} und {b} kurz für die Fotografen.",
        "Die Dolmetscher hatten an diesem Tag viel zu tun.",
        "Auf eine gemeinsame Pressekonferenz hatten die Delegationen verzichtet.",
        "In den Hauptstädten wurde das Ergebnis unterschiedlich bewertet.",
        "Die Vorbereitungen hatten auf Ebene der Berater schon im Frühjahr begonnen.",
        "Mehrere Minister begleiteten die Delegationen nach {city}.",
        "Die Zeitungen in {city} widmeten dem Treffen ihre Titelseiten.",
    ],
    "en": [
        "The talks lasted longer than planned.",
        "The meeting was held at {venue}.",
        "On the sidelines of the meeting, several hundred people demonstrated in the centre of {city}.",
        "Observers had not expected much progress beforehand.",
        "{a} afterwards spoke of an open and businesslike exchange.",
        "{b} said that difficult questions had been discussed as well.",
        "The delegations were led by the foreign ministers of the countries.",
        "Security in {city} was tight, and large parts of the city remained closed off.",
        "It was the first meeting of its kind in several years.",
        "Diplomats had prepared the encounter for weeks.",
        "There was no joint final declaration, only separate press conferences.",
        "Experts consider the results modest, but not meaningless.",
        "How reliable the commitments are will only become clear in the coming months.",
        "The opposition in the capitals reacted with restraint.",
        "On {topic} there was at least a softer tone.",
        "After lunch, {a} and {b} withdrew for a conversation in private.",
        "Several allies had urged caution before the meeting.",
        "Markets barely reacted to the news from {city}.",
        "A follow-up meeting next year is under discussion.",
        "Critics accused those involved of mainly producing pictures for audiences at home.",
        "In {year} relations between the countries were strained in any case.",
        "The hosts had offered {venue} as a neutral venue.",
        "Journalists from around the world followed the meeting from a nearby press centre.",
        "The parties agreed to keep the details confidential.",
        "Economic questions were raised as well, but were not the focus.",
        "The working groups are to meet for the first time in the coming weeks.",
        "Whether the parliaments will approve the agreements is open.",
        "{a} stressed that the other side would be judged by its actions.",
        "{b} declared a readiness for further talks.",
        "The tone between the governments had grown harsher in the weeks before.",
        "In the evening, the hosts gave a dinner for the delegations.",
        "Human rights groups had called for {topic} to be discussed too.",
        "The meeting began almost an hour late.",
        "Before the talks, {a} and {b} posed briefly for the photographers.",
        "The interpreters had a busy day.",
        "The delegations had decided against a joint press conference.",
        "In the capitals the outcome was judged differently.",
        "Advisers had begun the preparations in the spring.",
        "Several ministers accompanied the delegations to {city}.",
        "Newspapers in {city} devoted their front pages to the meeting.",
    ],
}

# Reported speech, as news copy has much of: who said it, and what.
SPEAKERS = {
    "de": [
        "Ein Sprecher von {a} sagte,",
        "Ein Berater von {b} erklärte,",
        "Ein hoher Diplomat sagte,",
        "Eine Teilnehmerin der Gespräche berichtete,",
        "Aus Delegationskreisen hieß es,",
        "Ein Regierungssprecher betonte,",
    ],
    "en": [
        "A spokesperson for {a} said",
        "An adviser to {b} explained",
        "A senior diplomat said",
        "One participant in the talks reported",
        "Members of the delegations said",
        "A government spokesperson stressed",
    ],
}
STATEMENTS = {
    "de": [
        "die Gespräche seien schwierig, aber ehrlich gewesen.",
        "man habe ein Mindestmaß an Vertrauen wiederhergestellt.",
        "die Stimmung sei besser gewesen als erwartet.",
        "man stehe erst am Anfang eines langen Weges.",
        "über {topic} werde man weiter reden müssen.",
        "die Fachleute hätten schon vor dem Treffen viel Vorarbeit geleistet.",
        "niemand habe einen Durchbruch erwartet.",
        "man werde die Zusagen genau überprüfen.",
        "die Gespräche in {city} seien ein Anfang gewesen.",
        "beide Seiten hätten ihre Positionen ausführlich dargelegt.",
        "ein weiteres Treffen sei nicht ausgeschlossen.",
        "man habe offen über {topic} gesprochen.",
    ],
    "en": [
        "that the talks had been difficult but honest.",
        "that a minimum of trust had been restored.",
        "that the mood had been better than expected.",
        "that this was only the start of a long road.",
        "that {topic} would need further talks.",
        "that the experts had done much of the groundwork before the meeting.",
        "that nobody had expected a breakthrough.",
        "that the commitments would be checked closely.",
        "that the talks in {city} had been a beginning.",
        "that both sides had set out their positions at length.",
        "that another meeting could not be ruled out.",
        "that {topic} had been discussed openly.",
    ],
}

# Outside a passage's own sentence: a few words leading up to it.
PASSAGE_LEADS = {
    "de": ["", "", "Am Ende stand fest:", "Nach Angaben beider Seiten gilt:", "Wichtig auch:"],
    "en": ["", "", "In the end it was settled:", "According to both sides:", "Also important:"],
}

SUMMARIES = {
    ItemKind.AGREEMENT: {
        "de": [
            "<p>Vereinbart beim Treffen in {city}. Zuständig sind die Fachministerien; einen <em>Zeitplan</em> nannten {a} und {b} nicht.</p>",
            "<p>Die Umsetzung soll noch im Jahr {year} beginnen, berichten Diplomaten beider Seiten.</p>",
            "<p>Eine Arbeitsgruppe soll bis zum nächsten Treffen <strong>konkrete Vorschläge</strong> vorlegen.</p>",
            "<p>{a} nannte die Vereinbarung einen ersten Schritt; {b} sprach von einem Signal.</p>",
            "<p>Die Einzelheiten sollen die Außenministerien in den kommenden Wochen klären.</p>",
        ],
        "en": [
            "<p>Agreed at the meeting in {city}. The ministries concerned are in charge; {a} and {b} gave no <em>timetable</em>.</p>",
            "<p>Implementation is to begin in {year}, according to diplomats on both sides.</p>",
            "<p>A working group is to present <strong>concrete proposals</strong> by the next meeting.</p>",
            "<p>{a} called the agreement a first step; {b} spoke of a signal.</p>",
            "<p>The foreign ministries are to settle the details in the coming weeks.</p>",
        ],
    },
    ItemKind.DISPUTE: {
        "de": [
            "<p>{a} und {b} blieben in dieser Frage uneins; weitere Gespräche darüber sind <strong>nicht</strong> geplant.</p>",
            "<p>Beide Seiten warfen einander vor, die Lage zu verschärfen.</p>",
            "<p>Der Streit überschattete das Treffen in {city}, ohne es scheitern zu lassen.</p>",
        ],
        "en": [
            "<p>{a} and {b} remained divided on this question; no further talks on it are <strong>planned</strong>.</p>",
            "<p>Each side accused the other of making matters worse.</p>",
            "<p>The dispute overshadowed the meeting in {city} without derailing it.</p>",
        ],
    },
}

STANCES = {
    "de": [
        "Lehnt jede Einmischung in diese Frage ab.",
        "Fordert konkrete Schritte bis zum Jahresende.",
        "Sieht die Verantwortung bei der anderen Seite.",
        "Will die Frage in Expertenrunden weiter beraten.",
        "Besteht auf den geltenden internationalen Vereinbarungen.",
    ],
    "en": [
        "Rejects any interference in the matter.",
        "Demands concrete steps by the end of the year.",
        "Holds the other side responsible.",
        "Wants experts to keep discussing the question.",
        "Insists on the international agreements in force.",
    ],
}
STANCE_QUOTES = {
    "de": ["Darüber verhandeln wir nicht.", "Wir erwarten Taten, keine Worte.", ""],
    "en": ["This is not up for negotiation.", "We expect deeds, not words.", ""],
}
PRESS_CONFERENCE = {"de": "Pressekonferenz in {city}", "en": "Press conference in {city}"}
CREDIT_LINES = {
    "de": [
        "Von Katrin Albrecht, mit Material von dpa und Reuters",
        "Von Jonas Weber, mit Material von AFP",
        "Von Lea Hoffmann und Stefan Brandt",
    ],
    "en": [
        "By Emma Clarke, with Reuters and AP",
        "By Daniel Hughes, with AFP",
        "By Sarah Mitchell and Tom Reid",
    ],
}
UPDATE_SOURCES = ["Reuters", "dpa", "AP", "AFP", "Außenministerium", "Regierungssprecher"]

# How an item's status may move from one follow-up to the next; None is an update without one.
TRANSITIONS = {
    AgreementStatus.ANNOUNCED: [AgreementStatus.IN_PROGRESS, AgreementStatus.STALLED, None],
    AgreementStatus.IN_PROGRESS: [
        AgreementStatus.FULFILLED,
        AgreementStatus.STALLED,
        AgreementStatus.BROKEN,
        None,
    ],
    AgreementStatus.STALLED: [AgreementStatus.IN_PROGRESS, AgreementStatus.BROKEN, None],
    AgreementStatus.FULFILLED: [AgreementStatus.BROKEN, None],
    AgreementStatus.BROKEN: [],
    DisputeStatus.OPEN: [DisputeStatus.NARROWED, DisputeStatus.ESCALATED, None],
    DisputeStatus.NARROWED: [DisputeStatus.RESOLVED, DisputeStatus.ESCALATED, None],
    DisputeStatus.ESCALATED: [DisputeStatus.NARROWED, DisputeStatus.OPEN, None],
    DisputeStatus.RESOLVED: [DisputeStatus.ESCALATED, None],
}
UPDATE_NOTES = {
    "de": {
        AgreementStatus.IN_PROGRESS: "Die Fachleute beider Seiten sind zu einer ersten Runde zusammengekommen.",
        AgreementStatus.FULFILLED: "Die Vereinbarung ist nach Angaben der Regierungen umgesetzt.",
        AgreementStatus.STALLED: "Seit Monaten gibt es keine Fortschritte mehr.",
        AgreementStatus.BROKEN: "Eine Seite hat die Vereinbarung aufgekündigt.",
        DisputeStatus.NARROWED: "In Gesprächen auf Arbeitsebene haben sich die Positionen angenähert.",
        DisputeStatus.RESOLVED: "Beide Seiten haben den Streit beigelegt.",
        DisputeStatus.ESCALATED: "Der Streit hat sich verschärft.",
        DisputeStatus.OPEN: "Die Frage ist wieder offen.",
        None: "Ein weiteres Treffen auf Arbeitsebene brachte keine neuen Ergebnisse.",
    },
    "en": {
        AgreementStatus.IN_PROGRESS: "Experts from both sides have met for a first round.",
        AgreementStatus.FULFILLED: "The agreement has been implemented, the governments say.",
        AgreementStatus.STALLED: "There has been no progress for months.",
        AgreementStatus.BROKEN: "One side has withdrawn from the agreement.",
        DisputeStatus.NARROWED: "Working-level talks have brought the positions closer.",
        DisputeStatus.RESOLVED: "Both sides have settled the dispute.",
        DisputeStatus.ESCALATED: "The dispute has escalated.",
        DisputeStatus.OPEN: "The question is open again.",
        None: "Another working-level meeting brought no new results.",
    },
}

AND = {"de": "und", "en": "and"}


@dataclass
class ItemDraft:
    item: Item
    stances: list[Stance] = field(default_factory=list)
    updates: list[ItemUpdate] = field(default_factory=list)


@dataclass
class SummitDraft:
    summit: Summit
    participant_ids: list[int]
    topic_ids: list[int]
    items: list[ItemDraft]


class Command(BaseCommand):
    help = (
        "Creates N published summits with items, stances and follow-ups for scale tests, "
        "with bulk inserts. Slugs start with “bulk-”; running it again adds N more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--summits", type=int, required=True, help="How many summits.")
        parser.add_argument(
            "--seed", type=int, default=0, help="Seed of the random content (default 0)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Summits per INSERT statement."
        )
        parser.add_argument(
            "--items",
            type=int,
            default=None,
            help=(
                "Items per summit, about two thirds of them agreements (default: 3 to 8, "
                "drawn at random)."
            ),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "Processes that write the articles while this one stores them "
                "(default: one per CPU but one, at least one, when there is more than one "
                "batch; 0: none)."
            ),
        )

    def handle(self, *args, summits, seed, batch_size, items, workers, **options):
        if summits < 0 or batch_size < 1:
            raise CommandError("--summits must be at least 0 and --batch-size at least 1.")
        if items is not None and items < 1:
            raise CommandError(f"--items must be at least 1, not {items}.")
        if workers is None:
            # This process stores while the others write ahead, so it keeps a CPU of its own.
            workers = max(1, (os.cpu_count() or 1) - 1) if summits > batch_size else 0
        started, cpu_started = time.perf_counter(), cpu_seconds()
        with transaction.atomic():
            participants = participant_pool()
            topics = topic_pool()
        first = next_number()
        batches = [
            (
                seed,
                range(first + offset, first + min(offset + batch_size, summits)),
                participants,
                topics,
                items,
            )
            for offset in range(0, summits, batch_size)
        ]
        rows = Counter()
        for drafts in drafted(batches, workers):
            with transaction.atomic():
                rows.update(store(drafts))
        analyze()
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {summits} summits in {elapsed:.1f} s "
                f"(CPU {cpu:.1f} s, {workers} worker processes): "
                + ", ".join(f"{count} {name}" for name, count in rows.items())
            )
        )


def analyze() -> None:
    """Renews the query planner's statistics of the tables just filled, as after any bulk load.

    Until autovacuum comes round, PostgreSQL would plan with the row counts of the empty tables
    and pass over the indexes the reader pages rely on.
    """
    models = [
        Summit,
        Summit.participants.through,
        Summit.topics.through,
        Item,
        Stance,
        ItemUpdate,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def drafted(batches: list, workers: int) -> Iterator[list["SummitDraft"]]:
    """The drafts of each batch in order, written ahead by `workers` processes if there are any.

    Writing an article (rendering its text is most of the time) needs no database, so it runs
    in parallel with the storing; a few batches ahead at most, to bound the memory.
    """
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(draft_batch, batches)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending = deque()
        for batch in batches:
            pending.append(pool.apply_async(draft_batch, (batch,)))
            if len(pending) > workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def draft_batch(batch) -> list["SummitDraft"]:
    seed, numbers, participants, topics, items = batch
    return [draft_summit(seed, number, participants, topics, items) for number in numbers]


def participant_pool() -> list[tuple[int, str, int, int, str]]:
    """The leaders as (id, short name, in office from, until, country), named in English and
    in German."""
    pool = []
    for name, short_name, role, country, start, end in LEADERS:
        participant, _ = Participant.objects.language("en").get_or_create(
            slug=slugify(name), defaults={"name": name, "role": role, "country": country}
        )
        german_role = GERMAN_ROLES_OF.get(name, GERMAN_ROLES[role])
        add_missing_translations(
            participant, {"de": {"name": GERMAN_NAMES.get(name, name), "role": german_role}}
        )
        pool.append((participant.pk, short_name, start, end, country))
    return pool


def topic_pool() -> dict[str, tuple[int, str, str]]:
    """Each topic slug's id and its name in German and English running text."""
    pool = {}
    for slug, name, german, english in TOPICS:
        topic, _ = Topic.objects.language("en").get_or_create(slug=slug, defaults={"name": name})
        add_missing_translations(topic, {"de": {"name": german}})
        pool[slug] = (topic.pk, german, english)
    return pool


def next_number() -> int:
    """One past the highest number of an earlier run's summits, so that slugs never clash."""
    numbers = [
        int(match.group(1))
        for slug in Summit.objects.filter(slug__startswith=SLUG_PREFIX).values_list(
            "slug", flat=True
        )
        if (match := BULK_SLUG.match(slug))
    ]
    return max(numbers, default=0) + 1


def draft_summit(seed: int, number: int, participants, topics, item_count=None) -> SummitDraft:
    """Summit `number` of the run with this seed, with its items (`item_count` if given), unsaved.

    Each summit has its own random generator, so that it comes out the same whatever the
    batch size, and a second run continues with new content.
    """
    rng = random.Random(f"{seed}:{number}")
    language = "de" if rng.random() < 0.55 else "en"
    city_de, city_en, venue, country = rng.choice(PLACES)
    city = city_de if language == "de" else city_en
    start_date = FIRST_DATE + datetime.timedelta(days=rng.randrange((LAST_DATE - FIRST_DATE).days))
    end_date = None if rng.random() < 0.5 else start_date + datetime.timedelta(rng.randint(1, 2))
    last_day = end_date or start_date
    publish_at = min(
        datetime.datetime(
            last_day.year,
            last_day.month,
            last_day.day,
            rng.randint(15, 21),
            rng.choice([0, 15, 30, 45]),
            tzinfo=datetime.UTC,
        ),
        timezone.now() - datetime.timedelta(minutes=1),
    )

    leaders = draw_leaders(rng, participants, start_date.year)
    sides = [short_name for _, short_name, *_ in leaders]
    kinds = draw_kinds(rng, item_count)
    subjects = draw_subjects(rng, kinds, item_count)
    agreement_subject = subjects[0]
    # Only a single item (--items 1) leaves no dispute for the title to name.
    dispute_subject = subjects[kinds.index(ItemKind.DISPUTE) if ItemKind.DISPUTE in kinds else -1]

    def topic_text(subject):
        _, german, english = topics[subject.topic]
        return german if language == "de" else english

    words = {
        "names": join_names(sides, language),
        "a": sides[0],
        "b": sides[1],
        "city": city,
        "venue": venue,
        "year": start_date.year,
        "agreement": agreement_subject.agreement_title[language],
        "agreement_topic": topic_text(agreement_subject),
        "dispute_topic": topic_text(dispute_subject),
        "count": count_word(language, kinds.count(ItemKind.AGREEMENT)),
        "count_capital": count_word(language, kinds.count(ItemKind.AGREEMENT)).capitalize(),
        "topic": topic_text(rng.choice(subjects)),
    }
    title = rng.choice(TITLES[language]).format(**words)
    summit = Summit(
        title=title[:200],
        slug=f"{SLUG_PREFIX}{number:06d}-{slugify(city_en)}-{start_date.year}",
        teaser=rng.choice(TEASERS[language]).format(**words),
        language=language,
        city=city,
        venue=venue,
        country=country,
        start_date=start_date,
        end_date=end_date,
        credit_line=rng.choice(CREDIT_LINES[language]),
        status=SummitStatus.PUBLISHED,
        publish_at=publish_at,
        first_published_at=publish_at,
    )

    passages = []
    items = []
    positions = Counter()
    summaries = {kind: rng.sample(SUMMARIES[kind][language], 3) for kind in ItemKind}
    for kind, subject, part in zip(kinds, subjects, parts(kinds, subjects), strict=True):
        a, b = rng.sample(sides, 2)
        item_title, passage = wording(subject, kind, language, part)
        passages.append((item_title, passage.format(a=a, b=b)))
        positions[kind] += 1
        items.append(
            Item(
                kind=kind,
                position=positions[kind],
                title=item_title,
                summary=sanitize_summary(
                    summaries[kind][positions[kind] % 3].format(**words | {"a": a, "b": b})
                ),
                topic_id=topics[subject.topic][0],
            )
        )

    summit.body = sanitize_article(article(rng, language, words, passages))
    summit.body_text = annotate.html_to_text(summit.body)
    drafts = []
    for item, (_, passage) in zip(items, passages, strict=True):
        item.quote = passage
        item.anchor(summit.body_text)
        drafts.append(follow_ups(rng, item, language, words, leaders, last_day))

    topic_ids = list(dict.fromkeys(item.topic_id for item in items))[: rng.randint(1, 3)]
    return SummitDraft(summit, [pk for pk, *_ in leaders], topic_ids, drafts)


def draw_kinds(rng, items: int | None) -> list[ItemKind]:
    """The kind of each item, agreements first: `items` of them, or a few drawn at random.

    Without --items the draws are the ones a seed has always made, so that its summits stay
    the same; a fixed number needs no draw.
    """
    if items is None:
        return [ItemKind.AGREEMENT] * rng.randint(2, 5) + [ItemKind.DISPUTE] * rng.randint(1, 3)
    # Both kinds as soon as there are two items, as a summit's readers expect to see.
    agreements = min(max(1, round(items * AGREEMENT_SHARE)), items - 1) if items > 1 else 1
    return [ItemKind.AGREEMENT] * agreements + [ItemKind.DISPUTE] * (items - agreements)


def draw_subjects(rng, kinds: list[ItemKind], items: int | None) -> list[Subject]:
    """The subject of each item.

    A summit's few items have a subject each. Many more (--items) draw each kind's subjects
    apart, since a subject has a passage of each kind, and come round to the same subject
    again only when a kind has more items than there are subjects.
    """
    if items is None:
        return rng.sample(SUBJECTS, len(kinds))
    drawn = {kind: iter(rounds_of_subjects(rng, kinds.count(kind))) for kind in ItemKind}
    return [next(drawn[kind]) for kind in kinds]


def rounds_of_subjects(rng, count: int) -> list[Subject]:
    """`count` subjects, none again before every one has come once."""
    subjects = []
    while len(subjects) < count:
        subjects += rng.sample(SUBJECTS, min(len(SUBJECTS), count - len(subjects)))
    return subjects


def parts(kinds: list[ItemKind], subjects: list[Subject]) -> list[int | None]:
    """Each item's part number when its kind has its subject more than once, else None.

    The same passage twice in an article would leave its items no exact place to anchor to.
    """
    keys = [(kind, subject.topic) for kind, subject in zip(kinds, subjects, strict=True)]
    totals, seen, numbers = Counter(keys), Counter(), []
    for key in keys:
        seen[key] += 1
        numbers.append(seen[key] if totals[key] > 1 else None)
    return numbers


def wording(subject: Subject, kind: ItemKind, language: str, part: int | None) -> tuple[str, str]:
    """An item's title and passage (the sides still {a} and {b}), numbered if it is a part.

    The number goes at the end of both, so that no part's passage holds another's whole.
    """
    if kind == ItemKind.AGREEMENT:
        title, passage = subject.agreement_title[language], subject.agreement_passage[language]
    else:
        title, passage = subject.dispute_title[language], subject.dispute_passage[language]
    if part is None:
        return title, passage
    label = PART[language].format(number=part)
    return f"{title} ({label})", f"{passage} ({label})"


def count_word(language: str, count: int) -> str:
    """A count in words, as news copy spells small numbers, in digits beyond the words known."""
    words = COUNT_WORDS[language]
    return words[count] if count < len(words) else str(count)


def draw_leaders(rng, participants, year):
    """Two to four leaders of different countries in office in `year`."""
    in_office = [leader for leader in participants if leader[2] <= year <= leader[3]]
    rng.shuffle(in_office)
    chosen, countries = [], set()
    wanted = rng.choice([2, 2, 2, 3, 4])
    for leader in in_office:
        if leader[4] not in countries:
            chosen.append(leader)
            countries.add(leader[4])
        if len(chosen) == wanted:
            break
    return chosen


def join_names(names: list[str], language: str) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {AND[language]} {names[-1]}"


@dataclass
class Paragraph:
    heading: str | None
    sentences: list[str]


def article(rng, language: str, words: dict, passages: list[tuple[str, str]]) -> str:
    """An article of 300 to 800 words: an intro, then a paragraph around each passage."""
    target = rng.randint(300, 800)
    fillers = filler_sentences(rng, language, words)
    intro = rng.choice(INTROS[language]).format(**words)
    paragraphs = [
        Paragraph(
            None,
            [
                f"<strong>{escape(words['city'])}.</strong> {escape(intro)}",
                *(next(fillers) for _ in range(rng.randint(1, 3))),
            ],
        )
    ]
    for title, passage in passages:
        lead = rng.choice(PASSAGE_LEADS[language])
        passage = escape(passage)
        if rng.random() < 0.2:
            # Some passages cross inline markup, as an editor's emphasis would.
            head, _, last = passage.rpartition(" ")
            passage = f"{head} <em>{last}</em>"
        sentences = [next(fillers) for _ in range(rng.randint(0, 2))]
        sentences.insert(rng.randint(0, len(sentences)), f"{lead} {passage}.".lstrip())
        paragraphs.append(Paragraph(title if rng.random() < 0.4 else None, sentences))
    count = sum(
        len(sentence.split()) for paragraph in paragraphs for sentence in paragraph.sentences
    )
    while count < target:
        sentence = next(fillers)
        count += len(sentence.split())
        paragraph = rng.choice(paragraphs)
        if len(paragraph.sentences) < 6:
            paragraph.sentences.append(sentence)
        else:
            paragraphs.insert(rng.randint(1, len(paragraphs)), Paragraph(None, [sentence]))
    parts = []
    for paragraph in paragraphs:
        if paragraph.heading:
            parts.append(f"<h2>{escape(paragraph.heading)}</h2>")
        parts.append(f"<p>{' '.join(paragraph.sentences)}</p>")
    return "\n".join(parts)


def filler_sentences(rng, language: str, words: dict) -> Iterator[str]:
    """Sentences around the passages, escaped, none repeated before all have been used."""
    fixed = [template.format(**words) for template in FILLERS[language]]
    speakers = [template.format(**words) for template in SPEAKERS[language]]
    statements = [template.format(**words) for template in STATEMENTS[language]]
    while True:
        rng.shuffle(fixed)
        rng.shuffle(statements)
        # About one sentence in four is reported speech, each statement once a round.
        for index, sentence in enumerate(fixed):
            yield escape(sentence)
            if index % 3 == 2 and index // 3 < len(statements):
                yield escape(f"{rng.choice(speakers)} {statements[index // 3]}")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def follow_ups(rng, item: Item, language, words, leaders, since: datetime.date) -> ItemDraft:
    """The item's stances (disputes) and 0–4 dated updates; its status follows the last one."""
    draft = ItemDraft(item)
    if item.kind == ItemKind.DISPUTE:
        for participant_id, *_ in leaders:
            draft.stances.append(
                Stance(
                    item=item,
                    participant_id=participant_id,
                    position=rng.choice(STANCES[language]),
                    quote=rng.choice(STANCE_QUOTES[language]),
                    source_name=PRESS_CONFERENCE[language].format(**words),
                )
            )
    status = INITIAL_STATUS[ItemKind(item.kind)]
    day = since
    for _ in range(rng.randint(0, 4)):
        day += datetime.timedelta(days=rng.randint(7, 400))
        if day > UPDATES_UNTIL or not TRANSITIONS[status]:
            break
        new_status = rng.choice(TRANSITIONS[status])
        draft.updates.append(
            ItemUpdate(
                item=item,
                date=day,
                status=new_status or "",
                note=sanitize_summary(f"<p>{UPDATE_NOTES[language][new_status]}</p>"),
                source_name=rng.choice(UPDATE_SOURCES),
            )
        )
        status = new_status or status
    item.status = status
    return draft


def store(drafts: list[SummitDraft]) -> Counter:
    """Inserts the drafts table by table with bulk inserts, then renders each summit's article.

    The article's highlights link to the items by id, so they are rendered once the items are
    in; services.render_summit() renders and stores them, with the search text (and the
    search vector on PostgreSQL), as an editor's save does. The page parts and list cards are
    left to the first request that shows them.
    """
    summits = Summit.objects.bulk_create([draft.summit for draft in drafts])
    participant_rows = [
        Summit.participants.through(summit_id=summit.pk, participant_id=participant_id)
        for summit, draft in zip(summits, drafts, strict=True)
        for participant_id in draft.participant_ids
    ]
    topic_rows = [
        Summit.topics.through(summit_id=summit.pk, topic_id=topic_id)
        for summit, draft in zip(summits, drafts, strict=True)
        for topic_id in draft.topic_ids
    ]
    Summit.participants.through.objects.bulk_create(participant_rows)
    Summit.topics.through.objects.bulk_create(topic_rows)
    for summit, draft in zip(summits, drafts, strict=True):
        for item_draft in draft.items:
            item_draft.item.summit = summit
    items = Item.objects.bulk_create(
        [item_draft.item for draft in drafts for item_draft in draft.items]
    )
    # Items got their ids above; assigning the item again copies the id into item_id.
    stances = []
    updates = []
    for draft in drafts:
        for item_draft in draft.items:
            for stance in item_draft.stances:
                stance.item = item_draft.item
                stances.append(stance)
            for update in item_draft.updates:
                update.item = item_draft.item
                updates.append(update)
    Stance.objects.bulk_create(stances)
    ItemUpdate.objects.bulk_create(updates)
    for draft in drafts:
        services.render_summit(
            draft.summit,
            sorted(
                (item_draft.item for item_draft in draft.items),
                key=lambda item: (item.kind, item.position),
            ),
            announce=False,
            parts=False,  # rendered by the first request for each: most are never read
        )
    caching.content_changed()
    return Counter(
        {
            "summits": len(summits),
            "items": len(items),
            "stances": len(stances),
            "updates": len(updates),
            "participant links": len(participant_rows),
            "topic links": len(topic_rows),
        }
    )
