"""Pair tiers for words that must all match (issue #4, councilarchive.search.candidates).

`search_pairs(tsvector)` gives, for each two different lexemes standing next to each other in a
record (at most two positions apart), the token "a b~t" (a and b sorted, so "budget savings" and
"savings budget" meet), t the tier of the pair's share of the rank ts_rank_cd gives a two-word
query: each time they stand together counts as ts_rank_cd counts a cover, the harmonic mean of
their weights (A 1.0, B 0.4, C 0.2, D 0.1) over their distance in positions (1 when adjacent),
and the sum is divided by ln(1 + the record's length), as RANK_NORMALISATION's flag 1 does (two
lexemes at one position, a hyphenated word and its parts, are not a pair).
Tiers are the impact tiers' (0.03 * sqrt(2) ** (t - 1), t = 1..12); only t >= 3 is stored (a
share of 0.06: a pair seen twice on a page of ~400 words), about 12 tokens a page against the
impact tiers' 175.

The constants are models.IMPACT_BASE, IMPACT_STEP, IMPACT_TIERS and PAIR_FLOOR; COST 1000 as
search_impact (migration 0009).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CREATE_FUNCTION = """
CREATE FUNCTION search_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    WITH occurrences AS (
        SELECT u.lexeme, o.pos,
               CASE o.w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2 ELSE 0.1 END
                   AS weight
          FROM unnest(vector) AS u, unnest(u.positions, u.weights) AS o(pos, w)
    ), neighbours AS (
        SELECT lexeme AS a, weight AS wa, pos AS pa,
               lead(lexeme) OVER w AS b, lead(weight) OVER w AS wb, lead(pos) OVER w AS pb,
               count(*) OVER () AS n
          FROM occurrences
        WINDOW w AS (ORDER BY pos)
    ), tiers AS (
        SELECT least(a COLLATE "C", b) || ' ' || greatest(a COLLATE "C", b) AS pair,
               least(12, floor(ln(
                   sum(2 / (1 / wa + 1 / wb) / (pb - pa)) / ln(1 + max(n)) / 0.03
               ) / ln(sqrt(2.0)))::int + 1) AS tier
          FROM neighbours
         WHERE a <> b AND pb - pa BETWEEN 1 AND 3
         GROUP BY 1
    )
    SELECT coalesce(array_to_tsvector(array_agg(pair || '~' || tier)), ''::tsvector)
      FROM tiers
     WHERE tier >= 3
$$;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS search_pairs(tsvector);"


def pairs(name):
    return django.contrib.postgres.indexes.GinIndex(
        models.Func(
            models.F("search_vector"),
            function="search_pairs",
            output_field=django.contrib.postgres.search.SearchVectorField(),
        ),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [("archive", "0009_search_impact_cost_1000")]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        migrations.AddIndex(model_name="item", index=pairs("item_pairs")),
        migrations.AddIndex(model_name="page", index=pairs("page_pairs")),
        migrations.AddIndex(model_name="report", index=pairs("report_pairs")),
        migrations.AddIndex(model_name="resolution", index=pairs("resolution_pairs")),
    ]
