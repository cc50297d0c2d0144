"""The summit admin in a real browser: scripts under the CSP, the editor, drag and drop, focus."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from summits.choices import AnchorState, SummitStatus
from summits.models import Agreement, Summit
from tests import factories

pytestmark = pytest.mark.filterwarnings(
    # pytest-playwright 0.10.0's own base_url fixture; nothing the tests can change.
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)

SCREENSHOT = "/tmp/admin-change.png"
BODY_EDITOR = '.field-body .ProseMirror[contenteditable="true"]'
SAVED = re.compile(r"/admin/summits/summit/$")


def open_change_page(page, live_server, summit):
    response = page.goto(live_server.url + reverse("admin:summits_summit_change", args=[summit.pk]))
    # The editors are set up by module scripts, after the page has loaded.
    expect(page.locator(".ProseMirror[contenteditable]").first).to_be_attached()
    return response


def save(page):
    page.locator('input[name="_save"]').click()
    expect(page).to_have_url(SAVED)


def save_and_continue(page):
    with page.expect_navigation():
        page.locator('input[name="_continue"]').click()


def put_caret_at_end(editor):
    # A click plus Ctrl+End raced the editor: ProseMirror learns of a moved caret only from a
    # later "selectionchange" task, and on a loaded machine that sometimes never came in time.
    # The Tiptap editor hangs on its element: ask it to focus its end, then wait until its own
    # selection is there, so that the keys typed next land at the end.
    editor.evaluate("element => element.editor.commands.focus('end')")
    editor.page.wait_for_function(
        """element => {
            const state = element.editor.state;
            const end = state.selection.constructor.atEnd(state.doc);
            return state.selection.empty && state.selection.to === end.to;
        }""",
        arg=editor.element_handle(),
        timeout=5000,
    )


def drag_row_above(page, row, target):
    """Drag an inline row by its header (sortable2's handle) above another row, step by step.

    Locator.drag_to failed now and then in CI. The second row's header sat some 3,700 px down
    the page, below a 2,000 px window: Playwright scrolled the page in mid-drag and Sortable.js
    lost the drop. Here the window is as tall as the page, so nothing scrolls, and each phase
    waits until Sortable shows that it has taken the one before (it takes a native drag as
    started only on the task after "dragstart").
    """
    # Handles, not locators: `rows.nth(1)` names another row once the rows have swapped.
    row, target = row.element_handle(), target.element_handle()
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    handle = row.query_selector("h3").bounding_box()
    goal = target.query_selector("h3").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 5)
    # Sortable gives the dragged row its ghost class once it takes the drag as started.
    page.wait_for_function("row => row.classList.contains('sortable-ghost')", arg=row)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 4, steps=10)
    # Sortable moves the row in the page as soon as it sees it over the target.
    page.wait_for_function(
        "([row, target]) => row.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING",
        arg=[row, target],
    )
    page.mouse.up()
    page.wait_for_function("row => !row.classList.contains('sortable-ghost')", arg=row)


def agreement_rows(page):
    # The inline's last row is the hidden template "Add another" copies; it is no agreement.
    return page.locator("#items-group .inline-related:not(.empty-form)")


def test_change_page_runs_under_the_csp_and_the_article_editor_saves_typed_text(
    editor_page, live_server, browser_errors
):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    factories.DisputeFactory(summit=summit, quote=factories.PASSAGES[3])
    page = editor_page
    response = open_change_page(page, live_server, summit)
    # The page is served under the project's policy: scripts need the nonce, no 'unsafe-inline'.
    policy = response.header_value("Content-Security-Policy")
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy

    editor = page.locator(BODY_EDITOR)
    expect(editor).to_have_count(1)
    expect(editor).to_contain_text("Two heads of state met")
    put_caret_at_end(editor)
    page.keyboard.press("Enter")
    page.keyboard.type("Typed in ")
    page.keyboard.press("Control+B")
    page.keyboard.type("the browser")
    page.keyboard.press("Control+B")
    page.keyboard.type(".")
    # Nothing failed to load or run, not even a 404 of a script or stylesheet.
    assert browser_errors.console == []
    browser_errors.assert_clean()
    save(page)

    summit.refresh_from_db()
    assert summit.body.startswith("<p>Two heads of state met")
    assert summit.body.endswith("<p>Typed in <strong>the browser</strong>.</p>")
    assert "Typed in the browser." in summit.body_text
    # The editor's own markup (classes, contenteditable) never reaches the database.
    assert "class=" not in summit.body and "contenteditable" not in summit.body


def test_dragging_an_agreement_above_another_swaps_their_positions(editor_page, live_server):
    summit = factories.SummitFactory()
    first = factories.ItemFactory(
        summit=summit, position=1, title="First", quote="discuss cybersecurity"
    )
    second = factories.ItemFactory(
        summit=summit, position=2, title="Second", quote="a dialogue on strategic stability"
    )
    page = editor_page
    open_change_page(page, live_server, summit)
    rows = agreement_rows(page)
    expect(rows.locator(".inline_label")).to_contain_text(["First", "Second"])

    drag_row_above(page, rows.nth(1), rows.nth(0))

    expect(rows.locator(".inline_label")).to_contain_text(["Second", "First"])
    save(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_agreements_can_be_reordered_with_the_keyboard(editor_page, live_server):
    summit = factories.SummitFactory()
    first = factories.ItemFactory(
        summit=summit, position=1, title="First", quote="discuss cybersecurity"
    )
    second = factories.ItemFactory(
        summit=summit, position=2, title="Second", quote="a dialogue on strategic stability"
    )
    page = editor_page
    open_change_page(page, live_server, summit)
    rows = agreement_rows(page)
    to_last = rows.nth(0).locator(".sort i.move-end")
    expect(to_last).to_have_attribute("tabindex", "0")

    to_last.focus()
    page.keyboard.press("Enter")

    expect(rows.locator(".inline_label")).to_contain_text(["Second", "First"])
    save(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_an_added_agreement_is_anchored_and_a_passage_not_in_the_article_is_refused(
    editor_page, live_server
):
    summit = factories.SummitFactory()
    page = editor_page
    open_change_page(page, live_server, summit)

    page.get_by_role("button", name="Add another Agreement").click()
    row = agreement_rows(page).last
    row.get_by_label("Title").fill("Ambassadors return")
    row.get_by_label("Passage").fill("ambassadors would return to their posts")
    save_and_continue(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    agreement = Agreement.objects.get(summit=summit)
    assert agreement.title == "Ambassadors return"
    assert agreement.anchor_state == AnchorState.ANCHORED
    expect(agreement_rows(page).first).to_contain_text("Anchored")

    page.get_by_role("button", name="Add another Agreement").click()
    row = agreement_rows(page).last
    row.get_by_label("Title").fill("Invented")
    row.get_by_label("Passage").fill("words nobody ever wrote")
    save_and_continue(page)

    expect(page.locator(".errornote")).to_be_visible()
    expect(row.locator(".errorlist")).to_contain_text("This passage is not in the article")
    assert list(Agreement.objects.filter(summit=summit).values_list("title", flat=True)) == [
        "Ambassadors return"
    ]


def test_reporter_may_only_submit_a_draft_and_only_view_an_archived_summit(
    reporter_page, live_server
):
    page = reporter_page
    open_change_page(page, live_server, factories.SummitFactory())
    expect(page.locator(".workflow-bar input[type=submit]")).to_have_count(1)
    expect(page.locator(".workflow-bar input[type=submit]")).to_have_value("Submit for review")
    expect(page.locator("#id_status, #id_publish_at_0")).to_have_count(0)

    archived = factories.SummitFactory(status=SummitStatus.ARCHIVED)
    page.goto(live_server.url + reverse("admin:summits_summit_change", args=[archived.pk]))
    expect(page.locator("h1")).to_have_text("View summit")
    expect(page.locator('input[type="submit"]')).to_have_count(0)
    expect(page.locator('[contenteditable="true"], textarea, input[type="text"]')).to_have_count(0)


def test_reporter_edits_a_live_summit_in_its_draft_and_submits_it_for_review(
    reporter_page, live_server
):
    page = reporter_page
    published = factories.PublishedSummitFactory(title="Live headline")
    open_change_page(page, live_server, published)
    expect(page.locator(".workflow-notice")).to_contain_text("This summit is live.")
    expect(page.locator('input[name="_publish_changes"]')).to_have_count(0)
    page.locator("#id_title").fill("A reporter's headline")

    with page.expect_navigation():
        page.locator('input[name="_submit"]').click()

    published.refresh_from_db()
    assert (published.status, published.title) == (SummitStatus.PUBLISHED, "Live headline")
    assert published.working_draft.status == SummitStatus.REVIEW
    expect(page.locator(".messagelist")).to_contain_text("wait for review")


def test_an_editor_publishes_the_changes_of_a_live_summit_and_readers_see_them_at_once(
    editor_page, live_server, api
):
    page = editor_page
    live = factories.PublishedSummitFactory(title="Live headline", slug="geneva")
    item = factories.ItemFactory(summit=live, title="Ambassadors", quote=factories.PASSAGES[0])
    reader = page.context.new_page()
    article = live_server.url + live.get_absolute_url()
    entry = f"/api/v1/summits/{live.slug}/"
    feed = reverse("summits:feed")
    poll_from = timezone.now().isoformat()

    open_change_page(page, live_server, live)
    page.locator("#id_title").fill("Edited headline")
    page.locator("#id_items-0-title").fill("Ambassadors go back")
    save_and_continue(page)
    expect(page.locator(".workflow-notice")).to_contain_text("working draft of a live summit")
    reader.goto(article)
    expect(reader.locator("h1")).to_have_text("Live headline")
    assert api.get(entry).json()["title"] == "Live headline"
    assert "Edited headline" not in Client().get(feed).content.decode()
    assert api.get("/api/v1/summits/", {"updated_since": poll_from}).json()["results"] == []

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator('input[name="_publish_changes"]').click()

    expect(page.locator(".messagelist")).to_contain_text("The changes are live.")
    # A reload revalidates: the page's own minute of max-age is for readers' caches.
    reader.reload()
    expect(reader.locator("h1")).to_have_text("Edited headline")
    expect(reader.locator(f"#item-{item.pk}")).to_contain_text("Ambassadors go back")
    published = api.get(entry).json()
    assert published["title"] == "Edited headline"
    assert [row["id"] for row in published["items"]] == [item.pk]
    assert "Edited headline" in Client().get(feed).content.decode()
    # The partner's incremental sync sees the summit change once.
    changed = api.get("/api/v1/summits/", {"updated_since": poll_from}).json()["results"]
    assert [row["slug"] for row in changed] == [live.slug]


def test_the_live_preview_shows_unsaved_edits_beside_the_form_and_saves_nothing(
    editor_page, live_server, browser_errors
):
    page = editor_page
    live = factories.PublishedSummitFactory(title="Live headline")
    item = factories.ItemFactory(summit=live, title="Ambassadors", quote=factories.PASSAGES[0])
    open_change_page(page, live_server, live)

    page.locator(".live-preview-open-button").first.click()
    preview = page.frame_locator(".live-preview-frame")
    expect(preview.locator("h1")).to_have_text("Live headline")
    expect(preview.locator(f"mark#passage-{item.pk}")).to_be_visible()
    # Edits reach the preview by themselves shortly after typing stops.
    page.locator("#id_title").fill("Headline being written")
    page.locator("#id_items-0-title").fill("Ambassadors go back")
    expect(preview.locator("h1")).to_have_text("Headline being written")
    expect(preview.locator(f"#item-{item.pk}")).to_contain_text("Ambassadors go back")
    expect(page.locator(".live-preview-status")).to_contain_text("nothing was saved")
    # A note's number in the article scrolls to the note within the preview.
    # Clicked from the admin's page: the frame runs no scripts, Playwright's included.
    page.locator(".live-preview-frame").evaluate(
        "(frame, pk) => frame.contentDocument.querySelector(`a[href='#item-${pk}']`).click()",
        item.pk,
    )
    note = preview.locator(f"#item-{item.pk}")
    expect(note).to_be_in_viewport()
    expect(page).to_have_url(re.compile(r"/change/$"))
    # The page in the frame is styled (its stylesheets load under the admin's policy).
    styled = "frame => getComputedStyle(frame.contentDocument.body).fontFamily"
    assert "Times" not in page.locator(".live-preview-frame").evaluate(styled)
    assert browser_errors.console == []

    live.refresh_from_db()
    assert live.title == "Live headline"
    assert not Summit.objects.filter(draft_of=live).exists()


def test_an_editor_schedules_a_summit_with_the_picker_and_it_goes_live_then(
    editor_page, live_server
):
    page = editor_page
    summit = factories.SummitFactory(title="Summit for tomorrow")
    open_change_page(page, live_server, summit)
    when = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_publish_at_0").fill(when.strftime("%Y-%m-%d"))
    # The admin's clock picker: "Noon" sets the time field.
    page.locator(".workflow-schedule .clock-icon").click()
    page.locator(".clockbox:visible a", has_text="Noon").click()
    expect(page.locator("#id_publish_at_1")).to_have_value(re.compile(r"^12:00"))

    with page.expect_navigation():
        page.locator('input[name="_schedule"]').click()

    expect(page.locator(".workflow-state")).to_contain_text(
        f"goes live {when.day} {when.strftime('%b')}, 12:00"
    )
    summit.refresh_from_db()
    assert summit.status == SummitStatus.PUBLISHED and not summit.is_live


def test_save_button_is_reached_with_tab_and_shows_focus(editor_page, live_server):
    summit = factories.SummitFactory()
    factories.ItemFactory(summit=summit, quote=factories.PASSAGES[0])
    page = editor_page
    open_change_page(page, live_server, summit)
    save_button = page.locator('input[name="_save"]')

    for _ in range(200):  # about 80 stops with one agreement; a trap would exhaust this
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "_save":
            break
    expect(save_button).to_be_focused()
    expect(save_button).to_be_in_viewport()
    assert save_button.evaluate("button => button.matches(':focus-visible')")
    outline = save_button.evaluate("button => getComputedStyle(button).outlineStyle")
    assert outline != "none"


def test_demo_summit_page_lists_agreements_and_disputes_apart_with_anchor_states(
    editor_page, live_server
):
    call_command("seed_demo", stdout=io.StringIO())
    summit = Summit.objects.get(slug="geneva-summit-2021")
    page = editor_page
    open_change_page(page, live_server, summit)

    agreements, disputes = page.locator("#items-group"), page.locator("#items-2-group")
    expect(agreements.locator("h2")).to_have_text("Agreements")
    expect(disputes.locator("h2")).to_have_text("Disputes")
    expect(agreements.locator(".inline-related.has_original")).to_have_count(3)
    expect(disputes.locator(".inline-related.has_original")).to_have_count(2)
    expect(page.locator(".has_original .field-anchor .readonly")).to_have_text(["✓ Anchored"] * 5)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_stances_and_follow_ups_are_added_in_the_items_row_of_the_summit_page(
    editor_page, live_server
):
    summit = factories.SummitFactory()
    summit.participants.add(factories.ParticipantFactory(name="Leader A"))
    summit.participants.add(factories.ParticipantFactory(name="Leader B"))
    factories.DisputeFactory(summit=summit, title="Human rights", quote=factories.PASSAGES[3])
    page = editor_page
    open_change_page(page, live_server, summit)

    fold = page.locator("#items-2-group .inline-related.has_original details.nested-rows")
    expect(fold).not_to_have_attribute("open", "")
    fold.locator("summary").click()
    fold.get_by_role("button", name="Add a stance").click()
    stance = fold.locator(".nested-row").last
    stance.get_by_label("Participant").select_option(label="Leader A")
    stance.get_by_label("Position").fill("Calls the matter internal.")
    fold.get_by_role("button", name="Add a follow-up update").click()
    update = fold.locator(".nested-formset").nth(1).locator(".nested-row").last
    update.get_by_label("Date").fill("2021-09-01")
    update.get_by_label("Status").select_option("narrowed")
    note = update.locator(".ProseMirror[contenteditable]")
    note.click()
    page.keyboard.type("A working group met.")
    # A dispute added in the same save gets its stance too.
    page.get_by_role("button", name="Add another Dispute").click()
    new = page.locator("#items-2-group .inline-related:not(.empty-form)").last
    new.get_by_label("Title").fill("Cyber")
    new.get_by_label("Passage").fill(factories.PASSAGES[2])
    new.locator("details.nested-rows summary").click()
    new.get_by_role("button", name="Add a stance").click()
    new.locator(".nested-row").last.get_by_label("Participant").select_option(label="Leader B")
    new.locator(".nested-row").last.get_by_label("Position").fill("Denies any attack.")
    save_and_continue(page)

    expect(page.locator(".messagelist .success")).to_be_visible()
    disputes = {item.title: item for item in summit.items.all()}
    rights, cyber = disputes["Human rights"], disputes["Cyber"]
    assert [(str(s.participant), s.position) for s in rights.stances.all()] == [
        ("Leader A", "Calls the matter internal.")
    ]
    assert [u.note for u in rights.updates.all()] == ["<p>A working group met.</p>"]
    assert rights.status == "narrowed"
    assert [(str(s.participant), s.position) for s in cyber.stances.all()] == [
        ("Leader B", "Denies any attack.")
    ]
    # Folded again after the save, saying what each holds.
    expect(page.locator("#items-2-group details.nested-rows summary").first).to_have_text(
        re.compile(r"Stances: 1 · Follow-up updates: 1")
    )


def test_the_participant_popup_link_and_the_spell_checking_follow_the_summits_language(
    editor_page, live_server
):
    summit = factories.SummitFactory(language="de")
    page = editor_page
    open_change_page(page, live_server, summit)

    add = page.locator("#add_id_participants")
    expect(add).to_have_attribute("href", re.compile(r"[?&]language=de(&|$)"))
    expect(page.locator(BODY_EDITOR)).to_have_attribute("lang", "de")
    expect(page.locator(BODY_EDITOR)).to_have_attribute("spellcheck", "true")
    page.locator("#id_language").select_option("en")
    expect(add).to_have_attribute("href", re.compile(r"[?&]language=en(&|$)"))
    expect(page.locator(BODY_EDITOR)).to_have_attribute("lang", "en")
