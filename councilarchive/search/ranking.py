"""Ranking: how a relevance search finds its top 20 without ranking every match.

A record's rank for a query is PostgreSQL's `ts_rank_cd(search_vector, query, 1|32)`, the very
expression an exhaustive `ORDER BY` would use (`ranked()`). Ranking every match is what does not
scale (a common word matches most of a million pages), so each record also carries, in two GIN
expression indexes, *tiers*: how much each of its words, and each pair of words standing
together, adds to its rank. A search asks those indexes for the records where the query weighs
most, tier by tier from the top, ranks only those, and stops as soon as nothing left out can
beat the 20th best. Everything below is stated once, here: the constants, the SQL functions the
indexes are built on (generated from the constants: `tier_functions()`, installed by migration
search 0001), the candidate search, its tsqueries and statements.

Impact tiers, `search_impact(search_vector)`: for each lexeme a token "lexeme~t". The lexeme's
*share* is the sum of its positions' WEIGHTS (A 1.0, B 0.4, C 0.2, D 0.1: ts_rank_cd's defaults)
over ln(1 + the record's number of positions), which is exactly what ts_rank_cd gives that word
alone with normalisation 1 (before flag 32's final r / (r + 1)). Tiers are geometric: tier t
holds the shares from IMPACT_BASE * IMPACT_STEP ** (t - 1) up, t = 1..IMPACT_TIERS, the top tier
open-ended; a share under IMPACT_BASE gets no token (one mention on a page of ~780 words).

Pair tiers, `search_pairs(search_vector)`: for two different lexemes that stand next to each
other (at most PAIR_REACH positions apart) somewhere in the record, the token "a b~t" (a and b
sorted, so "budget savings" and "savings budget" meet), t the tier of their two-word
ts_rank_cd: every cover of the two counts, near or far (each time one of them is followed by the
other, the harmonic mean of their weights over their distance), summed, over ln(1 + length),
tiered as above; only tiers from PAIR_FLOOR up are stored. Words that must all match (AND,
phrases) rank by how close they stand, which the words' own tiers cannot see. (Counting only
the near covers missed the top of "budget savings" at 100,000 pages: pages saying it once side
by side and then the two words apart many times; search migration 0003.)

A worked example. A page of 400 positions says "budget" once in its title (A, 1.0) and three
times in its body (C, 0.2 each): its share is 1.6 / ln(401) = 0.267, its rank 0.267 / 1.267 =
0.211. ln(0.267 / 0.03) / ln(sqrt 2) = 6.3, so it is in tier 7 (shares 0.240 to 0.339): the
token "budget~7". A search for "budget" asks the impact index for 'budget~12', then 'budget~11'
and so on (one statement: the bands in order under one LIMIT), ranking what each band holds. Say
tiers 12 to 7 hold 35 pages: every page left out is in tier 6 or below and scores under
0.03 * sqrt(2) ** 6 = 0.240; if the 20th best of the 35 ranks 0.240 / 1.240 = 0.194 or more,
the 20 are the exhaustive top 20, found by ranking 35 pages, not every page that says "budget".
If the page also says "budget savings" twice in its body, side by side (C and C: 0.2 / 1 each),
and its third "budget" stands ten positions after the second "savings" (0.2 / 10), the pair's
share is 0.42 / ln(401) = 0.070, tier 3: the token "budget save~3", which "budget savings" (an
AND) consults before the words' own tiers.

An OR of two or three words scores the sum of its words' shares, so its bands are by the sum of
its words' tier bounds (either_bands); a negated word only filters. When the tiers hold too few
records (rare words, narrow filters) any `limit` matches are added: few enough matches are then
all of them, so the ranking is exhaustive where it is cheap to be.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import combinations, product

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL
from psycopg import sql

from councilarchive.archive.models import (
    IMPACT_FUNCTION,
    PAIRS_FUNCTION,
    SEARCH_CONFIG,
    search_impact,
    search_pairs,
    search_query,
    search_text,
)

# -- the constants: the SQL functions below are generated from them ----------------------------
# ts_rank_cd normalisation: 1 divides by 1 + log(length) (long pages do not drown short records),
# 32 scales the rank into 0..1 (r / (r + 1)).
RANK_NORMALISATION = 1 | 32
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # ts_rank_cd's default position weights
IMPACT_BASE = 0.03  # the lowest share with a tier (tier 1)
IMPACT_STEP = 2**0.5  # each tier starts this many times higher than the one below
IMPACT_TIERS = 12  # the top tier, open-ended
PAIR_FLOOR = 2  # the lowest pair tier stored (0.042: side by side once in a body of ~100 positions)
PAIR_REACH = 3  # two words make a pair where they stand at most this many positions apart
# Both functions read every lexeme of a vector: at 1000 (x cpu_operator_cost) the planner uses
# their indexes on small tables and costs a tier of a few hundred pages in hundreds (migrations
# 0008 and 0009 tell why neither 100 nor 100,000).
TIER_FUNCTION_COST = 1000


def _weight(letter: sql.Composable) -> sql.Composed:
    """SQL: the weight of a position whose weight letter is `letter`."""
    *named, (_, rest) = WEIGHTS.items()
    cases = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(name), sql.Literal(weight))
        for name, weight in named
    )
    return sql.SQL("CASE {} {} ELSE {} END").format(letter, cases, sql.Literal(rest))


def _tier(share: sql.Composable) -> sql.Composed:
    """SQL: the tier of `share` (at least IMPACT_BASE), the top tier open-ended."""
    return sql.SQL("least({}, floor(ln({} / {}) / ln({}))::int + 1)").format(
        sql.Literal(IMPACT_TIERS), share, sql.Literal(IMPACT_BASE), sql.Literal(IMPACT_STEP)
    )


IMPACT_BODY = sql.SQL("""
    WITH lexemes AS (
        SELECT lexeme,
               (SELECT sum({weight}) FROM unnest(weights) AS w) AS weight,
               greatest(cardinality(positions), 1) AS n
          FROM unnest(vector)
    ), shares AS (
        SELECT lexeme, weight / ln(1 + sum(n) OVER ()) AS share FROM lexemes
    )
    SELECT coalesce(array_to_tsvector(array_agg(lexeme || '~' || {tier})), ''::tsvector)
      FROM shares
     WHERE share >= {base}
""")
PAIRS_BODY = sql.SQL("""
    WITH occurrences AS (
        SELECT u.lexeme, o.pos, {weight} AS weight
          FROM unnest(vector) AS u, unnest(u.positions, u.weights) AS o(pos, w)
    ), neighbours AS (
        SELECT lexeme AS a, pos AS pa, lead(lexeme) OVER w AS b, lead(pos) OVER w AS pb,
               count(*) OVER () AS n
          FROM occurrences
        WINDOW w AS (ORDER BY pos)
    ), pairs AS (
        SELECT DISTINCT least(a COLLATE "C", b) AS a, greatest(a COLLATE "C", b) AS b, n
          FROM neighbours
         WHERE a <> b AND pb - pa BETWEEN 1 AND {reach}
    ), theirs AS (
        SELECT p.a, p.b, p.n, o.lexeme, o.pos, o.weight
          FROM pairs AS p JOIN occurrences AS o ON o.lexeme = p.a
         UNION ALL
        SELECT p.a, p.b, p.n, o.lexeme, o.pos, o.weight
          FROM pairs AS p JOIN occurrences AS o ON o.lexeme = p.b
    ), covers AS (
        SELECT a, b, n, lexeme, pos AS pa, weight AS wa,
               lead(lexeme) OVER w AS next, lead(pos) OVER w AS pb, lead(weight) OVER w AS wb
          FROM theirs
        WINDOW w AS (PARTITION BY a, b ORDER BY pos)
    ), tiers AS (
        SELECT a || ' ' || b AS pair, {tier} AS tier
          FROM covers
         WHERE lexeme <> next
         GROUP BY a, b
    )
    SELECT coalesce(array_to_tsvector(array_agg(pair || '~' || tier)), ''::tsvector)
      FROM tiers
     WHERE tier >= {floor}
""")


def tier_functions() -> dict[str, str]:
    """{function name: its SQL body} of the tier functions the `*_impact` and `*_pairs` indexes
    are built on, generated from the constants above."""
    pair_share = sql.SQL("sum(2 / (1 / wa + 1 / wb) / greatest(pb - pa, 1)) / ln(1 + max(n))")
    bodies = {
        IMPACT_FUNCTION: IMPACT_BODY.format(
            weight=_weight(sql.SQL("w")),
            tier=_tier(sql.SQL("share")),
            base=sql.Literal(IMPACT_BASE),
        ),
        PAIRS_FUNCTION: PAIRS_BODY.format(
            weight=_weight(sql.SQL("o.w")),
            tier=_tier(pair_share),
            reach=sql.Literal(PAIR_REACH),
            floor=sql.Literal(PAIR_FLOOR),
        ),
    }
    return {name: body.as_string(None) for name, body in bodies.items()}


def create_function_sql(name: str, body: str) -> sql.Composed:
    """CREATE OR REPLACE FUNCTION name(vector tsvector) RETURNS tsvector with this body."""
    return sql.SQL(
        "CREATE OR REPLACE FUNCTION {}(vector tsvector) RETURNS tsvector"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST {} AS {}"
    ).format(sql.Identifier(name), sql.Literal(TIER_FUNCTION_COST), sql.Literal(body))


def install_tier_functions(cursor) -> list[str]:
    """(Re)create the tier functions from the constants; where one's body or cost changed,
    rebuild the indexes on it (they hold its results: an IMMUTABLE function changed under an
    index silently corrupts it). Returns the names of the indexes rebuilt. `cursor`: a psycopg
    or Django cursor of the database to change (a migration's schema editor's)."""
    rebuilt = []
    for name, body in tier_functions().items():
        cursor.execute(
            "SELECT prosrc, procost FROM pg_proc WHERE proname = %s AND pronamespace ="
            " current_schema()::regnamespace",
            [name],
        )
        if cursor.fetchone() == (body, TIER_FUNCTION_COST):
            continue
        cursor.execute(create_function_sql(name, body).as_string(None))
        cursor.execute(
            "SELECT n.nspname::text, c.relname::text"
            "  FROM pg_index AS i"
            "  JOIN pg_class AS c ON c.oid = i.indexrelid"
            "  JOIN pg_namespace AS n ON n.oid = c.relnamespace"
            " WHERE pg_get_expr(i.indexprs, i.indrelid) LIKE %s ORDER BY 2",
            [f"{name}(%"],
        )
        for schema, index in cursor.fetchall():
            cursor.execute(
                sql.SQL("REINDEX INDEX {}").format(sql.Identifier(schema, index)).as_string(None)
            )
            rebuilt.append(index)
    return rebuilt


# -- a record's rank and match --------------------------------------------------------------------
def ranked(queryset, text: str):
    """Every record of `queryset` annotated with its `rank` for `text` (web-search syntax),
    matching or not (for callers whose own condition implies the match)."""
    return queryset.annotate(
        # F(), not the field's name: SearchRank wraps a name in to_tsvector(name::text), which
        # re-parses the stored vector's text form (slow, and ranks the wrong words).
        rank=SearchRank(
            F("search_vector"),
            search_query(text),
            cover_density=True,
            normalization=RANK_NORMALISATION,
        )
    )


def matching(queryset, text: str, *, rowwise: bool = False):
    """The records of `queryset` matching `text`, each annotated with its `rank`. `rowwise`:
    check the match record by record, never through the full-text index (for a query whose
    records come from the tier indexes: left indexable, the planner ANDs the tiers' bitmap with
    the word's whole posting list, 442,596 pages for "council" at a million)."""
    match = Matches(F("search_vector"), search_query(text))
    return ranked(queryset, text).filter(RowWise(match) if rowwise else match)


class RowWise(Func):
    """`(condition) IS TRUE`: the same condition, which no index can answer for (an index answers
    an operator at the top of a condition, not a test of its result). It was `(vector ||
    ''::tsvector) @@ query`, which copied every vector: ranking 400 pages for "budget -capital"
    took about twice as long."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()


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
            [SEARCH_CONFIG, search_text(text)],
        )
        return _parts(*cursor.fetchone())


def _parts(tree: str | None, whole: str) -> tuple[str, bool]:
    """query_parts() of querytree(query) and query::text."""
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


CONJUNCTION = re.compile(r"^[^|!]*(&|<(?:\d+|-)>)[^|!]*$")  # "'budget' & 'save'", no OR, no NOT
EITHER = re.compile(r"^[^&!<]*\|[^&!<]*$")  # "'librari' | 'museum'": only OR

_serial_depth: ContextVar[int] = ContextVar("serial_depth", default=0)


# What serial() sets, as a function its transaction's first statement can select instead.
SERIAL_SETTING = "set_config('max_parallel_workers_per_gather', '0', true)"


@contextmanager
def serial(*, said: bool = False):
    """One transaction with no parallel workers for its queries: they read a few hundred rows,
    and starting workers (~8 ms a query on this machine) costs more than they save. SET LOCAL:
    the setting ends with the transaction, nothing to reset. Re-entrant (the depth is this
    thread's or task's, as its database connection is). `said`: the caller's first statement in
    it selects SERIAL_SETTING (as opening() does), so no statement of its own sets it."""
    depth = _serial_depth.get()
    token = _serial_depth.set(depth + 1)
    try:
        with transaction.atomic(savepoint=False):
            if not depth and not said:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {SERIAL_SETTING}")
            yield
    finally:
        _serial_depth.reset(token)


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
    (ranked, matched row-wise or not at all where the bands imply the match: query_parts).

    Words that must all match (AND, phrases) score by how close they stand, so they first take
    the records where their neighbouring pairs weigh most (the pair tiers), from the top tier
    down to PAIR_FLOOR, at most RANK_AT_MOST_ALL_WORDS x `need` of them; if the `top`th best
    rank then beats any pair below the floor, that is the answer. If they found at least `top`,
    the words' tiers below add only their first query (at a million pages "budget savings" kept
    its overlap of 0.95 and took 57 ms at the median instead of 97).

    Otherwise (and for one word, OR and negation) the words' own tiers: first one query, the
    bands from the top under one LIMIT of 2 x `need`, which PostgreSQL runs band by band,
    stopping as soon as it has enough; every band above the one it stopped in is then whole.
    That is the answer when the `top`th best rank is at least what any record left out can
    score. If not, the rest of that band, then band by band (ranking as we go) until it is, or
    RANK_AT_MOST (x `need`) records are ranked. For one word the rank is the word's weight, so
    that top is exact; for words that must all match the words' tiers bound what pairs below
    the floor left out. An OR of two or three words scores the sum of its words' weights: its
    bands are by that sum (either_bands), and once its first query is in, one more query ranks
    just the records whose tiers still let them beat the `top`th best, so its top is exact too
    (within the budget)."""
    found = Candidates(banded if banded is not None else queryset, tree, fields, need, top)
    if tree and found.from_tiers():
        return list(found.rows.values()), -1
    rows = list(found.rows.values())
    # Too few in the tiers: add any matches (all of them when there are at most `limit`).
    anything = list(queryset.values_list(*fields)[: limit + 1])
    exact = len(anything) if len(anything) <= limit else -1
    seen = {row[0] for row in rows}
    return rows + [row for row in anything[:limit] if row[0] not in seen], exact


class Candidates:
    """The records ranked so far for one query on one model (`rows`, by pk, in the order found),
    and the steps of relevance_candidates() that find them."""

    def __init__(self, source, tree: str, fields: tuple[str, ...], need: int, top: int):
        self.source, self.tree, self.fields, self.need, self.top = source, tree, fields, need, top
        self.rows: dict[int, tuple] = {}
        self.rank = fields.index("rank") if tree else 0
        conjunction = bool(CONJUNCTION.match(tree))
        # how many words' shares a rank can sum (words that must all match: one pair's)
        self.words = 1 if conjunction else len(TSQUERY_TOKEN.findall(tree))
        self.depth = RANK_AT_MOST_ALL_WORDS if conjunction else RANK_AT_MOST

    def from_tiers(self) -> bool:
        """Rank candidates from the pair tiers, then the words' tiers; whether they are enough
        (at least `need`; else the caller adds any matches)."""
        need, depth = self.need, self.depth
        pairs = pair_tree(self.tree)
        if pairs:
            statement = band_statement(self.source, self.fields, search_pairs())
            self.fetch(statement, _tier_bands(pairs, PAIR_FLOOR), depth * need)
            if len(self.rows) >= depth * need or self.enough(self.of_tier(PAIR_FLOOR - 1)):
                return True
        # Pairs enough for a page of results: records whose words stand apart seldom beat them,
        # so the words' tiers add one query's worth (2 x need), not RANK_AT_MOST_ALL_WORDS x.
        paired = bool(pairs) and len(self.rows) >= self.top
        budget = depth * need + len(self.rows)
        # (band text, the most a record below it scores), best first: the tiers of the words,
        # or for an OR of a few words the tiers of their sum
        either = either_words(self.tree)
        bands = (
            either_bands(either)
            if either
            else [(text, self.of_tier(t - 1)) for t, text in _tier_bands(self.tree, 1)]
        )
        statement = band_statement(self.source, self.fields, search_impact())
        first = self.fetch(statement, list(enumerate(text for text, _ in bands)), 2 * need)
        cut = first[-1][-1] if len(first) == 2 * need else None  # the band it stopped in
        # the band it stopped in is partly ranked: anything left there scores under the floor of
        # the band above (the top band is open-ended)
        if cut is not None and not paired and not (cut and self.enough(bands[cut - 1][1])):
            if either and len(self.rows) >= max(need, self.top):
                # an OR: what is left that could beat the `top`th best, in one query
                rest = either_above(either, self.topth())
                if cut:
                    rest = f"( {rest} ) & !( {either_above(either, bands[cut - 1][1])} )"
                self.fetch(statement, [(cut, rest)], budget - len(self.rows), fresh=True)
            else:
                for n in range(cut, len(bands)):  # (the first query ranked some of `cut`)
                    self.fetch(statement, [(n, bands[n][0])], budget - len(self.rows), n == cut)
                    if len(self.rows) >= budget or self.enough(bands[n][1]):
                        break
        return len(self.rows) >= need

    def fetch(self, statement, bands: list[tuple[int, str]], cap: int, fresh=False) -> list:
        """Rows of `bands` ((label, tsquery text), best first) under one LIMIT `cap`, each row
        ending with its band's label, added to `rows`; `statement`: band_statement()'s. The
        bands are read in order and the reading stops as soon as it has `cap` rows. `fresh`:
        leave out (and do not rank again) the records found already."""
        labels = [label for label, _ in bands]
        text, inner = statement
        params = [[query for _, query in bands], *inner, list(self.rows) if fresh else [], cap]
        with serial(), connection.cursor() as cursor:
            cursor.execute(text, params)
            rows = [(*row[:-1], labels[row[-1] - 1]) for row in cursor.fetchall()]
        for row in rows:
            self.rows.setdefault(row[0], row[:-1])
        return rows

    def topth(self) -> float:
        """The `top`th best rank found, as a share sum (ranks come as r / (r + 1))."""
        best = sorted((row[self.rank] for row in self.rows.values()), reverse=True)[self.top - 1]
        return best / (1 - best)

    def enough(self, floor: float) -> bool:
        """Whether the `top`th best rank beats any record scoring under `floor`."""
        return len(self.rows) >= max(self.need, self.top) and self.topth() >= floor

    def of_tier(self, t: int) -> float:
        """The most a record of tier t or lower scores."""
        return self.words * IMPACT_BASE * IMPACT_STEP**t


def band_statement(queryset, fields: tuple[str, ...], expression) -> tuple[str, list]:
    """The statement of `fields` of `queryset`'s records in the bands of `expression`'s tiers
    (search_impact() or search_pairs()), and the queryset's parameters, which it takes between
    the bands' tsquery texts (best first) and two more: the pks to leave out and the most rows
    to return. Each row ends with its band's number
    (1 = the first). The bands are a lateral loop in their order, so PostgreSQL ranks band after
    band and stops at the LIMIT; the queryset's SQL is compiled once per search, not per band
    (it references the loop's `band.query` through RawSQL). OFFSET 0 keeps the subquery whole:
    flattened, the planner may scan the table first and join the bands to it (a phrase's
    row-wise match is estimated at one row): 69 s instead of 0.4 ms at 100,000 pages, and the
    rows no longer in band order."""
    in_band = Matches(expression, RawSQL("band.query", (), output_field=SearchQueryField()))
    inner, params = queryset.filter(in_band).values_list(*fields).query.sql_with_params()
    columns = [sql.Identifier(f"c{n}") for n in range(len(fields))]
    statement = sql.SQL(
        "SELECT hit.*, band.label"
        "  FROM unnest(%s::tsquery[]) WITH ORDINALITY AS band(query, label)"
        " CROSS JOIN LATERAL ({inner} OFFSET 0) AS hit({columns})"
        " WHERE hit.c0 <> ALL(%s) LIMIT %s"
    ).format(inner=sql.SQL(inner), columns=sql.SQL(", ").join(columns))
    return statement.as_string(None), list(params)


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
    analysed is not taken for small), at least 1 unless the table is empty (no page on disk:
    0 is certain); -1 when unknown (never analysed). Used to skip asking the
    planner about a query on a table too small to need the tiers; a wrong answer costs time,
    never results (callers fetch `limit + 1` rows and fall back when there are more)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({TABLE_SIZES})", [[model._meta.db_table for model in models]])
        return _sizes_of(models, cursor.fetchone()[0])


# A table's number of rows as table_sizes() reckons it, over pg_class's columns.
TABLE_SIZE = """CASE
             WHEN pg_relation_size(oid) = 0 THEN 0
             WHEN reltuples >= 0 AND relpages > 0
             THEN greatest(1, round(reltuples / relpages * pg_relation_size(oid)
                                    / current_setting('block_size')::int))
             ELSE -1 END"""
# table_sizes() as one value ({table: rows}), to be a column of a larger statement
TABLE_SIZES = f"""
    SELECT coalesce(json_object_agg(relname, {TABLE_SIZE}), '{{}}')
      FROM pg_class WHERE oid = ANY(%s::regclass[])
"""
# {table: the planner's estimate of its rows matching `query`} of the tables (%s) whose size is
# not known to be at most a number (%s), as one value
ESTIMATES = f"""
    SELECT coalesce(json_object_agg(relname, search_estimate(oid, query)), '{{}}')
      FROM pg_class WHERE oid = ANY(%s::regclass[]) AND NOT ({TABLE_SIZE}) BETWEEN 0 AND %s
"""
# What EXPLAIN says of a whole-table match (estimate()), from inside a statement (installed by
# migration search 0002). The tsquery comes as a literal, as the planner folds
# websearch_to_tsquery(config, text) to one: the same estimate.
ESTIMATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_estimate(relation regclass, query tsquery) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$  -- EXPLAIN runs only in a volatile function
DECLARE plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM %s WHERE search_vector @@ %L::tsquery',
                   relation, query) INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$
"""


def _sizes_of(models, sizes: dict) -> dict[type, int]:
    return {model: int(sizes[model._meta.db_table]) for model in models}


def opening(text: str, models, estimated=(), limit: int = 0):
    """A results page's first statement, which also sets serial()'s setting for its transaction:
    (query_tree(text), whether the tiers imply a match (query_parts; "", False for blank text),
    table_sizes(models), {model: estimate() of its matches of `text`} for the models
    `estimated` whose size is not known to be at most `limit`)."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT querytree(query), query::text, ({TABLE_SIZES}), ({ESTIMATES}),"
            f" {SERIAL_SETTING} FROM websearch_to_tsquery(%s::regconfig, %s) AS query",
            [
                tables,
                [model._meta.db_table for model in estimated] if text else [],
                limit,
                SEARCH_CONFIG,
                search_text(text),
            ],
        )
        tree, whole, sizes, estimates, _ = cursor.fetchone()
    parts = _parts(tree, whole) if text else ("", False)
    guesses = {model: estimates.get(model._meta.db_table) for model in estimated}
    return (*parts, _sizes_of(models, sizes), {m: n for m, n in guesses.items() if n is not None})


def estimate(queryset) -> int:
    """The planner's estimate of the number of rows (no count(*) over a million pages)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
