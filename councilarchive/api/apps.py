from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "councilarchive.api"
    label = "api"
