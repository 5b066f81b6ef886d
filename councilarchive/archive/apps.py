from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "councilarchive.archive"
    label = "archive"
