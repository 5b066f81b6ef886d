"""The site's URLs plus two views the page cache tests need: one whose answer varies on a request
header, one that sets a cookie."""

from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_vary_headers

from councilarchive.urls import urlpatterns as site


def by_language(request):
    response = HttpResponse(request.headers.get("Accept-Language", ""))
    patch_vary_headers(response, ["Accept-Language"])
    return response


def with_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


urlpatterns = [
    path("vary-test/", by_language),
    path("cookie-test/", with_cookie),
    *site,
]
