from django.contrib import admin
from django.urls import include, path

from councilarchive.search.views import document_page

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("councilarchive.search.urls")),
    path("api/", include("councilarchive.api.urls")),
    # Where a search result on a PDF page lands: the page's text with the hit marked.
    path("documents/<int:pk>/pages/<int:number>/", document_page, name="document_page"),
    path("", include("councilarchive.browse.urls")),
]
