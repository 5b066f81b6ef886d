from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "councilarchive.officers"
    label = "officers"
