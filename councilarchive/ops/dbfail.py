"""A database outage answers 503, not 500 (issue #7: a PostgreSQL restart under load).

While PostgreSQL restarts, fails over or refuses connections, any query raises Django's
OperationalError or InterfaceError. DatabaseUnavailableMiddleware turns those into a short
"briefly unavailable" page (templates/503.html) with status 503 and a Retry-After header, and logs
one line per request. The web process is never restarted: with CONN_HEALTH_CHECKS (settings) a
persistent connection that died with the server is noticed and replaced at the next request.

Two routes reach it:
- an error raised by a view or while rendering its template: `process_exception`;
- an error raised by another middleware (the rate limiter counts in the database cache): Django has
  already turned it into a 500 response by the time it comes back here, so the
  `got_request_exception` signal marks the request with the error and `__call__` swaps the 500
  for a 503.
A query that runs past DB_STATEMENT_TIMEOUT_MS (issue 16: a slow query or a lock must not hold a
worker) is cancelled by PostgreSQL and raises an OperationalError too, so it answers 503 the same
way, with a page that says the request took too long. The limit is a connection option set by
`limit_web_statements()`, which only the web server's entry points (wsgi.py, asgi.py) call: the
ingest worker and management commands run long loads without it. API URLs get JSON, not HTML.
Place it high in MIDDLEWARE (after SecurityMiddleware and WhiteNoise, before anything that may
use the database). The page is rendered without the request's context processors, so drawing it
never needs the database.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait: a fast PostgreSQL restart takes a few seconds.
RETRY_AFTER_SECONDS = 10
_MARK = "_database_unavailable_error"


# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"


def limit_web_statements(databases=None) -> None:
    """Give every connection of this process a statement_timeout of DB_STATEMENT_TIMEOUT_MS (a
    libpq startup option: no extra round trip). For web processes only; call before the first
    query (a connection opened earlier keeps its setting until it is replaced)."""
    milliseconds = settings.DB_STATEMENT_TIMEOUT_MS
    if milliseconds <= 0:
        return
    for database in (databases or settings.DATABASES).values():
        options = database.setdefault("OPTIONS", {})
        given = options.get("options", "")
        options["options"] = f"{given} -c statement_timeout={milliseconds}".strip()


def timed_out(error) -> bool:
    """Whether the database cancelled the statement for running too long."""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED


def unavailable_response(request, error=None) -> HttpResponse:
    slow = error is not None and timed_out(error)
    if request.path.startswith("/api/"):
        message = (
            "The database took too long to answer this request."
            if slow
            else "The archive cannot reach its database just now."
        )
        response = JsonResponse({"error": message, "retry_after": RETRY_AFTER_SECONDS}, status=503)
    else:
        context = {
            "path": request.path,
            "retry_after": RETRY_AFTER_SECONDS,
            "slow": slow,
            "seconds": settings.DB_STATEMENT_TIMEOUT_MS / 1000,
        }
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _log(request, error) -> None:
    log.error(
        "database unavailable, answered 503 to %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
    )


def _mark_database_error(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, error)


got_request_exception.connect(_mark_database_error, dispatch_uid="councilarchive.dbfail")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, _MARK, None)
        if error is not None and response.status_code == 500:
            _log(request, error)
            replacement = unavailable_response(request, error)
            # Keep the headers inner middleware set on the 500 (CSP, X-Frame-Options).
            for header, value in response.items():
                if header.lower() not in {"content-type", "content-length", "cache-control"}:
                    replacement.setdefault(header, value)
            return replacement
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            _log(request, exception)
            return unavailable_response(request, exception)
        return None
