"""Counters for the rate limits and the admin login throttle, counted atomically in one statement
(councilarchive.archive.counters) instead of get-then-set in the cache."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0010_search_pairs"),
    ]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=40)),
                ("key", models.CharField(max_length=300)),
                ("window_start", models.DateTimeField()),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("count", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "key", "window_start"), name="counter_one_row_per_window"
                    )
                ],
            },
        ),
    ]
