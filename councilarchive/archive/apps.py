from django.apps import AppConfig
from django.db import models
from django.db.models.signals import pre_save

from councilarchive.archive.plaintext import clean


def clean_text_fields(sender, instance, **kwargs):
    """Every text an archive record saves (a load, an officer's edit in the admin, a correction)
    without the control characters no feed, export or iCalendar file can carry."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean(value))


class ArchiveConfig(AppConfig):
    name = "councilarchive.archive"
    label = "archive"

    def ready(self):
        for model in self.get_models():
            pre_save.connect(
                clean_text_fields, sender=model, dispatch_uid=f"clean-{model.__name__}"
            )
        from councilarchive.archive import versioning

        versioning.watch()  # every write to the archive's models bumps the content version
