"""The tier functions, generated from ranking's constants (issue 17).

Migrations 0007 and 0010 of `archive` created `search_impact` and `search_pairs` from SQL written
out by hand, with the weights, 0.03, sqrt(2), 12 and the pair floor spelled again beside their
Python copies. From here on their one statement is `councilarchive.search.ranking`: this
migration re-creates both from `ranking.tier_functions()` (COST 1000 as 0009 set), and rebuilds
the indexes on a function whose body changed (here: the same tiers, spelled from the constants;
the indexes are rebuilt once, as an IMMUTABLE function changed under its index must be).

It imports the generator rather than a copy of its output, so the SQL is never written twice. It
stays reproducible while the constants are unchanged; whoever changes one adds a migration that
calls `install_tier_functions` again, and on a fresh database this one then installs the new
definition and that one finds it current. The migration lives in the `search` app because the
domain (`archive`) imports no other package; it runs after archive's 0010, which made the indexes.
"""

from django.db import migrations

from councilarchive.search.ranking import install_tier_functions


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        install_tier_functions(cursor)


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_search_pairs")]

    # Backwards: nothing to undo; the functions compute what 0007-0010's did (tests/search/
    # test_ranking.py compares them on sample vectors).
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
