"""The matching overview's rows written in Python (matching/templatetags/matching_overview.py)
are the HTML the overview's template wrote for them, escaping included."""

from __future__ import annotations

import re

import pytest
from django.template import engines

from matching.models import MatchProposal, Origin
from matching.templatetags.matching_overview import review_rows, waiting_rows
from matching.views.overview import Waiting
from matching.views.staff import proposal_row
from mentors.models import MentorProfile
from referrals.models import Referral

# What the overview's template wrote for each row, kept here to hold the tags to it.
REVIEW_TEMPLATE = """{% for row in to_review %}
  <li class="card mb-2">
    <div class="card-body py-2">
      <p class="mb-1 d-flex flex-wrap align-items-baseline gap-2">
        <a class="fw-semibold fs-5" href="{% url 'matching:proposal_detail' row.proposal.pk %}">{{ row.proposal.referral.full_name }} with {{ row.proposal.mentor.display_name }}</a>
        <span class="badge text-bg-light border">{{ row.percent }}% · {{ row.word }} match</span>
        {% if row.asked_for %}<span class="badge text-bg-warning">Asked for this mentor</span>{% endif %}
        {% if row.proposal.origin != "engine" %}<span class="small text-body-secondary">{{ row.proposal.get_origin_display }}</span>{% endif %}
      </p>
      <p class="mb-0 small"><span class="fw-semibold">Why:</span> {{ row.top_reasons|join:" · " }}{% if row.more_reasons %} · and {{ row.more_reasons }} more{% endif %}</p>
    </div>
  </li>
{% endfor %}"""  # noqa: E501

WAITING_TEMPLATE = """{% for item in waiting %}
  <li class="card mb-2"><div class="card-body py-2 d-flex flex-wrap justify-content-between align-items-center gap-2">
    <div>
      <p class="mb-0"><span class="fw-semibold">{{ item.name }}</span> <span class="small text-body-secondary">· waiting {{ item.waited }}</span></p>
      {% if item.reason %}<p class="mb-0 small">Not matched in the last run: {{ item.reason }}.</p>{% endif %}
    </div>
    <a class="btn btn-outline-primary btn-sm" href="{{ item.url }}">Find a mentor for {{ item.name }}</a>
  </div></li>
{% endfor %}"""  # noqa: E501


def tidy(html: str) -> str:
    """The same HTML whatever the whitespace between tags."""
    return re.sub(r"\s*\n\s*", "", str(html)).strip()


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def _proposal(pk: int, name: str, mentor: str, *, score: float, reasons: list[str], origin: str):
    return MatchProposal(
        pk=pk,
        referral=Referral(full_name=name),
        mentor=MentorProfile(display_name=mentor),
        score=score,
        reasons=reasons,
        origin=origin,
    )


@pytest.mark.parametrize("origin", [Origin.ENGINE, Origin.SUGGESTION, Origin.REQUEST, "other"])
def test_review_rows_are_what_the_template_wrote(origin):
    rows = [
        proposal_row(
            _proposal(
                7,
                '<b>Al</b> & "Co" {0}',
                "Priya <i>",
                score=0.72,
                reasons=["Speaks <English>", "Both free on Monday & Tuesday", "A", "B", "C"],
                origin=origin,
            ),
            asked_for=True,
        ),
        proposal_row(
            _proposal(12, "Sam", "Jo", score=0.3, reasons=[], origin=origin), asked_for=False
        ),
        proposal_row(_proposal(13, "Kim", "Lee", score=0.9, reasons=["One"], origin=origin)),
    ]
    written = review_rows(rows)
    assert tidy(written) == tidy(render(REVIEW_TEMPLATE, to_review=rows))
    assert "&lt;b&gt;Al&lt;/b&gt; &amp; &quot;Co&quot;" in written
    assert "Speaks &lt;English&gt;" in written


def test_waiting_rows_are_what_the_template_wrote():
    waiting = [
        Waiting(
            name='<b>Farah</b> & "Co" {name}', waited="1 day", reason="no <mentor>", url="/m/1/"
        ),
        Waiting(name="Sam", waited="12 days", reason="", url="/m/2/"),
    ]
    written = waiting_rows(waiting)
    assert tidy(written) == tidy(render(WAITING_TEMPLATE, waiting=waiting))
    assert "Not matched in the last run: no &lt;mentor&gt;." in written


def test_empty_lists_write_nothing():
    assert review_rows([]) == waiting_rows([]) == ""
