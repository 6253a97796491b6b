"""The sections of a relationship's pages, as the viewer may use them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from mentoring.access import RelationshipAccess, Viewer

# (url name, label, who sees the section)
SECTIONS: tuple[tuple[str, str, tuple[Viewer, ...]], ...] = (
    ("mentoring:overview", "Overview", (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)),
    ("mentoring:agreement", "Agreement", (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)),
    (
        "mentoring:sessions",
        "Sessions",
        (Viewer.MENTOR, Viewer.MENTEE, Viewer.SUPERVISOR, Viewer.STAFF),
    ),
    ("mentoring:goals", "Goals", (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)),
    ("mentoring:messages", "Messages", (Viewer.MENTOR, Viewer.MENTEE)),
    ("mentoring:strengths", "Strengths", (Viewer.MENTOR, Viewer.MENTEE)),
    ("mentoring:plan", "Wellbeing plan", (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)),
    ("toolkit:relationship", "Toolkit", (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)),
    (
        "outcomes:relationship",
        "Questionnaires",
        (Viewer.MENTOR, Viewer.MENTEE, Viewer.SUPERVISOR, Viewer.STAFF),
    ),
    ("mentoring:relationship_check_ins", "Check-ins", (Viewer.STAFF,)),
)


@dataclass(frozen=True)
class Section:
    url: str
    label: str


def sections_for(access: RelationshipAccess) -> list[Section]:
    pk = access.relationship.pk
    found = []
    for name, label, viewers in SECTIONS:
        if access.viewer not in viewers:
            continue
        try:
            found.append(Section(reverse(name, args=[pk]), label))
        except NoReverseMatch:  # a section whose pages are not installed
            continue
    return found


def layout_context(access: RelationshipAccess, current: str) -> dict[str, object]:
    """What ``mentoring/_layout.html`` needs: pass it into every relationship page's context.
    ``current`` is the label of the section the page belongs to."""
    return {
        "access": access,
        "relationship": access.relationship,
        "sections": sections_for(access),
        "current_section": current,
    }
