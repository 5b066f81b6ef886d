from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "councilarchive.ops"
    label = "ops"
