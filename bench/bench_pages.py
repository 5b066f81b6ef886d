"""Page timings and load (issues #5 and #7): `make bench-pages` / `make bench-load`.

In a database of its own (EMBEDDED_DB_NAME=councilarchive_pagebench, or BENCH_DATABASE_URL),
migrated and loaded with the sample packs (`manage.py ingest fixtures/packs`; files already
loaded are skipped), with production settings (DEBUG off, manifest static files collected into
var/pagebench-static, rate limits off):

1. server time per page type, in-process through Django's test Client: median and p95 over
   --requests warm requests (default 40) and the SQL queries each page runs; a page whose p95 is
   over 50 ms is flagged;
2. concurrent load: gunicorn (councilarchive.wsgi, gthread; GUNICORN_WORKERS x GUNICORN_THREADS,
   default 3 x 4 for 2 cores: processes for the CPU-bound rendering, threads to overlap the
   database round trips) on a free loopback port, driven by wrk with bench/wrk_mix.lua cycling a
   mix of search, meeting and councillor pages (+ home and committee): CONNECTIONS (50) for
   DURATION seconds (60) on WRK_THREADS (2); requests, requests/s, p50/p95/p99 and errors
   (socket errors + responses not 2xx/3xx). gunicorn is stopped afterwards in every case.

`--pages-only` / `--load-only` run one half (`make bench-load` is --load-only). A table, then one
JSON line of figures (with the load average when it ran: the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
BENCH_ENV = {
    "EMBEDDED_DB_NAME": "councilarchive_pagebench",
    "DEBUG": "0",
    "SECRET_KEY": "bench-pages-not-a-secret",
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
    "RATE_LIMIT_ENABLED": "0",
    "CONN_MAX_AGE": "60",  # as in production (DATABASE_URL): connections outlive a request
    "STATIC_ROOT": str(REPO / "var" / "pagebench-static"),
    "MEDIA_ROOT": str(REPO / "var" / "pagebench-media"),
    "LOG_LEVEL": "ERROR",
    "DJANGO_SETTINGS_MODULE": "councilarchive.settings",
}
for _name, _value in BENCH_ENV.items():
    os.environ.setdefault(_name, _value)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import Length  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from timing import median_p95  # noqa: E402

from councilarchive.archive.models import (  # noqa: E402
    Committee,
    Councillor,
    Meeting,
    Report,
    Topic,
)
from tests.processes import (  # noqa: E402
    database_url,
    free_port,
    start_gunicorn,
    stop_process,
    url_ready,
    wait_for,
)

LIMIT_MS = 50
SEARCHES = ["budget", "school", "children", "transport", "council tax", "social care"]


def prepare() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    started = time.monotonic()
    call_command("ingest", str(REPO / "fixtures" / "packs"), verbosity=0)
    print(
        f"database {connection.settings_dict['NAME']}: migrated, sample packs loaded"
        f" ({time.monotonic() - started:.0f}s)"
    )
    call_command("collectstatic", verbosity=0, interactive=False)


def page_targets() -> list[tuple[str, str]]:
    """(page type, path) for each page type, picking the biggest of each from the sample data."""
    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    meeting = Meeting.objects.annotate(n=Count("items", distinct=True)).order_by("-n", "pk").first()
    councillor = Councillor.objects.annotate(n=Count("votes")).order_by("-n", "pk").first()
    topic = (
        Topic.objects.annotate(
            n=Count("resolutions", distinct=True) + Count("reports", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )
    report = Report.objects.annotate(n=Length("body")).order_by("-n", "pk").first()
    if not all([committee, meeting, councillor, topic, report]):
        raise SystemExit("the sample packs did not load: no committee/meeting/councillor/...")
    return [
        ("home", "/"),
        (f"committee ({committee.n} meetings)", committee.get_absolute_url()),
        (f"meeting ({meeting.n} items)", f"/meetings/{meeting.pk}/"),
        (f"councillor ({councillor.n} votes)", councillor.get_absolute_url()),
        ("councillor index", "/councillors/"),
        (f"topic ({topic.n} records)", topic.get_absolute_url()),
        (f"report ({report.n} chars)", report.get_absolute_url()),
        ("search results", "/search/?q=budget"),
        ("resolutions search", "/search/resolutions/?q=budget"),
        ("committee feed", f"{committee.get_absolute_url()}feed/"),
        ("councillor feed", f"{councillor.get_absolute_url()}feed/"),
    ]


def time_pages(requests: int) -> list[dict]:
    client = Client()
    rows = []
    for name, path in page_targets():
        for _ in range(3):  # warm: templates compiled, connection open, caches filled
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name} {path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        # Counted now: the captured list is read from the connection's log, which the next
        # request clears.
        query_count = len(captured)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        median, p95 = median_p95(times)
        row = {
            "page": name,
            "path": path,
            "median_ms": round(median, 2),
            "p95_ms": round(p95, 2),
            "queries": query_count,
            "bytes": len(response.content),
        }
        row["over_limit"] = row["p95_ms"] > LIMIT_MS
        rows.append(row)
    return rows


def print_pages(rows: list[dict], requests: int) -> None:
    print(f"\nServer time per page, {requests} warm requests each (in-process, DEBUG off)")
    print(f"{'page':34} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'KB':>6}  path")
    for row in rows:
        flag = f"  OVER {LIMIT_MS} ms" if row["over_limit"] else ""
        print(
            f"{row['page']:34} {row['median_ms']:9.1f} {row['p95_ms']:8.1f} {row['queries']:7d}"
            f" {row['bytes'] / 1024:6.0f}  {row['path']}{flag}"
        )


def load_mix() -> list[str]:
    """About 30% search, 30% meeting, 30% councillor pages, 10% home and committee pages."""
    searches = [f"/search/?q={quote(q)}" for q in SEARCHES] + ["/search/resolutions/?q=budget"]
    meetings = [
        f"/meetings/{pk}/" for pk in Meeting.objects.order_by("pk").values_list("pk", flat=True)
    ]
    councillors = [
        c.get_absolute_url()
        for c in Councillor.objects.annotate(n=Count("votes")).order_by("-n", "pk")[:12]
    ]
    committees = [c.get_absolute_url() for c in Committee.objects.order_by("pk")]
    mix = []
    for turn in range(36):
        mix += [searches[turn % len(searches)], meetings[turn % len(meetings)]]
        mix.append(councillors[turn % len(councillors)])
        if turn % 3 == 0:
            mix.append("/" if turn % 2 == 0 else committees[turn % len(committees)])
    return mix


def gunicorn_size(workers: int, threads: int, kind: str) -> str:
    return f"{workers} {kind} workers" + (f" x {threads} threads" if kind == "gthread" else "")


def run_load(
    duration: int, connections: int, wrk_threads: int, workers: int, threads: int, kind: str
) -> dict:
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    mix = load_mix()
    port = free_port()
    env = dict(os.environ, DATABASE_URL=os.environ.get("DATABASE_URL") or database_url())
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    log_path = Path(tempfile.mkdtemp(prefix="bench-load-")) / "gunicorn.log"
    with open(log_path, "w+") as log:
        gunicorn = start_gunicorn(env, log, port, workers, threads, worker_class=kind)
        try:
            wait_for(url_ready(port), 60)
            for path in dict.fromkeys(mix):  # each page once, so the run starts warm
                url_ready(port, path)()
            print(
                f"\nLoad: wrk {connections} connections, {duration}s, {wrk_threads} wrk threads ->"
                f" gunicorn {gunicorn_size(workers, threads, kind)} on 127.0.0.1:{port};"
                f" {len(dict.fromkeys(mix))} distinct paths; load average before"
                f" {os.getloadavg()[0]:.2f}"
            )
            result = subprocess.run(
                [wrk, f"-t{wrk_threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
                + ["--latency", "-s", str(REPO / "bench" / "wrk_mix.lua")]
                + [f"http://127.0.0.1:{port}", "--", *mix],
                capture_output=True,
                text=True,
                timeout=duration + 60,
            )
            alive = gunicorn.poll() is None
        finally:
            stop_process(gunicorn)
        log.seek(0)
        server_log = log.read()
    print(result.stdout.rstrip())
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}): {result.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures.update(
        connections=connections,
        duration_s=duration,
        gunicorn=gunicorn_size(workers, threads, kind),
        gunicorn_alive_after=alive,
        load_average_after=round(os.getloadavg()[0], 2),
    )
    if "Traceback" in server_log or "Error" in server_log:
        print(f"gunicorn log ({log_path}):\n{server_log[-3000:]}")
    shutil.rmtree(log_path.parent, ignore_errors=True)
    print(
        f"requests {figures['requests']}, {figures['requests_per_s']:.1f} requests/s,"
        f" p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms,"
        f" p99 {figures['p99_ms']:.1f} ms, errors {figures['errors']}"
        f" (socket {figures['socket_errors']}, non-2xx/3xx {figures['non_2xx_3xx']});"
        f" load average after {figures['load_average_after']:.2f}"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--pages-only", action="store_true")
    which.add_argument("--load-only", action="store_true")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    args = parser.parse_args()
    duration = int(os.environ.get("DURATION", "60"))
    connections = int(os.environ.get("CONNECTIONS", "50"))
    wrk_threads = int(os.environ.get("WRK_THREADS", "2"))
    workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    kind = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")

    prepare()
    figures: dict = {"cores": os.cpu_count(), "load_average_start": round(os.getloadavg()[0], 2)}
    if not args.load_only:
        rows = time_pages(args.requests)
        print_pages(rows, args.requests)
        figures["pages"] = rows
        figures["pages_over_limit"] = [row["page"] for row in rows if row["over_limit"]]
        figures["load_average_after_pages"] = round(os.getloadavg()[0], 2)
    if not args.pages_only:
        figures["load"] = run_load(duration, connections, wrk_threads, workers, threads, kind)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
