from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm (close spellings of names and titles) and unaccent (accent-folded search)."""

    dependencies = []

    operations = [TrigramExtension(), UnaccentExtension()]
