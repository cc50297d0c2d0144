"""The Geneva summit of Joe Biden and Vladimir Putin, 16 June 2021: a German article and its
English translation, with what was agreed and disputed and what became of it."""

import datetime
from zoneinfo import ZoneInfo

from summits.choices import AgreementStatus, DisputeStatus, ItemKind

from .records import (
    DemoCorrection,
    DemoItem,
    DemoParticipant,
    DemoStance,
    DemoSummit,
    DemoTopic,
    DemoUpdate,
    article,
)

BERLIN = ZoneInfo("Europe/Berlin")
SUMMIT_DATE = datetime.date(2021, 6, 16)

PARTICIPANTS = (
    DemoParticipant(
        "joe-biden",
        name={"en": "Joe Biden", "de": "Joe Biden"},
        role={"en": "President of the United States", "de": "Präsident der Vereinigten Staaten"},
        country="US",
        wikidata_id="Q6279",
    ),
    DemoParticipant(
        "vladimir-putin",
        name={"en": "Vladimir Putin", "de": "Wladimir Putin"},
        role={
            "en": "President of the Russian Federation",
            "de": "Präsident der Russischen Föderation",
        },
        country="RU",
        wikidata_id="Q7747",
    ),
)

TOPICS = (
    DemoTopic("diplomacy", {"en": "Diplomacy", "de": "Diplomatie"}),
    DemoTopic("arms-control", {"en": "Arms control", "de": "Rüstungskontrolle"}),
    DemoTopic("cybersecurity", {"en": "Cybersecurity", "de": "Cybersicherheit"}),
    DemoTopic("human-rights", {"en": "Human rights", "de": "Menschenrechte"}),
    DemoTopic("rule-of-law", {"en": "Rule of law", "de": "Rechtsstaatlichkeit"}),
)

PRESS_CONFERENCE_DE = "Pressekonferenz in Genf, 16. Juni 2021"
PRESS_CONFERENCE_EN = "Press conference in Geneva, 16 June 2021"

# The cyber channel was never formally closed; it went quiet with the invasion of Ukraine,
# so its stalling is dated to the day the invasion began.
INVASION_DATE = datetime.date(2022, 2, 24)

GERMAN = DemoSummit(
    slug="gipfel-genf-2021",
    language="de",
    title="Biden und Putin in Genf: Gespräche vereinbart, Streit über Menschenrechte bleibt",
    teaser=(
        "Beim ersten Treffen seit Bidens Amtsantritt verständigen sich die Präsidenten der USA "
        "und Russlands auf die Rückkehr ihrer Botschafter und auf Gespräche über "
        "Rüstungskontrolle und Cybersicherheit. Beim Fall Nawalny und bei den Menschenrechten "
        "bleiben sie uneins."
    ),
    credit_line="Von Katrin Albrecht, mit Material von dpa und Reuters",
    body=article("gipfel-genf-2021.de.html"),
    city="Genf",
    venue="Villa La Grange",
    country="CH",
    start_date=SUMMIT_DATE,
    publish_at=datetime.datetime(2021, 6, 16, 22, 15, tzinfo=BERLIN),
    participants=("joe-biden", "vladimir-putin"),
    topics=("diplomacy", "arms-control", "cybersecurity", "human-rights", "rule-of-law"),
    items=(
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="diplomacy",
            title="Die Botschafter kehren auf ihre Posten zurück",
            summary=(
                "<p>Die Botschafter Russlands und der USA, die im Frühjahr 2021 abgereist waren, "
                "sollen ihre Arbeit in Washington und Moskau wieder aufnehmen.</p>"
            ),
            quote="dass die Botschafter auf ihre Posten in Washington und Moskau zurückkehren",
            updates=(
                DemoUpdate(
                    datetime.date(2021, 6, 20),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Der russische Botschafter Anatoli Antonow ist nach Washington "
                    "zurückgekehrt.</p>",
                    "Russisches Außenministerium",
                ),
                DemoUpdate(
                    datetime.date(2021, 6, 24),
                    AgreementStatus.FULFILLED,
                    "<p>US-Botschafter John Sullivan ist wieder in Moskau. Damit sind beide "
                    "Botschafter auf ihre Posten zurückgekehrt.</p>",
                    "US-Außenministerium",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="arms-control",
            title="Dialog über strategische Stabilität",
            summary=(
                "<p>Militärexperten und Diplomaten sollen einen Mechanismus erarbeiten, der zur "
                "Kontrolle neuer und hoch entwickelter Waffen führen könnte.</p>"
            ),
            quote="einen bilateralen Dialog über strategische Stabilität beginnen",
            updates=(
                DemoUpdate(
                    datetime.date(2021, 7, 28),
                    AgreementStatus.IN_PROGRESS,
                    "<p>In Genf kommen die Delegationen zur ersten Gesprächsrunde zusammen.</p>",
                    "US-Außenministerium",
                ),
                DemoUpdate(
                    datetime.date(2021, 9, 30),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Die zweite Gesprächsrunde findet statt.</p>",
                    "US-Außenministerium",
                ),
                DemoUpdate(
                    datetime.date(2022, 1, 10),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Vertreter beider Regierungen verhandeln erneut in Genf.</p>",
                    "US-Außenministerium",
                ),
                DemoUpdate(
                    INVASION_DATE,
                    AgreementStatus.BROKEN,
                    "<p>Nach dem russischen Einmarsch in die Ukraine setzen die USA den Dialog "
                    "aus.</p>",
                    "US-Außenministerium",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="cybersecurity",
            title="Konsultationen zur Cybersicherheit",
            summary=(
                "<p>Die Regierungen wollen konkrete Fälle besprechen, tabu erklären, was nicht "
                "angegriffen werden darf, etwa kritische Infrastruktur, und gemeinsam gegen "
                "Ransomware-Gruppen vorgehen.</p>"
            ),
            quote="dass ihre Regierungen Konsultationen zur Cybersicherheit aufnehmen",
            updates=(
                DemoUpdate(
                    datetime.date(2022, 1, 14),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Der russische Geheimdienst FSB meldet die Festnahme von Mitgliedern der "
                    "Ransomware-Gruppe REvil, nach eigenen Angaben auf Ersuchen der USA.</p>",
                    "FSB",
                ),
                DemoUpdate(
                    INVASION_DATE,
                    AgreementStatus.STALLED,
                    "<p>Mit dem Beginn des Kriegs gegen die Ukraine kommt der Austausch über "
                    "Cybersicherheit zum Erliegen.</p>",
                    "Redaktion",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.DISPUTE,
            topic="rule-of-law",
            title="Die Haft von Alexej Nawalny",
            summary=(
                "<p>Putin verteidigt die Inhaftierung des Oppositionspolitikers; Biden zählt "
                "den Fall zu den Menschenrechtsfragen, die Washington weiter ansprechen will.</p>"
            ),
            quote=(
                "Putin verteidigte die Inhaftierung des Oppositionspolitikers Alexej Nawalny. "
                "Der 45-Jährige habe wissentlich gegen russisches Recht verstoßen"
            ),
            stances=(
                DemoStance(
                    "vladimir-putin",
                    "Nawalny sitze zu Recht in Haft: Er habe nach seinem Krankenhausaufenthalt "
                    "in Deutschland die Meldeauflagen seiner Bewährungsstrafe missachtet.",
                    "Nawalny habe gewusst, dass er gegen russisches Recht verstößt.",
                    PRESS_CONFERENCE_DE,
                ),
                DemoStance(
                    "joe-biden",
                    "Die Haft Nawalnys gehört für Biden zu den Menschenrechtsfragen, die die USA "
                    "gegenüber Moskau weiter ansprechen.",
                    "Die USA würden nicht aufhören, Menschenrechtsverletzungen in Russland zur "
                    "Sprache zu bringen.",
                    PRESS_CONFERENCE_DE,
                ),
            ),
            updates=(
                DemoUpdate(
                    datetime.date(2024, 2, 16),
                    DisputeStatus.ESCALATED,
                    "<p>Alexej Nawalny ist in russischer Haft gestorben.</p>",
                    "Russischer Strafvollzugsdienst",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.DISPUTE,
            topic="human-rights",
            title="Menschenrechte in Russland",
            summary=(
                "<p>Biden kündigt an, Menschenrechtsverletzungen in Russland weiter "
                "anzusprechen; Putin verweist auf russisches Recht.</p>"
            ),
            quote=(
                "dass die Vereinigten Staaten Menschenrechtsverletzungen in Russland auch "
                "künftig ansprechen würden"
            ),
            stances=(
                DemoStance(
                    "joe-biden",
                    "Die USA werden Menschenrechtsverletzungen in Russland weiter offen "
                    "ansprechen; das sei kein Angriff auf Russland, sondern die Verteidigung "
                    "demokratischer Werte.",
                    "Eine Agenda gegen Russland habe er nicht, es gehe um demokratische Werte.",
                    PRESS_CONFERENCE_DE,
                ),
                DemoStance(
                    "vladimir-putin",
                    "Putin weist die Kritik zurück und stellt das Vorgehen gegen Oppositionelle "
                    "als Anwendung russischen Rechts dar.",
                    "Wer gegen russische Gesetze verstoße, müsse dafür einstehen.",
                    PRESS_CONFERENCE_DE,
                ),
            ),
        ),
    ),
    corrections=(
        DemoCorrection(
            datetime.datetime(2021, 6, 17, 9, 30, tzinfo=BERLIN),
            "In einer früheren Fassung war der Name des Tagungsorts falsch geschrieben. "
            "Das Treffen fand in der Villa La Grange statt.",
        ),
    ),
)

ENGLISH = DemoSummit(
    slug="geneva-summit-2021",
    language="en",
    original=GERMAN.slug,
    title="Biden and Putin in Geneva: talks agreed, human rights dispute remains",
    teaser=(
        "At their first meeting since Biden took office, the presidents of the United States "
        "and Russia agree to send their ambassadors back and to hold talks on arms control and "
        "cybersecurity. On Navalny and human rights they remain at odds."
    ),
    credit_line="By Katrin Albrecht, with material from dpa and Reuters; translated from German",
    body=article("geneva-summit-2021.en.html"),
    city="Geneva",
    venue="Villa La Grange",
    country="CH",
    start_date=SUMMIT_DATE,
    # The translation went online the morning after the German original.
    publish_at=datetime.datetime(2021, 6, 17, 9, 0, tzinfo=BERLIN),
    participants=GERMAN.participants,
    topics=GERMAN.topics,
    items=(
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="diplomacy",
            title="The ambassadors return to their posts",
            summary=(
                "<p>The Russian and US ambassadors, who went home in spring 2021, are to resume "
                "their work in Washington and Moscow.</p>"
            ),
            quote="the ambassadors will return to their posts in Washington and Moscow",
            updates=(
                DemoUpdate(
                    datetime.date(2021, 6, 20),
                    AgreementStatus.IN_PROGRESS,
                    "<p>The Russian ambassador, Anatoly Antonov, is back in Washington.</p>",
                    "Russian Ministry of Foreign Affairs",
                ),
                DemoUpdate(
                    datetime.date(2021, 6, 24),
                    AgreementStatus.FULFILLED,
                    "<p>The US ambassador, John Sullivan, is back in Moscow, so both ambassadors "
                    "have returned to their posts.</p>",
                    "US Department of State",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="arms-control",
            title="A dialogue on strategic stability",
            summary=(
                "<p>Military experts and diplomats are to work out a mechanism that could lead "
                "to the control of new and sophisticated weapons.</p>"
            ),
            quote="begin a bilateral dialogue on strategic stability",
            updates=(
                DemoUpdate(
                    datetime.date(2021, 7, 28),
                    AgreementStatus.IN_PROGRESS,
                    "<p>The delegations meet in Geneva for the first round of talks.</p>",
                    "US Department of State",
                ),
                DemoUpdate(
                    datetime.date(2021, 9, 30),
                    AgreementStatus.IN_PROGRESS,
                    "<p>The second round of talks takes place.</p>",
                    "US Department of State",
                ),
                DemoUpdate(
                    datetime.date(2022, 1, 10),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Officials of both governments hold talks in Geneva again.</p>",
                    "US Department of State",
                ),
                DemoUpdate(
                    INVASION_DATE,
                    AgreementStatus.BROKEN,
                    "<p>After Russia invades Ukraine, the United States suspends the dialogue.</p>",
                    "US Department of State",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.AGREEMENT,
            topic="cybersecurity",
            title="Consultations on cybersecurity",
            summary=(
                "<p>The governments are to raise specific cases, agree on targets that must be "
                "off limits, such as critical infrastructure, and act against ransomware "
                "groups.</p>"
            ),
            quote="their governments will begin consultations on cybersecurity",
            updates=(
                DemoUpdate(
                    datetime.date(2022, 1, 14),
                    AgreementStatus.IN_PROGRESS,
                    "<p>Russia's FSB security service says it has detained members of the REvil "
                    "ransomware group at the request of the United States.</p>",
                    "FSB",
                ),
                DemoUpdate(
                    INVASION_DATE,
                    AgreementStatus.STALLED,
                    "<p>With the start of the war against Ukraine, the exchange on cybersecurity "
                    "comes to a halt.</p>",
                    "Newsroom",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.DISPUTE,
            topic="rule-of-law",
            title="The imprisonment of Alexei Navalny",
            summary=(
                "<p>Putin defends the opposition politician's imprisonment; Biden counts the "
                "case among the human rights issues Washington will keep raising.</p>"
            ),
            quote=(
                "Putin defended the imprisonment of opposition politician Alexei Navalny. "
                "The 45-year-old had knowingly broken Russian law"
            ),
            stances=(
                DemoStance(
                    "vladimir-putin",
                    "Navalny is rightly in prison: after his hospital stay in Germany he ignored "
                    "the reporting conditions of his suspended sentence.",
                    "He said Navalny had known that he was breaking Russian law.",
                    PRESS_CONFERENCE_EN,
                ),
                DemoStance(
                    "joe-biden",
                    "For Biden, Navalny's imprisonment is one of the human rights issues the "
                    "United States will keep raising with Moscow.",
                    "He said the United States would not stop speaking out about human rights "
                    "violations in Russia.",
                    PRESS_CONFERENCE_EN,
                ),
            ),
            updates=(
                DemoUpdate(
                    datetime.date(2024, 2, 16),
                    DisputeStatus.ESCALATED,
                    "<p>Alexei Navalny has died in a Russian prison.</p>",
                    "Russian Federal Penitentiary Service",
                ),
            ),
        ),
        DemoItem(
            kind=ItemKind.DISPUTE,
            topic="human-rights",
            title="Human rights in Russia",
            summary=(
                "<p>Biden says the United States will keep speaking out about human rights "
                "violations in Russia; Putin points to Russian law.</p>"
            ),
            quote=(
                "the United States would keep speaking out about human rights violations in Russia"
            ),
            stances=(
                DemoStance(
                    "joe-biden",
                    "The United States will keep speaking out about human rights violations in "
                    "Russia; this is not an attack on Russia but a defence of democratic values.",
                    "He said he had no agenda against Russia; this was about democratic values.",
                    PRESS_CONFERENCE_EN,
                ),
                DemoStance(
                    "vladimir-putin",
                    "Putin rejects the criticism and presents the treatment of opposition "
                    "figures as the application of Russian law.",
                    "He said those who break Russian law must answer for it.",
                    PRESS_CONFERENCE_EN,
                ),
            ),
        ),
    ),
)

# The original first, so that the translation can link to it.
SUMMITS = (GERMAN, ENGLISH)
