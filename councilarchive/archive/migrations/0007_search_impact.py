"""Impact tiers for relevance search at a million pages (issue #4, councilarchive.search.candidates).

`search_impact(tsvector)` gives, for each lexeme of a record, the token "lexeme~t" where t is the
tier of that lexeme's share of the record's rank: the sum of its position weights (A 1.0, B 0.4,
C 0.2, D 0.1, ts_rank_cd's defaults) over ln(1 + the number of positions), which is what
ts_rank_cd(vector, 'lexeme', 1|32) computes before its final r / (r + 1). Tiers are geometric:
tier t starts at 0.03 * sqrt(2) ** (t - 1), t = 1..12, the top one open-ended; a lexeme whose share
is below 0.03 gets no token (a single mention on a page of more than ~780 words), which keeps the
index smaller.
The constants are models.IMPACT_BASE, IMPACT_STEP and IMPACT_TIERS.

A GIN index on search_impact(search_vector) per searchable model then answers "the records where
this word weighs at least tier t" without ranking every record that contains it. It is an
expression index on the stored vector, so nothing is parsed twice and no column is added.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CREATE_FUNCTION = """
CREATE FUNCTION search_impact(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH lexemes AS (
        SELECT lexeme,
               (SELECT sum(CASE w WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2
                                  ELSE 0.1 END)
                  FROM unnest(weights) AS w) AS weight,
               greatest(cardinality(positions), 1) AS n
          FROM unnest(vector)
    ), shares AS (
        SELECT lexeme, weight / ln(1 + sum(n) OVER ()) AS share FROM lexemes
    )
    SELECT coalesce(
        array_to_tsvector(array_agg(
            lexeme || '~' || least(12, floor(ln(share / 0.03) / ln(sqrt(2.0)))::int + 1)
        )),
        ''::tsvector
    )
      FROM shares
     WHERE share >= 0.03
$$;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS search_impact(tsvector);"


def impact(name):
    return django.contrib.postgres.indexes.GinIndex(
        models.Func(
            models.F("search_vector"),
            function="search_impact",
            output_field=django.contrib.postgres.search.SearchVectorField(),
        ),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_cache_table"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        migrations.AddIndex(model_name="item", index=impact("item_impact")),
        migrations.AddIndex(model_name="page", index=impact("page_impact")),
        migrations.AddIndex(model_name="report", index=impact("report_impact")),
        migrations.AddIndex(model_name="resolution", index=impact("resolution_impact")),
    ]
