"""The plain renderer of the summit form's rows (summits.formrendering) writes what Django's
and the admin's templates write, escaping included: only faster (issue 12, part 7)."""

import datetime

import pytest
from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse

from summits.admin import SORTABLE_DJANGO
from summits.formrendering import PlainSelect, fieldset_html, plain_renderer
from tests import factories
from tests.admin_forms import form_data

HOSTILE = "a \"quote\" & <b>tag</b> 'apostrophe'"


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="A <em>help</em> text")
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    flag = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": HOSTILE}))
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", HOSTILE), ("Group <1>", [("b", "B"), ("c", "C & D")])],
        required=False,
    )
    plain_choice = forms.ChoiceField(choices=[(1, "One"), (2, "Two")], widget=PlainSelect)
    toggles = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"disabled": True, "readonly": False})
    )


VALUES = [
    {},
    {
        "text": HOSTILE[:20],
        "number": "0",
        "email": "not an address",
        "url": "javascript:alert(1)",
        "day": "2021-06-16",
        "hidden": HOSTILE,
        "secret": HOSTILE,
        "flag": "on",
        "body": HOSTILE,
        "choice": "c",
        "plain_choice": "2",
    },
]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [True, False], ids=["bound", "unbound"])
def test_a_form_rendered_plainly_is_the_form_rendered_by_djangos_templates(data, bound):
    # Widgets, labels, help texts and error lists (as_div's template is the project's).
    initial = {"text": HOSTILE[:20], "day": datetime.date(2021, 6, 16), "flag": True}
    if bound:
        plain, templated = EveryWidget(data, renderer=plain_renderer), EveryWidget(data)
    else:
        plain = EveryWidget(initial=initial, renderer=plain_renderer)
        templated = EveryWidget(initial=initial)
    # Equal as HTML: the templates' whitespace between elements (a blank line after each
    # option) is not written.
    assert parse_html(plain.as_div()) == parse_html(templated.as_div())
    if bound and data:
        assert plain.errors  # the comparison covered error lists
        assert 'class="errorlist"' in str(plain.as_div())


@pytest.mark.parametrize("value", ["", None, "one", "\n  indented\n", HOSTILE])
def test_a_textarea_keeps_its_text_exactly(value):
    # Whitespace inside a textarea is its value: compared as written, not as parsed HTML.
    widget = forms.Textarea(attrs={"rows": 2})
    plain = widget.render("body", value, renderer=plain_renderer)
    assert plain == widget.render("body", value)


def test_the_plain_renderer_hands_other_templates_to_the_projects_renderer():
    widget = forms.CheckboxSelectMultiple(choices=[("a", HOSTILE)])
    assert widget.render("pick", ["a"], renderer=plain_renderer) == widget.render("pick", ["a"])


@pytest.fixture
def summit(db):
    summit = factories.SummitFactory()
    summit.participants.add(factories.ParticipantFactory(name="Leader A"))
    factories.ItemFactory(summit=summit, title=HOSTILE, quote=factories.PASSAGES[0])
    factories.DisputeFactory(summit=summit, title="Human rights", quote=factories.PASSAGES[3])
    return summit


def item_formsets(response):
    return [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix.startswith("items")
    ]


def shown_with_errors(editor_client, summit):
    url = reverse("admin:summits_summit_change", args=[summit.pk])
    data = form_data(editor_client.get(url))
    data["items-0-title"] = ""  # required
    data["items-2-0-quote"] = "words the article does not have"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("errors", [False, True], ids=["as loaded", "with errors"])
def test_item_rows_are_written_as_the_admins_templates_write_them(editor_client, summit, errors):
    url = reverse("admin:summits_summit_change", args=[summit.pk])
    response = shown_with_errors(editor_client, summit) if errors else editor_client.get(url)
    formsets = item_formsets(response)
    assert [formset.formset.prefix for formset in formsets] == ["items", "items-2"]
    compared = 0
    for inline_admin_formset in formsets:
        for form_index, inline_admin_form in enumerate(inline_admin_formset):
            for index, fieldset in enumerate(inline_admin_form):
                templated = render_to_string(
                    "admin/includes/fieldset.html",
                    {
                        "fieldset": fieldset,
                        "heading_level": 4,
                        "prefix": inline_admin_formset.formset.prefix,
                        "id_prefix": form_index,
                        "id_suffix": index,
                    },
                )
                assert parse_html(fieldset_html(fieldset)) == parse_html(templated)
                compared += 1
        # The whole inline: django-admin-sortable2's template against the plugin's.
        context = {"inline_admin_formset": inline_admin_formset}
        ours = render_to_string("admin/summits/edit_inline/items.html", context)
        theirs = render_to_string(
            f"adminsortable2/edit_inline/stacked-django-{SORTABLE_DJANGO}.html", context
        )
        assert parse_html(ours) == parse_html(theirs)
    assert compared >= 4  # two rows and an empty row each, at the least
    if errors:
        page = response.content.decode()
        assert "This field is required." in page and 'class="errorlist' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "filterset"),
    [("summits:list", "SummitFilter"), ("summits:tracker", "TrackerFilter")],
)
def test_the_reader_filter_forms_are_written_as_djangos_templates_write_them(
    client, monkeypatch, url, filterset
):
    # Their selects offer every participant and topic of the published summits.
    from summits import filters

    summit = factories.PublishedSummitFactory()
    for name in ("Leader <A>", "Leader & B"):
        summit.participants.add(factories.ParticipantFactory(name=name))
    factories.ItemFactory(summit=summit, topic=factories.TopicFactory(name=HOSTILE))
    query = {"participant": "nobody", "year": "x"}  # with errors, too

    def form_html():
        cache.clear()  # rendered anew, not the cached page
        page = client.get(reverse(url), query).content.decode()
        return page[page.index('<form class="filters"') : page.index("</form>") + 7]

    plain = form_html()
    assert "Leader &amp; B</option>" in plain and "Leader &lt;A&gt;</option>" in plain
    monkeypatch.setattr(getattr(filters, filterset)._meta.form, "default_renderer", None)
    by_templates = form_html()
    assert parse_html(plain) == parse_html(by_templates)
