"""search_impact(): COST 1000, not 100,000 (migration 0008).

0008 priced the function so high that, at a million pages, the planner costed every tier's
bitmap heap scan in the millions (it adds the function's cost for each row it might recheck) and
then joined the few candidate pages to their documents by scanning all 10,000 documents once per
page (Nested Loop over a Materialize): 417 ms for "exchequer" instead of 11 ms (make bench-search
PAGES=1000000, EXPLAIN ANALYZE of the page tiers). At 1000 (x cpu_operator_cost = 2.5 a row) a
scan of a small table computing the function for each row still costs more than the impact index
(the sample reports keep their index scan: tests/search/test_candidates.py), while a tier of a
few hundred pages is costed in hundreds, not millions, and joins its documents through their
primary key.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("archive", "0008_search_impact_cost")]

    operations = [
        migrations.RunSQL(
            "ALTER FUNCTION search_impact(tsvector) COST 1000",
            "ALTER FUNCTION search_impact(tsvector) COST 100000",
        )
    ]
