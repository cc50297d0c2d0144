"""The editor's journey of issue 12 in real Chromium: the demo summit curated from an empty form
by selecting words only, with stances and a follow-up on the same page; then the article edited,
and the drift and the orphan that follow resolved in place. The test counts what the editor
does (clicks, typing, selections, key presses) and the pages loaded, and prints both."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from summits.choices import AnchorState, ItemKind
from summits.demo import geneva_2021 as demo
from summits.models import Participant, Stance, Summit

pytestmark = pytest.mark.filterwarnings(
    # pytest-playwright 0.10.0's own base_url fixture; nothing the tests can change.
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)

BODY_EDITOR = '.field-body .prose-editor > .ProseMirror[contenteditable="true"]'
# Finds the words in the article editor's text nodes and selects them as a mouse would.
SELECT_WORDS = """([editor, words]) => {
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push([node, text.length]);
        text += node.data;
    }
    const start = text.indexOf(words);
    if (start < 0 || text.indexOf(words, start + 1) >= 0) {
        throw new Error(`not once in the article: ${words}`);
    }
    const at = (offset) => {
        const [node, from] = nodes.filter(([, from]) => from <= offset).pop();
        return [node, offset - from];
    };
    const range = document.createRange();
    range.setStart(...at(start));
    range.setEnd(...at(start + words.length));
    editor.focus();
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


class Editor:
    """The editor at the keyboard: each method is one thing they do, and is counted."""

    def __init__(self, page):
        self.page = page
        self.actions = 0
        self.page_loads = 0
        page.on("load", lambda _page: self._loaded())

    def _loaded(self):
        self.page_loads += 1

    def click(self, locator):
        self.actions += 1
        locator.click()

    def fill(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def choose(self, locator, **option):
        self.actions += 1
        locator.select_option(**option)

    def select_words(self, words):
        """Selects the words in the article, as a drag of the mouse does."""
        self.actions += 1
        editor = self.page.locator(BODY_EDITOR)
        self.page.evaluate(SELECT_WORDS, [editor.element_handle(), words])
        expect(self.page.locator(".anchor-toolbar-status")).to_contain_text(words[:20])

    def type(self, text):
        self.actions += 1
        self.page.keyboard.type(text)

    def pick(self, field_id, name):
        """Picks an option of an autocomplete field (select2): open, type, take it."""
        self.click(self.page.locator(f"#{field_id} + .select2 .select2-selection"))
        self.type(name)
        option = self.page.locator(".select2-results__option", has_text=name)
        self.click(option)

    def paste_article(self, html):
        """Pastes the article into the article editor (one paste)."""
        self.actions += 1
        editor = self.page.locator(BODY_EDITOR)
        editor.click()
        editor.evaluate(
            """(element, html) => {
                const data = new DataTransfer();
                data.setData("text/html", html);
                element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data}));
            }""",
            html,
        )

    def save_and_continue(self):
        with self.page.expect_navigation():
            self.click(self.page.locator('input[name="_continue"]'))


def rows(page, kind):
    group = page.locator(f"fieldset.item-kind-{kind}")
    return group.locator(".inline-related:not(.empty-form)")


def test_an_editor_curates_the_demo_summit_by_selection_and_resolves_a_drift_and_an_orphan(
    editor_page, live_server
):
    call_command("seed_demo", stdout=io.StringIO())  # the participants and topics
    story = demo.GERMAN
    agreements = [item for item in story.items if item.kind == ItemKind.AGREEMENT]
    disputes = [item for item in story.items if item.kind == ItemKind.DISPUTE]
    page = editor_page
    you = Editor(page)
    page.goto(live_server.url + reverse("admin:summits_summit_add"))
    expect(page.locator(BODY_EDITOR)).to_be_attached()

    # The summit's own fields.
    you.fill(page.get_by_label("Headline"), story.title)
    you.choose(page.locator("#id_language"), value="de")
    you.fill(page.get_by_label("City"), story.city)
    you.choose(page.locator("#id_country"), value=story.country)
    you.fill(page.locator("#id_start_date"), story.start_date.isoformat())
    you.pick("id_participants", "Biden")
    you.pick("id_participants", "Putin")
    you.paste_article(story.body)
    expect(page.locator(BODY_EDITOR)).to_contain_text("Villa La Grange")

    # Each item: select its words, make it an agreement or dispute, give it a title.
    for kind, items in (("agreement", agreements), ("dispute", disputes)):
        for item in items:
            you.select_words(item.quote)
            button = "Agreement from selection" if kind == "agreement" else "Dispute from selection"
            you.click(page.get_by_role("button", name=button))
            row = rows(page, kind).last
            expect(row.locator("textarea[name$='-quote']")).to_have_value(item.quote)
            expect(row.get_by_label("Title")).to_be_focused()
            you.type(item.title)

    # A stance on each dispute and a follow-up on the first agreement, in their rows.
    for index, item in enumerate(disputes):
        fold = rows(page, "dispute").nth(index).locator("details.nested-rows")
        you.click(fold.locator("summary"))
        you.click(fold.get_by_role("button", name="Add a stance"))
        stance = fold.locator(".nested-formset").first.locator(".nested-row").last
        participant = Participant.objects.get(slug=item.stances[0].participant)
        you.choose(stance.get_by_label("Participant"), value=str(participant.pk))
        you.fill(stance.get_by_label("Position"), item.stances[0].position)
    follow_up = agreements[0].updates[0]
    fold = rows(page, "agreement").first.locator("details.nested-rows")
    you.click(fold.locator("summary"))
    you.click(fold.get_by_role("button", name="Add a follow-up update"))
    update = fold.locator(".nested-row").last
    you.fill(update.get_by_label("Date"), follow_up.date.isoformat())
    you.choose(update.get_by_label("Status"), value=follow_up.status)
    you.click(update.locator(".ProseMirror[contenteditable]"))
    you.type("Der russische Botschafter ist zurück in Washington.")
    you.save_and_continue()

    assert page.locator(".errorlist").all_inner_texts() == []
    expect(page.locator(".messagelist .success")).to_be_visible()
    summit = Summit.objects.get(pk=re.search(r"/summit/(\d+)/change/", page.url).group(1))
    items = {item.title: item for item in summit.items.all()}
    assert len(items) == 5
    assert {item.anchor_state for item in items.values()} == {AnchorState.ANCHORED}
    for expected in story.items:
        assert items[expected.title].quote == expected.quote
    stances = Stance.objects.filter(item__summit=summit).order_by("item__position")
    assert [stance.position for stance in stances] == [
        item.stances[0].position for item in disputes
    ]
    ambassadors = items[agreements[0].title]
    assert ambassadors.status == follow_up.status
    assert [update.date for update in ambassadors.updates.all()] == [follow_up.date]
    curated = you.actions, you.page_loads

    # The article changes: a word inside one passage (a drift), another passage rewritten
    # (an orphan).
    drifting, orphaning = agreements[0], agreements[2]
    you.select_words("Washington und Moskau zurückkehren")
    you.type("Washington sowie Moskau zurückkehren")
    you.select_words(orphaning.quote)
    you.type("dass beide Regierungen bald über Angriffe aus dem Netz reden")
    you.save_and_continue()

    # The page opens at the first item to look at, and the messages name both.
    assert re.search(r"#anchor-item-\d+$", page.url)
    warnings = page.locator(".messagelist .warning")
    expect(warnings).to_contain_text([drifting.title, orphaning.title])
    drifted = page.locator(".anchor-state.anchor-drifted")
    expect(drifted).to_have_count(1)
    expect(drifted.locator("del")).to_have_text("und")
    expect(drifted.locator("ins")).to_have_text("sowie")
    orphaned = page.locator(".anchor-state.anchor-orphaned")
    expect(orphaned).to_have_count(1)
    expect(orphaned.locator("del")).to_have_text(orphaning.quote)
    page.screenshot(path="/tmp/anchor-problems.png", full_page=True)

    with page.expect_navigation():
        you.click(drifted.get_by_role("button", name="Accept the new passage"))
    expect(page.locator(".anchor-state.anchor-drifted")).to_have_count(0)
    you.select_words("dass beide Regierungen bald über Angriffe aus dem Netz reden")
    you.click(
        page.locator(".anchor-state.anchor-orphaned").get_by_role(
            "button", name="Re-anchor to selection"
        )
    )
    you.save_and_continue()

    items = {item.title: item for item in summit.items.all()}
    assert {item.anchor_state for item in items.values()} == {AnchorState.ANCHORED}
    assert "Washington sowie Moskau" in items[drifting.title].quote
    assert (
        items[orphaning.title].quote
        == "dass beide Regierungen bald über Angriffe aus dem Netz reden"
    )
    expect(
        page.locator(".anchor-state.anchor-drifted, .anchor-state.anchor-orphaned")
    ).to_have_count(0)
    print(
        f"\nJourney: curated in {curated[0]} interactions and {curated[1]} page loads; "
        f"in all, with the drift and the orphan resolved, {you.actions} interactions and "
        f"{you.page_loads} page loads."
    )
