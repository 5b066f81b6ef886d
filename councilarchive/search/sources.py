"""What is searchable: one Source per model, each giving its rows the same coordinates
(`kind_ref`, `meeting_ref`, `committee_ref`, `date_ref`, `item_ref`) so that one FilterSet and one
ranking serve all of them, and saying how a hit is titled, linked and snippeted."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf

from councilarchive.archive.models import (
    SEARCH_CONFIG,
    Item,
    Page,
    Report,
    Resolution,
    search_query,
)
from councilarchive.search import snippets
from councilarchive.search.batch import array_text
from councilarchive.search.ranking import PkIn, matching

ID, DAY = BigIntegerField(), DateField()


@dataclass(frozen=True)
class Source:
    name: str
    model: type
    kinds: tuple[str, ...]
    # select_related for the rows shown, down to the council each one's citation names
    related: tuple[str, ...]
    # columns the rows shown never read (the vector; a report's body is read only by its headline)
    deferred: tuple[str, ...] = ("search_vector",)
    headline_chars: int = snippets.HEADLINE_MAX_CHARS  # how much of its text a snippet reads
    # The coordinates of its records in one SQL pass, where the annotations take subqueries a
    # row: a search then ranks even a few matches on the bare table and looks their coordinates
    # up once. "{records}" stands for a SELECT of (pk, rank, document_id, number). "": the
    # annotations serve.
    coordinates_sql: str = ""

    def coordinates(self) -> dict:
        return COORDINATES[self.name]()

    def coordinates_of(self, ranked: list[tuple]) -> list[tuple]:
        """(pk, rank, *COORDINATE_FIELDS) of these records, given as (pk, rank)."""
        if self.coordinates_sql:
            records = (
                "SELECT r.id, r.rank, t.document_id, t.number"
                "  FROM unnest(%s::bigint[], %s::float8[]) AS r(id, rank)"
                f" JOIN {self.model._meta.db_table} AS t ON t.id = r.id"
            )
            with connection.cursor() as cursor:
                keys_and_ranks = [
                    array_text(row[0] for row in ranked),
                    array_text(row[1] for row in ranked),
                ]
                cursor.execute(*self.located(records, keys_and_ranks))
                return cursor.fetchall()
        ranks = dict(ranked)
        return [
            (pk, ranks[pk], *rest)
            for pk, *rest in self.model.objects.filter(PkIn(list(ranks)))
            .annotate(**self.coordinates())
            .values_list("pk", *COORDINATE_FIELDS)
        ]

    def located(self, records: str, params: list) -> tuple[str, list]:
        """The statement of coordinates_sql for `records`, a SELECT of (pk, rank, document_id,
        number), and its parameters."""
        return self.coordinates_sql.format(records=records), params

    def located_sql(self, ranked, n: int) -> tuple[str, list]:
        """The statement of (pk, rank, *COORDINATE_FIELDS) of the first `n` records of `ranked`
        (a queryset of this model annotated with `rank`, no coordinates: bare()), and its
        parameters."""
        if self.coordinates_sql:
            records = ranked.values_list("pk", "rank", "document_id", "number")[:n]
            return self.located(*records.query.sql_with_params())
        located = ranked.annotate(**self.coordinates()).values_list(
            "pk", "rank", *COORDINATE_FIELDS
        )
        return located[:n].query.sql_with_params()

    def bare(self, text: str):
        """Its records matching `text` (all when blank) with their rank, nothing joined."""
        if text:
            return matching(self.model.objects.all(), text).order_by()
        return self.model.objects.annotate(rank=Value(0.0, output_field=FloatField())).order_by()

    def queryset(self, text: str, *, rowwise: bool = False):
        """Rows matching `text` (all rows when blank) with their rank and coordinates (`rowwise`:
        the match checked row by row: ranking.matching)."""
        if text and rowwise:
            queryset = matching(self.model.objects.all(), text, rowwise=True).order_by()
        else:
            queryset = self.bare(text)
        return queryset.annotate(**self.coordinates())

    def snippet_source(self):
        return SNIPPET_SOURCE[self.name]()

    def headline(self, text: str) -> SearchHeadline:
        """Its records' snippet for `text`: ts_headline of the text it reads, "<" protected
        (snippets.restore() turns it back)."""
        return SearchHeadline(
            snippets.protect(self.snippet_source(), self.headline_chars),
            search_query(text),
            config=SEARCH_CONFIG,
            **snippets.HEADLINE_OPTIONS,
        )


def _resolution():
    return dict(
        kind_ref=Value("resolution", output_field=CharField()),
        meeting_ref=F("item__meeting_id"),
        committee_ref=F("item__meeting__committee_id"),
        date_ref=F("item__meeting__date"),
        item_ref=F("item_id"),
    )


def _item():
    return dict(
        kind_ref=Case(
            When(minute_number="", then=Value("agenda")),
            default=Value("minutes"),
            output_field=CharField(),
        ),
        meeting_ref=F("meeting_id"),
        committee_ref=F("meeting__committee_id"),
        date_ref=F("meeting__date"),
        item_ref=F("pk"),
    )


def _report():
    return dict(
        kind_ref=Value("report", output_field=CharField()),
        meeting_ref=F("meeting_id"),
        committee_ref=Coalesce(
            F("meeting__committee_id"), F("document__committee_id"), output_field=ID
        ),
        date_ref=Coalesce(F("meeting__date"), F("document__meeting_date_hint"), output_field=DAY),
        item_ref=F("item_id"),
    )


def _page():
    # A page belongs to the item that starts on it or most recently before it (packs append the
    # minutes of earlier meetings, so one PDF can hold several meetings).
    covering = Item.objects.filter(
        document=OuterRef("document_id"), page_start__lte=OuterRef("number")
    ).order_by("-page_start", "-pk")
    return dict(
        kind_ref=Value("page", output_field=CharField()),
        meeting_ref=Subquery(covering.values("meeting_id")[:1]),
        committee_ref=Coalesce(
            Subquery(covering.values("meeting__committee_id")[:1]),
            F("document__committee_id"),
            output_field=ID,
        ),
        date_ref=Coalesce(
            Subquery(covering.values("meeting__date")[:1]),
            F("document__meeting_date_hint"),
            output_field=DAY,
        ),
        item_ref=Subquery(covering.values("pk")[:1], output_field=ID),
    )


COORDINATES = {"resolution": _resolution, "item": _item, "report": _report, "page": _page}
COORDINATE_FIELDS = ("date_ref", "committee_ref", "meeting_ref", "item_ref", "kind_ref")

# _page() for a list of pages in one pass, columns as HIT_FIELDS (pk, rank, *COORDINATE_FIELDS):
# the covering item found once per page (the ORM's four subqueries look it up four times: 14 ms
# instead of 5 for 650 candidate pages at 1M), its document by key (a hash join read all 10,000
# documents: 200 pages at 1M took 4.9 ms, 2.2 ms now).
PAGE_COORDINATES = """
SELECT page.id, page.rank, coalesce(meeting.date, document.meeting_date_hint),
       coalesce(meeting.committee_id, document.committee_id), item.meeting_id, item.id, 'page'
  FROM ({records}) AS page(id, rank, document_id, number)
  JOIN LATERAL (  -- by its key: for a few hundred pages the planner would hash every document
        SELECT committee_id, meeting_date_hint
          FROM archive_document
         WHERE id = page.document_id
         LIMIT 1
       ) AS document ON true
  LEFT JOIN LATERAL (
        SELECT covering.id, covering.meeting_id
          FROM archive_item AS covering
         WHERE covering.document_id = page.document_id AND covering.page_start <= page.number
         ORDER BY covering.page_start DESC, covering.id DESC
         LIMIT 1
       ) AS item ON true
  LEFT JOIN archive_meeting AS meeting ON meeting.id = item.meeting_id
"""


SNIPPET_SOURCE = {
    "resolution": lambda: Concat("text", Value(" "), "reason", output_field=CharField()),
    "item": lambda: Coalesce(NullIf("text", Value("")), "title", output_field=CharField()),
    "report": lambda: Concat(
        "summary", Value(" "), "recommendations", Value(" "), "body", output_field=CharField()
    ),
    "page": lambda: F("text"),
}

SOURCES = (
    Source(
        "resolution",
        Resolution,
        ("resolution",),
        ("item__meeting__committee__council", "document"),
    ),
    Source("item", Item, ("minutes", "agenda"), ("meeting__committee__council", "document")),
    Source(
        "report",
        Report,
        ("report",),
        ("meeting__committee__council", "document__council", "document__committee__council"),
        deferred=("search_vector", "body"),
        headline_chars=snippets.REPORT_HEADLINE_CHARS,
    ),
    Source(
        "page",
        Page,
        ("page",),
        ("document__council", "document__committee__council"),
        coordinates_sql=PAGE_COORDINATES,
    ),
)
SOURCE = {source.name: source for source in SOURCES}
