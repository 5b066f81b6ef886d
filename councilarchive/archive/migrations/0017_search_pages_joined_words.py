"""Words joined by a slash or a hyphen are found by each word (issue 15).

PostgreSQL's parser reads "capital/reserve" as one file path ('capital/reserve': neither word
finds it) and indexes "cross-party" three times ('cross-parti', 'cross', 'parti'), so a query
"cross-party" asked for the whole word and missed "cross party". Now:
- the configuration indexes a hyphenated word as its parts only (the whole word's mapping is
  dropped): 'cross':1 'parti':2, and a query "cross-party" is the phrase 'cross' <-> 'parti';
- each search vector reads its text with every "/" between two letters made a hyphen
  (models.split_slashes; queries go through models.search_text), so "capital/reserve" is
  'capit':1 'reserv':2.

A generated column's expression cannot be altered in place (Django refuses; PostgreSQL before 17
cannot), so each vector column is dropped and added again, which computes it afresh for every
row under the new configuration, and its three indexes (the GIN on it, the impact and pair
tiers) are created again. Backwards does the same with the old expression and mapping.
"""

import django.contrib.postgres.search
from django.db import migrations, models

CONFIG = "council_english"
SLASHED = "(?<=[[:alpha:]])/(?=[[:alpha:]])"

DROP_WHOLE_WORDS = f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} DROP MAPPING FOR asciihword, hword;"
ADD_WHOLE_WORDS = f"""
ALTER TEXT SEARCH CONFIGURATION {CONFIG} ADD MAPPING FOR asciihword WITH english_stem;
ALTER TEXT SEARCH CONFIGURATION {CONFIG} ADD MAPPING FOR hword WITH unaccent, english_stem;
"""


def vector(**weights):
    """The frozen expression of models.search_vector(**weights) as of this migration."""
    parts = [
        django.contrib.postgres.search.SearchVector(
            models.Func(
                models.F(name),
                models.Value(SLASHED),
                models.Value("-"),
                models.Value("g"),
                function="regexp_replace",
                output_field=models.TextField(),
            ),
            config=CONFIG,
            weight=weight,
        )
        for name, weight in weights.items()
    ]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return models.GeneratedField(
        db_persist=True,
        expression=expression,
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


class RebuildVector(migrations.AlterField):
    """AlterField of a stored search vector, done by dropping the column and adding it again
    (with the indexes on it) under the expression of the state migrated to."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        schema_editor.remove_field(model, field)  # its indexes go with it
        schema_editor.add_field(model, field)
        for index in model._meta.indexes:
            if index.name.endswith(("_search", "_impact", "_pairs")):
                schema_editor.add_index(model, index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Rebuild the search vector of {self.model_name}"


class Migration(migrations.Migration):
    dependencies = [("archive", "0016_merge_dedup")]

    operations = [
        migrations.RunSQL(DROP_WHOLE_WORDS, ADD_WHOLE_WORDS),
        RebuildVector("item", "search_vector", vector(title="A", text="C")),
        RebuildVector("page", "search_vector", vector(text="C")),
        RebuildVector(
            "report",
            "search_vector",
            vector(subject="A", summary="B", recommendations="B", body="C"),
        ),
        RebuildVector(
            "resolution", "search_vector", vector(text="A", reason="B", alternatives="C")
        ),
    ]
