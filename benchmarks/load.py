"""Load benchmark (issue 11): the main pages against a trivial Django view, under gunicorn.

Run with ``.venv/bin/python benchmarks/load.py --url postgresql://...`` (needs ``wrk``).

Twenty people of different roles (coordinators, mentors, mentees, supervisors, admins; see
benchmarks/load_people.py) are signed in, each on its own wrk connection (benchmarks/load.lua).
After a short warm-up, they all ask for a trivial page for ``--duration`` seconds, then each
asks for their own role's main pages in turn (dashboards, lists, the mentee's home, the reports
dashboard) for as long again. The main pages must hold at least 40% of the trivial page's
requests per second, and every answer must be a 2xx, or the run fails (exit code 1).

Both runs use the same gunicorn, workers, middleware and signed-in sessions; only the view
differs, so the ratio is what the pages themselves cost. Settings: benchmarks/load_settings.py
(production behaviour, DEBUG off). wrk runs on the same machine and takes some of its CPU in
both runs alike. Figures are recorded in docs/performance.md.

``--quick`` is a smoke run for CI against a small database: 5 seconds each, every answer must
still be a 2xx, and the ratio is printed but not judged (a few seconds on a few rows say nothing
about it).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO_ROOT)

import argparse
import http.client
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from benchmarks.load_people import Person

TARGET_RATIO = 0.40
LUA_SCRIPT = Path(__file__).with_name("load.lua")
SETTINGS_MODULE = "benchmarks.load_settings"


@dataclass(frozen=True)
class Result:
    """One wrk run, as load.lua's done() reports it."""

    name: str
    requests: int
    seconds: float
    answered: tuple[int, ...]  # by person, in plan order
    not_ok: int
    first_not_ok: str
    socket_errors: dict[str, int]  # connect, read, write, timeout (no answer within 30 s)
    latency_ms: dict[str, float]
    wrk_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def clean(self) -> bool:
        return self.requests > 0 and self.not_ok == 0 and not any(self.socket_errors.values())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL", ""), help="DATABASE_URL")
    parser.add_argument("--duration", type=int, default=60, help="seconds per scenario")
    parser.add_argument("--users", type=int, default=20, help="signed-in people (connections)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of main pages first")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 5 s each, ratio not judged"
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup = 5, 1
    if not args.url:
        parser.error("give --url or set DATABASE_URL")
    args.wrk = shutil.which("wrk")
    if args.wrk is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    return args


def configure_django(database_url: str) -> dict[str, str]:
    """Sets Django up here with the settings gunicorn will use, and returns gunicorn's environment.

    Sessions made here must be readable there: same settings, secret key and database.
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ.setdefault("ALONGSIDE_ENV", "development")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()
    return dict(os.environ)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(workers: int, environment: dict[str, str]) -> Iterator[int]:
    """Serves the project on a free loopback port with sync workers until the block ends."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "alongside.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=environment)
    try:
        wait_until_answering(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_answering(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit code {server.returncode}).")
        try:
            if status_of(port, "/healthz") == 200:
                return
        except OSError:  # refused while starting, or timed out while workers load the project
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute.")


def status_of(port: int, path: str, cookie: str = "") -> int:
    """The status of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return connection.getresponse().status
    finally:
        connection.close()


def check_every_page(port: int, people: list[Person], cookies: dict[int, str]) -> None:
    """Each person's pages answer 200 before timing starts: a refusal or redirect looks fast."""
    problems = [
        f"{page} answered {status} for {person.label}"
        for person in {person.membership.pk: person for person in people}.values()
        for page in person.pages
        if (status := status_of(port, page, cookies[person.membership.pk])) != 200
    ]
    if problems:
        raise SystemExit("Pages that did not answer 200:\n  " + "\n  ".join(problems))


def write_plan(folder: Path, name: str, lines: list[tuple[str, tuple[str, ...]]]) -> Path:
    """load.lua's plan: per person, the Cookie header, a tab, and the paths to take in turn."""
    plan = folder / f"{name}.plan"
    plan.write_text("".join(f"{cookie}\t{' '.join(paths)}\n" for cookie, paths in lines))
    return plan


def run_wrk(wrk: str, name: str, port: int, plan: Path, seconds: int) -> Result:
    """One wrk run with a thread and a connection per person in the plan."""
    people = len(plan.read_text().splitlines())
    command = [wrk, f"-t{people}", f"-c{people}", f"-d{seconds}s", "--timeout=30s"]
    command += [f"-s{LUA_SCRIPT}", f"http://127.0.0.1:{port}"]
    environment = {**os.environ, "LOAD_PLAN": str(plan)}
    before = children_cpu_seconds()
    output = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=True
    ).stdout
    wrk_cpu_seconds = children_cpu_seconds() - before
    line = next((row for row in output.splitlines() if row.startswith("LOAD_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    data = json.loads(line.removeprefix("LOAD_RESULT "))
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        answered=tuple(data["answered"]),
        not_ok=data["not_ok"],
        first_not_ok=data["first_not_ok"],
        socket_errors=data["errors"],
        latency_ms={key: value / 1000 for key, value in data["latency_us"].items()},
        wrk_cpu_seconds=wrk_cpu_seconds,
    )


def children_cpu_seconds() -> float:
    """CPU time of finished child processes: taken around a wrk run, what wrk itself used."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe_machine(wrk: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), load average before the run {load_average()}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, wrk {wrk_version[1]}"
    )


def load_average() -> str:
    """What else keeps the machine busy: the 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def print_results(results: list[Result]) -> None:
    print(
        f"{'pages':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8} {'not 2xx':>8} {'errors':>7} {'wrk CPU':>8}"
    )
    for result in results:
        latency = result.latency_ms
        print(
            f"{result.name:8} {result.requests:9d} {result.per_second:8.1f} {latency['p50']:8.1f}"
            f" {latency['p90']:8.1f} {latency['p99']:8.1f} {latency['max']:8.1f}"
            f" {result.not_ok:8d} {sum(result.socket_errors.values()):7d}"
            f" {result.wrk_cpu_seconds / result.seconds:7.0%}"
        )
        if result.first_not_ok:
            print(f"{'':8} first answer outside 2xx: {result.first_not_ok}")
        if any(result.socket_errors.values()):
            kinds = ", ".join(f"{n} {kind}" for kind, n in result.socket_errors.items() if n)
            print(f"{'':8} errors: {kinds}")


def print_by_role(results: list[Result], people: list[Person]) -> None:
    """Requests per second each role's people got: who waits on the slow pages."""
    for result in results:
        by_role: Counter[str] = Counter()
        for person, answered in zip(people, result.answered, strict=True):
            by_role[str(person.membership.role)] += answered
        print(
            f"{result.name:8} req/s by role: "
            + ", ".join(f"{role} {count / result.seconds:.1f}" for role, count in by_role.items())
        )


def main() -> int:
    args = parse_args()
    environment = configure_django(args.url)
    from benchmarks.load_people import choose_people, describe_database, signed_in
    from benchmarks.load_urls import TRIVIAL_PATH

    people = choose_people(args.users)
    roles = Counter(str(person.membership.role) for person in people)
    distinct = len({person.membership.pk for person in people})
    print(f"machine: {describe_machine(args.wrk)}")
    print(f"database: {describe_database()}")
    print(f"server: gunicorn {args.workers} sync workers, settings {SETTINGS_MODULE}")
    print(
        f"load: wrk, {len(people)} connections, one signed-in person each ({distinct} distinct: "
        + ", ".join(f"{count} {role}" for role, count in roles.items())
        + f"); {args.warmup} s warm-up, then {args.duration} s per run"
    )
    with (
        signed_in(people) as cookies,
        gunicorn(args.workers, environment) as port,
        tempfile.TemporaryDirectory() as folder,
    ):
        check_every_page(port, people, cookies)
        trivial_plan = write_plan(
            Path(folder),
            "trivial",
            [(cookies[person.membership.pk], (TRIVIAL_PATH,)) for person in people],
        )
        main_plan = write_plan(
            Path(folder),
            "main",
            [(cookies[person.membership.pk], person.pages) for person in people],
        )
        if args.warmup:
            run_wrk(args.wrk, "warm-up", port, main_plan, args.warmup)
        trivial = run_wrk(args.wrk, "trivial", port, trivial_plan, args.duration)
        main_pages = run_wrk(args.wrk, "main", port, main_plan, args.duration)
    print_results([trivial, main_pages])
    print_by_role([trivial, main_pages], people)
    print(f"load average after the run: {load_average()}; wrk CPU: its share of one CPU")
    return 0 if judge(trivial, main_pages, quick=args.quick) else 1


def judge(trivial: Result, main_pages: Result, *, quick: bool) -> bool:
    """Prints the ratio and whether the run passed: clean answers, and the target unless quick."""
    ratio = main_pages.per_second / trivial.per_second
    clean = trivial.clean and main_pages.clean
    if quick:
        passed = clean
        verdict = f"not judged in a quick run; answers {'all 2xx' if clean else 'NOT all 2xx'}"
    else:
        passed = clean and ratio >= TARGET_RATIO
        verdict = f"target at least {TARGET_RATIO:.0%}"
    print(f"ratio main/trivial: {ratio:.1%} ({verdict}): {'PASS' if passed else 'FAIL'}")
    return passed


if __name__ == "__main__":
    sys.exit(main())
