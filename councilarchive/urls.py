from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("councilarchive.search.urls")),
    path("api/", include("councilarchive.search.api_urls")),
    path("", include("councilarchive.archive.urls")),
]
