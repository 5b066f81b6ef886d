"""URLs for test_dbfail: the project's own, plus views that fail the way a database outage does."""

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.urls import path

from councilarchive.urls import urlpatterns as project_urlpatterns

# The text psycopg gives when the server's socket is gone (it must never reach the page).
SOCKET_GONE = (
    'connection failed: connection to server on socket "/tmp/secret-socket/.s.PGSQL.5432" failed:'
    " No such file or directory"
)


def operational_error(request, rest=""):
    raise OperationalError(SOCKET_GONE)


def interface_error(request):
    raise InterfaceError("connection already closed")


def other_error(request):
    raise ValueError("not a database problem")


def slow_query(request, seconds):
    """A query that takes `seconds` (a slow search, a report over the whole archive)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(seconds)])
    return HttpResponse(f"slept {seconds} s in the database\n", content_type="text/plain")


urlpatterns = [
    path("slow/<str:seconds>/", slow_query),
    path("outage/", operational_error),
    path("outage/<path:rest>", operational_error),
    path("closed/", interface_error),
    path("bug/", other_error),
    *project_urlpatterns,
]
