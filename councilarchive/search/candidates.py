"""Which records a relevance search ranks: a bounded, well-chosen candidate set per model.

Ranking every match with ts_rank_cd is what does not scale (a common word matches most of a
million pages). The impact tiers (migration 0007, `models.IMPACT_*`) say, per record and lexeme,
how much that lexeme alone adds to the record's rank. So for a query we ask the GIN index on
`search_impact(search_vector)` for the records where the query's words weigh at least tier t,
from the top tier down, until there are `need` of them that also match the whole query (with the
filters); only those are ranked, with the very ts_rank_cd expression an exhaustive ORDER BY would
use. For one word the rank is monotonic in the impact, so the top of the candidates is the exact
top; for AND and phrases a record needs every word at tier t (its covers cannot outscore its
rarest word), for OR any of them; a negated word only filters.

When the tiers hold too few records (rare words, single mentions on long pages, narrow filters)
any `limit` matches are added: few enough matches are then all of them, so the ranking is still
exhaustive where it is cheap to be.
"""

from __future__ import annotations

import json
import re

from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import BooleanField, Func, Value
from django.db.models.functions import Cast

from councilarchive.archive.models import IMPACT_TIERS, SEARCH_CONFIG, search_impact

RANKED = 200  # candidates ranked per model for a results page (at least)
ESTIMATE_ABOVE = 4  # x limit: a planner estimate above this is shown as "about N" uncounted

# One token of a tsquery's text: a quoted lexeme ("'budget'", "'o''neil':*") or a phrase
# operator ("<->", "<2>"), which becomes AND (the tiers have no positions).
TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(:\*?[A-D]*)?|<(?:\d+|-)>")


class Matches(Func):
    """`vector @@ query` as a boolean expression the ORM can filter on."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def positive_tree(text: str) -> str:
    """The indexable, positive part of the web-search query (negated words dropped), as text:
    "budget -capital" gives "'budget'", '"local transport plan"' gives
    "'local' <-> 'transport' <-> 'plan'". Empty when nothing is left."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [SEARCH_CONFIG, text]
        )
        tree = cursor.fetchone()[0] or ""
    return "" if tree == "T" else tree


def tier_query(tree: str, tier: int) -> str:
    """The tsquery (text) of "each word of `tree` at `tier` or higher", keeping its AND/OR shape:
    "'budget' & 'save'" at 9 gives "( 'budget~9' | 'budget~10' ) & ( 'save~9' | 'save~10' )"."""

    def token(match: re.Match) -> str:
        if match.group(1) is None:
            return "&"
        tiers = range(tier, IMPACT_TIERS + 1)
        return "( " + " | ".join(f"'{match.group(1)}~{t}'" for t in tiers) + " )"

    return TSQUERY_TOKEN.sub(token, tree)


def band_query(tree: str, tier: int) -> str:
    """Records whose words of `tree` reach `tier` but not the tier above (the top tier is open)."""
    query = f"( {tier_query(tree, tier)} )"
    if tier < IMPACT_TIERS:
        query += f" & !( {tier_query(tree, tier + 1)} )"
    return query


BAND = "\x00band\x00"  # stands for the band's tsquery while the SQL is compiled once


def relevance_candidates(queryset, tree: str, need: int, limit: int, fields: tuple[str, ...]):
    """`fields` of the records to rank for `queryset` (matching and filtered already), and the
    exact number of matches when the fallback saw them all (else -1).

    Tiers from the top, whole: the first 2 x `need` records of the tiers in order, so every
    record above the tier that crosses 2 x `need` is there (the rest weigh within a factor
    IMPACT_STEP of each other). One query: a UNION ALL of the tiers under one LIMIT, which
    PostgreSQL runs tier by tier, stopping as soon as it has enough."""
    rows: list[tuple] = []
    if tree:
        cap = 2 * need
        band = Matches(search_impact(), Cast(Value(BAND), SearchQueryField()))
        sql, params = queryset.filter(band).values_list(*fields)[:cap].query.sql_with_params()
        at = params.index(BAND)
        union, args = [], []
        for tier in range(IMPACT_TIERS, 0, -1):
            union.append(f"({sql})")
            args += [*params[:at], band_query(tree, tier), *params[at + 1 :]]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(union) + f" LIMIT {cap}", args)
            rows = cursor.fetchall()
        if len(rows) >= need:
            return rows, -1
    # Too few in the tiers: add any matches (all of them when there are at most `limit`).
    anything = list(queryset.values_list(*fields)[: limit + 1])
    exact = len(anything) if len(anything) <= limit else -1
    seen = {row[0] for row in rows}
    return rows + [row for row in anything[:limit] if row[0] not in seen], exact


def count(queryset, limit: int) -> tuple[int, bool]:
    """(number of matches, estimated?): exact up to `limit`, else the planner's estimate."""
    guess = estimate(queryset)
    if guess > ESTIMATE_ABOVE * limit:
        return guess, True
    seen = queryset.values_list("pk", flat=True)[: limit + 1].count()
    if seen > limit:
        return max(limit + 1, guess), True
    return seen, False


def estimate(queryset) -> int:
    """The planner's estimate of the number of rows (no count(*) over a million pages)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
