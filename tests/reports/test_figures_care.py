"""The care sections of the programme dashboard (alerts, outcomes, skills) against figures
worked out by hand: rows outside the period, in another organisation, or about people who said
no to their answers being used are left out; small groups are withheld; a team or area filter
narrows every figure; and the number of queries does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matching.models import Place
from outcomes import instruments as engine
from outcomes.models import MeasureResponse
from outcomes.selectors import programme_change
from reports import figures_care
from reports.figures_care import alerts_section, outcomes_section, skills_section
from reports.tables import WITHHELD, Section, Table
from safeguarding.models import AlertLevel
from tests.outcomes.fixtures import make_response
from tests.outcomes.test_selectors import phq, who
from tests.reports.fixtures_care import (
    days_ago,
    in_team,
    make_alert,
    make_skill,
    people,
    practise,
    report,
    withdraw,
)

pytestmark = pytest.mark.django_db

URGENT, HIGH, CONCERN = AlertLevel.URGENT, AlertLevel.HIGH, AlertLevel.CONCERN
URGENT_MINUTES, HIGH_MINUTES, CONCERN_MINUTES = 30, 240, 3 * 24 * 60


def cells(table: Table) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in table.rows]


def headlines(section: Section) -> dict[str, str]:
    return {headline.key: str(headline.value) for headline in section.headlines}


# Alerts ------------------------------------------------------------------------------------------


@pytest.fixture
def alerts(organisation, other_organisation):
    """Urgent (deadline 30 minutes), 11 alerts raised in the period:
      responded in time after 10, 12, 14, 20 and 30 minutes (30: on the deadline): 5 in time
      responded late after 40, 45 and 60 minutes: 3 missed
      escalated at 30 minutes (new deadline at 60), responded after 50: 1 missed
      still waiting, raised two days ago: 2 missed, and waiting
      -> in time 5 of 11 = 45.5% -> 45%; missed 6 of 11 = 54.5% -> 55%; waiting 2 (withheld)
      responses sorted: 10 12 14 20 30 40 45 50 60 -> median the 5th, 30 minutes
    High (deadline 240 minutes), 6 alerts, responded after 60, 60, 90, 120, 180, 240:
      all in time; median of six = (90 + 120) / 2 = 105 minutes; none waiting
    Concern (deadline three days), 5 alerts raised an hour ago, nobody responding yet:
      within their deadline, so neither in time nor missed; no median; 5 waiting
    Left out: an urgent alert raised 40 days ago and one in another organisation."""
    person = people(organisation, 1, "alerted")[0]
    ten_days_ago = days_ago(10)
    for minutes in (10, 12, 14, 20, 30, 40, 45, 60):
        make_alert(
            person,
            URGENT,
            raised=ten_days_ago,
            deadline_minutes=URGENT_MINUTES,
            responded_minutes=minutes,
        )
    make_alert(
        person,
        URGENT,
        raised=ten_days_ago,
        deadline_minutes=URGENT_MINUTES,
        escalated_deadline_minutes=60,
        responded_minutes=50,
    )
    for _ in range(2):
        make_alert(person, URGENT, raised=days_ago(2), deadline_minutes=URGENT_MINUTES)
    for minutes in (60, 60, 90, 120, 180, 240):
        make_alert(
            person,
            HIGH,
            raised=days_ago(5),
            deadline_minutes=HIGH_MINUTES,
            responded_minutes=minutes,
        )
    for _ in range(5):
        make_alert(person, CONCERN, raised=days_ago(1 / 24), deadline_minutes=CONCERN_MINUTES)
    make_alert(
        person, URGENT, raised=days_ago(40), deadline_minutes=URGENT_MINUTES, responded_minutes=5
    )
    elsewhere = people(other_organisation, 1, "elsewhere")[0]
    make_alert(
        elsewhere, URGENT, raised=ten_days_ago, deadline_minutes=URGENT_MINUTES, responded_minutes=5
    )
    return person


def test_alerts_by_level_against_their_deadlines(organisation, alerts):
    section = alerts_section(report(organisation))
    (table,) = section.tables
    assert table.columns[1:] == (
        "Alerts raised",
        "Median time to respond",
        "Responded to by the deadline",
        "Missed the deadline",
        "Still waiting for a response now",
    )
    assert cells(table) == [
        ["Urgent", "11", "30 minutes", "45% (5 of 11)", "55% (6 of 11)", WITHHELD],
        ["High", "6", "105 minutes", "100% (6 of 6)", "0% (0 of 6)", "0"],
        ["Concern", "5", "–", "0% (0 of 5)", "0% (0 of 5)", "5"],
    ]
    # 11 + 6 + 5 = 22 raised; urgent and high in time: (5 + 6) of (11 + 6) = 64.7% -> 65%
    assert headlines(section) == {"alerts_raised": "22", "alerts_in_time": "65% (11 of 17)"}
    assert section.filter_note == ""


def test_alerts_for_a_team_count_only_its_mentees(
    organisation, alerts, supervised_profile, supervisor
):
    team = people(organisation, 5, "team")
    in_team(supervised_profile, team)
    for person in team:
        make_alert(
            person, URGENT, raised=days_ago(3), deadline_minutes=URGENT_MINUTES, responded_minutes=8
        )
    section = alerts_section(report(organisation, team=supervisor))
    assert cells(section.tables[0]) == [
        ["Urgent", "5", "8 minutes", "100% (5 of 5)", "0% (0 of 5)", "0"],
        ["High", "0", "–", "–", "–", "0"],
        ["Concern", "0", "–", "–", "–", "0"],
    ]
    assert headlines(section) == {"alerts_raised": "5", "alerts_in_time": "100% (5 of 5)"}
    assert "team or area" in section.filter_note


def test_alerts_take_a_fixed_number_of_queries(organisation, django_assert_num_queries):
    # One aggregate, then for each of the three levels its median (one query).
    person = people(organisation, 1, "alerted")[0]

    def raise_each_level() -> None:
        for level, deadline in ((URGENT, 30), (HIGH, 240), (CONCERN, 4320)):
            make_alert(
                person, level, raised=days_ago(3), deadline_minutes=deadline, responded_minutes=9
            )

    raise_each_level()
    with django_assert_num_queries(4):
        alerts_section(report(organisation))
    for _ in range(12):
        raise_each_level()
    with django_assert_num_queries(4):
        section = alerts_section(report(organisation))
    assert headlines(section)["alerts_raised"] == "39"  # 13 of each of 3 levels


# Outcomes ----------------------------------------------------------------------------------------


def twice(person, key, first, latest, *, first_days=20, latest_days=5) -> None:
    make_response(person, key, first, completed_at=days_ago(first_days))
    make_response(person, key, latest, completed_at=days_ago(latest_days))


@pytest.fixture
def measured(organisation, other_organisation):
    """PHQ-9 (lower is better, reliable change 6 points), 11 people in the period:
      6 from 18 to 9 (-9: improved), 5 from 4 to 12 (+8: deteriorated)
      -> mean change (6 * -9 + 5 * 8) / 11 = -14 / 11 = -1.27 -> -1.3 points
      -> improved 6 of 11 = 54.5% -> 55%; deteriorated 5 of 11 = 45.5% -> 45%
      The first of the six also scored 3 sixty days ago: outside the period, so their first
      score stays 18 (with it they would count as deteriorated, 3 -> 9).
      Someone else scored 20 sixty days ago and 12 three days ago: one score in the period,
      so they do not count.
    GAD-7: three of the same people improved (21 -> 7): fewer than 5, all withheld.
    WHO-5 (higher is better, on percentages, reliable change 10 points): five of the same people
      from 8 (32%) to 14 (56%): +24 percentage points, improved, none deteriorated.
    Left out: someone who improved but said no to their answers being used in reports, and
      someone in another organisation.
    Headlines: people measured (distinct) = 11; scored responses completed in the period:
      PHQ-9 11 * 2 + 1 = 23, GAD-7 3 * 2 = 6, WHO-5 5 * 2 = 10 -> 39."""
    phq_people = people(organisation, 11, "phq")
    for person in phq_people[:6]:
        twice(person, "phq9", phq(18), phq(9))
    for person in phq_people[6:]:
        twice(person, "phq9", phq(4), phq(12))
    make_response(phq_people[0], "phq9", phq(3), completed_at=days_ago(60))
    once = people(organisation, 1, "once")[0]
    twice(once, "phq9", phq(20), phq(12), first_days=60, latest_days=3)
    for person in phq_people[:3]:
        twice(person, "gad7", [3] * 7, [1] * 7)
    for person in phq_people[:5]:
        twice(person, "who5", who(8), who(14))
    said_no = people(organisation, 1, "said.no")[0]
    twice(said_no, "phq9", phq(18), phq(9))
    withdraw(said_no)
    elsewhere = people(other_organisation, 1, "elsewhere")[0]
    twice(elsewhere, "phq9", phq(18), phq(9))
    return phq_people


def test_outcome_change_per_questionnaire(organisation, measured):
    section = outcomes_section(report(organisation))
    (table,) = section.tables
    assert table.columns == (
        "Questionnaire",
        "People completing",
        "Mean change",
        "Reliably improved",
        "Reliably deteriorated",
    )
    assert cells(table) == [
        ["GAD-7", WITHHELD, WITHHELD, WITHHELD, WITHHELD],
        ["PHQ-9", "11", "-1.3 points", "55% (6 of 11)", "45% (5 of 11)"],
        ["WHO-5", "5", "24.0 percentage points", "100% (5 of 5)", "0% (0 of 5)"],
    ]
    assert headlines(section) == {"outcomes_people": "11", "outcomes_completed": "39"}
    assert "PHQ-9: 6 points, lower is better" in table.note
    assert "WHO-5: 10 percentage points, higher is better" in table.note


def test_outcomes_for_a_team_count_only_its_mentees(
    organisation, measured, supervised_profile, supervisor
):
    """The first five PHQ-9 people are in the team: all from 18 to 9 (mean change -9.0, 5 of 5
    improved); three of them on the GAD-7 (withheld); all five on the WHO-5.
    Completed: 5 * 2 + 3 * 2 + 5 * 2 = 26."""
    in_team(supervised_profile, measured[:5])
    section = outcomes_section(report(organisation, team=supervisor))
    assert cells(section.tables[0]) == [
        ["GAD-7", WITHHELD, WITHHELD, WITHHELD, WITHHELD],
        ["PHQ-9", "5", "-9.0 points", "100% (5 of 5)", "0% (0 of 5)"],
        ["WHO-5", "5", "24.0 percentage points", "100% (5 of 5)", "0% (0 of 5)"],
    ]
    assert headlines(section) == {"outcomes_people": "5", "outcomes_completed": "26"}
    assert section.filter_note


def test_outcomes_leave_out_someone_who_withdraws_later(organisation, measured):
    # Withdrawing takes one improved person out: 5 improved, 5 deteriorated, of 10.
    withdraw(measured[1])
    row = cells(outcomes_section(report(organisation)).tables[0])[1]
    # mean change (5 * -9 + 5 * 8) / 10 = -0.5
    assert row == ["PHQ-9", "10", "-0.5 points", "50% (5 of 10)", "50% (5 of 10)"]


def test_outcomes_take_a_fixed_number_of_queries(organisation, measured, django_assert_num_queries):
    # programme_figures: 3 (completion, instruments, one aggregate with the headlines).
    with django_assert_num_queries(3):
        outcomes_section(report(organisation))
    for person in people(organisation, 20, "more"):
        twice(person, "phq9", phq(12), phq(11))
        twice(person, "gad7", [2] * 7, [2] * 7)
    with django_assert_num_queries(3):
        section = outcomes_section(report(organisation))
    assert headlines(section)["outcomes_people"] == "31"  # 11 + 20


def test_change_judged_in_the_database_matches_the_rules_person_by_person(organisation):
    """Twelve PHQ-9 pairs on either side of each threshold, judged one by one with the
    instrument's rules in Python: reliable change at exactly 6 points counts; recovery needs
    a start at 10 or more and an end below 10."""
    pairs = [(18, 12), (18, 13), (10, 4), (10, 16), (9, 15), (9, 14), (20, 9), (12, 10),
             (24, 18), (5, 5), (11, 5), (16, 9)]  # fmt: skip
    for person, (first, latest) in zip(people(organisation, 12, "pair"), pairs, strict=True):
        twice(person, "phq9", phq(first), phq(latest))
    judged = [engine.compare(engine.builtin("phq9"), first, latest) for first, latest in pairs]
    expected = {kind: sum(1 for c in judged if c.kind == kind) for kind in engine.ChangeKind}
    # improved: 18->12, 10->4, 20->9, 24->18, 11->5, 16->9 = 6; deteriorated: 10->16, 9->15 = 2
    assert (expected[engine.ChangeKind.IMPROVED], expected[engine.ChangeKind.DETERIORATED]) == (
        6,
        2,
    )
    (change,) = [c for c in programme_change(organisation) if c.instrument.key == "phq9"]
    assert change.people == 12
    assert change.improved.count == 6
    assert change.deteriorated.count == 2
    assert change.no_reliable_change.count == 4
    # started at 10 or more: all but 9, 9, 5 = 9; recovered: 10->4, 20->9, 11->5, 16->9 = 4
    # (18->12 and 24->18 improved but stay at 10 or more)
    assert change.started_in_clinical_range.count == 9
    assert change.reliable_recovery.count == sum(1 for c in judged if c.reliable_recovery) == 4


# Skills ------------------------------------------------------------------------------------------


@pytest.fixture
def practised(organisation, other_organisation):
    """Box breathing: 6 people, two practices each, rated (4, 4) (5, 5) (3, 3) (4, 4) (2, 2)
      (5, 5): 12 practices, mean 46 / 12 = 3.83 -> 3.8.
    Grounding: 5 people, one each, rated 4, 4, 4, 3 and 5 (the 5 on the period's first day):
      5 practices, mean 20 / 5 = 4.0.
    Worry time (2 people: 1 and 2, then 3) and Walk outside (3 people: 5, 5, 2): fewer than 5
      people each, so never named; together "Other skills": 6 practices by 5 people, mean
      (1 + 2 + 3 + 5 + 5 + 2) / 6 = 18 / 6 = 3.0.
    Headlines: 12 + 5 + 3 + 3 = 23 practices by 6 + 5 + 2 + 3 = 16 people, mean helpfulness
      (46 + 20 + 6 + 12) / 23 = 84 / 23 = 3.65 -> 3.7.
    Left out: a Box breathing practice the day before the period (rated 1), one by someone who
      said no to their answers being used in reports, and five in another organisation."""
    start = report(organisation).period.start
    box, grounding, worry, walk = (
        make_skill(organisation, title)
        for title in ("Box breathing", "Grounding", "Worry time", "Walk outside")
    )
    box_people = people(organisation, 6, "box")
    for person, rating in zip(box_people, (4, 5, 3, 4, 2, 5), strict=True):
        practise(person, box, rating, rating)
    ground_people = people(organisation, 5, "ground")
    for person, rating in zip(ground_people[:4], (4, 4, 4, 3), strict=True):
        practise(person, grounding, rating)
    practise(ground_people[4], grounding, 5, on=start)
    worriers = people(organisation, 2, "worry")
    practise(worriers[0], worry, 1, 2)
    practise(worriers[1], worry, 3)
    for person, rating in zip(people(organisation, 3, "walk"), (5, 5, 2), strict=True):
        practise(person, walk, rating)
    practise(box_people[0], box, 1, on=start - timedelta(days=1))
    said_no = people(organisation, 1, "said.no")[0]
    practise(said_no, box, 1)
    withdraw(said_no)
    elsewhere_skill = make_skill(other_organisation, "Box breathing")
    for person in people(other_organisation, 5, "elsewhere"):
        practise(person, elsewhere_skill, 1)
    return box_people


def test_skills_practised_with_small_skills_folded_into_other(organisation, practised):
    section = skills_section(report(organisation))
    (table,) = section.tables
    assert table.columns == ("Skill", "Practices", "People practising", "Mean helpfulness")
    assert cells(table) == [
        ["Box breathing", "12", "6", "3.8 out of 5"],
        ["Grounding", "5", "5", "4.0 out of 5"],
        ["Other skills", "6", "5", "3.0 out of 5"],
    ]
    assert headlines(section) == {
        "skills_practices": "23",
        "skills_people": "16",
        "skills_helpfulness": "3.7 out of 5",
    }
    shown = repr(section)
    assert "Worry time" not in shown and "Walk outside" not in shown


def test_only_the_top_skills_are_named(organisation, practised, monkeypatch):
    # With room for one: Grounding joins the rest, 5 + 3 + 3 = 11 practices by 5 + 2 + 3 = 10
    # people, mean (20 + 6 + 12) / 11 = 3.45 -> 3.5.
    monkeypatch.setattr(figures_care, "TOP_SKILLS", 1)
    assert cells(skills_section(report(organisation)).tables[0]) == [
        ["Box breathing", "12", "6", "3.8 out of 5"],
        ["Other skills", "11", "10", "3.5 out of 5"],
    ]


def test_skills_in_an_area_count_only_its_mentees(organisation, practised, mentor_profile):
    """Five Box breathing people live in Northgate: (4, 4) (5, 5) (3, 3) (4, 4) (2, 2):
    10 practices, mean 36 / 10 = 3.6; nothing else, so no "Other skills" row."""
    northgate = Place.objects.create(
        organisation=organisation, name="Northgate", latitude=54.0, longitude=-1.5
    )
    in_team(mentor_profile, practised[:5], area="northgate")
    section = skills_section(report(organisation, area=northgate))
    assert cells(section.tables[0]) == [["Box breathing", "10", "5", "3.6 out of 5"]]
    assert headlines(section) == {
        "skills_practices": "10",
        "skills_people": "5",
        "skills_helpfulness": "3.6 out of 5",
    }


def test_a_handful_of_practices_is_withheld(organisation):
    skill = make_skill(organisation, "Box breathing")
    for person in people(organisation, 2, "few"):
        practise(person, skill, 4)
    section = skills_section(report(organisation))
    assert cells(section.tables[0]) == [["Other skills", WITHHELD, WITHHELD, WITHHELD]]
    assert set(headlines(section).values()) == {WITHHELD}


def test_skills_take_a_fixed_number_of_queries(organisation, practised, django_assert_num_queries):
    # The headline figures, the top skills, and "Other skills".
    with django_assert_num_queries(3):
        skills_section(report(organisation))
    for number in range(12):
        skill = make_skill(organisation, f"Skill {number}")
        for person in people(organisation, 5, f"s{number}."):
            practise(person, skill, 3, 4)
    with django_assert_num_queries(3):
        section = skills_section(report(organisation))
    assert len(section.tables[0].rows) == 11  # the top 10 and "Other skills"


# Nothing yet -------------------------------------------------------------------------------------


def test_a_new_organisation_gets_empty_sections(organisation):
    assert not MeasureResponse.objects.exists()
    alerts = alerts_section(report(organisation))
    assert headlines(alerts) == {"alerts_raised": "0", "alerts_in_time": "–"}
    outcomes = outcomes_section(report(organisation))
    assert outcomes.tables[0].rows == () and outcomes.tables[0].note == ""
    assert headlines(outcomes) == {"outcomes_people": "0", "outcomes_completed": "0"}
    skills = skills_section(report(organisation))
    assert skills.tables[0].rows == ()
    assert headlines(skills) == {
        "skills_practices": "0",
        "skills_people": "0",
        "skills_helpfulness": "–",
    }
