"""Invented demo toolkit: the starter library in every demo organisation, two mentors' own
strategies (one suggested for the library), skills shared with seven Riverside mentees who have
tried them and said how helpful they were (enough people for programme insights to show rows
that are not suppressed), a directory of community resources (one not checked for fourteen
months) and a few recommendations. Made through the same services people use; only the clock
is wound back so the practice logs look lived in. Every person and place here is made up."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import SupportArea
from mentoring.demo import demo_match, demo_person
from mentoring.models import MentoringSession, Relationship, SessionStatus
from mentors.models import MentorProfile
from mentors.services.profiles import profile_update
from toolkit.models import CommunityResource, Cost, Delivery, Skill, SkillTag, ToolkitEntry
from toolkit.services.practice import practice_log
from toolkit.services.resources import resource_create, resource_recommend
from toolkit.services.sharing import skill_share
from toolkit.services.skills import skill_create, skill_propose, skills_load_starter

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from alongside.demo import DemoWorld

# (key, name, mentor, areas) of the mentees this builder adds; Jamie (with Jordan) and Sky (with
# Priya) come from the mentoring demo.
_MENTEES = [
    ("mentee.lou", "Lou Turner", "mentor.jordan", ["Anxiety"]),
    ("mentee.dani", "Dani Brooks", "mentor.jordan", ["Depression"]),
    ("mentee.kit", "Kit Moran", "mentor.priya", ["Grief"]),
    ("mentee.rae", "Rae Sutton", "mentor.priya", ["Depression"]),
]

# Skill (starter key or title) -> how helpful each mentee found it, practice by practice.
# Five or more people per skill show in insights; fewer are suppressed (wind-down routine).
_PRACTICE = {
    "box-breathing": {
        "mentee.jamie": [3, 4, 5, 5],
        "mentee.sky": [4, 4],
        "mentee.lou": [5, 4, 5],
        "mentee.dani": [2, 3],
        "mentee.kit": [4],
        "mentee.rae": [3, 4, 4],
    },
    "grounding-5-4-3-2-1": {
        "mentee.jamie": [4, 4],
        "mentee.lou": [3, 2, 3],
        "mentee.dani": [4],
        "mentee.kit": [5, 5],
        "mentee.rae": [2],
    },
    "worry-time": {
        "mentee.jamie": [2, 3],
        "mentee.sky": [4],
        "mentee.lou": [3, 4],
        "mentee.kit": [2],
        "mentee.rae": [4, 5],
    },
    "wind-down-routine": {
        "mentee.dani": [5, 4],
        "mentee.sky": [3],
    },
    "The kettle pause": {"mentee.jamie": [4, 5]},
}
_NOTES = {
    ("box-breathing", "mentee.jamie"): "Did it at the bus stop before the group. It helped.",
    ("grounding-5-4-3-2-1", "mentee.kit"): "Counting sounds in the garden calmed me down.",
    ("worry-time", "mentee.rae"): "Writing the worries down made them look smaller.",
}
_SHARE_NOTES = {
    "box-breathing": "The one we tried together. Give it a go before Wednesday's group.",
    "The kettle pause": "This is what I do when it all feels like too much.",
}

_KETTLE: dict[str, Any] = {
    "title": "The kettle pause",
    "kind": "coping",
    "why_it_helps": "Waiting for the kettle gives you two minutes that are just yours. It can "
    "help you step back before you reply, decide or react.",
    "steps": "Put the kettle on, even if you do not want a drink.\n"
    "While it boils, notice three sounds around you.\n"
    "Drop your shoulders and unclench your jaw.\n"
    "When it clicks off, ask yourself what you need next.",
    "minutes": 3,
    "tags": [SkillTag.STRESS, SkillTag.MINDFULNESS],
    "accessibility_notes": "No kettle? Any short wait works: a microwave, a song, brushing "
    "your teeth.",
}
_LETTER: dict[str, Any] = {
    "title": "A letter you do not send",
    "kind": "coping",
    "why_it_helps": "After a loss there are often things left unsaid. Writing them down, just "
    "for you, can help you feel a little lighter.",
    "steps": "Find a quiet time and somewhere you feel safe.\n"
    "Start with their name, or with “I wanted to tell you…”.\n"
    "Write whatever comes, without worrying about spelling or sense.\n"
    "When you are done, fold it away, keep it or tear it up: whatever feels right.\n"
    "Do something gentle for yourself afterwards.",
    "minutes": 20,
    "tags": [SkillTag.LOW_MOOD],
    "accessibility_notes": "You can record a voice note instead of writing, or say it out loud "
    "somewhere private.",
}

# Community resources: (fields, needs, days since last checked)
_RESOURCES: list[tuple[dict[str, Any], list[str], int]] = [
    (
        {
            "name": "Riverside Hearing Voices Group",
            "offers": "A friendly peer group where people who hear voices share what helps.",
            "who_for": "Adults who hear voices or see things others do not",
            "how_to_contact": "Just turn up, or email first if you would like a hello at the door.",
            "email": "voices@riverside-groups.example.org",
            "opening_times": "Tuesdays 6pm to 8pm",
            "cost": Cost.FREE,
            "delivery": Delivery.IN_PERSON,
            "area": "Riverside",
            "address": "Riverside Library, Community Room, 4 Mill Lane",
        },
        ["Psychosis"],
        40,
    ),
    (
        {
            "name": "Open Door Grief Café",
            "offers": "Tea, cake and company with others who have lost someone. No pressure to "
            "talk.",
            "who_for": "Anyone who is bereaved",
            "phone": "01632 960 118",
            "opening_times": "First Saturday of the month, 10am to 12pm",
            "cost": Cost.FREE,
            "delivery": Delivery.IN_PERSON,
            "area": "Riverside",
            "address": "St Anne's Hall, Church Street",
        },
        ["Grief"],
        60,
    ),
    (
        {
            "name": "Calm Minds Online",
            "offers": "Weekly online groups for anxiety and low mood, led by trained volunteers.",
            "who_for": "Adults in the region living with anxiety or depression",
            "website": "https://calm-minds.example.org/",
            "opening_times": "Mondays and Thursdays, 7pm to 8pm",
            "cost": Cost.FREE,
            "delivery": Delivery.ONLINE,
        },
        ["Anxiety", "Depression"],
        20,
    ),
    (
        {
            "name": "Northgate Recovery Hub",
            "offers": "Drop-in support, mutual aid meetings and key workers for drug and alcohol "
            "recovery.",
            "who_for": "Adults affected by drugs or alcohol, and their families",
            "phone": "01632 960 245",
            "website": "https://northgate-recovery.example.org/",
            "opening_times": "Monday to Friday, 9am to 5pm",
            "cost": Cost.FREE,
            "delivery": Delivery.BOTH,
            "area": "Northgate",
            "address": "12 Station Road, Northgate",
        },
        ["Addiction"],
        100,
    ),
    (
        {
            "name": "Steady Steps Walking Group",
            "offers": "A gentle hour's walk along the river, with a café stop. Walkers of every "
            "pace welcome.",
            "who_for": "Anyone who would like company and fresh air",
            "how_to_contact": "Meet at the bandstand in Riverside Park; no need to book.",
            "opening_times": "Wednesdays 10:30am",
            "cost": Cost.FREE,
            "delivery": Delivery.IN_PERSON,
            "area": "Riverside",
        },
        ["Depression", "Anxiety"],
        30,
    ),
    (
        {
            "name": "Harbour Eating Support",
            "offers": "Peer support groups and one-to-one listening for people with eating "
            "difficulties.",
            "who_for": "People aged 16 and over with eating difficulties, and carers",
            "email": "hello@harbour-eating.example.org",
            "website": "https://harbour-eating.example.org/",
            "opening_times": "Groups on Wednesday evenings; email any time",
            "cost": Cost.LOW,
            "cost_detail": "Groups £2, or free if that is hard",
            "delivery": Delivery.BOTH,
            "area": "Hillford",
        },
        ["Eating difficulties"],
        150,
    ),
    (
        {
            "name": "Mood Swings Network",
            "offers": "Online meet-ups and a buddy scheme for people living with bipolar.",
            "who_for": "Adults living with bipolar, and their supporters",
            "website": "https://moodswings-network.example.org/",
            "opening_times": "Meet-ups every other Sunday, 4pm",
            "cost": Cost.FREE,
            "delivery": Delivery.ONLINE,
        },
        ["Bipolar"],
        90,
    ),
    (
        {
            "name": "Safe Haven Trauma Service",
            "offers": "Short courses on coping with the effects of trauma, and a listening line.",
            "who_for": "Adults who have lived through trauma",
            "phone": "01632 960 377",
            "opening_times": "Listening line Monday to Friday, 6pm to 10pm",
            "cost": Cost.VARIES,
            "cost_detail": "Listening line free; courses on a pay-what-you-can basis",
            "delivery": Delivery.BOTH,
            "area": "Riverside",
            "address": "The Old School House, Brook Street",
        },
        ["Trauma", "Self-harm"],
        200,
    ),
    (
        {
            "name": "Riverside Community Allotment",
            "offers": "Grow vegetables alongside others at your own pace. Tools and tea provided.",
            "who_for": "Anyone who would like something to do outdoors with others",
            "phone": "01632 960 512",
            "opening_times": "Saturdays and Sundays, 9am to 1pm",
            "cost": Cost.FREE,
            "delivery": Delivery.IN_PERSON,
            "area": "Riverside",
            "address": "Allotment site off Meadow Road",
        },
        ["Depression"],
        425,  # fourteen months: flagged for the coordinator to check
    ),
]


def _relationship_of(mentee: User) -> Relationship:
    return Relationship.objects.select_related("mentor__user").get(mentee=mentee)


def _make_room(world: DemoWorld) -> None:
    """Jordan and Priya each take one more mentee (the programme allows three)."""
    for key in ("mentor.jordan", "mentor.priya"):
        user = world.people[key]
        profile = MentorProfile.objects.get(
            user=user, organisation=world.organisations["riverside"]
        )
        profile_update(actor=user, profile=profile, data={"capacity": 3})


def _skill(organisation: Organisation, key: str) -> Skill:
    """A starter skill by its key, or a mentor's strategy by its title."""
    return Skill.objects.get(Q(starter_key=key) | Q(title=key), organisation=organisation)


def _share_and_practise(
    world: DemoWorld, organisation: Organisation, relationships: dict[str, Relationship]
) -> None:
    today = timezone.localdate()
    jamie_sessions = MentoringSession.objects.filter(
        relationship=relationships["mentee.jamie"], status=SessionStatus.HELD
    ).order_by("scheduled_for")
    for key, tried in _PRACTICE.items():
        skill = _skill(organisation, key)
        for mentee_key, ratings in tried.items():
            relationship = relationships[mentee_key]
            session = (
                jamie_sessions[1]
                if key == "box-breathing" and mentee_key == "mentee.jamie"
                else None
            )
            entry = skill_share(
                actor=relationship.mentor.user,
                skill=skill,
                relationship=relationship,
                session=session,
                note=_SHARE_NOTES.get(key, "") if mentee_key == "mentee.jamie" else "",
            ).entry
            weeks = len(ratings) + 1
            ToolkitEntry.objects.filter(pk=entry.pk).update(
                added_at=timezone.now() - timedelta(weeks=weeks)
            )
            for n, rating in enumerate(ratings):
                practised_on: date = today - timedelta(weeks=weeks - 1 - n, days=n % 3)
                practice_log(
                    actor=world.people[mentee_key],
                    entry=entry,
                    helpfulness=rating,
                    practised_on=min(practised_on, today),
                    note=_NOTES.get((key, mentee_key), "") if n == 0 else "",
                )


def _resources(world: DemoWorld, organisation: Organisation) -> list[CommunityResource]:
    coordinator = world.people["coordinator"]
    areas = {area.name: area for area in SupportArea.objects.filter(organisation=organisation)}
    today = timezone.localdate()
    return [
        resource_create(
            actor=coordinator,
            organisation=organisation,
            needs=[areas[name] for name in needs if name in areas],
            last_checked_on=today - timedelta(days=days),
            **fields,
        )
        for fields, needs, days in _RESOURCES
    ]


def build_toolkit(world: DemoWorld) -> None:
    for organisation in world.organisations.values():
        skills_load_starter(actor=None, organisation=organisation)
    riverside = world.organisations["riverside"]
    jordan, priya = world.people["mentor.jordan"], world.people["mentor.priya"]

    skill_create(actor=jordan, organisation=riverside, **_KETTLE)
    letter = skill_create(actor=priya, organisation=riverside, **_LETTER)
    skill_propose(actor=priya, skill=letter)

    _make_room(world)
    for key, name, mentor_key, areas in _MENTEES:
        demo_match(world, demo_person(world, key, name), mentor_key, areas)
    relationships = {
        key: _relationship_of(world.people[key])
        for key in ("mentee.jamie", "mentee.sky", *[row[0] for row in _MENTEES])
    }
    _share_and_practise(world, riverside, relationships)

    resources = {resource.name: resource for resource in _resources(world, riverside)}
    jamie, sky = world.people["mentee.jamie"], world.people["mentee.sky"]
    resource_recommend(
        actor=jordan,
        resource=resources["Steady Steps Walking Group"],
        person=jamie,
        note="You mentioned wanting to walk more. They are a friendly bunch.",
    )
    resource_recommend(actor=jordan, resource=resources["Calm Minds Online"], person=jamie)
    resource_recommend(
        actor=priya,
        resource=resources["Open Door Grief Café"],
        person=sky,
        note="Somewhere to go after our sessions end, if you would like.",
    )
