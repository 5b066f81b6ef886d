from django.apps import AppConfig


class BrowseConfig(AppConfig):
    name = "councilarchive.browse"
    label = "browse"
