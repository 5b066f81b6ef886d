from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "councilarchive.ingest"
    label = "ingest"
