"""Speed of every dashboard and list page (issue 11): ``.venv/bin/python benchmarks/pages.py``.

Seeds a fresh database with ``manage.py seed_demo --scale N`` (``--scale``, default 200), or
uses one already seeded (``--reuse``), then signs in as one person per role and requests each
page of docs/performance.md in-process through Django's test client: a warm-up request, one
with the cache cleared (timed and counted as "first": the reports pages keep what they worked
out for five minutes), one that counts the queries, then ``--repeat`` timed requests. It
prints, per page, the role, the URL name, the status, the first request's time and queries, the
median and 95th percentile in milliseconds and the number of queries. On PostgreSQL it then runs
EXPLAIN (ANALYZE) on the queries of the reports dashboard and the compliance page (cache
cleared) and counts index scans against sequential scans of large tables.

The database is ``DATABASE_URL`` (default: a new SQLite file in a temporary folder). The
targets: median under 300 ms and 95th percentile under 1 s on every page; ``--check`` exits
non-zero when one is missed (CI runs ``--scale 200``). Figures are in docs/performance.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; the repository root takes its
# place so that the project's apps can be imported.
REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO_ROOT)

import argparse
import os
import platform
import re
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

MEDIAN_TARGET_MS = 300
P95_TARGET_MS = 1_000
# A sequential scan of a table this small costs nothing; larger ones are listed by name.
LARGE_TABLE_ROWS = 10_000
INDEX_SCANS = ("Index Scan", "Index Only Scan", "Bitmap Index Scan")
# A plan line that reads a table: "Index Scan using <index> on <table>", "Seq Scan on <table>";
# a Bitmap Index Scan names only its index ("Bitmap Index Scan on <index>").
SCAN_NODE = re.compile(
    r"(Seq Scan|Index Only Scan|Bitmap Index Scan|Index Scan)(?: using (\S+))? on (\S+)"
)


@dataclass(frozen=True)
class Page:
    role: str
    url_name: str


# Every dashboard and list page, by the role that uses it (docs/performance.md lists them too).
PAGES = [
    Page("coordinator", "dashboard"),
    Page("coordinator", "referrals:queue"),
    Page("coordinator", "referrals:waiting_list"),
    Page("coordinator", "matching:overview"),
    Page("coordinator", "mentoring:relationships"),
    Page("coordinator", "mentoring:check_ins"),
    Page("coordinator", "safeguarding:alerts"),
    Page("coordinator", "safeguarding:rota"),
    Page("coordinator", "outcomes:programme"),
    Page("coordinator", "toolkit:insights"),
    Page("coordinator", "toolkit:skills"),
    Page("coordinator", "toolkit:resources"),
    Page("coordinator", "mentors:board"),
    Page("coordinator", "mentors:trainees"),
    Page("coordinator", "mentors:directory"),
    Page("coordinator", "mentors:supervision"),
    Page("coordinator", "people"),
    Page("coordinator", "privacy:index"),
    Page("coordinator", "reports:dashboard"),
    Page("coordinator", "reports:compliance"),
    Page("admin", "dashboard"),
    Page("admin", "audit:search"),
    Page("admin", "privacy:index"),
    Page("supervisor", "dashboard"),
    Page("supervisor", "mentors:supervision"),
    Page("supervisor", "mentoring:flagged"),
    Page("mentor", "dashboard"),
    Page("mentor", "mentoring:index"),
    Page("mentor", "matching:mentor_offers"),
    Page("mentee", "dashboard"),
    Page("mentee", "mentoring:index"),
    Page("mentee", "outcomes:mine"),
    Page("mentee", "toolkit:mine"),
    Page("referrer", "dashboard"),
    Page("referrer", "referrals:partner_list"),
]


@dataclass(frozen=True)
class Result:
    page: Page
    url: str
    status: int
    first_ms: float
    first_queries: int
    median_ms: float
    p95_ms: float
    queries: int

    @property
    def missed(self) -> bool:
        return (
            self.status != 200 or self.median_ms >= MEDIAN_TARGET_MS or self.p95_ms >= P95_TARGET_MS
        )


# --- the database ------------------------------------------------------------------------------


def configure_django(database_url: str) -> None:
    """Development settings (the demo's people need no MFA there) without DEBUG, so that
    Django does not keep every query in memory while timing."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("ALONGSIDE_ENV", "development")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()


def seed(scale: int) -> float:
    """Migrates and seeds the database; returns the seconds it took."""
    from django.core.management import call_command, get_commands

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if "seed_demo" in get_commands():
        call_command("seed_demo", scale=scale, org="national", verbosity=0)
    else:  # Until seed_demo exists: the small hand-written demo.
        call_command("load_demo", verbosity=0)
    return time.perf_counter() - started


# --- who signs in --------------------------------------------------------------------------------


def busiest_organisation() -> Any:
    from django.db.models import Count

    from accounts.models import Organisation

    return (
        Organisation.objects.annotate(relationship_count=Count("relationships"))
        .order_by("-relationship_count", "pk")
        .first()
    )


def people_by_role(organisation: Any) -> dict[str, Any]:
    """One active membership per role in the organisation: seed_demo's sign-in accounts
    (``coordinator@<slug>.example`` and so on) when they are there, otherwise whoever has most
    to show: the supervisor with most mentors, a mentor and a mentee in a current relationship."""
    from django.db.models import Count, Q

    from accounts.models import Membership, Role
    from mentoring.models import Relationship, RelationshipStatus

    members = Membership.objects.filter(
        organisation=organisation, is_active=True, user__is_active=True
    ).select_related("user", "organisation")
    chosen = {
        role: members.filter(role=role, user__email__istartswith=f"{role}@").first()
        for role in Role.values
    }
    relationship = (
        Relationship.objects.filter(
            organisation=organisation, status__in=RelationshipStatus.current()
        )
        .select_related("mentor")
        .order_by("pk")
        .first()
    )
    if relationship is not None:
        chosen["mentor"] = (
            chosen["mentor"]
            or members.filter(user=relationship.mentor.user_id, role=Role.MENTOR).first()
        )
        chosen["mentee"] = (
            chosen["mentee"]
            or members.filter(user=relationship.mentee_id, role=Role.MENTEE).first()
        )
    chosen["supervisor"] = chosen["supervisor"] or (
        members.filter(role=Role.SUPERVISOR)
        .annotate(
            mentors=Count(
                "user__supervised_mentor_profiles",
                filter=Q(user__supervised_mentor_profiles__organisation=organisation),
            )
        )
        .order_by("-mentors", "pk")
        .first()
    )
    for role in Role.values:
        chosen[role] = chosen[role] or members.filter(role=role).order_by("pk").first()
    return {role: membership for role, membership in chosen.items() if membership is not None}


def signed_in_client(membership: Any) -> Any:
    """A test client signed in as the member, in their organisation, with MFA set up when
    their role needs it (as staff have in real use)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from accounts.mfa_policy import mfa_setup_required
    from accounts.middleware import ACTIVE_MEMBERSHIP_KEY

    if mfa_setup_required(membership.user, membership):
        TOTP.activate(membership.user, generate_totp_secret())
    client = Client(raise_request_exception=False)
    client.force_login(membership.user)
    session = client.session
    session[ACTIVE_MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


# --- timing ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def time_page(client: Any, page: Page, repeat: int) -> Result:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse(page.url_name)
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/"):
        url = response["Location"]  # e.g. a mentee's mentoring page opens their relationship
    # The first request after the cache is cleared: the reports pages keep what they worked out
    # for a few minutes (reports/cache.py), so this is what the first coordinator waits for.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(url)
        first_ms = (time.perf_counter() - started) * 1000
    first_queries = len(captured)  # read now: the next request clears Django's query log
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return Result(
        page=page,
        url=url,
        status=response.status_code,
        first_ms=first_ms,
        first_queries=first_queries,
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        queries=queries,
    )


# --- query plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    queries: int
    scans: Counter[str]
    large_seq_scans: Counter[str]
    indexes: Counter[str]


def explain_page(client: Any, url_name: str) -> PlanSummary:
    """EXPLAIN (ANALYZE) of every SELECT the page runs, with nothing kept in the cache
    (PostgreSQL only)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(url_name))
    selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    sizes = table_sizes()
    scans: Counter[str] = Counter()
    large_seq_scans: Counter[str] = Counter()
    indexes: Counter[str] = Counter()
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)
            for (line,) in cursor.fetchall():
                node = SCAN_NODE.search(line)
                if node is None:
                    continue
                kind, index, table = node.groups()
                if kind == "Bitmap Index Scan":
                    index, table = table, None
                scans[kind] += 1
                if index:
                    indexes[index] += 1
                if kind == "Seq Scan" and sizes.get(table, 0) >= LARGE_TABLE_ROWS:
                    large_seq_scans[table] += 1
    return PlanSummary(len(selects), scans, large_seq_scans, indexes)


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


# --- report --------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        database += f" {connection.pg_version // 10000}"  # type: ignore[attr-defined]
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{database}, load average {os.getloadavg()[0]:.2f}"
    )


def data_size() -> str:
    from accounts.models import Membership, Role
    from mentoring.models import MentoringSession, Relationship
    from referrals.models import Referral

    mentors = Membership.objects.filter(role=Role.MENTOR).count()
    return (
        f"{mentors:,} mentors, {Referral.objects.count():,} referrals, "
        f"{Relationship.objects.count():,} relationships, "
        f"{MentoringSession.objects.count():,} sessions"
    )


def print_results(results: list[Result]) -> None:
    first = f"{'first ms':>9} {'queries':>7}"
    header = f"{'role':<12} {'page':<28} {'status':>6} {first} {'median ms':>10} {'p95 ms':>8}"
    print(f"{header} {'queries':>8}  url")
    for r in results:
        flag = "  MISSED" if r.missed else ""
        print(
            f"{r.page.role:<12} {r.page.url_name:<28} {r.status:>6} {r.first_ms:>9.1f} "
            f"{r.first_queries:>7} {r.median_ms:>10.1f} "
            f"{r.p95_ms:>8.1f} {r.queries:>8}  {r.url}{flag}"
        )
    slowest = max(results, key=lambda r: r.median_ms)
    worst_p95 = max(results, key=lambda r: r.p95_ms)
    print(
        f"slowest median: {slowest.page.url_name} ({slowest.page.role}) {slowest.median_ms:.1f} ms "
        f"= {slowest.median_ms / MEDIAN_TARGET_MS:.2f} of the {MEDIAN_TARGET_MS} ms target; "
        f"worst p95: {worst_p95.page.url_name} ({worst_p95.page.role}) {worst_p95.p95_ms:.1f} ms "
        f"= {worst_p95.p95_ms / P95_TARGET_MS:.2f} of the {P95_TARGET_MS} ms target"
    )


def print_plan(url_name: str, plan: PlanSummary) -> None:
    scans = ", ".join(f"{kind} {plan.scans[kind]}" for kind in (*INDEX_SCANS, "Seq Scan"))
    print(f"\nEXPLAIN ANALYZE of {url_name}: {plan.queries} SELECT queries; {scans}")
    large = ", ".join(f"{table} x{n}" for table, n in plan.large_seq_scans.most_common())
    print(f"sequential scans of tables over {LARGE_TABLE_ROWS:,} rows: {large or 'none'}")
    used = ", ".join(f"{index} x{n}" for index, n in plan.indexes.most_common())
    print(f"indexes used: {used or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=200, help="seed_demo --scale (default 200)")
    parser.add_argument("--reuse", action="store_true", help="use the seeded DATABASE_URL as is")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", nargs="*", default=[], help="only these URL names")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='alongside-pages-')}/bench.sqlite3"
    )
    if args.reuse and "DATABASE_URL" not in os.environ:
        parser.error("--reuse needs DATABASE_URL")
    configure_django(database_url)
    if not args.reuse:
        print(f"Seeding at --scale {args.scale}: {seed(args.scale):.1f} s")
    print(f"Machine: {machine()}")
    print(f"Data: {data_size()}")

    organisation = busiest_organisation()
    people = people_by_role(organisation)
    clients = {role: signed_in_client(membership) for role, membership in people.items()}
    print(f"Organisation: {organisation.name}; signed in as {', '.join(sorted(clients))}\n")

    pages = [p for p in PAGES if not args.only or p.url_name in args.only]
    results = [time_page(clients[p.role], p, args.repeat) for p in pages if p.role in clients]
    print_results(results)

    from django.db import connection

    if connection.vendor == "postgresql" and "coordinator" in clients:
        for url_name in ("reports:dashboard", "reports:compliance"):
            if not args.only or url_name in args.only:
                print_plan(url_name, explain_page(clients["coordinator"], url_name))

    missing = sorted({p.role for p in pages} - set(clients))
    if missing:  # seed_demo's programmes have no partner referrers
        print(f"\nNot timed, as nobody has the role: {', '.join(missing)}")
    missed = [r for r in results if r.missed]
    print(f"\n{len(results) - len(missed)} of {len(results)} pages within the targets")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
