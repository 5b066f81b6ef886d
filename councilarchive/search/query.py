"""The search entry point: `search(params)` answers one results page (hits, count, facets, sorted
and paginated, snippets for the rows shown). Views, exports, feeds and the benchmark all call it.

Built to stay fast at a million pages:
- tables no bigger than `limit` by their statistics (ranking.table_sizes): all their matches,
  for all of them in one statement, with no question to the planner;
- relevance, few matches (the planner estimates at most `limit`: a rare word): all of them are
  ranked, exactly as an exhaustive ORDER BY would;
- relevance, many matches: each model ranks a bounded candidate set chosen by the impact tiers of the query's
  words (ranking.py: a GIN index on `search_impact(search_vector)`, migration 0007), with the
  very ts_rank_cd(search_vector, query, 1|32) an exhaustive ORDER BY would use, so the top is
  the exhaustive top for one word, OR and negation; only an approximation for AND and phrases
  (their rank depends on how close the words stand, which the tiers do not hold); any matches
  are added when the tiers hold too few (then, at up to `limit` matches, all are ranked);
- newest/oldest: the first `limit` matches in date order;
- the count is exact up to `limit` and the planner's estimate above it, shown as "about N";
- facets count the ranked candidates; ts_headline runs only for the rows on the page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import F
from django.http import QueryDict
from psycopg import sql

from councilarchive.archive.models import Committee, Topic
from councilarchive.search import ranking
from councilarchive.search.batch import Batch, array_text
from councilarchive.search.filters import HIT_VOTES, VOTE_KINDS, SearchFilterSet
from councilarchive.search.ranking import (
    RANKED,
    count,
    estimate,
    opening,
    relevance_candidates,
    serial,
)
from councilarchive.search.rows import KIND_LABELS, Result, rows_for, rows_later
from councilarchive.search.sources import COORDINATE_FIELDS, SOURCE, SOURCES

__all__ = ["KIND_LABELS", "InvalidSearch", "Result", "Results", "rows_for", "search"]

PER_PAGE = 20
CANDIDATES = 1000  # per model; also the deepest result reachable by paging
VOTE_LABELS = {"motion": "Motion", "amendment": "Amendment", "other": "Vote"}


class InvalidSearch(ValueError):
    def __init__(self, errors, filterset=None):
        super().__init__(json.dumps(errors))
        self.errors = errors
        self.filterset = filterset


class Hit(NamedTuple):  # a tuple: a page makes up to 4,000 of them, a dataclass costs 3x more
    source: str
    pk: int
    rank: float
    date: dt.date | None
    committee_id: int | None
    meeting_id: int | None
    item_id: int | None
    kind: str


@dataclass
class Results:
    query: str
    sort: str
    filterset: SearchFilterSet
    hits: list[Hit]
    count: int
    estimated: bool
    number: int = 1
    rows: list[Result] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    message: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-len(self.hits) // PER_PAGE))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0

    @property
    def capped(self) -> bool:
        """More matches than candidates: facets and paging cover the best of them only."""
        return self.count > len(self.hits)


def search(
    params: QueryDict | dict,
    *,
    kinds: tuple[str, ...] | None = None,
    limit: int = CANDIDATES,
    per_page: int = PER_PAGE,
    with_rows: bool = True,
    with_facets: bool = True,
) -> Results:
    """The one search: validate `params` (raises InvalidSearch), match, rank, count, facet and
    fetch the requested page. `kinds` narrows the search (the resolutions page)."""
    if not isinstance(params, QueryDict):
        query = QueryDict(mutable=True)
        for key, value in params.items():
            query.setlist(key, value if isinstance(value, list | tuple) else [value])
        params = query
    filterset = SearchFilterSet(params, queryset=SOURCES[0].model.objects.none())
    if not filterset.is_valid():
        raise InvalidSearch(filterset.errors.get_json_data(), filterset)
    data = filterset.form.cleaned_data
    text = (data.get("q") or "").strip()
    sort = data.get("sort") or ("relevance" if text else "newest")
    results = Results(text, sort, filterset, [], 0, False, number=data.get("page") or 1)
    wanted = set(data.get("kind") or KIND_LABELS) & set(kinds or KIND_LABELS)
    narrowed = bool(kinds) or any(
        value for name, value in data.items() if name not in ("q", "sort", "page", "kind")
    )

    active = [source for source in SOURCES if wanted & set(source.kinds)]
    # With no filter a table's records are matched (and ranked, `bare`: a relevance search) on
    # the table alone, their coordinates looked up for the records kept.
    unfiltered = {s.name for s in active if not narrowed and set(s.kinds) <= wanted}
    bare = {name: bool(text) and sort == "relevance" for name in unfiltered}
    counts: dict[str, int] = {}
    estimated = False
    # One transaction without parallel workers (ranking.serial), set by its first statement: the
    # query's parts, the tables' sizes and the planner's estimates for the large bare ones.
    with serial(said=True):
        tree, implied, sizes, guesses = opening(
            text,
            [source.model for source in active],
            [source.model for source in active if bare.get(source.name)],
            limit,
        )
        problem = query_problem(text, tree)
        if problem:
            results.message = problem
            return results
        if sort != "relevance":
            tree = ""  # no ranking: the first matches in date order
        shown = results.number * per_page

        def filtered(source, rowwise=False):  # its matches, filtered, with rank and coordinates
            queryset = filterset.filter_queryset(source.queryset(text, rowwise=rowwise))
            return queryset.filter(kind_ref__in=kinds) if kinds else queryset

        # Every table with at most `limit` matches, by its size (every table but the pages, bar
        # the largest archives) or the planner's estimate (a rare word): all its matches, for
        # all of them in one statement.
        whole_tried = {
            source.name: (
                source.located_sql(source.bare(text), limit + 1)
                if source.name in unfiltered
                else filtered(source).values_list(*HIT_FIELDS)[: limit + 1].query.sql_with_params()
            )
            for source in active
            if 0 < sizes[source.model] <= limit or guesses.get(source.model, limit + 1) <= limit
        }
        whole = _all_matches(whole_tried, limit)
        for source in active:
            if not sizes[source.model]:  # an empty table (the benchmark's, but pages)
                rows, guessed, counts[source.name] = [], False, 0
            elif source.name in whole:
                rows, guessed = whole[source.name], False
                counts[source.name] = len(rows)
            else:
                # more than `limit` after all (stale statistics: the size tells nothing), or large
                stale = source.name in whole_tried and 0 < sizes[source.model] <= limit
                rows, counts[source.name], guessed = _matches(
                    None if bare.get(source.name) else filtered(source),
                    sort,
                    tree,
                    shown,
                    limit,
                    (source, text, implied) if bare.get(source.name) else None,
                    None if stale else guesses.get(source.model),
                    source.name in whole_tried,
                    None if bare.get(source.name) else lambda s=source: filtered(s, rowwise=True),
                )
            hits = [Hit(source.name, *row) for row in rows]
            if len(hits) > limit:  # (sorted once, below, when all of them are kept)
                hits = sorted(hits, key=SORT_KEYS[sort])[:limit]
            results.hits.extend(hits)
            estimated = estimated or guessed
    results.hits.sort(key=SORT_KEYS[sort])
    results.count = sum(counts.values())
    results.estimated = estimated
    # the facets' names and the rows shown: one statement
    batch = Batch()
    if with_facets:
        facets_of = facets_later(batch, results.hits)
    if with_rows:
        start = (results.number - 1) * per_page
        rows = rows_later(batch, results.hits[start : start + per_page], text)
    batch.run()
    if with_facets:
        results.facets = facets_of()
    if with_rows:
        results.rows = rows()
        votes = results.facets.get("votes", {})
        for row in results.rows:
            row.matched_votes = matched_votes(
                row.kind, votes.get((row.kind, row.record.pk), []), data
            )
    return results


VOTED_ON = ("resolution", "minutes")  # the records a vote is on, which show it unasked


def votes_by_hit(hits: list[Hit], rows) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """{(kind, pk): [(vote kind, outcome), ...]} of filters.HIT_VOTES rows ('vote', n, kind,
    outcome, place) over `hits`, each record's votes in minutes order."""
    votes: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for _, n, kind, outcome, _ in sorted(rows, key=lambda r: (r[1], r[4])):
        hit = hits[n - 1]
        votes.setdefault((hit.kind, hit.pk), []).append((kind, outcome))
    return votes


def matched_votes(record_kind: str, votes: list[tuple[str, str]], data: dict) -> list[str]:
    """Labels of a record's votes (kind, outcome) the search found it by: those of the outcome
    and kind filtered on, every one when neither is; a page's or report's item's votes only when
    an outcome or vote kind is filtered on (a resolution's and a minute's own votes always)."""
    if not (data.get("outcome") or data.get("vote") or record_kind in VOTED_ON):
        return []
    kinds = {data.get("vote")} if data.get("vote") in VOTE_KINDS else set(VOTE_LABELS)
    outcome = data.get("outcome")
    return [
        f"{VOTE_LABELS[kind]} {result}"
        for kind, result in votes
        if kind in kinds and (not outcome or result == outcome)
    ]


HIT_FIELDS = ("pk", "rank", *COORDINATE_FIELDS)


def _all_matches(statements: dict, limit: int) -> dict[str, list[tuple]]:
    """Rows of HIT_FIELDS of every match (at most `limit` + 1), by Source name, of each of these
    statements ((SQL, parameters) of rows of HIT_FIELDS), in one statement, for tables small
    enough to rank whole (table_sizes): no question to the planner, one round trip for them all.
    A statement with more than `limit` matches after all (its table's statistics stale) is left
    out, for _matches."""
    if not statements:
        return {}
    union, params = [], []
    for n, (text, args) in enumerate(statements.values()):
        union.append(f"(SELECT {n}, part.* FROM ({text}) AS part)")
        params += args
    found: list[list[tuple]] = [[] for _ in statements]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(union), params)
        for n, *row in cursor.fetchall():
            found[n].append(tuple(row))
    return {name: rows for name, rows in zip(statements, found, strict=True) if len(rows) <= limit}


def _matches(
    queryset, sort: str, tree: str, shown: int, limit: int, bare, guess, tried: bool, rowwise
):
    """(rows of HIT_FIELDS, number of matches, estimated?) for one model. `queryset`: its
    matches, filtered, with their rank and coordinates; None when `bare`, its (Source, query
    text, whether the tiers imply a match) for a relevance search with no filter: the records
    are then chosen and ranked on its table alone, and only the chosen ones get their
    coordinates (by primary key: no vector read twice, no rank computed twice). `guess`: the
    planner's estimate of its matches when known (else asked). `tried`: all its matches were
    fetched already and were more than `limit`. `rowwise`: gives `queryset` matched row-wise
    (ranking.matching), for the tiers."""
    if not tree:  # newest/oldest, or no words: the first `limit` in date order
        rows = list(_ordered(queryset, sort).values_list(*HIT_FIELDS)[: limit + 1])
        if len(rows) > limit:  # more than we show: estimate, never count, the rest
            return rows, max(limit + 1, estimate(queryset)), True
        return rows, len(rows), False
    source, text, implied = bare or (None, "", False)
    matches = source.bare(text) if source else queryset
    if guess is None:
        guess = estimate(matches)
    if guess <= limit and not tried:  # few matches (a rare word, a small table): rank them all
        if source:
            with connection.cursor() as cursor:
                cursor.execute(*source.located_sql(matches, limit + 1))
                rows = cursor.fetchall()
        else:
            rows = list(queryset.values_list(*HIT_FIELDS)[: limit + 1])
        if len(rows) <= limit:
            return rows, len(rows), False
    # many: rank a well-chosen few (ranking.py), keep the best `need`, count apart (the
    # candidates ranked beyond those only made sure of the top)
    need = min(limit, max(RANKED, shown))
    if source is None:
        rows, exact = relevance_candidates(
            queryset, tree, need, limit, HIT_FIELDS, shown, rowwise()
        )
        rows = _best(rows, need)
    else:
        every = source.model.objects.all()
        banded = (
            ranking.ranked(every, text) if implied else ranking.matching(every, text, rowwise=True)
        )
        banded = banded.order_by()
        ranked, exact = relevance_candidates(
            matches, tree, need, limit, ("pk", "rank"), shown, banded
        )
        rows = source.coordinates_of(_best(ranked, need))
    if exact >= 0:
        return rows, exact, False
    if tried:  # more than `limit` seen already: count() would only count them again
        return rows, max(limit + 1, guess), True
    return rows, *count(matches, limit, guess)


def _best(rows: list[tuple], n: int) -> list[tuple]:
    """The `n` best ranked of rows (pk, rank, ...), ties to the lower pk."""
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:n]


def _ordered(queryset, sort: str):
    if sort == "newest":
        return queryset.order_by(F("date_ref").desc(nulls_last=True), "-pk")
    if sort == "oldest":
        return queryset.order_by(F("date_ref").asc(nulls_last=True), "pk")
    return queryset


def _date_key(hit: Hit) -> int:
    return hit.date.toordinal() if hit.date else 0


SOURCE_ORDER = {source.name: i for i, source in enumerate(SOURCES)}
SORT_KEYS = {
    "relevance": lambda h: (-h.rank, -_date_key(h), SOURCE_ORDER[h.source], h.pk),
    "newest": lambda h: (h.date is None, -_date_key(h), SOURCE_ORDER[h.source], -h.pk),
    "oldest": lambda h: (h.date is None, _date_key(h), SOURCE_ORDER[h.source], h.pk),
}


def query_problem(text: str, tree: str) -> str:
    """Why a query can match nothing useful, or '' (`tree`: its query_tree)."""
    if not text:
        return ""
    if tree == "T":
        return "Add a word to search for: a search of only excluded (-word) terms finds nothing."
    if not tree:
        return "Those words are too common to search for. Try more specific words."
    return ""


def facets_later(batch: Batch, hits: list[Hit]):
    """Add the facets' read to `batch`; returns the function that, once the batch has run, gives
    the counts by committee, year, kind, topic and vote over the candidates, most first
    (committee names, topic counts and the hits' votes: facet_names_later). "votes":
    {(kind, pk): [(vote kind, outcome), ...]} of the hits with votes."""
    committees = Counter(h.committee_id for h in hits if h.committee_id)
    years = Counter(h.date.year for h in hits if h.date)
    kinds = Counter(h.kind for h in hits)
    names_and_topics = facet_names_later(batch, hits, list(committees))

    def facets() -> dict:
        names, topics, votes = names_and_topics()
        outcomes = Counter(pair for found in votes.values() for pair in set(found))
        return {
            "outcome": [
                (outcome, kind if kind in VOTE_KINDS else None, f"{VOTE_LABELS[kind]} {outcome}", n)
                for (kind, outcome), n in sorted(outcomes.items(), key=lambda o: (-o[1], o[0]))
            ],
            "votes": votes,
            "committee": [(names[pk], n) for pk, n in committees.most_common() if pk in names],
            "year": [
                (y, f"{y}-01-01", f"{y}-12-31", n) for y, n in sorted(years.items(), reverse=True)
            ],
            "kind": [(kind, KIND_LABELS[kind], n) for kind, n in kinds.most_common()],
            "topic": topics,
        }

    return facets


def _topics_of_hits() -> str:
    """SQL: the topic of each hit (source, pk, item) of the CTE `hit`, once per topic it has: a
    record's own topics, a page's those of the item it belongs to."""
    union = []
    for name in ("resolution", "item", "report", "page"):
        model = SOURCE["item" if name == "page" else name].model
        through = model.topics.through
        column = f"{model._meta.model_name}_id"
        union.append(
            sql.SQL(
                "SELECT t.topic_id FROM hit JOIN {} AS t ON t.{} = hit.{} WHERE hit.source = {}"
            ).format(
                sql.Identifier(through._meta.db_table),
                sql.Identifier(column),
                sql.Identifier("item" if name == "page" else "pk"),
                sql.Literal(name),
            )
        )
    return sql.SQL(" UNION ALL ").join(union).as_string(None)


# The CTE `hit(source, pk, item, n)` of the hits given as three arrays (array_text), numbered
HITS = """
WITH hit(source, pk, item, n) AS (
    SELECT * FROM unnest(%s::text[], %s::bigint[], %s::bigint[]) WITH ORDINALITY
)
"""

FACET_NAMES = f"""
{HITS}
SELECT 'committee', id, name, slug, 0 FROM archive_committee WHERE id = ANY(%s)
UNION ALL
(SELECT 'topic', topic.id, topic.name, topic.slug, count(*)
   FROM ({_topics_of_hits()}) AS tagged
   JOIN archive_topic AS topic ON topic.id = tagged.topic_id
  GROUP BY topic.id
  ORDER BY count(*) DESC, topic.name)
UNION ALL
({HIT_VOTES})
"""


def facet_names_later(batch: Batch, hits: list[Hit], committee_ids: list[int]):
    """Add to `batch` the read of these committees, of the topics over the hits and of the hits'
    votes (filters.HIT_VOTES); returns the function giving ({pk: Committee}, [(Topic, count),
    ...] most first, {(kind, pk): [(vote kind, outcome), ...]}) once it has run; the instances
    hold the name and slug the facets show."""
    if not hits:
        return lambda: ({}, [], {})
    columns = [[h.source for h in hits], [h.pk for h in hits], [h.item_id for h in hits]]
    part = batch.sql(FACET_NAMES, [*map(array_text, columns), committee_ids], columns=5)

    def names_and_topics() -> tuple[dict, list, dict]:
        names, topics = {}, []
        for facet, pk, name, slug, n in part.rows:
            if facet == "committee":
                names[pk] = Committee(pk=pk, name=name, slug=slug)
            elif facet == "topic":
                topics.append((Topic(pk=pk, name=name, slug=slug), n))
        votes = votes_by_hit(hits, [row for row in part.rows if row[0] == "vote"])
        return names, topics, votes

    return names_and_topics
