"""The officers' workflow in a real browser, with a real `db_worker` process doing the ingest.

pytest-django's `live_server` runs against the test database (committed, flushed afterwards); the
worker subprocess is pointed at that same database by passing it a DATABASE_URL built from the
test connection's settings (host may be the embedded server's socket directory, percent-encoded),
and at the same MEDIA_ROOT, so it finds the uploaded file and the queued task.

Needs Playwright for Python (`.venv/bin/pip install playwright`) and Debian's chromium
(`apt-get install chromium`); never `playwright install`. Skipped with a reason otherwise.
"""

from __future__ import annotations

import io
import re
import time

import pytest

from tests.conftest import PACKS
from tests.e2e.conftest import log_in
from tests.processes import kill_group, manage_env, start_worker, stop_process, wait_for

VOTES_PACK = PACKS / "000_44206e63360eab18.pdf"  # County Council pack: recorded votes
LARGEST_PACK = PACKS / "001_89a7eb97841dfc38.pdf"  # 115 pages, the largest sample
PASSWORD = "officer-pw-e2e-1"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def worker_env(media) -> dict:
    return manage_env(None, media)  # the live server's (test) database


@pytest.fixture
def worker(live_server, media, tmp_path):
    """`manage.py db_worker` in its own process, on the live server's (test) database."""
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115
    process = start_worker(worker_env(media), log)
    yield process
    stop_process(process, timeout_s=20)
    log.seek(0)
    print(log.read()[-3000:])


@pytest.fixture
def empty_archive(transactional_db):
    """Start from an empty database: the session's sample archive holds the same packs, and an
    upload of one of them would (rightly) be refused as a duplicate."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def officer(empty_archive):
    from django.contrib.auth.models import User

    from tests.officers.conftest import officers_group

    user = User.objects.create_user("olive", password=PASSWORD, is_staff=True)
    user.groups.add(officers_group())
    return user


@pytest.fixture
def page(browser, live_server, officer):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, "olive", PASSWORD)
    yield page
    context.close()


def upload(page, *files, timeout_s=300) -> float:
    """Upload through the form; seconds until the documents list shows "Loaded" (or failure)."""
    page.goto("/admin/archive/document/upload/")
    page.set_input_files("input[name=files]", [str(f) for f in files])
    started = time.monotonic()
    page.click("input[type=submit][value=Upload]")
    page.wait_for_url(re.compile(r"/admin/archive/document/$"))
    page.wait_for_selector(".ingest-status.loaded, .ingest-status.failed", timeout=timeout_s * 1000)
    return time.monotonic() - started


def test_officer_uploads_watches_corrects_and_merges(page, worker, live_server):
    from councilarchive.archive.models import Councillor, CouncillorVote, Document, Vote

    took = upload(page, VOTES_PACK)
    print(f"\n{VOTES_PACK.name}: upload to loaded in {took:.1f}s")
    assert page.locator(".ingest-status.loaded").count() == 1
    document = Document.objects.get()
    assert document.status == Document.Status.LOADED
    assert "votes" in page.content() and f"{document.counts['votes']} votes" in page.content()

    # Correct a recorded vote: one councillor's vote and the printed count.
    vote = Vote.objects.filter(document=document, councillor_votes__option="for").distinct()[0]
    rows = list(vote.councillor_votes.all())
    switched = next(i for i, row in enumerate(rows) if row.option == "for")
    page.goto(f"/admin/archive/vote/{vote.pk}/change/")
    page.select_option(f"select[name=councillor_votes-{switched}-option]", "against")
    page.fill("input[name=count_for]", str(vote.count_for - 1))
    page.fill("input[name=count_against]", str(vote.count_against + 1))
    page.click("input[name=_save]")
    page.wait_for_selector("text=was changed successfully")
    vote.refresh_from_db()
    assert vote.edited
    # The public meeting page shows the corrected tally and the councillor among those against.
    page.goto(vote.item.meeting.get_absolute_url())
    section = page.locator(f"section.vote:has(#vote-{vote.pk}-heading)")
    tally = f"For {vote.count_for}, against {vote.count_against},"
    assert tally in section.locator(".tally").inner_text()
    against = section.locator(".vote-against .names").inner_text()
    assert str(rows[switched].councillor) in against.splitlines()

    # Correct the title of the item the vote is on: the public meeting page shows it.
    item = vote.item
    page.goto(f"/admin/archive/item/{item.pk}/change/")
    page.fill("input[name=title]", "Corrected by an officer: budget amendment")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was changed successfully")
    page.goto(item.meeting.get_absolute_url())
    assert "Corrected by an officer: budget amendment" in page.content()

    # Merge two councillors who voted (the second one's votes move to the first).
    keep = next(row.councillor for i, row in enumerate(rows) if i != switched)
    other = next(row.councillor for row in reversed(rows) if row.councillor_id != keep.pk)
    other_votes = CouncillorVote.objects.filter(councillor=other).count()
    page.goto("/admin/archive/councillor/?all=")
    page.check(f"input[name=_selected_action][value='{keep.pk}']")
    page.check(f"input[name=_selected_action][value='{other.pk}']")
    page.select_option("select[name=action]", "merge")
    page.click("button[name=index]")
    page.wait_for_selector("h1:has-text('Merge councillors')")
    page.check(f"input[name=keep][value='{keep.pk}']")
    page.click("input[type=submit][value=Merge]")
    page.wait_for_selector(f"text=into {keep}")
    assert not Councillor.objects.filter(pk=other.pk).exists()
    assert other_votes and keep.votes.count() >= other_votes
    # the merged-away record's URL now leads to the kept one (301, issue 14)
    page.goto(f"/councillors/{other.slug}/")
    assert page.url.endswith(f"/councillors/{keep.slug}/")
    assert keep.name in page.goto(f"/councillors/{keep.slug}/").text()


def test_officer_sees_errors_for_a_non_pdf_and_an_encrypted_pdf(page, media, tmp_path):
    from pypdf import PdfReader, PdfWriter

    not_pdf = tmp_path / "minutes.pdf"
    not_pdf.write_text("These are minutes typed into a text file.")
    writer = PdfWriter(clone_from=PdfReader(str(PACKS / "002_f3da20a1edfad8fa.pdf")))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(out.getvalue())

    page.goto("/admin/archive/document/upload/")
    page.set_input_files("input[name=files]", [str(not_pdf), str(locked)])
    page.click("input[type=submit][value=Upload]")
    page.wait_for_selector(".messagelist .error")
    errors = page.locator(".messagelist .error").all_inner_texts()
    assert errors == [
        "Minutes.pdf: not uploaded. This file is not a PDF (its content does not start like one).",
        "Locked.pdf: not uploaded. The PDF is password-protected; upload an unprotected copy.",
    ]
    assert "/admin/archive/document/upload/" in page.url


@pytest.mark.slow
def test_largest_pack_upload_to_loaded_time(page, worker):
    from councilarchive.archive.models import Document

    took = upload(page, LARGEST_PACK, timeout_s=900)
    document = Document.objects.get()
    recorded = (document.finished_at - document.created_at).total_seconds()
    work = (document.finished_at - document.started_at).total_seconds()
    print(
        f"\n{LARGEST_PACK.name} ({document.page_count} pages): upload to loaded {recorded:.1f}s "
        f"(ingest {work:.1f}s; seen in the browser after {took:.1f}s, refreshing every 3s)"
    )
    assert document.status == Document.Status.LOADED
    assert document.page_count == 115 and document.counts["items"] > 0


@pytest.mark.slow
def test_worker_killed_mid_job_leaves_nothing_half_loaded_and_is_recovered(
    live_server, media, officer, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from councilarchive.archive.models import Document, Item, Page
    from councilarchive.officers.admin_views import accept_upload

    env = worker_env(media)
    upload_ = SimpleUploadedFile(LARGEST_PACK.name, LARGEST_PACK.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        document = accept_upload(upload_, user=officer).document
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115
    first = start_worker(env, log)

    def mid_job():
        document.refresh_from_db()
        return document.pages_done >= 20 or document.status in ("parsing", "loading")

    wait_for(mid_job, 120)
    kill_group(first)  # worker and its extraction processes, no clean-up
    document.refresh_from_db()
    assert document.status in ("extracting", "parsing", "loading")
    assert not Item.objects.filter(document=document).exists()
    assert not Page.objects.filter(document=document).exists()

    call_command("recover_stale", "--minutes", "0")  # as run before starting a worker
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED
    second = start_worker(env, log)
    try:
        wait_for(lambda: Document.objects.get(pk=document.pk).status == "loaded", 300)
    finally:
        stop_process(second, timeout_s=20)
    assert Page.objects.filter(document=document).count() == 115
    assert Item.objects.filter(document=document).exists()
