from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "councilarchive.search"
    label = "search"
