from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("councilarchive.search.urls")),
    path("api/", include("councilarchive.api.urls")),
    path("", include("councilarchive.browse.urls")),
]
