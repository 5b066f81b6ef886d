"""search_estimate(table, query): the planner's estimate of a table's rows matching a tsquery, as
a function a statement can call (issue 17): a results page's first statement asks it of the large
tables, where a statement of its own (EXPLAIN) per table was needed before. Its SQL is ranking's
ESTIMATE_FUNCTION, written once there."""

from django.db import migrations

from councilarchive.search.ranking import ESTIMATE_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("search", "0001_rank_functions")]

    operations = [
        migrations.RunSQL(
            ESTIMATE_FUNCTION, "DROP FUNCTION IF EXISTS search_estimate(regclass, tsquery)"
        )
    ]
