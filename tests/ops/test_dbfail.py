"""The 503 page for a database outage (councilarchive.ops.dbfail), without a real outage: views
and middleware that raise the errors Django raises when PostgreSQL is unreachable."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from tests.ops.dbfail_urls import SOCKET_GONE

pytestmark = pytest.mark.urls("tests.ops.dbfail_urls")


def test_operational_error_in_a_view_answers_503_with_retry_after(caplog):
    response = Client().get("/outage/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "<h1>The archive is briefly unavailable</h1>" in page
    assert "try again in 10 seconds" in page
    assert "secret-socket" not in page  # the database's error text stays in the log
    assert "database unavailable, answered 503 to GET /outage/: OperationalError" in caplog.text


def test_interface_error_answers_503():
    response = Client().get("/closed/")

    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_503_page_keeps_the_security_headers():
    response = Client().get("/outage/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_503_page_shows_the_requested_path_as_text():
    response = Client().get("/outage/%3Cscript%3Ealert(1)%3C/script%3E")

    page = response.content.decode()
    assert response.status_code == 503
    assert "<code>/outage/&lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    assert "<script>alert(1)" not in page


def test_other_errors_stay_500():
    response = Client(raise_request_exception=False).get("/bug/")

    assert response.status_code == 500
    assert "Retry-After" not in response


@override_settings(RATE_LIMIT_ENABLED=True)
def test_database_error_raised_by_a_middleware_answers_503():
    """The rate limiter counts in the database before any view runs: its error comes back as
    Django's 500, which the middleware swaps for the 503 page."""
    with mock.patch(
        "councilarchive.ops.security.Counter.objects.hit", side_effect=OperationalError(SOCKET_GONE)
    ):
        response = Client(raise_request_exception=False).get("/search/", {"q": "budget"})

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "briefly unavailable" in response.content.decode()
    assert "secret-socket" not in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
