"""The coordinator's matching pages: who may open them, what they show, and each action with good
and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from matching.models import MatchProposal, MatchRun, Origin, Place, ProposalStatus, RunStatus
from matching.selectors import places_left, profiles_with_room, referrals_to_match
from mentoring.models import RelationshipStatus
from mentors.models import MentorRequest
from referrals.models import Importance, Status
from tests.factories import UserFactory
from tests.matching.factories import MatchProposalFactory, PlaceFactory, RelationshipFactory
from tests.matching.test_runs import make_mentor, make_waiting
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
STAFF_HERE = {"coordinator", "admin"}


def page_of(response) -> str:
    return response.content.decode()


def fresh(proposal: MatchProposal) -> MatchProposal:
    return MatchProposal.objects.get(pk=proposal.pk)


@pytest.fixture
def staff(client_for, coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def second_mentor(organisation, english):
    return make_mentor(organisation, "Sasha", languages=["en"], slots=["mon_evening"])


@pytest.fixture
def finished_run(organisation, coordinator):
    return MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        mentees_considered=2,
        mentors_considered=1,
        proposed_count=1,
    )


@pytest.fixture
def objects(proposal, finished_run, organisation, second_mentor):
    return {
        "proposal": proposal,
        "run": finished_run,
        "referral": proposal.referral,
        "place": PlaceFactory(organisation=organisation, name="Hackney"),
        "mentor_id": second_mentor.pk,
    }


def _proposal(name):
    return lambda o: reverse(f"matching:{name}", args=[o["proposal"].pk])


# name -> (method, path, data, status for coordinator/admin, for the other organisation's
# coordinator)
ROUTES = {
    "overview": ("get", lambda o: reverse("matching:overview"), None, 200, 200),
    "run_start": ("post", lambda o: reverse("matching:run_start"), {}, 302, 302),
    "run_detail": (
        "get",
        lambda o: reverse("matching:run_detail", args=[o["run"].pk]),
        None,
        200,
        404,
    ),
    "proposal_detail": ("get", _proposal("proposal_detail"), None, 200, 404),
    "proposal_approve": ("post", _proposal("proposal_approve"), {}, 302, 404),
    "proposal_reject": ("post", _proposal("proposal_reject"), {"reason": ""}, 200, 404),
    "proposal_swap": ("get", _proposal("proposal_swap"), None, 200, 404),
    "proposal_swap_post": (
        "post",
        _proposal("proposal_swap"),
        lambda o: {"mentor": o["mentor_id"]},
        302,
        404,
    ),
    "proposal_undo": ("post", _proposal("proposal_undo"), {}, 302, 404),
    "suggestions": (
        "get",
        lambda o: reverse("matching:suggestions", args=[o["referral"].pk]),
        None,
        200,
        404,
    ),
    "suggestions_post": (
        "post",
        lambda o: reverse("matching:suggestions", args=[o["referral"].pk]),
        lambda o: {"mentor": o["mentor_id"]},
        302,
        404,
    ),
    "places": ("get", lambda o: reverse("matching:places"), None, 200, 200),
    "places_post": ("post", lambda o: reverse("matching:places"), {"name": ""}, 200, 200),
    "place_delete": (
        "get",
        lambda o: reverse("matching:place_delete", args=[o["place"].pk]),
        None,
        200,
        404,
    ),
    "place_delete_post": (
        "post",
        lambda o: reverse("matching:place_delete", args=[o["place"].pk]),
        {},
        302,
        404,
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_matching(
    route, person, objects, request, client_for
):
    method, make_path, data, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if callable(data):
        data = data(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path, data or {})
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(path, data or {})
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


def test_nobody_else_changes_anything(objects, request, client_for):
    proposal = objects["proposal"]
    for person in ("mentee", "mentor", "supervisor", "referrer", "other_org_coordinator"):
        client = client_for(request.getfixturevalue(person))
        client.post(reverse("matching:proposal_approve", args=[proposal.pk]))
        client.post(reverse("matching:proposal_reject", args=[proposal.pk]), {"reason": "No"})
        client.post(reverse("matching:proposal_undo", args=[proposal.pk]))
        client.post(reverse("matching:place_delete", args=[objects["place"].pk]))
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    assert Place.objects.filter(pk=objects["place"].pk).exists()


@pytest.mark.parametrize(
    "name", ["run_start", "proposal_approve", "proposal_reject", "proposal_undo"]
)
def test_actions_are_post_only(name, staff, objects):
    args = [] if name == "run_start" else [objects["proposal"].pk]
    assert staff.get(reverse(f"matching:{name}", args=args)).status_code == 405


# The overview ---------------------------------------------------------------------------------


def test_the_overview_shows_what_needs_doing(
    staff, organisation, coordinator, proposal, mentee, matchable_profile
):
    MentorRequest.objects.create(
        organisation=organisation, mentee=mentee, profile=matchable_profile
    )
    unmatched = make_waiting(organisation, "Farah Noor", languages=["so"], slots=["mon_evening"])
    MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        unmatched=[{"referral": unmatched.pk, "reason": "no available mentor shares a language"}],
    )
    offered = MatchProposalFactory(
        referral=make_waiting(organisation, "Gil", languages=["en"], slots=["mon_evening"]),
        mentor=matchable_profile,
        status=ProposalStatus.WITH_MENTOR,
        respond_by=timezone.now().replace(month=12, day=24),
    )

    html = page_of(staff.get(reverse("matching:overview")))

    assert html.count("<h1") == 1
    assert f'href="{reverse("matching:proposal_detail", args=[proposal.pk])}"' in html
    assert f"{proposal.referral.full_name} with {proposal.mentor.display_name}" in html
    assert "72% · fair match" not in html  # 0.72 reads as "good"
    assert "72% · good match" in html
    assert "Shares lived experience of anxiety · Both free on Monday evenings" in html
    assert "Asked for this mentor" in html
    assert "Farah Noor" in html
    assert "Not matched in the last run: no available mentor shares a language." in html
    assert reverse("matching:suggestions", args=[unmatched.pk]) in html
    assert f"{offered.referral.full_name} with {matchable_profile.display_name}" in html
    assert "24 December" in html
    assert f'asked for <span class="fw-semibold">{matchable_profile.display_name}' in html
    assert "Find matches for everyone waiting</button>" in html


def test_the_overview_counts(staff, organisation, proposal, offered_proposal):
    response = staff.get(reverse("matching:overview"))
    counts = response.context["counts"]
    # The shared proposal was offered: with the mentor, nothing left to review.
    assert counts["to_review"] == 0
    assert counts["with_mentors"] == 1
    assert counts["waiting"] == 0
    assert counts["mentors_with_places"] == 1  # capacity 2, one place held by the offer


def test_the_overview_counts_agree_with_the_lists_they_sum_up(staff, organisation, english):
    """The summary counts through indexes; each figure must equal what the lists it sums up
    would give when read row by row."""
    full = make_mentor(organisation, "Full", languages=["en"], slots=["mon_evening"], capacity=2)
    held = make_mentor(organisation, "Held", languages=["en"], slots=["mon_evening"], capacity=2)
    free = make_mentor(organisation, "Free", languages=["en"], slots=["mon_evening"], capacity=2)
    roomy = make_mentor(organisation, "Roomy", languages=["en"], slots=["mon_evening"], capacity=3)
    make_mentor(organisation, "Resting", languages=["en"], slots=["mon_evening"], capacity=0)
    for mentor, status in [
        (full, RelationshipStatus.ACTIVE),
        (full, RelationshipStatus.CLOSING),
        (held, RelationshipStatus.INTRODUCTION),
        (free, RelationshipStatus.ENDED),
        (free, RelationshipStatus.ENDED),
        (roomy, RelationshipStatus.ACTIVE),
    ]:
        RelationshipFactory(
            referral=ReferralFactory(organisation=organisation, mentee=UserFactory()),
            mentor=mentor,
            status=status,
        )
    waiting = [
        make_waiting(organisation, f"Person {n}", languages=["en"], slots=["mon_evening"])
        for n in range(4)
    ]
    MatchProposalFactory(referral=waiting[0], mentor=held, status=ProposalStatus.WITH_MENTEE)
    MatchProposalFactory(referral=waiting[1], mentor=free, status=ProposalStatus.REJECTED)
    MatchProposalFactory(referral=waiting[2], mentor=roomy)
    long_ago = timezone.now() - timedelta(days=45)
    for changed in (timezone.now() - timedelta(days=3), long_ago):
        MatchProposalFactory(
            referral=ReferralFactory(organisation=organisation, status=Status.MATCHED),
            mentor=free,
            status=ProposalStatus.ACCEPTED,
            status_changed_at=changed,
        )

    counts = staff.get(reverse("matching:overview")).context["counts"]

    with_room = profiles_with_room(organisation)
    assert counts["mentors_with_places"] == sum(1 for p in with_room if places_left(p) > 0) == 2
    assert counts["waiting"] == referrals_to_match(organisation).count() == 2
    assert counts["with_mentees"] == 1
    assert counts["to_review"] == 1
    assert counts["accepted"] == 1


def test_a_run_under_way_shows_its_progress_and_polls(staff, organisation, coordinator):
    run = MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.RUNNING,
        progress=40,
        progress_message="Finding the best matches for everyone at once",
    )
    html = page_of(staff.get(reverse("matching:overview")))
    assert '<progress id="run-progress" class="w-100" max="100" value="40">' in html
    assert f'hx-get="{reverse("matching:run_detail", args=[run.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert ">Refresh</a>" in html
    assert "Find matches for everyone waiting</button>" not in html


def test_the_status_poll_returns_the_status_alone_and_reloads_when_done(
    staff, organisation, finished_run
):
    path = reverse("matching:run_detail", args=[finished_run.pk])
    running = MatchRun.objects.create(organisation=organisation, status=RunStatus.RUNNING)
    response = staff.get(
        reverse("matching:run_detail", args=[running.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/matching/",
    )
    html = page_of(response)
    assert "<h1" not in html and 'id="run-status"' in html
    assert 'href="/matching/">Refresh' in html
    assert "HX-Refresh" not in response.headers

    done = staff.get(path, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in page_of(done)


def test_a_failed_run_says_so_in_plain_words(staff, organisation):
    MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.FAILED,
        error="Matching could not finish because of an unexpected error.",
    )
    html = page_of(staff.get(reverse("matching:overview")))
    assert "Matching could not finish" in html
    assert "Traceback" not in html


def test_the_overview_makes_a_fixed_number_of_queries(
    staff, organisation, matchable_profile, mentee, django_assert_max_num_queries
):
    """Every list on the page grows here: proposals to review (some asked for), offers out,
    people waiting (with the last run's reasons) and requests from the directory."""

    def add(count):
        start = MatchProposal.objects.count()
        unmatched = []
        for index in range(start, start + count):
            referral = make_waiting(
                organisation,
                f"Person {index}",
                languages=["en"],
                slots=["mon_evening"],
                with_account=True,
            )
            MatchProposalFactory(referral=referral, mentor=matchable_profile)
            MentorRequest.objects.create(
                organisation=organisation, mentee=referral.mentee, profile=matchable_profile
            )
            MatchProposalFactory(
                referral=make_waiting(
                    organisation, f"Offered {index}", languages=["en"], slots=["mon_evening"]
                ),
                mentor=matchable_profile,
                status=ProposalStatus.WITH_MENTOR,
            )
            alone = make_waiting(organisation, f"Alone {index}", languages=["so"], slots=[])
            unmatched.append({"referral": alone.pk, "reason": "no mentor shares a language"})
        MatchRun.objects.create(
            organisation=organisation,
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            unmatched=unmatched,
        )

    add(2)
    with CaptureQueriesContext(connection) as few:
        staff.get(reverse("matching:overview"))
    add(6)
    with CaptureQueriesContext(connection) as many:
        html = page_of(staff.get(reverse("matching:overview")))
    assert len(many) == len(few)
    assert html.count("Asked for this mentor") == 8
    assert html.count("Not matched in the last run") == 6
    with django_assert_max_num_queries(20):
        staff.get(reverse("matching:overview"))


# Runs -----------------------------------------------------------------------------------------


def test_finding_matches_runs_and_reports(
    staff, organisation, matchable_referral, matchable_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("matching:run_start"), follow=True)
    # Here the task runs once the request is over, as a background worker would.
    assert "Matching has started." in page_of(response)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.DONE
    assert MatchProposal.objects.get().referral == matchable_referral
    html = page_of(staff.get(reverse("matching:overview")))
    assert "and proposed 1 match;" not in html
    assert "and proposed 1 match." in html


def test_a_run_that_finishes_at_once_reports_what_it_found(
    staff, organisation, matchable_referral, matchable_profile, monkeypatch
):
    from matching.services import runs

    monkeypatch.setattr(runs.transaction, "on_commit", lambda callback, **kwargs: callback())
    response = staff.post(reverse("matching:run_start"), follow=True)
    assert "Matching finished: 1 match to review." in page_of(response)


def test_a_second_run_while_one_is_under_way_is_explained(staff, organisation):
    MatchRun.objects.create(organisation=organisation, status=RunStatus.QUEUED)
    response = staff.post(reverse("matching:run_start"), follow=True)
    assert "A matching run is already under way." in page_of(response)
    assert MatchRun.objects.count() == 1


def test_a_run_page_lists_who_could_not_be_matched_and_why(staff, organisation, coordinator):
    farah = make_waiting(organisation, "Farah Noor", languages=["so"], slots=["mon_evening"])
    run = MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        seconds=0.25,
        unmatched=[{"referral": farah.pk, "reason": "no available mentor shares a language"}],
    )
    html = page_of(staff.get(reverse("matching:run_detail", args=[run.pk])))
    assert "Farah Noor</span>: no available mentor shares a language." in html
    assert reverse("matching:suggestions", args=[farah.pk]) in html


# One proposal ---------------------------------------------------------------------------------


def test_a_proposal_page_says_why_the_pair_was_proposed(
    staff, proposal, organisation, mentee, second_mentor
):
    referral = proposal.referral
    referral.mentor_gender = "woman"
    referral.mentor_gender_importance = Importance.NICE
    referral.save()
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=second_mentor)
    proposal.reasons = [*proposal.reasons, "Preference not met: mentor gender woman"]
    proposal.save()

    response = staff.get(reverse("matching:proposal_detail", args=[proposal.pk]))
    html = page_of(response)

    assert html.count("<h1") == 1
    assert "Why this pair was proposed" in html
    for reason in proposal.reasons:
        assert reason in html
    assert "✗</span> Preference not met" in html
    assert '<strong>Anxiety</strong> <span class="small">(shared)</span>' in html
    assert "<strong>Monday evening</strong>" in html
    assert "Mentor&#x27;s gender: woman" in html and "(nice to have)" in html
    assert "1 place free, with this match already counted" in html
    assert "asked for Sasha" in html and "could also be matched" in html
    assert "Approve and offer to" in html
    assert "Reject this match" in html


def test_the_proposal_page_notes_when_this_is_the_mentor_they_asked_for(
    staff, proposal, organisation, mentee
):
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=proposal.mentor)
    html = page_of(staff.get(reverse("matching:proposal_detail", args=[proposal.pk])))
    assert "this is the mentor they asked for" in html


def test_approving_from_the_page(staff, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("matching:proposal_approve", args=[proposal.pk]), follow=True)
    assert fresh(proposal).status == ProposalStatus.WITH_MENTOR
    assert f"Approved. We have emailed {proposal.mentor.display_name}" in page_of(response)


def test_rejecting_without_a_reason_shows_the_error_by_the_field(staff, proposal):
    response = staff.post(reverse("matching:proposal_reject", args=[proposal.pk]), {"reason": " "})
    html = page_of(response)
    assert response.status_code == 200
    assert "Some answers need another look" in html
    assert 'aria-invalid="true"' in html
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_rejecting_with_a_reason(staff, proposal):
    response = staff.post(
        reverse("matching:proposal_reject", args=[proposal.pk]),
        {"reason": "They were at school together."},
        follow=True,
    )
    assert fresh(proposal).status == ProposalStatus.REJECTED
    assert "will not be proposed for" in page_of(response)


def test_rejecting_an_offer_explains_what_to_do_instead(staff, offered_proposal):
    response = staff.post(
        reverse("matching:proposal_reject", args=[offered_proposal.pk]),
        {"reason": "Changed my mind."},
        follow=True,
    )
    assert "undo it instead" in page_of(response)
    assert fresh(offered_proposal).status == ProposalStatus.WITH_MENTOR


def test_an_offered_proposal_shows_its_deadline_and_undo(staff, offered_proposal):
    html = page_of(staff.get(reverse("matching:proposal_detail", args=[offered_proposal.pk])))
    assert "They have until" in html
    assert "Undo this match</button>" in html
    assert "Approve and offer to" not in html


def test_undoing_from_the_page(staff, offered_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("matching:proposal_undo", args=[offered_proposal.pk]), follow=True
        )
    assert fresh(offered_proposal).status == ProposalStatus.UNDONE
    html = page_of(response)
    assert "is back on the waiting list" in html
    assert "This match is closed: undone by the coordinator" in html


def test_swapping_from_the_page(staff, proposal, second_mentor):
    page = page_of(staff.get(reverse("matching:proposal_swap", args=[proposal.pk])))
    assert "Swap to Sasha" in page
    assert f"Swap to {proposal.mentor.display_name}<" not in page

    response = staff.post(
        reverse("matching:proposal_swap", args=[proposal.pk]),
        {"mentor": second_mentor.pk},
        follow=True,
    )
    new = MatchProposal.objects.get(status=ProposalStatus.PROPOSED)
    assert new.mentor == second_mentor
    assert response.redirect_chain[-1][0] == reverse("matching:proposal_detail", args=[new.pk])
    assert "Swapped: Sasha is now proposed" in page_of(response)


def test_swapping_to_a_mentor_from_elsewhere_is_refused(staff, proposal, other_organisation):
    elsewhere = make_mentor(other_organisation, "Far", languages=["en"], slots=["mon_evening"])
    response = staff.post(
        reverse("matching:proposal_swap", args=[proposal.pk]), {"mentor": elsewhere.pk}, follow=True
    )
    assert "Choose one of the mentors listed." in page_of(response)
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_a_decided_proposal_cannot_be_swapped(staff, offered_proposal):
    response = staff.get(reverse("matching:proposal_swap", args=[offered_proposal.pk]), follow=True)
    assert "cannot be swapped" in page_of(response)


# Suggestions for one person -------------------------------------------------------------------


def test_suggestions_show_the_best_mentors_and_propose_one(
    staff, matchable_referral, matchable_profile, second_mentor
):
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    html = page_of(staff.get(path))
    assert html.count("<h1") == 1
    assert f"Propose {matchable_profile.display_name}" in html
    assert "Propose Sasha" in html
    assert "Both free on Monday evenings" in html

    response = staff.post(path, {"mentor": second_mentor.pk}, follow=True)
    proposal = MatchProposal.objects.get()
    assert (proposal.mentor, proposal.origin) == (second_mentor, Origin.SUGGESTION)
    assert response.redirect_chain[-1][0] == reverse("matching:proposal_detail", args=[proposal.pk])
    assert "Sasha is proposed for" in page_of(response)


def test_picking_the_mentor_they_asked_for_records_the_request(
    staff, organisation, mentee, matchable_referral, matchable_profile
):
    MentorRequest.objects.create(
        organisation=organisation, mentee=mentee, profile=matchable_profile
    )
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    html = page_of(staff.get(path))
    assert f"asked for {matchable_profile.display_name}</span>" in html
    assert "is among the suggestions below" in html
    staff.post(path, {"mentor": matchable_profile.pk})
    assert MatchProposal.objects.get().origin == Origin.REQUEST


def test_suggestions_say_why_the_mentor_they_asked_for_cannot_be_matched(
    staff, organisation, mentee, matchable_referral
):
    marek = make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=marek)
    html = page_of(staff.get(reverse("matching:suggestions", args=[matchable_referral.pk])))
    assert "Marek cannot be matched with them: they do not share a language." in html


def test_suggestions_when_nobody_fits_give_the_reason(staff, organisation):
    farah = make_waiting(organisation, "Farah", languages=["so"], slots=["mon_evening"])
    html = page_of(staff.get(reverse("matching:suggestions", args=[farah.pk])))
    assert "No mentor can be matched with Farah now:" in html
    assert "Propose" not in html


def test_suggestions_for_someone_with_a_match_on_its_way_link_to_it(staff, proposal):
    html = page_of(staff.get(reverse("matching:suggestions", args=[proposal.referral.pk])))
    assert "already has a match on its way" in html
    assert reverse("matching:proposal_detail", args=[proposal.pk]) in html
    assert 'name="mentor"' not in html


def test_proposing_a_mentor_who_does_not_fit_explains_why(staff, organisation, matchable_referral):
    marek = make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])
    response = staff.post(
        reverse("matching:suggestions", args=[matchable_referral.pk]),
        {"mentor": marek.pk},
        follow=True,
    )
    assert "This mentor cannot be matched with this person: they do not share a language." in (
        page_of(response)
    )
    assert not MatchProposal.objects.exists()


def test_suggestions_make_a_fixed_number_of_queries(
    staff, organisation, matchable_referral, django_assert_max_num_queries
):
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    make_mentor(organisation, "One", languages=["en"], slots=["mon_evening"])
    with CaptureQueriesContext(connection) as few:
        staff.get(path)
    for name in ("Two", "Three", "Four", "Five", "Six", "Seven"):
        make_mentor(organisation, name, languages=["en"], slots=["mon_evening"])
    with CaptureQueriesContext(connection) as many:
        staff.get(path)
    assert len(many) == len(few)
    with django_assert_max_num_queries(25):
        staff.get(path)


# Places ---------------------------------------------------------------------------------------


def test_adding_a_place(staff, organisation, coordinator, matchable_profile):
    matchable_profile.area = "Walthamstow"
    matchable_profile.save()
    html = page_of(staff.get(reverse("matching:places")))
    assert "Areas people gave that have no place yet" in html and "Walthamstow" in html
    assert "right-click" in html

    response = staff.post(
        reverse("matching:places"),
        {"name": "Walthamstow", "latitude": "51.5856", "longitude": "-0.0214"},
        follow=True,
    )
    place = Place.objects.get()
    assert (place.organisation, place.latitude, place.longitude) == (organisation, 51.5856, -0.0214)
    assert "Walthamstow is added." in page_of(response)
    assert "Areas people gave that have no place yet" not in page_of(response)
    assert AuditEvent.objects.filter(action="place.created").exists()


def test_coordinates_pasted_from_a_map_are_split(staff, organisation):
    staff.post(reverse("matching:places"), {"name": "Leeds", "latitude": "53.8008, -1.5491"})
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (53.8008, -1.5491)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Leeds", "latitude": "north", "longitude": "1"}, "Enter a number."),
        ({"name": "Leeds", "latitude": "95", "longitude": "1"}, "less than or equal to 90"),
        ({"name": "hackney", "latitude": "51", "longitude": "0"}, "already a place called"),
    ],
)
def test_a_bad_place_is_explained_and_what_was_typed_is_kept(staff, organisation, data, message):
    PlaceFactory(organisation=organisation, name="Hackney")
    response = staff.post(reverse("matching:places"), data)
    html = page_of(response)
    assert response.status_code == 200
    assert message in html
    assert f'value="{data["latitude"]}"' in html
    assert f'value="{data["name"]}"' in html
    assert Place.objects.count() == 1


def test_deleting_a_place_asks_first(staff, organisation):
    place = PlaceFactory(organisation=organisation, name="Leeds")
    path = reverse("matching:place_delete", args=[place.pk])
    html = page_of(staff.get(path))
    assert "Delete Leeds?" in html
    response = staff.post(path, follow=True)
    assert "Leeds is deleted." in page_of(response)
    assert not Place.objects.exists()
