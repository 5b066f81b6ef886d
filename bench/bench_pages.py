"""Page timings and load (issues #5 and #7): `make bench-pages` / `make bench-load`.

In a database of its own (EMBEDDED_DB_NAME=councilarchive_pagebench, or BENCH_DATABASE_URL),
migrated and loaded with the sample packs (`manage.py ingest fixtures/packs`; files already
loaded are skipped), with production settings (DEBUG off, manifest static files collected into
var/pagebench-static, rate limits off):

1. server time per page type, in-process through Django's test Client: median and p95 over
   --requests warm requests (default 40) and the SQL queries each page runs; a page whose p95 is
   over 50 ms is flagged;
2. concurrent load, page cache off and then on: gunicorn (councilarchive.wsgi, gthread;
   GUNICORN_WORKERS x GUNICORN_THREADS, default 3 x 4 for 2 cores: processes for the CPU-bound
   rendering, threads to overlap the database round trips) on a free loopback port with
   PAGE_CACHE_ENABLED=0, then =1, each driven by wrk with bench/wrk_mix.lua through two mixes in
   turn: "browse" (meeting, councillor, home, committee, topic, report, resolution, vote pages,
   feeds, iCal, sitemap, API lists) and "search" (a day's top queries, repeated). Every path is
   fetched once first (warm: templates, and the cache when on). CONNECTIONS (50) for DURATION
   seconds (60) on WRK_THREADS (2). One JSON line per run: {"mix", "cache", "connections",
   "seconds", "rps", "p50_ms", "p95_ms", "p99_ms", "errors" (socket errors + responses not
   2xx/3xx), "cache_hits", "load_before", "load_after", ...}, then a table and each mix's ratio
   against issue 16's targets (browse >= 10x with p95 <= 250 ms, search >= 2x, 0 errors).
   gunicorn is stopped afterwards in every case.

`--pages-only` / `--load-only` run one half (`make bench-load` is --load-only). A table, then one
JSON line of all figures (with the load average when it ran: the machine is shared).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
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
    "PAGE_CACHE_ENABLED": "0",  # server time is rendering time; the load half runs both
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
    Resolution,
    Topic,
    Vote,
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
TARGETS = {"browse": 10, "search": 2}  # issue 16: cache on / cache off requests/s


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


def load_mixes() -> dict[str, list[str]]:
    """The two mixes wrk cycles through, as a day's traffic might be.

    browse: meeting and councillor pages (a third each), then the home page, committees, the
    councillor index, topics, reports, resolutions, votes, feeds, the iCal file, the sitemap and
    the API's lists. search: a day's top queries, repeated (results pages, the resolutions list,
    a sorted and a filtered variant)."""
    meetings = [m.get_absolute_url() for m in Meeting.objects.order_by("pk")]
    councillors = [
        c.get_absolute_url()
        for c in Councillor.objects.annotate(n=Count("votes")).order_by("-n", "pk")[:12]
    ]
    committees = [c.get_absolute_url() for c in Committee.objects.order_by("pk")]
    others = ["/", "/councillors/", "/topics/", "/sitemap.xml", "/api/meetings/"]
    others += committees + [f"{url}meetings.ics" for url in committees[:2]]
    others += [f"{url}feed/" for url in committees[:2] + councillors[:2]]
    others += [t.get_absolute_url() for t in Topic.objects.order_by("pk")[:4]]
    others += [r.get_absolute_url() for r in Report.objects.order_by("pk")[:6]]
    others += [r.get_absolute_url() for r in Resolution.objects.order_by("pk")[:6]]
    others += [f"/votes/{pk}/" for pk in Vote.objects.order_by("pk").values_list("pk", flat=True)]
    browse = []
    for turn in range(max(len(meetings), len(councillors), len(others))):
        browse += [meetings[turn % len(meetings)], councillors[turn % len(councillors)]]
        browse.append(others[turn % len(others)])
    search = [f"/search/?q={quote(q)}" for q in SEARCHES]
    search += ["/search/resolutions/?q=budget", "/search/?q=budget&sort=newest"]
    search += [f"/search/?q=school&committee={committees[0].strip('/').split('/')[-1]}"]
    return {"browse": browse, "search": search}


def gunicorn_size(workers: int, threads: int, kind: str) -> str:
    return f"{workers} {kind} workers" + (f" x {threads} threads" if kind == "gthread" else "")


@contextmanager
def gunicorn_serving(cache: bool, workers: int, threads: int, kind: str):
    """gunicorn on a free loopback port with the page cache on or off; yields the port. Its log
    is printed if a request failed with a traceback; it is stopped in every case."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=os.environ.get("DATABASE_URL") or database_url())
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    env["PAGE_CACHE_ENABLED"] = "1" if cache else "0"
    log_path = Path(tempfile.mkdtemp(prefix="bench-load-")) / "gunicorn.log"
    with open(log_path, "w+") as log:
        gunicorn = start_gunicorn(env, log, port, workers, threads, worker_class=kind)
        try:
            wait_for(url_ready(port), 60)
            yield port
            if gunicorn.poll() is not None:
                raise SystemExit(f"gunicorn died during the run; its log: {log_path}")
        finally:
            stop_process(gunicorn)
        log.seek(0)
        server_log = log.read()
    if "Traceback" in server_log or "Error" in server_log:
        print(f"gunicorn log ({log_path}):\n{server_log[-3000:]}")
    else:
        shutil.rmtree(log_path.parent, ignore_errors=True)


def run_wrk(port: int, paths: list[str], duration: int, connections: int, wrk_threads: int):
    """wrk with bench/wrk_mix.lua over `paths`: the figures of its WRK_JSON line."""
    for path in dict.fromkeys(paths):  # each page once: warm (templates; the cache when on)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path)  # Host: 127.0.0.1:port, as wrk sends it
        status = connection.getresponse().status
        connection.close()
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    load_before = os.getloadavg()[0]
    result = subprocess.run(
        [shutil.which("wrk"), f"-t{wrk_threads}", f"-c{connections}", f"-d{duration}s"]
        + ["--timeout", "10s", "--latency", "-s", str(REPO / "bench" / "wrk_mix.lua")]
        + [f"http://127.0.0.1:{port}", "--", *paths],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["load_before"] = round(load_before, 2)
    figures["load_after"] = round(os.getloadavg()[0], 2)
    return figures


def run_load(
    duration: int, connections: int, wrk_threads: int, workers: int, threads: int, kind: str
) -> list[dict]:
    """Each mix against gunicorn with the page cache off, then on (warm): one JSON line a run."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    mixes = load_mixes()
    size = gunicorn_size(workers, threads, kind)
    print(
        f"\nLoad: wrk {connections} connections, {duration}s a run, {wrk_threads} wrk threads ->"
        f" gunicorn {size} on loopback; browse mix {len(set(mixes['browse']))} distinct paths,"
        f" search mix {len(set(mixes['search']))}; page cache off, then on (warmed first)"
    )
    runs = []
    for cache in (False, True):
        with gunicorn_serving(cache, workers, threads, kind) as port:
            for mix, paths in mixes.items():
                figures = run_wrk(port, paths, duration, connections, wrk_threads)
                run = {
                    "mix": mix,
                    "cache": "on" if cache else "off",
                    "connections": connections,
                    "seconds": figures["seconds"],
                    "rps": figures["requests_per_s"],
                    **{k: figures[k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")},
                    "errors": figures["errors"],
                    "socket_errors": figures["socket_errors"],
                    "non_2xx_3xx": figures["non_2xx_3xx"],
                    "requests": figures["requests"],
                    "cache_hits": figures["cache_hits"],
                    "gunicorn": size,
                    "load_before": figures["load_before"],
                    "load_after": figures["load_after"],
                }
                print(json.dumps(run))
                runs.append(run)
    print_load(runs)
    return runs


def print_load(runs: list[dict]) -> None:
    print(
        f"\n{'mix':7} {'cache':5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6} {'hits':>6}  load before/after"
    )
    for r in runs:
        print(
            f"{r['mix']:7} {r['cache']:5} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f}"
            f" {r['p99_ms']:8.1f} {r['errors']:6d} {r['cache_hits'] / max(r['requests'], 1):6.0%}"
            f"  {r['load_before']:.1f} / {r['load_after']:.1f}"
        )
    by = {(r["mix"], r["cache"]): r for r in runs}
    for mix, goal in TARGETS.items():
        on, off = by[(mix, "on")], by[(mix, "off")]
        ratio = on["rps"] / max(off["rps"], 0.1)
        met = ratio >= goal and on["errors"] == 0 and (mix != "browse" or on["p95_ms"] <= 250)
        wanted = f">= {goal}x" + (", p95 <= 250 ms" if mix == "browse" else "") + ", 0 errors"
        print(
            f"{mix}: cache on {ratio:.1f}x the requests/s of cache off (target {wanted}):"
            f" {'met' if met else 'NOT met'}"
        )


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
