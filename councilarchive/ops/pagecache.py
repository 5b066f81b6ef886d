"""Public pages from a shared cache, with the HTTP headers a proxy or CDN in front needs.

Most of the archive changes only when a document is ingested or an officer corrects, merges or
deletes something, yet every page used to be rendered from scratch. PageCacheMiddleware stores
each public page, as rendered for an anonymous visitor, in Django's "pages" cache (a database
table every gunicorn worker shares) and in the process's own memory ("pages-local", in front of
it, saving the shared cache's round trip) under

    page:<content version token>:<md5 of the absolute URL, query string included>

and serves it again until the content version (councilarchive/archive/versioning.py) changes or
PAGE_CACHE_SECONDS pass. The version is read from the database on every request (one primary-key
read), so no process serves a page from before a write, whatever it keeps in memory. A write bumps the version after it commits, so the next request after a
correction, ingest, merge or delete misses and renders afresh: there is nothing to invalidate.
Search pages are keyed by their whole query string, so a day's top queries are rendered once.

What is never served from or stored in the cache: anything but GET; the admin, static and media
URLs; a request with an Authorization header or from a signed-in user (their responses are marked
Cache-Control: private); and a response that is not a 200, is streamed (exports, the PDFs), sets a
cookie, is private/no-store/no-cache, varies on "*", or whose view touched the session or the CSRF
token. A request that carries a session cookie may be served a stored page (its user is checked
first) but never stores one. A stored page is served only to requests that agree with it on every
header its Vary names.

Headers on every page the cache handles: a strong ETag (md5 of the body, as Django's
ConditionalGetMiddleware makes), Last-Modified (the time of the last content change, unless the
view set its own, as the sitemap does), Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE with
stale-while-revalidate, and X-Page-Cache: hit or miss. A conditional GET that matches
(If-None-Match, else If-Modified-Since) is answered 304 without a body.

It runs last in MIDDLEWARE: after RateLimitMiddleware, so a search served from the cache still
counts against the limit; and innermost, so it sees the view's own response before the session
and CSRF middleware add cookies or Vary: Cookie on the way out. PAGE_CACHE_ENABLED=0 turns it off
(the load benchmark measures both).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from councilarchive.archive import versioning

SHARED, LOCAL = "pages", "pages-local"  # settings.CACHES
REFUSING = {"private", "no-store", "no-cache"}  # a view's Cache-Control that forbids storing


@dataclass(frozen=True)
class StoredPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    vary: tuple[tuple[str, str | None], ...]  # (header, the request's value it was made for)

    def fits(self, request) -> bool:
        return all(request.headers.get(name) == value for name, value in self.vary)

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


def vary_names(response) -> list[str]:
    return [v for v in cc_delim_re.split(response.get("Vary", "")) if v]


def cache_control(response) -> set[str]:
    return {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }


def page_key(request, version: versioning.Version) -> str:
    url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False).hexdigest()
    return f"page:{version.token}:{url}"


def store(request, response) -> StoredPage | None:
    """The response as a StoredPage when it may be shared with every anonymous visitor."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or cache_control(response) & REFUSING
        or "*" in vary_names(response)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(getattr(request, "session", None), "accessed", False)
    ):
        return None
    return StoredPage(
        status=response.status_code,
        headers=tuple(response.items()),
        content=response.content,
        etag=f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
        vary=tuple((name, request.headers.get(name)) for name in vary_names(response)),
    )


def lookup(key: str) -> StoredPage | None:
    """This process's copy, else the shared one (kept here too for the next time)."""
    page = caches[LOCAL].get(key)
    if page is None:
        page = caches[SHARED].get(key)
        if page is not None:
            caches[LOCAL].set(key, page, settings.PAGE_CACHE_SECONDS)
    return page


def clear() -> None:
    """Forget every stored page (a restore replaces the data under the versions they carry)."""
    for alias in (SHARED, LOCAL):
        caches[alias].clear()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        urls = (reverse("admin:index"), settings.STATIC_URL, settings.MEDIA_URL)
        self.skipped = tuple("/" + url.lstrip("/") for url in urls)

    def __call__(self, request):
        if not self.public(request):
            return self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if has_session and request.user.is_authenticated:
            response = self.get_response(request)
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True)
            return response

        version = versioning.current()
        key = page_key(request, version)
        page = lookup(key)
        if page is not None and page.fits(request):
            response, state = page.response(), "hit"
        else:
            response = self.get_response(request)
            page = None if has_session else store(request, response)
            if page is None:
                return response
            for alias in (SHARED, LOCAL):
                caches[alias].set(key, page, settings.PAGE_CACHE_SECONDS)
            state = "miss"

        response["ETag"] = page.etag
        if "Last-Modified" not in response and version.number:
            response["Last-Modified"] = http_date(version.changed_at.timestamp())
        if "Cache-Control" not in response:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_MAX_AGE,
                stale_while_revalidate=settings.PAGE_CACHE_MAX_AGE,
            )
        response["X-Page-Cache"] = state
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(
            request, etag=page.etag, last_modified=last_modified, response=response
        )
        conditional["X-Page-Cache"] = state
        return conditional

    def public(self, request) -> bool:
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method == "GET"
            and "Authorization" not in request.headers
            and not request.path.startswith(self.skipped)
        )
