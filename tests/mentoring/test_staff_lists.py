"""The rows of the coordinator's relationships and check-ins lists, written by
mentoring/templatetags/staff_lists.py, are held here to the templates they replaced: every badge,
date, count and link, with names escaped as the templates escaped them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from mentoring.access import mentee_name
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.selectors_staff import (
    ENDING_SOON_DAYS,
    due_check_ins,
    relationships_for_staff,
    timing,
)
from mentoring.templatetags.staff_lists import (
    CHECK_IN_ROW_FIELDS,
    RELATIONSHIP_ROW_FIELDS,
    check_in_rows,
    relationship_rows,
)
from tests.conftest import make_member
from tests.mentoring.factories import CheckInFactory, ConcernFactory, SessionFactory
from tests.mentoring.fixtures import _pair, activate
from tests.mentors.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

# The relationships list's row, as mentoring/staff/relationships.html wrote it.
RELATIONSHIP_ROW_TEMPLATE = """{% for row in rows %}{% with relationship=row.relationship %}
<li class="card mb-2{% if row.next_check_in.is_overdue or relationship.open_concerns or relationship.missed_alert_at and relationship.is_current %} border-warning border-2{% endif %}">
  <div class="card-body py-2">
    <h3 class="h5 mb-1"><a href="{% url 'mentoring:relationship_check_ins' relationship.pk %}">{{ row.mentor_name }} mentoring {{ row.mentee_name }}</a></h3>
    <p class="mb-1 d-flex flex-wrap gap-2 align-items-center">
      <span class="badge text-bg-light border">{{ relationship.get_status_display }}</span>
      {% if row.next_check_in.is_overdue %}<span class="badge text-bg-warning">Check-in overdue</span>{% endif %}
      {% if relationship.open_concerns %}<span class="badge text-bg-warning">{{ relationship.open_concerns }} open concern{{ relationship.open_concerns|pluralize }}</span>{% endif %}
      {% if relationship.missed_alert_at and relationship.is_current %}<span class="badge text-bg-warning">Missed sessions in a row</span>{% endif %}
      {% if row.ending_soon %}<span class="badge text-bg-info">Planned end within 14 days</span>{% endif %}
    </p>
    <dl class="row mb-1 small">
      <dt class="col-5 col-md-3 fw-normal">{% if relationship.activated_at %}Active since{% else %}Matched on{% endif %}</dt>
      <dd class="col-7 col-md-3 mb-1">{% if relationship.activated_at %}{{ relationship.activated_at|date:"j M Y" }}{% else %}{{ relationship.started_at|date:"j M Y" }}{% endif %}</dd>
      <dt class="col-5 col-md-3 fw-normal">{% if relationship.is_ended %}Ended{% else %}Planned end{% endif %}</dt>
      <dd class="col-7 col-md-3 mb-1">{% if relationship.is_ended %}{{ relationship.ended_at|date:"j M Y" }}{% elif relationship.planned_end_on %}{{ relationship.planned_end_on|date:"j M Y" }}{% else %}Not agreed yet{% endif %}</dd>
      <dt class="col-5 col-md-3 fw-normal">Sessions held</dt>
      <dd class="col-7 col-md-3 mb-1">{{ relationship.held_count }}{% if relationship.planned_sessions %} of {{ relationship.planned_sessions }} planned{% endif %}</dd>
      <dt class="col-5 col-md-3 fw-normal">Next check-in</dt>
      <dd class="col-7 col-md-3 mb-1">{% if row.next_check_in %}{% if row.next_check_in.is_overdue %}<strong>{{ row.next_check_in.text }}</strong>{% else %}{{ row.next_check_in.text }}{% endif %}{% else %}None due{% endif %}</dd>
      <dt class="col-5 col-md-3 fw-normal">Open concerns</dt>
      <dd class="col-7 col-md-3 mb-1">{% if relationship.open_concerns %}<strong>{{ relationship.open_concerns }}</strong>{% else %}None{% endif %}</dd>
    </dl>
    <p class="mb-0 small d-flex flex-wrap gap-3">
      <a href="{% url 'mentoring:relationship_check_ins' relationship.pk %}">Check-ins and concerns<span class="visually-hidden"> for {{ row.mentor_name }} and {{ row.mentee_name }}</span></a>
      <a href="{% url 'mentoring:overview' relationship.pk %}">Overview<span class="visually-hidden"> of {{ row.mentor_name }} and {{ row.mentee_name }}</span></a>
    </p>
  </div>
</li>
{% endwith %}{% endfor %}"""  # noqa: E501

# A row of the check-ins list, as mentoring/staff/check_ins.html wrote it.
CHECK_IN_ROW_TEMPLATE = """{% for row in rows %}
<li class="card mb-2{% if row.timing.is_overdue %} border-warning border-2{% endif %}">
  <div class="card-body py-2">
    <h3 class="h5 mb-1">{{ row.person }}: {{ row.person_name }}</h3>
    <p class="mb-1">
      {% if row.timing.is_overdue %}<strong>{{ row.timing.text }}</strong>{% else %}{{ row.timing.text }}{% endif %}
      {% if row.is_follow_up %}<span class="badge text-bg-info ms-1">Follow-up after the ending</span>{% endif %}
    </p>
    <p class="mb-2 small"><a href="{{ row.pair_url }}">{{ row.pair }}</a></p>
    <a class="btn btn-sm btn-outline-primary" href="{{ row.record_url }}">Record the check-in<span class="visually-hidden"> with {{ row.person_name }}, the {{ row.person|lower }}</span></a>
  </div>
</li>
{% endfor %}"""  # noqa: E501


def tidy(html: str) -> str:
    """The same HTML whatever the whitespace between and around tags, and before their ends."""
    spaced = re.sub(r"\s+>", ">", re.sub(r"\s+", " ", str(html)))
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", spaced).strip()


def as_the_template_wrote(template: str, rows: list[dict]) -> str:
    return Template(template).render(Context({"rows": rows}))


@pytest.fixture
def many_kinds(organisation, active_relationship, other_relationship, mentee):
    """Relationships with every badge and date the list can show, and names to escape."""
    today = timezone.localdate()
    active_relationship.check_ins.filter(person="mentee").update(due_on=today - timedelta(days=3))
    active_relationship.missed_alert_at = timezone.now()
    active_relationship.planned_end_on = today + timedelta(days=ENDING_SOON_DAYS)
    active_relationship.save()
    ConcernFactory(relationship=active_relationship, raised_by=mentee)
    SessionFactory(relationship=active_relationship, status=SessionStatus.HELD)
    mentor = other_relationship.mentor
    mentor.display_name = '<b>Bold</b> & "Co"'
    mentor.save()
    referral = other_relationship.referral
    referral.preferred_name = "<i>Ol'u</i>"
    referral.save()
    for _ in range(2):
        ConcernFactory(relationship=other_relationship, raised_by=other_relationship.mentee)
    Relationship.objects.filter(pk=other_relationship.pk).update(
        planned_sessions=None, planned_end_on=None
    )
    introduction, ended = (
        _pair(
            organisation,
            MentorProfileFactory(organisation=organisation),
            make_member(organisation, Role.MENTEE, f"{name.lower()}@example.org"),
            f"{name} Test",
        )
        for name in ("Ida", "Ed")
    )
    activate(ended)
    Relationship.objects.filter(pk=ended.pk).update(
        status=RelationshipStatus.ENDED,
        ended_at=timezone.now() - timedelta(days=2),
        missed_alert_at=timezone.now(),
    )
    return [active_relationship, other_relationship, introduction, ended]


def _old_relationship_rows(queryset):
    """The rows as the view worked them out for the template."""
    today = timezone.localdate()
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    return [
        {
            "relationship": relationship,
            "mentor_name": relationship.mentor.display_name,
            "mentee_name": mentee_name(relationship),
            "next_check_in": timing(relationship.next_check_in_on, today)
            if relationship.next_check_in_on
            else None,
            "ending_soon": relationship.is_current
            and relationship.planned_end_on is not None
            and relationship.planned_end_on <= soon,
        }
        for relationship in queryset
    ]


def test_relationship_rows_are_written_as_the_template_wrote_them(organisation, many_kinds):
    listed = relationships_for_staff(
        Relationship.objects.filter(organisation=organisation).select_related("mentor", "referral"),
        status="all",
    )
    written = str(relationship_rows(listed.values(*RELATIONSHIP_ROW_FIELDS)))
    expected = as_the_template_wrote(RELATIONSHIP_ROW_TEMPLATE, _old_relationship_rows(listed))
    assert tidy(written) == tidy(expected)
    for words in (
        "Check-in overdue",
        "1 open concern<",
        "2 open concerns",
        "Missed sessions in a row",
        "Planned end within 14 days",
        "Not agreed yet",
        "Matched on",
        "Ended",
        "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot; mentoring &lt;i&gt;Ol&#x27;u&lt;/i&gt;",
    ):
        assert words in written, words
    assert written.count("Missed sessions in a row") == 1  # not for the ended pair


def test_check_in_rows_are_written_as_the_template_wrote_them(
    organisation, many_kinds, active_relationship
):
    today = timezone.localdate()
    CheckInFactory(
        relationship=active_relationship,
        kind=CheckInKind.FOLLOW_UP,
        due_on=today + timedelta(days=60),
    )
    CheckIn.objects.filter(relationship=many_kinds[1], person="mentor").update(due_on=today)
    listed = due_check_ins(organisation)
    old_rows = []
    for check_in in listed:
        relationship = check_in.relationship
        person = check_in.get_person_display()
        old_rows.append(
            {
                "person": person,
                "person_name": relationship.mentor.display_name
                if person == "Mentor"
                else mentee_name(relationship),
                "pair": f"{relationship.mentor.display_name} mentoring {mentee_name(relationship)}",
                "timing": timing(check_in.due_on, today),
                "is_follow_up": check_in.kind == CheckInKind.FOLLOW_UP,
                "pair_url": reverse("mentoring:relationship_check_ins", args=[relationship.pk]),
                "record_url": reverse("mentoring:check_in", args=[relationship.pk, check_in.pk]),
            }
        )
    rows = [(row, timing(row["due_on"], today)) for row in listed.values(*CHECK_IN_ROW_FIELDS)]
    written = str(check_in_rows(rows))
    assert tidy(written) == tidy(as_the_template_wrote(CHECK_IN_ROW_TEMPLATE, old_rows))
    assert CheckIn.objects.filter(status=CheckInStatus.DUE).count() == len(rows) > 4
    for words in ("Overdue by 3 days", "Due today", "Follow-up after the ending", "&lt;b&gt;"):
        assert words in written, words


@pytest.mark.parametrize(
    "query", [None, {"status": "ended", "attention": "concerns"}, {"status": "nonsense"}]
)
def test_the_relationship_filters_are_written_as_the_select_template_writes_them(query):
    from django import forms

    from mentoring.forms_staff import RelationshipFilterForm

    filters = RelationshipFilterForm(query)
    filters.is_valid()
    for name in filters.fields:
        field = filters[name]
        as_template = field.as_widget(widget=forms.Select(choices=field.field.choices))
        assert tidy(field) == tidy(as_template)
