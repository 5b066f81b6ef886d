"""Impact tiers (migration 0007) and the candidates they choose: a relevance search ranks a few
hundred records per model, and its top 20 must be the exhaustive ts_rank_cd top 20."""

import math

import pytest
from django.db import connection

from councilarchive.archive.models import SEARCH_CONFIG
from councilarchive.search.query import search
from councilarchive.search.ranking import (
    IMPACT_BASE,
    IMPACT_STEP,
    IMPACT_TIERS,
    PAIR_FLOOR,
    RANK_NORMALISATION,
    TIER_FUNCTION_COST,
    _either_clauses,
    either_bands,
    either_words,
    estimate,
    matching,
    pair_tree,
    query_parts,
    query_tree,
    relevance_candidates,
    table_sizes,
    tier_functions,
    tier_query,
)
from councilarchive.search.sources import SOURCES

pytestmark = pytest.mark.django_db

LAST_POSITION = 16383  # a tsvector's positions stop here: later words all stand at it
LONG_BODY = " ".join(f"paragraph {n} about highways maintenance and drainage" for n in range(200))


def vector_sql(parts: tuple[tuple[str, str], ...]) -> tuple[str, list]:
    """SQL and arguments of the weighted vector of these (text, weight) parts."""
    sql = " || ".join("setweight(to_tsvector(%s::regconfig, %s), %s)" for _ in parts)
    return sql, [arg for text, weight in parts for arg in (SEARCH_CONFIG, text, weight)]


def tiers_of(function: str, *parts: tuple[str, str]) -> dict[str, int]:
    """`function` (search_impact or search_pairs) of the vector of these parts, as
    {lexeme or "a b": tier}."""
    vector, args = vector_sql(parts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unnest(tsvector_to_array({function}({vector})))", args)
        tokens = [row[0] for row in cursor.fetchall()]
    return {key: int(tier) for key, tier in (t.rsplit("~", 1) for t in tokens)}


def impact(*parts: tuple[str, str]) -> dict[str, int]:
    return tiers_of("search_impact", *parts)


def pairs(*parts: tuple[str, str]) -> dict[str, int]:
    return tiers_of("search_pairs", *parts)


def one_word_rank(word: str, *parts: tuple[str, str]) -> float:
    """ts_rank_cd of one word (or an AND of words, "budget & save") with the length
    normalisation only (no r / (r + 1))."""
    vector, args = vector_sql(parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ts_rank_cd({vector}, to_tsquery(%s::regconfig, %s), 1)",
            [*args, SEARCH_CONFIG, word],
        )
        return cursor.fetchone()[0]


def expected_tier(share: float) -> int | None:
    if share < IMPACT_BASE:
        return None
    return min(IMPACT_TIERS, math.floor(math.log(share / IMPACT_BASE, IMPACT_STEP)) + 1)


def test_a_title_word_gets_a_higher_tier_than_one_mention_in_a_long_body():
    body = "The grant was confirmed in July."
    titled = impact(("Exchequer grant", "A"), (body, "C"))
    in_body = impact(("Grant", "A"), ("The Exchequer grant was confirmed in July.", "C"))
    buried = impact(("Highways", "A"), (LONG_BODY + " The exchequer grant was confirmed.", "C"))
    # 1.0 / ln(1 + 5 words) = 0.56 is tier 9; 0.2 / ln(1 + 5) = 0.11 is tier 4
    assert (titled["exchequ"], in_body["exchequ"]) == (9, 4)
    # one C mention among ~1000 words (0.2 / ln 1001 = 0.029) is below the lowest tier: no token
    assert "exchequ" not in buried
    assert buried["highway"] == IMPACT_TIERS  # 200 mentions and a title


def test_tiers_follow_the_one_word_ts_rank_cd():
    parts = (("Budget monitoring report", "A"), ("Savings of 2m.", "B"), (LONG_BODY, "C"))
    tiers = impact(*parts)
    for word in ("budget", "save", "highway", "drainag", "monitor"):
        assert tiers.get(word) == expected_tier(one_word_rank(word, *parts)), word
    assert tiers["budget"] > tiers["save"]  # A beats B at the same count


def test_the_installed_tier_functions_are_the_ones_generated_from_the_constants(db):
    """One statement of the tiers: the functions the indexes are built on are ranking's SQL,
    spelled from its constants (migration search 0001)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname::text, prosrc, procost FROM pg_proc WHERE proname = ANY(%s)",
            [list(tier_functions())],
        )
        installed = {name: (body, cost) for name, body, cost in cursor.fetchall()}
    assert installed == {
        name: (body, TIER_FUNCTION_COST) for name, body in tier_functions().items()
    }
    impact_sql = tier_functions()["search_impact"]
    for constant in (IMPACT_BASE, IMPACT_STEP, IMPACT_TIERS):
        assert repr(constant) in impact_sql
    assert f"tier >= {PAIR_FLOOR}" in tier_functions()["search_pairs"]


def test_the_generated_impact_function_tiers_every_sample_record_as_the_hand_written_one(
    sample_archive, db
):
    """Migration 0007's SQL (written out by hand) and the generated `search_impact` give every
    record of the sample packs the same tokens (the pairs changed on purpose: search 0003)."""
    from importlib import import_module

    old = import_module("councilarchive.archive.migrations.0007_search_impact").CREATE_FUNCTION
    compared = 0
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA hand_written")  # rolled back with the test
        cursor.execute("SET LOCAL search_path = hand_written, public")
        cursor.execute(old)  # lands in hand_written, first on the path
        cursor.execute("SET LOCAL search_path = public")
        for source in SOURCES:
            table = source.model._meta.db_table
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE search_impact(search_vector)"
                " IS DISTINCT FROM hand_written.search_impact(search_vector)),"
                f" count(*) FILTER (WHERE search_impact(search_vector) <> ''::tsvector) FROM {table}"
            )
            rows, differ, tiered = cursor.fetchone()
            assert differ == 0, table
            assert tiered > 0, table
            compared += rows
    assert compared > 500


def test_every_pair_token_of_the_sample_records_is_the_tier_of_its_two_word_ts_rank_cd(
    sample_archive, db
):
    """A pair's token is the exhaustive ts_rank_cd of "a & b" on that record (all its covers,
    near and far), tiered: checked for every pair token of every sample record shorter than
    LAST_POSITION (past it every word stands at LAST_POSITION, where ts_rank_cd orders the words
    sharing a position its own way: a long report's "activ report" ranks 0.091, tier 4, where the
    pair's share is tier 3)."""
    checked = exact = 0
    with connection.cursor() as cursor:
        for source in SOURCES:
            cursor.execute(
                f"""
                SELECT token, ts_rank_cd(search_vector, (
                           quote_literal(split_part(pair, ' ', 1)) || ' & '
                           || quote_literal(split_part(pair, ' ', 2)))::tsquery, 1)
                  FROM {source.model._meta.db_table},
                       unnest(tsvector_to_array(search_pairs(search_vector))) AS token,
                       split_part(token, '~', 1) AS pair
                 WHERE NOT EXISTS (SELECT FROM unnest(search_vector) AS u, unnest(u.positions)
                                    AS p WHERE p = {LAST_POSITION})
                """
            )
            for token, rank in cursor.fetchall():
                tier = int(token.rsplit("~", 1)[1])
                assert tier >= PAIR_FLOOR, token
                # ts_rank_cd sums in single precision: a share by a tier's bound may fall on
                # the other side of it
                low = IMPACT_BASE * IMPACT_STEP ** (tier - 1)
                high = IMPACT_BASE * IMPACT_STEP**tier if tier < IMPACT_TIERS else math.inf
                assert low * 0.99 <= rank < high * 1.01, (token, rank)
                exact += tier == expected_tier(rank)
                checked += 1
    assert exact >= 0.99 * checked
    assert checked > 1000


def test_a_changed_constant_changes_the_installed_function_and_rebuilds_its_indexes(
    db, monkeypatch
):
    from councilarchive.search import ranking

    parts = (("Highways", "A"), (LONG_BODY, "C"))
    assert impact(*parts)["highway"] == IMPACT_TIERS
    with connection.cursor() as cursor:
        assert ranking.install_tier_functions(cursor) == []  # current: nothing to do
        monkeypatch.setattr(ranking, "IMPACT_TIERS", IMPACT_TIERS - 1)
        rebuilt = ranking.install_tier_functions(cursor)
    # both functions tier with IMPACT_TIERS; the indexes on each are rebuilt (rolled back)
    assert sorted(rebuilt) == sorted(
        f"{source.name}_{kind}" for source in SOURCES for kind in ("impact", "pairs")
    )
    assert impact(*parts)["highway"] == IMPACT_TIERS - 1


def test_stop_words_and_empty_text_have_no_impact():
    assert impact(("the and of to", "A")) == {}
    assert impact(("", "C")) == {}


def test_tier_query_keeps_the_shape_of_the_query():
    assert tier_query("'budget' & 'save'", IMPACT_TIERS - 1) == (
        f"( 'budget~{IMPACT_TIERS - 1}' | 'budget~{IMPACT_TIERS}' ) & "
        f"( 'save~{IMPACT_TIERS - 1}' | 'save~{IMPACT_TIERS}' )"
    )
    # a phrase needs every word (the tiers have no positions); an apostrophe stays quoted
    assert tier_query("'o''neil' <-> 'motion'", IMPACT_TIERS) == (
        f"( 'o''neil~{IMPACT_TIERS}' ) & ( 'motion~{IMPACT_TIERS}' )"
    )


def test_pair_tiers_follow_the_two_word_ts_rank_cd_of_words_standing_together():
    # words standing within PAIR_REACH make a pair; its share counts every cover of the two, as
    # ts_rank_cd does: "budget savings" (0.2), "budget and savings" (0.2 / 2) and the far ones,
    # five positions apart ("savings in ward 0. the budget", "savings plan for year 0. budget")
    text = " ".join(
        f"budget savings in ward {n}. the budget and savings plan for year {n}." for n in range(4)
    )
    tiers = pairs((text, "C"))
    length = 4 * 9  # positions in the vector (budget savings ward n budget savings plan year n)
    share = (4 * 0.2 + 4 * 0.1 + 7 * 0.2 / 5) / math.log(1 + length)
    assert tiers["budget save"] == expected_tier(share)
    assert tiers["budget save"] == expected_tier(one_word_rank("budget & save", (text, "C")))
    assert tiers["plan save"] >= PAIR_FLOOR  # sorted, whatever the order in the text
    assert "save budget" not in tiers and "budget budget" not in tiers
    # "ward" and "budget" never stand within PAIR_REACH of each other: no pair, however close
    assert "budget ward" not in tiers


def test_a_pair_seen_once_on_a_long_page_is_below_the_floor():
    text = LONG_BODY + " The budget savings were agreed."
    assert "budget save" not in pairs((text, "C"))
    assert pairs(("Budget savings", "A"))["budget save"] == expected_tier(1.0 / math.log(3))


def test_pair_tree_of_words_that_must_all_match():
    assert pair_tree(query_tree("budget savings")) == "'budget save'"
    assert pair_tree(query_tree('"local transport plan"')) == "'local transport' & 'plan transport'"
    assert pair_tree("'o''neil' & 'motion'") == "'motion o''neil'"
    # OR, NOT, one word and prefixes are left to the words' own tiers
    for text in ("libraries OR museums", "budget -capital", "council"):
        assert pair_tree(query_tree(text)) == "", text
    assert pair_tree("'budget':* & 'save'") == ""


def test_the_bands_imply_the_match_only_without_negation_or_phrases():
    assert query_parts("budget savings") == ("'budget' & 'save'", True)
    assert query_parts("libraries OR museums") == ("'librari' | 'museum'", True)
    for text in ("budget -capital", '"local transport plan"', "-capital", "the"):
        assert query_parts(text)[1] is False, text


def test_negated_words_only_filter():
    assert query_tree("budget -capital") == "'budget'"
    assert query_tree('"local transport plan"') == "'local' <-> 'transport' <-> 'plan'"
    assert query_tree("libraries OR museums") == "'librari' | 'museum'"


def exhaustive(source, text: str, n: int = 20) -> list[tuple[int, float]]:
    """The reference: every match ranked with ts_rank_cd on the stored vector."""
    return list(
        matching(source.model.objects.all(), text)
        .order_by("-rank", "pk")
        .values_list("pk", "rank")[:n]
    )


def assert_same_top(ours: list[tuple[int, float]], truth: list[tuple[int, float]]):
    """Same ranks in the same order; the same records wherever the rank is not tied with the
    last one shown (records tied on the 20th rank are equally good answers)."""
    assert [round(r, 6) for _, r in ours] == [round(r, 6) for _, r in truth]
    last = truth[-1][1] if truth else 0
    assert {pk for pk, r in ours if r > last} == {pk for pk, r in truth if r > last}


QUERIES = [
    "council",
    "safeguarding",
    "budget savings",
    '"health and wellbeing"',
    "schools OR libraries",
    "council OR committee",  # both words on most pages: the top holds both
    "schools OR libraries OR highways",
    "children -safeguarding",
]


@pytest.mark.parametrize("text", QUERIES)
def test_relevance_top_20_is_the_exhaustive_top_20(sample_archive, text):
    # limit 60: the tiers, not the "any matches" fallback, must supply the ranked candidates
    results = search({"q": text}, limit=60)
    checked = 0
    for source in SOURCES:
        truth = exhaustive(source, text)
        ours = [(h.pk, h.rank) for h in results.hits if h.source == source.name][:20]
        assert_same_top(ours, truth)
        checked += len(truth)
    assert checked >= 20


def test_a_tiered_search_keeps_the_best_ranked_and_says_the_rest_are_not_browsable(
    sample_archive, monkeypatch
):
    from councilarchive.search import query

    monkeypatch.setattr(query, "RANKED", 30)  # keep the best 30 a model (200 in production)
    results = query.search({"q": "council"}, limit=60)
    pages = [(h.pk, h.rank) for h in results.hits if h.source == "page"]
    assert len(pages) == 30 and results.capped and results.count > len(results.hits)
    assert_same_top(pages[:20], exhaustive(SOURCES[-1], "council"))
    assert [r for _, r in pages] == sorted((r for _, r in pages), reverse=True)


def test_common_words_are_ranked_from_the_tiers(sample_archive):
    page = SOURCES[-1]
    queryset = page.queryset("council")
    assert queryset.count() > 100
    rows, exact = relevance_candidates(queryset, query_tree("council"), 30, 60, ("pk", "rank"))
    # found in the tiers: fewer than all matches, no exact count
    assert exact == -1 and 30 <= len(rows) < queryset.count()
    top = [pk for pk, _ in exhaustive(page, "council")]
    assert set(top) <= {pk for pk, _ in rows}


def test_relevance_rank_is_ts_rank_cd_of_the_stored_vector(sample_archive):
    hit = search({"q": "safeguarding", "kind": "page"}).hits[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank_cd(search_vector, websearch_to_tsquery(%s::regconfig, %s), %s) "
            "FROM archive_page WHERE id = %s",
            [SEARCH_CONFIG, "safeguarding", RANK_NORMALISATION, hit.pk],
        )
        assert cursor.fetchone()[0] == pytest.approx(hit.rank)


def test_a_search_with_fewer_matches_than_the_limit_ranks_them_all_without_the_tiers(
    sample_archive,
):
    """search_impact() reads every lexeme of a vector: on a small table the planner may prefer
    computing it for every row (590 ms for the 18 sample reports) to the impact index. Matches
    fewer than the limit (every sample table) are ranked exhaustively, with no tier query."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        results = search({"q": "council"})
    assert len(results.hits) == results.count > 100 and not results.estimated
    assert not [q["sql"] for q in queries if "search_impact" in q["sql"]]
    page = [(h.pk, h.rank) for h in results.hits if h.source == "page"][:20]
    assert_same_top(page, exhaustive(SOURCES[-1], "council"))


@pytest.mark.parametrize("name", ["page", "item", "report", "resolution"])
def test_coordinates_by_primary_key_are_the_sources_own(sample_archive, name):
    """The unfiltered search looks up its candidates' coordinates afterwards (pages in one raw
    pass): they must be exactly those the filtered search reads from the Source's annotations."""
    from councilarchive.search.sources import COORDINATE_FIELDS, SOURCE

    source = SOURCE[name]
    expected = sorted(source.queryset("").values_list("pk", "rank", *COORDINATE_FIELDS))
    assert len(expected) > 10
    assert sorted(source.coordinates_of([row[:2] for row in expected])) == expected
    # and as the statement that ranks a whole table reads them
    with connection.cursor() as cursor:
        cursor.execute(*source.located_sql(source.bare(""), len(expected) + 1))
        assert sorted(cursor.fetchall()) == expected


def test_small_tables_are_ranked_whole_in_one_statement_without_asking_the_planner(
    sample_archive,
):
    """Once the tables have statistics, a table no bigger than the limit (every sample table) is
    known small without EXPLAIN: resolutions, items, reports and pages are ranked whole in one
    statement, each with all its matches, exactly ranked."""
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        for source in SOURCES:
            cursor.execute(f"ANALYZE {source.model._meta.db_table}")
    sizes = table_sizes([source.model for source in SOURCES])
    assert all(0 < sizes[source.model] <= 1000 for source in SOURCES), sizes
    with CaptureQueriesContext(connection) as queries:
        results = search({"q": "council"})
    statements = [q["sql"] for q in queries]
    assert not [sql for sql in statements if sql.startswith("EXPLAIN")]
    ranked = [sql for sql in statements if "ts_rank_cd" in sql]
    assert len(ranked) == 1 and "UNION ALL" in ranked[0]
    assert not results.estimated
    for source in SOURCES:
        ours = [(h.pk, h.rank) for h in results.hits if h.source == source.name]
        assert len(ours) == matching(source.model.objects.all(), "council").count() > 0
        assert_same_top(ours[:20], exhaustive(source, "council"))


def test_a_table_its_statistics_call_small_but_is_not_gives_the_same_results(
    sample_archive, monkeypatch
):
    """Statistics can be stale: a table taken for tiny (one row) that has more matches than the
    limit falls back to the planner's estimate and the tiers, with the same answer."""
    from councilarchive.search import query

    expected = query.search({"q": "council"}, limit=60)
    real = query.opening  # the query's parts as they are, every table taken for one row

    def stale_opening(text, models, estimated, limit):
        tree, implied, _, _ = real(text, models, estimated, limit)
        return tree, implied, dict.fromkeys(models, 1), {}

    monkeypatch.setattr(query, "opening", stale_opening)
    stale = query.search({"q": "council"}, limit=60)
    assert expected.estimated and len(expected.hits) > 60
    assert [(h.source, h.pk, h.rank) for h in stale.hits] == [
        (h.source, h.pk, h.rank) for h in expected.hits
    ]
    assert (stale.count, stale.estimated) == (expected.count, expected.estimated)


def test_table_sizes_follow_the_statistics_and_the_growth_since(sample_archive):
    """The planner's own reckoning, read without asking it: the statistics' rows per page times
    the pages there are now, so equal to its estimate for a whole-table scan before and after
    the table grows with no ANALYZE between. (Not the true count after growth: rows that land
    in space freed by earlier tests do not add pages, and so neither estimate sees them.)"""
    from councilarchive.archive.models import Page

    def heap_pages():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('archive_page')")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE archive_page")
    before, pages_before = table_sizes([Page])[Page], heap_pages()
    assert before == pytest.approx(Page.objects.count(), rel=0.1)
    assert before == pytest.approx(estimate(Page.objects.all()), abs=1)
    pages = list(Page.objects.order_by("pk")[:500])
    Page.objects.bulk_create(
        Page(document=pages[0].document, number=10_000 + n, text=pages[n % len(pages)].text)
        for n in range(2_000)
    )
    after = table_sizes([Page])[Page]
    assert after == pytest.approx(before * heap_pages() / pages_before, rel=0.01)
    assert after == pytest.approx(estimate(Page.objects.all()), abs=1)


def test_either_words_are_the_words_of_an_or_of_two_or_three():
    assert either_words("'librari' | 'museum'") == ["librari", "museum"]
    assert either_words("'a' | 'b' | 'c'") == ["a", "b", "c"]
    for tree in [
        "'budget'",
        "'a' | 'b' | 'c' | 'd'",
        "'a' & 'b'",
        "'a' | 'b' & 'c'",
        "'a':* | 'b'",
    ]:
        assert either_words(tree) is None, tree


@pytest.mark.parametrize("k", [2, 3])
def test_either_clauses_select_exactly_the_tier_vectors_that_can_score_above_the_threshold(k):
    """A record whose words stand at tiers t (0: no token) scores under the sum of each word's
    IMPACT_BASE * STEP ** t (the top tier: unbounded). Every tier vector is checked against
    every threshold of the grid: matched by a clause exactly when its bound is above it."""
    import itertools

    from councilarchive.search.ranking import EITHER_GRID

    def bound(vector):
        return sum(
            math.inf if t >= IMPACT_TIERS else IMPACT_BASE * IMPACT_STEP ** (t or 0) for t in vector
        )

    vectors = [v for v in itertools.product(range(IMPACT_TIERS + 1), repeat=k) if any(v)]
    for step in range(0, IMPACT_TIERS * EITHER_GRID, 5):
        x = IMPACT_BASE * IMPACT_STEP ** (step / EITHER_GRID)
        clauses = _either_clauses(k, step)
        for vector in vectors:
            matched = any(all(vector[w] >= t for w, t in clause) for clause in clauses)
            assert matched == (bound(vector) > x * (1 - 1e-9)), (step, vector)


def test_either_bands_split_the_records_with_a_token_once_each(sample_archive):
    """The bands of an OR are disjoint and together hold every record with a token of its words,
    each in the band its words' bound puts it in."""
    tree = query_tree("council OR committee")
    bands = either_bands(either_words(tree))
    assert [floor for _, floor in bands] == sorted((floor for _, floor in bands), reverse=True)
    with connection.cursor() as cursor:
        counts = []
        for text, _ in bands:
            cursor.execute(
                "SELECT count(*) FROM archive_page WHERE search_impact(search_vector) @@ %s",
                [text],
            )
            counts.append(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FROM archive_page WHERE search_impact(search_vector) @@ %s",
            [tier_query(tree, 1)],
        )
        with_token = cursor.fetchone()[0]
    assert sum(counts) == with_token > 100 and len([n for n in counts if n]) >= 3
