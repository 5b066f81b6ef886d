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

from django.db import connection
from django.db.models import F, Q
from django.http import QueryDict
from psycopg import sql

from councilarchive.archive.models import Committee, Meeting, Topic
from councilarchive.archive.provenance import other_sources
from councilarchive.search import ranking, snippets
from councilarchive.search.filters import HIT_VOTES, VOTE_KINDS, SearchFilterSet
from councilarchive.search.ranking import (
    RANKED,
    count,
    estimate,
    opening,
    relevance_candidates,
    serial,
)
from councilarchive.search.sources import COORDINATE_FIELDS, SOURCE, SOURCES, Source

PER_PAGE = 20
CANDIDATES = 1000  # per model; also the deepest result reachable by paging
KIND_LABELS = {
    "resolution": "Resolution",
    "minutes": "Minutes",
    "agenda": "Agenda item",
    "report": "Report",
    "page": "PDF page",
}
VOTE_LABELS = {"motion": "Motion", "amendment": "Amendment", "other": "Vote"}


class InvalidSearch(ValueError):
    def __init__(self, errors, filterset=None):
        super().__init__(json.dumps(errors))
        self.errors = errors
        self.filterset = filterset


@dataclass(frozen=True)
class Hit:
    source: str
    pk: int
    rank: float
    date: dt.date | None
    committee_id: int | None
    meeting_id: int | None
    item_id: int | None
    kind: str


@dataclass
class Result:
    """One row on the page."""

    kind: str
    title: str
    url: str
    pdf_url: str
    date: dt.date | None
    meeting: Meeting | None
    committee: Committee | None
    snippet: str  # with snippets.START/STOP markers; render with |highlight
    record: object
    rank: float
    also_in: list = field(default_factory=list)  # other papers printing it (RecordSource rows)
    matched_votes: list = field(default_factory=list)  # "Amendment lost": votes it was found by

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


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
    # the query's parts and the tables' sizes: one statement
    tree, implied, sizes = opening(text, [source.model for source in active])
    problem = query_problem(text, tree)
    if problem:
        results.message = problem
        return results

    counts: dict[str, int] = {}
    estimated = False
    if sort != "relevance":
        tree = ""  # no ranking: the first matches in date order
    shown = results.number * per_page

    def filtered(source, rowwise=False):  # its matches, filtered, with rank and coordinates
        queryset = filterset.filter_queryset(source.queryset(text, rowwise=rowwise))
        return queryset.filter(kind_ref__in=kinds) if kinds else queryset

    # Tables no bigger than `limit` (every table but the pages, bar the largest archives): all
    # their matches at once, in one statement (pages look their coordinates up apart: below).
    small = {
        source.name: filtered(source)
        for source in active
        if 0 <= sizes[source.model] <= limit and not source.coordinates_sql
    }
    with serial():
        whole = _all_matches(small, limit)
        for source in active:
            if source.name in whole:
                rows, guessed = whole[source.name], False
                counts[source.name] = len(rows)
            else:
                # Unfiltered, a relevance search needs only the matching table (no joins, quick
                # to plan), and the coordinates of the records it keeps.
                bare = bool(tree) and not narrowed and set(source.kinds) <= wanted
                size = sizes[source.model]
                rows, counts[source.name], guessed = _matches(
                    None if bare else filtered(source),
                    sort,
                    tree,
                    shown,
                    limit,
                    (source, text, implied) if bare else None,
                    size if 0 <= size <= limit else None,
                    None if bare else lambda source=source: filtered(source, rowwise=True),
                )
            hits = sorted((Hit(source.name, *row) for row in rows), key=SORT_KEYS[sort])
            results.hits.extend(hits[:limit])
            estimated = estimated or guessed
    results.hits.sort(key=SORT_KEYS[sort])
    results.count = sum(counts.values())
    results.estimated = estimated
    if with_facets:
        results.facets = facets(results.hits, filterset)
    if with_rows:
        start = (results.number - 1) * per_page
        results.rows = rows_for(results.hits[start : start + per_page], text)
        votes = results.facets.get("votes", {})
        for row in results.rows:
            row.matched_votes = matched_votes(votes.get((row.kind, row.record.pk), []), data)
            if not (data.get("outcome") or data.get("vote") or row.kind in VOTED_ON):
                row.matched_votes = []  # a page's or report's item's votes: only when asked
    return results


VOTED_ON = ("resolution", "minutes")  # the records a vote is on, which show it unasked


def matched_votes(votes: list[tuple[str, str]], data: dict) -> list[str]:
    """Labels of a record's votes (kind, outcome) the search found it by: those of the outcome
    and kind filtered on, every one when neither is."""
    kinds = {data.get("vote")} if data.get("vote") in VOTE_KINDS else set(VOTE_LABELS)
    outcome = data.get("outcome")
    return [
        f"{VOTE_LABELS[kind]} {result}"
        for kind, result in votes
        if kind in kinds and (not outcome or result == outcome)
    ]


HIT_FIELDS = ("pk", "rank", *COORDINATE_FIELDS)


def _all_matches(querysets: dict, limit: int) -> dict[str, list[tuple]]:
    """Rows of HIT_FIELDS of every match of each of these querysets (by Source name), in one
    statement, for tables small enough to rank whole (table_sizes): no question to the planner,
    one round trip for them all. A queryset with more than `limit` matches after all (its table's
    statistics stale) is left out, for _matches."""
    if not querysets:
        return {}
    union, params = [], []
    for n, queryset in enumerate(querysets.values()):
        sql, args = queryset.values_list(*HIT_FIELDS)[: limit + 1].query.sql_with_params()
        union.append(f"(SELECT {n}, part.* FROM ({sql}) AS part)")
        params += args
    found: list[list[tuple]] = [[] for _ in querysets]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(union), params)
        for n, *row in cursor.fetchall():
            found[n].append(tuple(row))
    return {name: rows for name, rows in zip(querysets, found, strict=True) if len(rows) <= limit}


def _matches(
    queryset, sort: str, tree: str, shown: int, limit: int, bare=None, size=None, rowwise=None
):
    """(rows of HIT_FIELDS, number of matches, estimated?) for one model. `queryset`: its
    matches, filtered, with their rank and coordinates; None when `bare`, its (Source, query
    text, whether the tiers imply a match) for a relevance search with no filter: the records
    are then chosen and ranked on its table alone, and only the chosen ones get their
    coordinates (by primary key: no vector read twice, no rank computed twice). `size`: the
    table's rows when known to be at most `limit` (then the planner need not be asked how many
    match). `rowwise`: gives `queryset` matched row-wise (ranking.matching), for the tiers."""
    if not tree:  # newest/oldest, or no words: the first `limit` in date order
        rows = list(_ordered(queryset, sort).values_list(*HIT_FIELDS)[: limit + 1])
        if len(rows) > limit:  # more than we show: estimate, never count, the rest
            return rows, max(limit + 1, estimate(queryset)), True
        return rows, len(rows), False
    source, text, implied = bare or (None, "", False)
    matches = ranking.matching(source.model.objects.all(), text).order_by() if source else queryset
    guess = estimate(matches) if size is None else size
    if guess <= limit:  # few matches (a rare word, a small table): rank them all
        if source:
            ranked = list(matches.values_list("pk", "rank")[: limit + 1])
            rows = _located(source, ranked) if len(ranked) <= limit else None
        else:
            rows = list(queryset.values_list(*HIT_FIELDS)[: limit + 1])
            rows = rows if len(rows) <= limit else None
        if rows is not None:
            return rows, len(rows), False
        if size is not None:  # the table's statistics were stale: ask the planner after all
            guess = estimate(matches)
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
        rows = _located(source, _best(ranked, need))
    return rows, *((exact, False) if exact >= 0 else count(matches, limit, guess))


def _best(rows: list[tuple], n: int) -> list[tuple]:
    """The `n` best ranked of rows (pk, rank, ...), ties to the lower pk."""
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:n]


def _located(source: Source, ranked: list[tuple]) -> list[tuple]:
    """(pk, rank) rows with their coordinates: rows of HIT_FIELDS."""
    ranks = dict(ranked)
    return [(pk, ranks[pk], *rest) for pk, *rest in source.coordinates_of(list(ranks))]


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


def facets(hits: list[Hit], filterset: SearchFilterSet) -> dict:
    """Counts by committee, year, kind, topic and vote over the candidates, most first
    (committee names, topic counts and the hits' votes in one statement: facet_names). "votes":
    {(kind, pk): [(vote kind, outcome), ...]} of the hits with votes."""
    committees = Counter(h.committee_id for h in hits if h.committee_id)
    years = Counter(h.date.year for h in hits if h.date)
    kinds = Counter(h.kind for h in hits)
    names, topics, votes = facet_names(hits, list(committees))
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


FACET_NAMES = f"""
WITH hit(source, pk, item, n) AS (
    SELECT * FROM unnest(%s::text[], %s::bigint[], %s::bigint[]) WITH ORDINALITY
)
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


def facet_names(hits: list[Hit], committee_ids: list[int]) -> tuple[dict, list, dict]:
    """({pk: Committee} of these committees, [(Topic, count), ...] over the hits, most first,
    {(kind, pk): [(vote kind, outcome), ...]} of the hits' votes: filters.HIT_VOTES) in one
    statement; the instances hold the name and slug the facets show."""
    names, topics, votes = {}, [], {}
    if not hits:
        return names, topics, votes
    columns = [[h.source for h in hits], [h.pk for h in hits], [h.item_id for h in hits]]
    with connection.cursor() as cursor:
        cursor.execute(FACET_NAMES, [*columns, committee_ids])
        rows = cursor.fetchall()
    for facet, pk, name, slug, n in rows:
        if facet == "committee":
            names[pk] = Committee(pk=pk, name=name, slug=slug)
        elif facet == "topic":
            topics.append((Topic(pk=pk, name=name, slug=slug), n))
    in_minutes_order = sorted((row for row in rows if row[0] == "vote"), key=lambda r: (r[1], r[4]))
    for _, n, kind, outcome, _ in in_minutes_order:
        hit = hits[n - 1]
        votes.setdefault((hit.kind, hit.pk), []).append((kind, outcome))
    return names, topics, votes


def rows_for(hits: list[Hit], text: str) -> list[Result]:
    """The records for these hits, in order, with snippets (ts_headline for these rows only)."""
    records: dict[tuple[str, int], object] = {}
    by_source: dict[str, list[int]] = {}
    for hit in hits:
        by_source.setdefault(hit.source, []).append(hit.pk)
    for name, pks in by_source.items():
        source = SOURCE[name]
        queryset = (
            source.model.objects.filter(pk__in=pks)
            .select_related(*source.related)
            .defer(*source.deferred)
        )
        if text:
            queryset = queryset.annotate(headline=source.headline(text))
        for record in queryset:
            records[name, record.pk] = record
    meetings = Meeting.objects.select_related("committee").in_bulk(
        [h.meeting_id for h in hits if h.meeting_id and h.source == "page"]
    )
    shown = [h for h in hits if (h.source, h.pk) in records]
    rows = [describe(SOURCE[h.source], h, records[h.source, h.pk], meetings) for h in shown]
    with_sources = {n: pks for n, pks in by_source.items() if n in ("item", "resolution", "report")}
    if with_sources:
        condition = Q()
        for name, pks in with_sources.items():
            condition |= Q(**{f"{name}__in": pks})
        sources = other_sources(condition)
        for row, hit in zip(rows, shown, strict=True):
            row.also_in = sources.get((hit.source, hit.pk), [])
    return rows


def describe(source: Source, hit: Hit, record, meetings) -> Result:
    headline = getattr(record, "headline", None)
    if source.name == "resolution":
        meeting, document, page = record.item.meeting, record.document, record.page
        title = f"{record.item.title} {record.number}".strip()
        url, body = record.get_absolute_url(), record.text
    elif source.name == "item":
        meeting, document, page = record.meeting, record.document, record.page_start
        title, url = str(record), f"{record.meeting.get_absolute_url()}#item-{record.pk}"
        body = record.text or record.title
    elif source.name == "report":
        meeting, document, page = record.meeting, record.document, record.page_start
        title, url = record.subject, record.get_absolute_url()
        body = record.summary or (record.body if headline is None else "")  # body: deferred
    else:
        meeting, document, page = meetings.get(hit.meeting_id), record.document, record.number
        title = f"{document}, page {record.number}"
        url, body = record.get_absolute_url(), record.text
    committee = meeting.committee if meeting else getattr(document, "committee", None)
    snippet = snippets.restore(headline) if headline is not None else snippets.excerpt(body)
    return Result(
        kind=hit.kind,
        title=title,
        url=url,
        pdf_url=document.pdf_url(page),
        date=meeting.date if meeting else hit.date,
        meeting=meeting,
        committee=committee,
        snippet=snippet,
        record=record,
        rank=hit.rank,
    )
