"""QuickSelect writes the same select as the site's templates, in one pass: names, ids, labels,
aria attributes, required, the selected choice (kept after a refused submission), groups, and
everything escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from alongside.widgets import QuickSelect, escape_text

TEAMS = [
    ("", "All teams"),
    (1, "Ada Lovelace"),
    (2, 'Bob "the builder" <b>'),
    (3, "Chloé O'Neill & Co"),
]


class Elements(HTMLParser):
    """A page as its elements: (tag, attributes in order written, text), whitespace aside."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, tuple[tuple[str, str | None], ...], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, tuple(sorted(attrs)), ""))

    def handle_endtag(self, tag: str) -> None:
        self.found.append((f"/{tag}", (), ""))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append(("text", (), " ".join(data.split())))


def elements(html: str) -> list[tuple[str, tuple[tuple[str, str | None], ...], str]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


class TeamForm(forms.Form):
    when = forms.DateField(label="From", required=False)
    team = forms.ChoiceField(
        label="Team", choices=TEAMS, required=False, help_text="A supervisor's mentors."
    )


class QuickTeamForm(TeamForm):
    team = forms.ChoiceField(
        label="Team",
        choices=TEAMS,
        required=False,
        help_text="A supervisor's mentors.",
        widget=QuickSelect,
    )


def test_it_writes_what_the_site_template_writes():
    for data in (None, {"team": "2"}, {"team": "3", "when": "not a date"}, {"team": "99"}):
        template_made = str(TeamForm(data)["team"].as_field_group())
        quick = str(QuickTeamForm(data)["team"].as_field_group())
        assert elements(quick) == elements(template_made)


def test_names_values_and_labels_are_escaped():
    html = QuickSelect(choices=[('a"b', "<script>alert(1)</script>"), (1, "Tom & Jerry")]).render(
        'te"am', None, attrs={"id": 'id_"x', "data-note": "<b>"}
    )
    assert "<script>" not in html and "<b>" not in html
    assert 'name="te&quot;am"' in html and 'id="id_&quot;x"' in html
    assert 'data-note="&lt;b&gt;"' in html
    assert '<option value="a&quot;b">&lt;script&gt;alert(1)&lt;/script&gt;</option>' in html
    assert "Tom &amp; Jerry" in html


def test_the_label_points_at_the_select_and_the_help_text_describes_it():
    html = str(QuickTeamForm()["team"].as_field_group())
    assert '<label class="form-label fw-semibold" for="id_team">Team</label>' in html
    assert 'id="id_team_helptext"' in html
    assert '<select name="team" aria-describedby="id_team_helptext" id="id_team"' in html
    assert 'class="form-select"' in html


def test_the_empty_choice_is_selected_at_first():
    html = str(QuickTeamForm()["team"])
    assert '<option value="" selected>All teams</option>' in html
    assert html.count(" selected") == 1


def test_the_chosen_value_is_kept_after_a_refused_submission():
    form = QuickTeamForm({"team": "3", "when": "not a date"})
    assert not form.is_valid()
    html = str(form["team"])
    assert '<option value="3" selected>Chloé O&#x27;Neill &amp; Co</option>' in html
    assert html.count(" selected") == 1


def test_an_invalid_choice_is_marked_and_described_by_its_error():
    form = QuickTeamForm({"team": "99"})
    assert not form.is_valid()
    html = str(form["team"].as_field_group())
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_team_helptext id_team_error"' in html
    assert " selected" not in html


def test_a_required_choice_says_so():
    class Required(forms.Form):
        team = forms.ChoiceField(choices=TEAMS, widget=QuickSelect)

    assert " required" in str(Required()["team"])


def test_only_the_first_of_equal_values_is_selected_unless_several_may_be():
    choices = [(1, "One"), (1, "One again"), (2, "Two")]
    assert QuickSelect(choices=choices).render("n", 1).count(" selected") == 1

    class Several(QuickSelect):
        allow_multiple_selected = True

    html = Several(choices=choices).render("n", [1, 2])
    assert html.count(" selected") == 3 and "multiple" in html


def test_groups_are_written_as_optgroups():
    choices = [("North", [(1, "Ashbury"), (2, "Brackenford")]), ("South", [(3, "Calder")])]
    html = QuickSelect(choices=choices).render("area", 3)
    assert html.count("<optgroup") == 2
    assert elements(html) == elements(forms.Select(choices=choices).render("area", 3))


def test_an_extra_class_follows_the_sites_own():
    html = QuickSelect(attrs={"class": "w-auto"}, choices=TEAMS).render("team", "")
    assert 'class="form-select w-auto"' in html


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        '<b>Tom & "Jerry"</b> O\'Neill',
        mark_safe("<em>already safe</em>"),
        gettext_lazy("All <teams>"),
        42,
        None,
    ],
)
def test_escape_text_escapes_as_conditional_escape_does(value):
    assert escape_text(value) == conditional_escape(value)
