"""The site's URLs plus the views the page cache tests need: one whose answer varies on a request
header, one that sets a cookie, one with a form's CSRF token."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
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


def with_csrf_token(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [
    path("vary-test/", by_language),
    path("cookie-test/", with_cookie),
    path("csrf-test/", with_csrf_token),
    *site,
]
