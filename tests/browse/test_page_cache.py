"""The page cache (councilarchive/ops/pagecache.py): public pages served from the shared cache,
never a stale one after a write, conditional GETs, and nothing of a signed-in user's.

Each write happens the way an officer or the worker does it (the admin's own change, merge and
delete views; the loader for an ingest). The test database runs every test in a transaction that
never commits, so `commit()` runs the on-commit callbacks pending (the version's bump among
them), as the real commit would, before the next request is made.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import caches
from django.db import connection, transaction

from councilarchive.archive import versioning
from councilarchive.archive.models import Councillor, Document, Resolution
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.pipeline import sha256_of, store
from councilarchive.ops.pagecache import LOCAL, SHARED
from tests.conftest import PACKS
from tests.ingest.conftest import dump_pages

VOTES_PACK = PACKS / "000_44206e63360eab18.pdf"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True  # off by default under pytest
    # Each test's rollback puts the version back, and with it the keys of the test before: the
    # shared cache's rows roll back too, this process's memory does not.
    caches[LOCAL].clear()


def commit() -> None:
    """What COMMIT would run: every on-commit callback registered so far (the fixtures' writes
    registered one too), once."""
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()


def pending_bumps() -> int:
    return sum(callback is versioning.bump for _, callback, _ in connection.run_on_commit)


def cached(client, path, **headers):
    """GET `path` twice; the second answer must come from the cache. Returns it."""
    first = client.get(path, headers=headers)
    assert first.status_code == 200, path
    assert first["X-Page-Cache"] == "miss"
    again = client.get(path, headers=headers)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    return again


def resolution_form(resolution: Resolution, **changes) -> dict:
    """The resolution's admin change form as the browser posts it, with `changes` applied."""
    data = {
        "item": resolution.item_id,
        "position": resolution.position,
        "number": resolution.number,
        "text": resolution.text,
        "reason": resolution.reason,
        "alternatives": resolution.alternatives,
        "conflicts": resolution.conflicts,
        "dispensations": resolution.dispensations,
        "page": resolution.page or "",
        "topics": [t.pk for t in resolution.topics.all()],
    }
    return data | changes


def test_a_hit_is_the_stored_page_for_one_query(client, browse, django_assert_num_queries):
    path = browse.may.get_absolute_url()
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content version
        again = client.get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "Quillfield Bypass" in again.content.decode()


def test_another_process_finds_the_page_in_the_shared_cache(
    client, browse, django_assert_num_queries
):
    path = browse.may.get_absolute_url()
    first = client.get(path)
    caches[LOCAL].clear()  # as a gunicorn worker that has not served it yet
    with django_assert_num_queries(2):  # the content version and the shared cache's row
        again = client.get(path)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    key = f"page:{versioning.current().token}:"
    assert caches[SHARED].get(key + hashlib.md5(b"http://testserver" + path.encode()).hexdigest())


def test_an_officers_correction_in_the_admin_is_on_the_next_request(client, admin_client, browse):
    resolution = browse.resolution
    path = resolution.get_absolute_url()
    assert "business case be approved" in cached(client, path).content.decode()

    corrected = "RESOLVED that the Quillfield bypass business case be deferred to July."
    response = admin_client.post(
        f"/admin/archive/resolution/{resolution.pk}/change/",
        resolution_form(resolution, text=corrected),
    )
    commit()
    assert response.status_code == 302, response.content.decode()[:2000]
    resolution.refresh_from_db()
    assert resolution.text == corrected and resolution.edited

    after = client.get(path)
    assert after["X-Page-Cache"] == "miss"
    assert corrected in after.content.decode()
    # the meeting page shows the resolution too, and was cached before the edit as well
    assert corrected in client.get(resolution.item.meeting.get_absolute_url()).content.decode()


def test_a_model_save_is_on_the_next_request(client, browse):
    path = browse.ash.get_absolute_url()
    cached(client, path)
    browse.ash.honours = "OBE"
    browse.ash.save(update_fields=["honours"])
    commit()
    after = client.get(path)
    assert after["X-Page-Cache"] == "miss"
    assert "OBE" in after.content.decode()


def test_a_new_ingest_is_on_the_next_request(client, db):
    # The session's sample archive may hold this pack already.
    Document.objects.filter(sha256=sha256_of(VOTES_PACK)).delete()
    commit()
    path = "/search/?q=liquidity"
    before = cached(client, path).content.decode()
    assert "<mark>" not in before

    document, _ = store(VOTES_PACK)
    pages = dump_pages("000")
    load(parse(pages), document, pages)
    commit()

    after = client.get(path)
    assert after["X-Page-Cache"] == "miss"
    assert "<mark>liquidity</mark>" in after.content.decode().lower()


def test_a_merge_through_the_admin_is_on_the_next_request(client, admin_client, browse):
    gone, keep = browse.dunn, browse.birch
    cached(client, gone.get_absolute_url())
    index = cached(client, "/councillors/").content.decode()
    assert "Dunnock" in index

    response = admin_client.post(
        "/admin/archive/councillor/merge/", {"ids": [keep.pk, gone.pk], "keep": keep.pk}
    )
    commit()
    assert response.status_code == 302
    assert not Councillor.objects.filter(pk=gone.pk).exists()

    moved = client.get(gone.get_absolute_url())  # was cached as the merged-away page
    assert (moved.status_code, moved["Location"]) == (301, keep.get_absolute_url())
    after = client.get("/councillors/")
    assert after["X-Page-Cache"] == "miss"
    assert "Dunnock" not in after.content.decode()


def test_a_delete_through_the_admin_is_on_the_next_request(client, admin_client, browse):
    meeting = browse.april  # only the Cabinet pack speaks of it
    cached(client, meeting.get_absolute_url())
    link = f'href="{meeting.get_absolute_url()}"'
    assert link in cached(client, "/").content.decode()  # among the latest meetings

    response = admin_client.post(
        f"/admin/archive/document/{browse.cab_pack.pk}/delete/", {"post": "yes"}
    )
    commit()
    assert response.status_code == 302
    assert client.get(meeting.get_absolute_url()).status_code == 404
    after = client.get("/")
    assert after["X-Page-Cache"] == "miss"
    assert link not in after.content.decode()


def test_if_none_match_with_the_pages_etag_is_answered_304(client, browse):
    path = browse.may.get_absolute_url()
    page = cached(client, path)
    etag, modified = page["ETag"], page["Last-Modified"]
    assert etag.startswith('"') and len(etag) == 34
    assert page["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"

    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200

    browse.resolution.text = "RESOLVED that the bypass be refused."
    browse.resolution.save()
    commit()
    changed = client.get(path, headers={"If-None-Match": etag, "If-Modified-Since": modified})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "bypass be refused" in changed.content.decode()


def test_a_signed_in_users_pages_are_never_from_or_into_the_cache(client, admin_client, browse):
    path = browse.may.get_absolute_url()
    cached(client, path)  # stored for the public

    officer = admin_client.get(path)
    assert officer.status_code == 200
    assert "X-Page-Cache" not in officer
    assert "ETag" not in officer
    assert "private" in officer["Cache-Control"]

    other = browse.ash.get_absolute_url()
    admin_client.get(other)  # an officer's visit stores nothing
    assert client.get(other)["X-Page-Cache"] == "miss"


def test_admin_pages_are_never_cached(client, admin_client):
    for _ in range(2):
        login = client.get("/admin/login/")
        assert login.status_code == 200
        assert "X-Page-Cache" not in login
    for _ in range(2):
        index = admin_client.get("/admin/")
        assert "X-Page-Cache" not in index
        assert "public" not in index["Cache-Control"]


def test_a_search_is_cached_under_its_whole_query_string(client, browse):
    budget = cached(client, "/search/?q=bypass").content
    other = client.get("/search/?q=congestion")
    assert other["X-Page-Cache"] == "miss"
    assert other.content != budget
    assert client.get("/search/?q=bypass&sort=newest")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=bypass")["X-Page-Cache"] == "hit"


def test_the_rate_limit_still_counts_searches_served_from_the_cache(client, browse, settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {"search": "3/60", "export": "0"}
    cached(client, "/search/?q=bypass")  # 2 requests
    assert client.get("/search/?q=bypass")["X-Page-Cache"] == "hit"  # the 3rd
    assert client.get("/search/?q=bypass").status_code == 429


def test_a_page_is_served_only_to_requests_it_varies_to(client, browse, settings):
    settings.ROOT_URLCONF = "tests.browse.pagecache_urls"
    english = cached(client, "/vary-test/", **{"Accept-Language": "en"})
    assert english["Vary"] == "Accept-Language"
    welsh = client.get("/vary-test/", headers={"Accept-Language": "cy"})
    assert welsh["X-Page-Cache"] == "miss"
    assert welsh.content == b"cy"


@pytest.mark.parametrize("path", ["/cookie-test/", "/csrf-test/"])
def test_a_response_setting_a_cookie_or_with_a_csrf_token_is_not_stored(client, db, settings, path):
    settings.ROOT_URLCONF = "tests.browse.pagecache_urls"
    tokens = set()
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert response.cookies  # the cookie reaches the visitor
        tokens.add(response.content)
    if path == "/csrf-test/":
        assert len(tokens) == 2  # a fresh (masked) token each time, never a stored one


def test_caching_off_serves_every_request_fresh(client, browse, settings):
    settings.PAGE_CACHE_ENABLED = False
    path = browse.may.get_absolute_url()
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(path)


def test_a_transaction_of_many_writes_bumps_the_version_once(browse):
    commit()
    before = versioning.current()
    with transaction.atomic():
        for resolution in Resolution.objects.all()[:5]:
            resolution.save()
        browse.ash.save()
        browse.ash.delete()
    assert pending_bumps() == 1
    commit()
    after = versioning.current()
    assert after.number == before.number + 1
    assert after.token != before.token


def test_a_rolled_back_write_does_not_bump(browse):
    commit()
    before = versioning.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        browse.ash.save()
        assert pending_bumps() == 1
        raise RuntimeError("undo")
    assert pending_bumps() == 0
    commit()
    assert versioning.current() == before
