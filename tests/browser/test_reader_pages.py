"""The reader pages in a real browser: accessibility (axe-core), valid HTML (Nu Html Checker),
small screens, reading without JavaScript, the keyboard and the page language.

axe-core and the Nu Html Checker come from npm (`npm ci` at the repository root, see
package.json); the checker also needs Java. Where one is missing these tests skip, except in CI
(CI=true), where a missing tool is a failure.
"""

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from summits.models import Summit
from summits.previews import make_token

pytestmark = pytest.mark.filterwarnings(
    # pytest-playwright 0.10.0's own base_url fixture; nothing the tests can change.
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Every WCAG 2.0, 2.1 and 2.2 success criterion at levels A and AA that axe-core checks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

GERMAN = "gipfel-genf-2021"
ENGLISH = "geneva-summit-2021"


def pages():
    """The reader pages under test, by name: the list, both articles, the tracker, and the
    states they can be in (a filter refused, nothing found, an editor's preview)."""
    list_url = reverse("summits:list")
    return {
        "list": list_url,
        "German article": reverse("summits:detail", args=[GERMAN]),
        "English article": reverse("summits:detail", args=[ENGLISH]),
        "tracker": reverse("summits:tracker"),
        "list with a refused filter": list_url + "?year=1800&q=Genf",
        "list with no result": list_url + "?q=Atlantis",
        "preview": reverse(
            "summits:signed_preview", args=[make_token(Summit.objects.get(slug=GERMAN))]
        ),
    }


def require(present, reason):
    """Skips a test whose tool is missing; in CI, where the tools are installed, fails it."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def demo(live_server):
    # The live server's database is emptied after each test; seed_demo is quick and idempotent.
    call_command("seed_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def new_context(browser):
    """Browser contexts with options of the test's choosing, closed at the end of the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})""", WCAG_TAGS
    )
    return [
        {
            "rule": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
            "summary": violation["nodes"][0].get("failureSummary", ""),
        }
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_wcag_a_or_aa_violation_on_the_reader_pages(demo, new_context, color_scheme):
    require(AXE.exists(), f"{AXE} is missing: run `npm ci` at the repository root")
    # axe-core is injected as a script: the pages' Content Security Policy would refuse it.
    context = new_context(bypass_csp=True, color_scheme=color_scheme)
    page = context.new_page()
    found = {}
    for name, path in pages().items():
        page.goto(demo.url + path)
        if violations := axe_violations(page):
            found[name] = violations
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)


def test_the_nu_html_checker_finds_no_error_on_the_reader_pages(demo):
    require(VNU.exists(), f"{VNU} is missing: run `npm ci` at the repository root")
    java = shutil.which("java")
    require(java, "java is not installed (the Nu Html Checker needs Java 11 or later)")
    client = Client()
    with tempfile.TemporaryDirectory() as directory:
        files = {}
        for name, path in pages().items():
            response = client.get(path)
            assert response.status_code == 200, name
            file = Path(directory) / (re.sub(r"\W+", "-", name) + ".html")
            file.write_bytes(response.content)
            files[str(file)] = name
        # One run for all pages: the JVM takes seconds to start.
        checker = subprocess.run(
            [java, "-jar", str(VNU), "--errors-only", "--format", "json", *sorted(files)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    report = json.loads(checker.stderr or checker.stdout)
    errors = [
        f"{files.get(message.get('url', '').removeprefix('file:'), message.get('url'))}:"
        f"{message.get('lastLine')}: "
        f"{message['message']} [{message.get('extract', '').strip()}]"
        for message in report["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n".join(errors)
    assert checker.returncode == 0, checker.stderr


def test_nothing_scrolls_sideways_at_320_pixels(demo, new_context):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    for name, path in pages().items():
        page.goto(demo.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{name} is {width}px wide at a 320px viewport"


def test_every_reader_page_names_an_icon_that_loads_and_no_request_fails(demo, page):
    failed = []
    page.on("response", lambda response: response.ok or failed.append(response.url))
    for name, path in pages().items():
        page.goto(demo.url + path)
        icon = page.locator('link[rel="icon"]')
        expect(icon).to_have_count(1)
        fetched = page.evaluate(
            """async href => {
                const response = await fetch(href);
                return [response.status, response.headers.get("Content-Type")];
            }""",
            icon.evaluate("link => link.href"),
        )
        assert fetched[0] == 200 and fetched[1].startswith("image/svg+xml"), (name, fetched)
    # No stylesheet, script or icon answered with an error. (The browser's own icon request may
    # be cut short by the next navigation, so aborted requests are not counted.)
    assert failed == []


def test_highlights_and_notes_link_both_ways_without_javascript(demo, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(demo.url + pages()["German article"])

    reference = page.locator(".article-body .passage-ref").first
    # The kind is said in words, not by colour alone.
    expect(reference).to_contain_text("Vereinbarung: V1")
    item_id = reference.get_attribute("href").removeprefix("#")
    assert re.fullmatch(r"item-\d+", item_id)
    reference.click()
    expect(page).to_have_url(re.compile(f"#{item_id}$"))
    note = page.locator(f"#{item_id}")
    expect(note).to_be_in_viewport()
    # The note reached is visibly marked (:target), not only scrolled to.
    assert note.evaluate("note => getComputedStyle(note).outlineStyle") != "none"

    passage_id = item_id.replace("item-", "passage-")
    note.locator(".back-to-passage").click()
    expect(page).to_have_url(re.compile(f"#{passage_id}$"))
    passage = page.locator(f"#{passage_id}")
    expect(passage).to_be_in_viewport()
    assert passage.evaluate("mark => mark.matches('mark.passage:target')")


def test_the_skip_link_comes_first_and_focused_links_show_a_ring(demo, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(demo.url + pages()["German article"])
    skip = page.locator(".skip-link")
    # Out of sight until focused.
    assert not _on_screen(skip)

    page.keyboard.press("Tab")
    assert skip.evaluate("link => link === document.activeElement")
    expect(skip).to_be_visible()
    assert _on_screen(skip)
    assert _has_focus_ring(skip)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    # The next stops are links of the page, each with a visible focus ring.
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert focused.evaluate("element => element.tagName") == "A"
        assert _has_focus_ring(focused), focused.evaluate("element => element.outerHTML")


def _on_screen(locator):
    box = locator.bounding_box()
    viewport = locator.page.viewport_size
    return (
        box is not None
        and box["width"] > 0
        and box["height"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


def _has_focus_ring(locator):
    style = locator.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return {
                outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
                shadow: style.boxShadow,
            };
        }"""
    )
    return (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"


@pytest.mark.parametrize(
    ("slug", "language", "label", "foreign_label"),
    [
        (GERMAN, "de", "Vereinbarungen", "Agreements"),
        (ENGLISH, "en", "Agreements", "Vereinbarungen"),
    ],
)
def test_the_article_page_is_in_the_language_of_the_summit(
    demo, page, slug, language, label, foreign_label
):
    page.goto(demo.url + reverse("summits:detail", args=[slug]))
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("#agreements-title")).to_have_text(label)
    expect(page.locator("main")).not_to_contain_text(foreign_label)
