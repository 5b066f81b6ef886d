"""Pair tiers that count every cover of the two words, and one tier lower (issue 17 item 3).

A pair's token ("budget save~t") counted only the covers where the two words stood within
PAIR_REACH positions, and was stored from tier 3 up. At 100,000 pages the exhaustive top 20 of
"budget savings" is pages that say "budget savings" once and then "budget" and "savings" apart
many times: their rank (0.045-0.07) comes mostly from the far covers, so none had a token and the
words' own tiers (which cannot see how close words stand) put them anywhere among 11,863 matches:
overlap 0.3. Now a pair standing within PAIR_REACH somewhere on the record gets the share of all
its covers, which is the two-word ts_rank_cd exactly, and tiers from PAIR_FLOOR 2 are stored.

`install_tier_functions` re-creates `search_pairs` from `ranking.tier_functions()` and rebuilds the
indexes on it (the pair indexes of the four searchable tables). Backwards: nothing to undo that a
later install would not redo; the previous body is in git.

It then ANALYZEs every table with a search vector. Archive 0017 dropped and re-added those
columns, and their statistics went with them (nothing marks the table as changed, so autovacuum
does not gather them again): the planner then guessed 500 matches at 100,000 pages for any
word ("council" matches most of them, "budget savings" 11,863), and every results page first
ranked up to `limit` matches as if the word were rare, then counted them again.
"""

from django.db import migrations

from councilarchive.search.ranking import install_tier_functions


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        install_tier_functions(cursor)
        cursor.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = 'search_vector'"
            " ORDER BY 1"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'ANALYZE "{table}"')


class Migration(migrations.Migration):
    # after archive 0017, which rebuilt the vectors (and lost their statistics)
    dependencies = [
        ("search", "0002_speed_estimate"),
        ("archive", "0017_search_pages_joined_words"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
