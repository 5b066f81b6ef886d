"""Search benchmark (issue #4): `make bench-search PAGES=N`.

Builds (or reuses) a synthetic corpus of N pages recombined from the real sample packs in a
database of its own (EMBEDDED_DB_NAME=councilarchive_searchbench, or BENCH_DATABASE_URL), then
measures, warm, the full results page (`councilarchive.search.query.search`: top 20 with
snippets, facets and the hit count) for seven query classes, against SQLite FTS5 (bm25 + snippet
+ count) on the same pages, and the overlap of our top 20 with the exhaustive ts_rank_cd top 20
(`overlap`: the same pages; `overlap_ties`: pages scoring at least the exhaustive 20th, as good
an answer; `rank_mass`: our top 20's total ts_rank_cd over the exhaustive top 20's).
Prints a table and one JSON line per query class.

`--floor` adds `floor_p50_ms` / `floor_p95_ms`: what PostgreSQL alone takes for the core of that
page when the answer is known in advance (an oracle): one statement (the page's own SQL, compiled
once, so no ORM time) fetching the exhaustive top 20 pages by key with their ranks and snippets,
and the planner's estimate of the hit count. No facets, no other record types, and nothing spent
finding those 20: no results page on this stack can be faster, so it tells a target this design
might still reach from one it cannot.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("EMBEDDED_DB_NAME", "councilarchive_searchbench")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilarchive.settings")

import django  # noqa: E402

django.setup()

from corpus import PAGES_PER_DOCUMENT, Corpus, copy_pages  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from timing import median_p95  # noqa: E402

from councilarchive.archive.models import (  # noqa: E402
    SEARCH_CONFIG,
    Committee,
    Council,
    Document,
    Page,
)
from councilarchive.search.query import search  # noqa: E402
from councilarchive.search.ranking import RANK_NORMALISATION, matching, ranked  # noqa: E402
from councilarchive.search.sources import SOURCE  # noqa: E402

BENCH_COUNCIL = "Benchmark Borough Council"
COMMITTEES = [
    "Cabinet",
    "Full Council",
    "Planning Committee",
    "Scrutiny Committee",
    "Health and Wellbeing Board",
    "Audit Committee",
]
QUERIES = [
    ("rare", "exchequer"),
    ("medium", "treasury"),
    ("common", "council"),
    ("and", "budget savings"),
    ("phrase", '"local transport plan"'),
    ("or", "libraries OR museums"),
    ("negation", "budget -capital"),
]


# -- building the corpus ------------------------------------------------------------------------
def documents_for(n_pages: int) -> list[int]:
    council, _ = Council.objects.get_or_create(name=BENCH_COUNCIL)
    committees = [
        Committee.objects.get_or_create(
            council=council, slug=name.lower().replace(" ", "-"), defaults={"name": name}
        )[0]
        for name in COMMITTEES
    ]
    existing = list(
        Document.objects.filter(council=council).order_by("pk").values_list("pk", flat=True)
    )
    needed = -(-n_pages // PAGES_PER_DOCUMENT)
    import datetime as dt

    new = [
        Document(
            council=council,
            committee=committees[i % len(committees)],
            file=f"bench/{i}.pdf",
            sha256=f"bench{i:059d}",
            title=f"Synthetic pack {i}",
            status=Document.Status.LOADED,
            meeting_date_hint=dt.date(2010, 1, 1) + dt.timedelta(days=(i * 3) % 5800),
        )
        for i in range(len(existing), needed)
    ]
    Document.objects.bulk_create(new, batch_size=2000)
    return list(
        Document.objects.filter(council=council).order_by("pk").values_list("pk", flat=True)
    )


def _copy_range(args) -> int:
    start, stop, document_ids = args
    import psycopg

    settings = connection.settings_dict
    conn = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings.get("PASSWORD") or None,
        dbname=settings["NAME"],
        autocommit=False,
    )
    with conn:
        copy_pages(conn, Corpus(), start, stop, document_ids)
    return stop - start


PAGE_INDEXES = {  # as models.Page declares them (migrations 0004 and 0007)
    "page_search": "search_vector",
    "page_impact": "search_impact(search_vector)",
}


def build(n_pages: int) -> float:
    """Top the corpus up to n_pages; returns seconds spent (0 when reused)."""
    have = Page.objects.filter(document__council__name=BENCH_COUNCIL).count()
    if have >= n_pages:
        print(f"corpus: reusing {have:,} pages", file=sys.stderr)
        return 0.0
    started = time.monotonic()
    document_ids = documents_for(n_pages)
    big = n_pages - have > 50_000
    with connection.cursor() as cur:
        if big:  # build the GIN indexes once at the end, not row by row
            for name in PAGE_INDEXES:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
    step = 20_000
    ranges = [(s, min(s + step, n_pages), document_ids) for s in range(have, n_pages, step)]
    done = have
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for count in pool.map(_copy_range, ranges):
            done += count
            rate = (done - have) / (time.monotonic() - started)
            print(
                f"\rcorpus: {done:,}/{n_pages:,} pages ({rate:,.0f} pages/s)",
                end="",
                file=sys.stderr,
                flush=True,
            )
    print(file=sys.stderr)
    with connection.cursor() as cur:
        if big:
            cur.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in PAGE_INDEXES.items():
                print(f"corpus: building the GIN index {name}…", file=sys.stderr)
                cur.execute(f"CREATE INDEX {name} ON archive_page USING gin ({definition})")
        cur.execute("VACUUM ANALYZE archive_page")
    return time.monotonic() - started


def build_fts5(n_pages: int, path: Path) -> sqlite3.Connection:
    marker = path.with_suffix(".n")
    if path.exists() and marker.exists() and int(marker.read_text()) == n_pages:
        return sqlite3.connect(path)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')"
    )
    corpus = Corpus()
    started = time.monotonic()
    batch = []
    for n, text in corpus.pages(0, n_pages):
        batch.append((n + 1, text))
        if len(batch) == 10_000:
            db.executemany("INSERT INTO pages(rowid, text) VALUES (?, ?)", batch)
            batch.clear()
            print(f"\rfts5: {n + 1:,}/{n_pages:,} pages", end="", file=sys.stderr, flush=True)
    db.executemany("INSERT INTO pages(rowid, text) VALUES (?, ?)", batch)
    db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    db.commit()
    print(f"\nfts5: built in {time.monotonic() - started:.0f}s", file=sys.stderr)
    marker.write_text(str(n_pages))
    return db


# -- measuring --------------------------------------------------------------------------------
def fts5_query(text: str) -> str:
    """The same query in FTS5's syntax: AND by default, OR, NOT, "phrases"."""
    words = text.split()
    if "OR" in words:
        return " OR ".join(w for w in words if w != "OR")
    positive = [w for w in words if not w.startswith("-")]
    negative = [w[1:] for w in words if w.startswith("-")]
    query = " AND ".join(positive)
    return query + "".join(f" NOT {w}" for w in negative)


def time_runs(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return median_p95(times)


def exhaustive_top20(text: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM archive_page, websearch_to_tsquery(%s::regconfig, %s) q "
            "WHERE search_vector @@ q ORDER BY ts_rank_cd(search_vector, q, %s) DESC, id LIMIT 20",
            [SEARCH_CONFIG, text, RANK_NORMALISATION],
        )
        return [row[0] for row in cur.fetchall()]


def exhaustive_ranks(text: str, ids: list[int]) -> list[float]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT ts_rank_cd(search_vector, websearch_to_tsquery(%s::regconfig, %s), %s) "
            "FROM archive_page WHERE id = ANY(%s)",
            [SEARCH_CONFIG, text, RANK_NORMALISATION, ids],
        )
        return sorted((row[0] for row in cur.fetchall()), reverse=True)


def floor_runs(text: str, answer: list[int], runs: int) -> tuple[float, float]:
    """The oracle floor (see the module's docstring) for `text`, whose top 20 is `answer`: the
    results page's own rank, snippet and estimate SQL, compiled once, run straight."""
    pages = (
        ranked(Page.objects.all(), text)
        .filter(pk__in=answer)
        .annotate(headline=SOURCE["page"].headline(text))
        .order_by("-rank")
        .values_list("pk", "rank", "headline")
    )
    matches = matching(Page.objects.all(), text).order_by().values("pk")  # as ranking.estimate()
    page_sql = pages.query.sql_with_params()
    sql, params = matches.query.sql_with_params()
    estimate_sql = (f"EXPLAIN (FORMAT JSON) {sql}", params)

    def once():
        with connection.cursor() as cur:
            for statement in (page_sql, estimate_sql):
                cur.execute(*statement)
                cur.fetchall()

    return time_runs(once, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=int(os.environ.get("PAGES", 100_000)))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-fts5", action="store_true")
    parser.add_argument(
        "--floor", action="store_true", help="also time the PostgreSQL-only oracle floor"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the corpora, measure nothing"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    took = build(args.pages)
    if took:
        print(f"corpus: built in {took:.0f}s", file=sys.stderr)
    fts = None
    if not args.no_fts5:
        cache = REPO / "var" / "bench"
        cache.mkdir(parents=True, exist_ok=True)
        fts = build_fts5(args.pages, cache / f"fts5-{args.pages}.sqlite")
    if args.build_only:
        return

    rows = []
    for query_class, text in QUERIES:
        results = search({"q": text})
        p50, p95 = time_runs(lambda t=text: search({"q": t}), args.runs)
        ours = [h.pk for h in results.hits[:20] if h.source == "page"]
        truth = exhaustive_top20(text)
        # Ties: a different page with the same score as the 20th is as good an answer.
        our_scores = exhaustive_ranks(text, ours)
        true_scores = exhaustive_ranks(text, truth)
        overlap = len(set(ours) & set(truth)) / max(1, len(truth))
        score_overlap = sum(1 for s in our_scores if true_scores and s >= true_scores[-1]) / max(
            1, len(truth)
        )
        row = {
            "query_class": query_class,
            "query": text,
            "pages": args.pages,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "count": results.count,
            "count_estimated": results.estimated,
            "overlap": round(overlap, 2),
            "overlap_ties": round(score_overlap, 2),
            # the share of the best possible total ts_rank_cd of a top 20 that ours reaches
            # (1.0: as relevant as the exhaustive top 20, whichever tied pages it holds)
            "rank_mass": round(sum(our_scores) / max(sum(true_scores), 1e-9), 3),
        }
        if args.floor:
            floor = floor_runs(text, truth, args.runs)
            row.update(floor_p50_ms=round(floor[0], 1), floor_p95_ms=round(floor[1], 1))
        if fts is not None:
            q = fts5_query(text)

            def fts_page(q=q):
                fts.execute(
                    "SELECT rowid, snippet(pages, 0, '[', ']', '…', 20) FROM pages "
                    "WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT 20",
                    [q],
                ).fetchall()
                fts.execute("SELECT count(*) FROM pages WHERE pages MATCH ?", [q]).fetchone()

            f50, f95 = time_runs(fts_page, args.runs)
            row.update(
                fts5_p50_ms=round(f50, 1),
                fts5_p95_ms=round(f95, 1),
                speedup_p95=round(f95 / max(p95, 0.01), 2),
            )
        rows.append(row)
        print(json.dumps(row))
    print(
        f"\n{'class':<9} {'p50':>7} {'p95':>7} {'fts5 p50':>9} {'fts5 p95':>9} {'x':>6} "
        f"{'overlap':>8} {'mass':>6} {'count':>10} {'floor p95':>9}",
        file=sys.stderr,
    )
    for r in rows:
        print(
            f"{r['query_class']:<9} {r['p50_ms']:>7} {r['p95_ms']:>7} "
            f"{r.get('fts5_p50_ms', '-'):>9} {r.get('fts5_p95_ms', '-'):>9} "
            f"{r.get('speedup_p95', '-'):>6} {r['overlap_ties']:>8} {r['rank_mass']:>6} "
            f"{('~' if r['count_estimated'] else '') + str(r['count']):>10} "
            f"{r.get('floor_p95_ms', '-'):>9}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
