"""Which records a relevance search ranks: a bounded, well-chosen candidate set per model.

Ranking every match with ts_rank_cd is what does not scale (a common word matches most of a
million pages). The impact tiers (migration 0007, `models.IMPACT_*`) say, per record and lexeme,
how much that lexeme alone adds to the record's rank. So for a query we ask the GIN index on
`search_impact(search_vector)` for the records where the query's words weigh at least tier t,
from the top tier down, until there are `need` of them that also match the whole query (with the
filters); only those are ranked, with the very ts_rank_cd expression an exhaustive ORDER BY would
use. For one word the rank is monotonic in the impact, so the top of the candidates is the exact
top; an OR of a few words is banded by the sum of its words' tiers (either_bands), which bounds
its rank as the tiers bound one word's; a negated word only filters. Words that
must all match (AND, phrases) rank by how close they stand, which the words' tiers cannot see:
they go first to the pair tiers (migration 0010, "budget save~t" for words standing together),
then, where pairs are too rare to decide, to the records with every word at tier t.

When the tiers hold too few records (rare words, single mentions on long pages, narrow filters)
any `limit` matches are added: few enough matches are then all of them, so the ranking is still
exhaustive where it is cheap to be.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from functools import lru_cache
from itertools import combinations, product

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Value
from django.db.models.functions import Cast

from councilarchive.archive.models import (
    IMPACT_BASE,
    IMPACT_STEP,
    IMPACT_TIERS,
    PAIR_FLOOR,
    SEARCH_CONFIG,
    search_impact,
    search_pairs,
)

RANKED = 200  # candidates ranked per model for a results page (at least)
# x need: the most records ranked per model, however deep the tiers go (words that must all match
# are ranked less deep: at a million pages even 8 x need does not find their exact top 20)
RANK_AT_MOST, RANK_AT_MOST_ALL_WORDS = 8, 4
ESTIMATE_ABOVE = 4  # x limit: a planner estimate above this is shown as "about N" uncounted

# One token of a tsquery's text: a quoted lexeme ("'budget'", "'o''neil':*") or a phrase
# operator ("<->", "<2>"), which becomes AND (the tiers have no positions).
TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(:\*?[A-D]*)?|<(?:\d+|-)>")


class PkIn(Func):
    """`pk = ANY(%s)` with one array parameter: `pk__in` binds one per value, and compiling 800
    of them cost more Python time than the query itself."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def __init__(self, pks):
        super().__init__(F("pk"), Value(list(pks), output_field=ArrayField(BigIntegerField())))


class Matches(Func):
    """`vector @@ query` as a boolean expression the ORM can filter on."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def query_tree(text: str) -> str:
    """The indexable, positive part of the web-search query (negated words dropped), as text:
    "budget -capital" gives "'budget'", '"local transport plan"' gives
    "'local' <-> 'transport' <-> 'plan'"; "T" when only negated words are left, "" when nothing
    is (stop words only)."""
    return query_parts(text)[0]


def query_parts(text: str) -> tuple[str, bool]:
    """(query_tree(text), whether the tiers' bands imply a match of the whole query): they do
    when nothing is negated and no phrase asks for words side by side, so a band's records need
    not be checked against the query again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT querytree(query), query::text"
            "  FROM websearch_to_tsquery(%s::regconfig, %s) AS query",
            [SEARCH_CONFIG, text],
        )
        tree, whole = cursor.fetchone()
    tree = tree or ""
    return tree, bool(tree) and tree != "T" and "!" not in whole and "<" not in tree


def _tier_range(word: str, first: int, last: int) -> str:
    """The tsquery (text) of `word` at any tier from `first` to `last`."""
    return "( " + " | ".join(f"'{word}~{t}'" for t in range(first, last + 1)) + " )"


def tier_query(tree: str, tier: int) -> str:
    """The tsquery (text) of "each word of `tree` at `tier` or higher", keeping its AND/OR shape:
    "'budget' & 'save'" at 9 gives "( 'budget~9' | 'budget~10' ) & ( 'save~9' | 'save~10' )"."""

    def token(match: re.Match) -> str:
        if match.group(1) is None:
            return "&"
        return _tier_range(match.group(1), tier, IMPACT_TIERS)

    return TSQUERY_TOKEN.sub(token, tree)


def _tier_bands(tree: str, last: int) -> list[tuple[int, str]]:
    """(tier, band_query) of the tiers of `tree` from the top down to `last`."""
    return [(tier, band_query(tree, tier)) for tier in range(IMPACT_TIERS, last - 1, -1)]


def band_query(tree: str, tier: int) -> str:
    """Records whose words of `tree` reach `tier` but not the tier above (the top tier is open)."""
    query = f"( {tier_query(tree, tier)} )"
    if tier < IMPACT_TIERS:
        query += f" & !( {tier_query(tree, tier + 1)} )"
    return query


def pair_tree(tree: str) -> str:
    """For words that must all match: the query (text) of their neighbouring pairs as the pair
    tiers spell them, "'budget' & 'save'" giving "'budget save'" and the phrase
    "'local' <-> 'transport' <-> 'plan'" giving "'local transport' & 'plan transport'"; "" when
    the tiers cannot answer (OR, NOT, one word, prefixes or weight restrictions)."""
    if not CONJUNCTION.match(tree):
        return ""
    words = []
    for match in TSQUERY_TOKEN.finditer(tree):
        if match.group(1) is not None:
            if match.group(2):  # 'budget':* or 'budget':A
                return ""
            words.append(match.group(1))
    pairs = []
    for a, b in zip(words, words[1:], strict=False):
        pair = " ".join(sorted((a, b)))  # code-point order, as the function's COLLATE "C"
        if a != b and pair not in pairs:
            pairs.append(pair)
    return " & ".join(f"'{pair}'" for pair in pairs)


def either_words(tree: str) -> list[str] | None:
    """The words of an OR of two or three plain words ("'librari' | 'museum'"), else None."""
    if not EITHER.match(tree):
        return None
    words = []
    for match in TSQUERY_TOKEN.finditer(tree):
        if match.group(2) or match.group(1) is None:  # prefix, weights or a phrase operator
            return None
        if match.group(1) not in words:
            words.append(match.group(1))
    return words if 2 <= len(words) <= 3 else None


# An OR's rank is the sum of its words' shares (its covers are each word's occurrences; checked
# to 1e-7 at a million pages), and a word of tier t has a share under IMPACT_BASE * STEP ** t
# (under IMPACT_BASE with no token). So an OR's records are banded by the sum of their words'
# bounds, not by their best word (which bounds them only by words x its tier): the pages that
# hold several of the words then come where they belong, and once the top is ranked, the rest
# that could beat it are found exactly. "libraries OR museums" at a million pages: 1,102 records
# ranked instead of 2,000, and the top proven exact; "budget OR savings" (the top holding both
# words, below thousands of pages with one of them): overlap 0.15 -> 0.45 within the same budget.
EITHER_GRID = 16  # the thresholds of the rest: a sixteenth of a tier apart (x at most 2% too low)


def either_bands(words: list[str]) -> list[tuple[str, float]]:
    """Bands (tsquery texts) of the records of an OR of these words, best first, each with the
    most a record not in it or a band above can score (a share sum, r / (1 - r))."""
    k, bands, above = len(words), [], ""
    for j in range(IMPACT_TIERS - 1, -1, -1):
        floor = IMPACT_BASE * IMPACT_STEP**j
        if floor < k * IMPACT_BASE:
            break
        here = either_above(words, floor)
        bands.append((f"( {here} ) & !( {above} )" if above else here, floor))
        above = here
    anything = " | ".join(_tier_range(w, 1, IMPACT_TIERS) for w in words)
    bands.append((f"( {anything} ) & !( {above} )", k * IMPACT_BASE))  # any token left
    return bands


def either_above(words: list[str], x: float) -> str:
    """The tsquery (text) of the records of an OR of `words` whose tiers let them score more
    than x, or at least more than the threshold of the grid just under it."""
    step = math.floor(math.log(x / IMPACT_BASE, IMPACT_STEP) * EITHER_GRID + 1e-9)
    return " | ".join(
        "( " + " & ".join(_tier_range(words[w], t, IMPACT_TIERS) for w, t in clause) + " )"
        for clause in _either_clauses(len(words), max(step, 0))
    )


@lru_cache
def _either_clauses(k: int, step: int) -> list[tuple[tuple[int, int], ...]]:
    """The least tier vectors ((word index, lowest tier), ...) of k words that can score more
    than IMPACT_BASE * STEP ** (step / EITHER_GRID)."""
    x = IMPACT_BASE * IMPACT_STEP ** (step / EITHER_GRID) * (1 - 1e-9)

    def bound(tiers: dict[int, int]) -> float:
        top = sum(
            math.inf if t >= IMPACT_TIERS else IMPACT_BASE * IMPACT_STEP**t for t in tiers.values()
        )
        return top + (k - len(tiers)) * IMPACT_BASE

    if k * IMPACT_BASE > x:  # even a record with no token could: every record with one
        return [((w, 1),) for w in range(k)]
    clauses = []
    for size in range(1, k + 1):
        for chosen in combinations(range(k), size):
            for tiers in product(range(1, IMPACT_TIERS + 1), repeat=size):
                at = dict(zip(chosen, tiers, strict=True))
                if bound(at) <= x:
                    continue
                lower = [
                    {**at, w: at[w] - 1} if at[w] > 1 else {v: t for v, t in at.items() if v != w}
                    for w in chosen
                ]
                if all(bound(other) <= x for other in lower):
                    clauses.append(tuple(at.items()))
    return clauses


BAND = "\x00band\x00"  # stands for the band's tsquery while the SQL is compiled once
CONJUNCTION = re.compile(r"^[^|!]*(&|<(?:\d+|-)>)[^|!]*$")  # "'budget' & 'save'", no OR, no NOT
EITHER = re.compile(r"^[^&!<]*\|[^&!<]*$")  # "'librari' | 'museum'": only OR


@contextmanager
def serial():
    """No parallel workers for these queries: they read a few hundred rows, and starting
    workers (~8 ms a query on this machine) costs more than they save. The tiers' UNION ALL
    needs it too: only a serial Append returns its branches in order. Re-entrant."""
    depth = getattr(connection, "_search_serial", 0)
    connection._search_serial = depth + 1
    try:
        if not depth:
            with connection.cursor() as cursor:
                cursor.execute("SET max_parallel_workers_per_gather = 0")
        yield
    finally:
        connection._search_serial = depth
        if not depth:
            with connection.cursor() as cursor:
                cursor.execute("RESET max_parallel_workers_per_gather")


def relevance_candidates(
    queryset,
    tree: str,
    need: int,
    limit: int,
    fields: tuple[str, ...],
    top: int = 20,
    banded=None,
):
    """`fields` (the first the pk, one of them "rank") of the records to rank for `queryset`
    (matching and filtered already), and the exact number of matches when the fallback saw them
    all (else -1). `banded`: the queryset the tiers' bands select from when not `queryset`
    (ranked but not matched, where the bands imply the match: query_parts).

    Words that must all match (AND, phrases) score by how close they stand, so they first take
    the records where their neighbouring pairs weigh most (the pair tiers, migration 0010), from
    the top tier down to PAIR_FLOOR, at most RANK_AT_MOST_ALL_WORDS x `need` of them; if the
    `top`th best rank then beats any pair below the floor, that is the answer. If they found at
    least `top`, the words' tiers below add only their first query (at a million pages "budget
    savings" kept its overlap of 0.95 and took 57 ms at the median instead of 97).

    Otherwise (and for one word, OR and negation) the words' own tiers: first one query, the
    tiers from the top as a UNION ALL under one LIMIT of 2 x `need`, which PostgreSQL runs tier
    by tier, stopping as soon as it has enough; every tier above the one it stopped in is then
    whole. That is the answer when the `top`th best rank is at least what any record left out
    can score. If not, the rest of that tier, then tier by tier (ranking as we go) until it is,
    or RANK_AT_MOST (x `need`) records are ranked. For one word the rank is the word's weight,
    so that top is exact; for words that must all match the words' tiers bound what pairs below
    the floor left out. An OR of two or three words scores the sum of its words' weights: its
    bands are by that sum (either_bands), and once its first query is in, one more query ranks
    just the records whose tiers still let them beat the `top`th best, so its top is exact too
    (within the budget)."""
    found: dict[int, tuple] = {}
    if tree:
        conjunction = bool(CONJUNCTION.match(tree))
        words = 1 if conjunction else len(TSQUERY_TOKEN.findall(tree))
        depth = RANK_AT_MOST_ALL_WORDS if conjunction else RANK_AT_MOST
        rank = fields.index("rank")

        source = queryset if banded is None else banded

        def tiers(band: tuple[str, list], texts: list[tuple[int, str]], cap: int, fresh=False):
            """Rows of the bands `texts` ((label, tsquery text), best first) under one LIMIT,
            each row ending with its band's label; `band`: _band_sql() of the tiers' expression.
            A serial Append runs them in order and stops as soon as it has `cap` rows. `fresh`:
            leave out (and do not rank again) the records found already."""
            sql, params = band
            union, args = [], []
            for label, text in texts:
                where = " WHERE band.pk <> ALL(%s)" if fresh else ""
                union.append(f"(SELECT band.*, {label} FROM ({sql}) AS band{where})")
                args += [arg if arg is not BAND else text for arg in params]
                args += [list(found)] if fresh else []
            with serial(), connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(union) + f" LIMIT {cap}", args)
                rows = cursor.fetchall()
            for row in rows:
                found.setdefault(row[0], row[:-1])
            return rows

        def topth() -> float:
            """The `top`th best rank found, as a share sum (ranks come as r / (r + 1))."""
            best = sorted((row[rank] for row in found.values()), reverse=True)[top - 1]
            return best / (1 - best)

        def enough(floor: float) -> bool:
            """Whether the `top`th best rank beats any record scoring under `floor`."""
            return len(found) >= max(need, top) and topth() >= floor

        def of_tier(t: int) -> float:  # the most a record of tier t or lower scores
            return words * IMPACT_BASE * IMPACT_STEP**t

        pairs = pair_tree(tree)
        if pairs:
            pair_band = _band_sql(source, fields, search_pairs())
            tiers(pair_band, _tier_bands(pairs, PAIR_FLOOR), depth * need)
            if len(found) >= depth * need or enough(of_tier(PAIR_FLOOR - 1)):
                return list(found.values()), -1
        # Pairs enough for a page of results: records whose words stand apart seldom beat them,
        # so the words' tiers add one query's worth (2 x need), not RANK_AT_MOST_ALL_WORDS x.
        paired = bool(pairs) and len(found) >= top
        budget = depth * need + len(found)
        # (band text, the most a record below it scores), best first: the tiers of the words,
        # or for an OR of a few words the tiers of their sum
        either = either_words(tree)
        bands = (
            either_bands(either)
            if either
            else [(text, of_tier(t - 1)) for t, text in _tier_bands(tree, 1)]
        )
        impact_band = _band_sql(source, fields, search_impact())  # built once, run per band
        first = tiers(impact_band, list(enumerate(text for text, _ in bands)), 2 * need)
        cut = first[-1][-1] if len(first) == 2 * need else None  # the band it stopped in
        # the band it stopped in is partly ranked: anything left there scores under the floor of
        # the band above (the top band is open-ended)
        if cut is not None and not paired and not (cut and enough(bands[cut - 1][1])):
            if either and len(found) >= max(need, top):
                # an OR: what is left that could beat the `top`th best, in one query
                rest = either_above(either, topth())
                if cut:
                    rest = f"( {rest} ) & !( {either_above(either, bands[cut - 1][1])} )"
                tiers(impact_band, [(cut, rest)], budget - len(found), fresh=True)
            else:
                for n in range(cut, len(bands)):  # (the first query ranked some of `cut`)
                    tiers(impact_band, [(n, bands[n][0])], budget - len(found), fresh=n == cut)
                    if len(found) >= budget or enough(bands[n][1]):
                        break
        if len(found) >= need:
            return list(found.values()), -1
    rows = list(found.values())
    # Too few in the tiers: add any matches (all of them when there are at most `limit`).
    anything = list(queryset.values_list(*fields)[: limit + 1])
    exact = len(anything) if len(anything) <= limit else -1
    seen = {row[0] for row in rows}
    return rows + [row for row in anything[:limit] if row[0] not in seen], exact


def _band_sql(queryset, fields, expression) -> tuple[str, list]:
    """The SQL of `fields` of the records of one band of `expression`'s tiers, with BAND for
    the band's tsquery."""
    band = Matches(expression, Cast(Value(BAND), SearchQueryField()))
    sql, params = queryset.filter(band).values_list(*fields).query.sql_with_params()
    # Check the whole query row by row on the tiers' few records: left indexable, the planner
    # ANDs the tiers' bitmap with the word's whole posting list (442,596 pages for "council").
    vector = f'"{queryset.model._meta.db_table}"."search_vector"'
    return sql.replace(f"{vector} @@", f"({vector} || ''::tsvector) @@"), list(params)


def count(queryset, limit: int, guess: int) -> tuple[int, bool]:
    """(number of matches, estimated?): exact up to `limit`, else `guess`, the planner's
    estimate (estimate())."""
    if guess > ESTIMATE_ABOVE * limit:
        return guess, True
    seen = queryset.values_list("pk", flat=True)[: limit + 1].count()
    if seen > limit:
        return max(limit + 1, guess), True
    return seen, False


def table_sizes(models) -> dict[type, int]:
    """Each model's number of rows as the planner reckons it, with no query of the table: its
    statistics' rows per page times the pages it has now (so a table grown since it was last
    analysed is not taken for small); -1 when unknown (never analysed). Used to skip asking the
    planner about a query on a table too small to need the tiers; a wrong answer costs time,
    never results (callers fetch `limit + 1` rows and fall back when there are more)."""
    tables = {model._meta.db_table: model for model in models}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname::text, CASE"
            "         WHEN reltuples >= 0 AND relpages > 0"
            "         THEN reltuples / relpages * pg_relation_size(oid)"
            "              / current_setting('block_size')::int"
            "         WHEN pg_relation_size(oid) = 0 THEN 0"
            "         ELSE -1 END"
            "  FROM pg_class WHERE oid = ANY(%s::regclass[])",
            [list(tables)],
        )
        return {tables[name]: round(rows) for name, rows in cursor.fetchall()}


def estimate(queryset) -> int:
    """The planner's estimate of the number of rows (no count(*) over a million pages)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
