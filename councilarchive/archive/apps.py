from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "councilarchive.archive"
    label = "archive"

    def ready(self):
        from councilarchive.archive import versioning

        versioning.watch()  # every write to the archive's models bumps the content version
