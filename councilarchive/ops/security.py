"""Security headers and rate limits, as middleware (settings: the security section).

- ContentSecurityPolicyMiddleware: a Content-Security-Policy on every HTML response. No inline
  script is allowed (script-src 'self'): the templates load scripts by URL only, and the admin's
  status refresh is a <meta http-equiv="refresh">. Original PDFs get a sandbox policy instead.
- RateLimitMiddleware: requests per client address per window on the search, export/feed and API
  URLs, counted atomically in the database (councilarchive.archive.counters: shared by every web
  process, exact under concurrency); over the limit: 429 with Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from councilarchive.archive.counters import Counter


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf"):
            response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        elif settings.CONTENT_SECURITY_POLICY:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


def parse_rate(value: str) -> tuple[int, int]:
    """ "60/60" -> (60 requests, per 60 seconds); "0" or "" -> no limit."""
    if not value or value.strip() == "0":
        return 0, 0
    count, _, seconds = value.partition("/")
    return int(count), int(seconds or 60)


def limit_group(path: str) -> str | None:
    """Which limit a path counts against: "export" (CSV/JSON/feed), "search" (pages, API)."""
    if path.startswith(("/search/export.", "/search/feed/")):
        return "export"
    if path.startswith(("/search/", "/api/")):
        return "search"
    return None


def client_address(request) -> str:
    if settings.RATE_LIMIT_TRUST_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()  # the address our proxy saw
    return request.META.get("REMOTE_ADDR", "")


def too_many(request, count: int, seconds: int, retry: int) -> HttpResponse:
    """The 429 a person or a program reads: JSON for the API, a page for the rest (an export
    link opened in a browser shows the page too), each saying when to try again."""
    said = f"Too many requests: at most {count} every {seconds} s. Try again in {retry} s."
    if request.path.startswith("/api/"):
        return JsonResponse({"error": said, "retry_after": retry}, status=429)
    context = {"count": count, "seconds": seconds, "retry_after": retry, "path": request.path}
    return HttpResponse(render_to_string("429.html", context, request), status=429)


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        group = limit_group(request.path) if settings.RATE_LIMIT_ENABLED else None
        if group:
            count, seconds = parse_rate(settings.RATE_LIMITS.get(group, ""))
            if count:
                (hit,) = Counter.objects.hit((f"rate:{group}", client_address(request), seconds))
                if hit.count > count:
                    retry = hit.retry_after
                    response = too_many(request, count, seconds, retry)
                    response["Retry-After"] = str(retry)
                    return response
        return self.get_response(request)
