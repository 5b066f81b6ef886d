from django.urls import path

from councilarchive.search import export, views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("resolutions/", views.resolutions_page, name="resolutions"),
    path("export.csv", export.export_csv, name="export_csv"),
    path("export.json", export.export_json, name="export_json"),
    path("feed/", export.search_feed, name="feed"),
]
