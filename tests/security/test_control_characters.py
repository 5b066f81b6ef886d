"""Control characters (issue 16, item 4): C0 controls other than tab/LF/CR, and the other code
points XML cannot carry, in a query, in a PDF's text (a font mapping a glyph to U+0007), in an
officer's edit, or already stored, must never make a feed, export or iCalendar file answer 500 or
come out malformed. They are dropped at the boundary where text comes in, and again on output."""

from __future__ import annotations

import csv
import io
import json

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from councilarchive.archive.models import Committee, Item, Meeting, Page, Resolution
from councilarchive.ingest.pipeline import ingest_file
from tests.security.feed_reader import read_feed
from tests.security.handmade_pdf import text_pdf
from tests.security.test_xss import hostile_pages

pytestmark = pytest.mark.django_db

BEL = "\x07"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_well_formed(url: str, response) -> str:
    """The response parsed the way its client parses it; its text returned."""
    assert response.status_code == 200, url
    body = content(response)
    kind = response["Content-Type"]
    if "atom" in kind:
        read_feed(body)
    elif "json" in kind:
        json.loads(body)
    elif "csv" in kind:
        list(csv.reader(io.StringIO(body.decode())))
    elif "calendar" in kind:
        icalendar.Calendar.from_ical(body)
    else:  # an HTML page (its search box shows what was typed, as browsers tolerate)
        return body.decode()
    text = body.decode()
    assert BEL not in text and "\x01" not in text, url
    return text


@pytest.mark.parametrize(
    "url",
    [
        "/search/feed/",
        "/search/",
        "/search/resolutions/",
        "/search/export.csv",
        "/search/export.json",
    ],
)
@pytest.mark.parametrize("q", ["\x01", "budget\x01", "\x07\x1b\ufffe"])
def test_a_control_character_in_the_query_answers_200_well_formed(client, url, q):
    assert_well_formed(url, client.get(url, {"q": q}))


@pytest.fixture
def bel_pdf(tmp_path, settings):
    """A real PDF whose font maps a glyph to U+0007, ingested through the pipeline."""
    settings.MEDIA_ROOT = tmp_path / "media"
    pages = hostile_pages()
    for page in pages:
        for i, line in enumerate(page):
            if line.startswith("RESOLVED"):
                page[i] = line.replace("RESOLVED", f"RESOLVED{BEL}", 1) + " Bellwether."
    path = tmp_path / "minutes.pdf"
    path.write_bytes(text_pdf(pages, identity_to_unicode=True))
    return ingest_file(path).document


def test_a_pdf_glyph_mapped_to_bel_is_dropped_at_ingest(bel_pdf):
    pages = Page.objects.filter(document=bel_pdf)
    assert pages.filter(text__contains="Bellwether").exists()
    assert not pages.filter(text__contains=BEL).exists()
    assert Resolution.objects.filter(document=bel_pdf, text__contains="Bellwether").exists()
    assert not Resolution.objects.filter(document=bel_pdf, text__contains=BEL).exists()
    for url in ["/search/feed/?q=bellwether", "/search/export.json?q=bellwether"]:
        assert "Bellwether" in assert_well_formed(url, Client().get(url))


def test_old_stored_text_with_control_characters_still_gives_well_formed_files(bel_pdf):
    """Text stored before ingest cleaned it: written straight into the database."""
    resolution = Resolution.objects.filter(document=bel_pdf, text__contains="Bellwether").first()
    meeting = resolution.item.meeting
    committee = meeting.committee
    # QuerySet.update writes as old data was written: no model save, no cleaning.
    Resolution.objects.filter(pk=resolution.pk).update(text=f"RESOLVED{BEL} Bellwether\x1b.")
    Item.objects.filter(pk=resolution.item.pk).update(title=f"Bellwether{BEL} item")
    Page.objects.filter(document=bel_pdf).update(text=f"Bellwether{BEL} page\x0c text")
    Meeting.objects.filter(pk=meeting.pk).update(venue=f"Council{BEL} Chamber\x01")
    Committee.objects.filter(pk=committee.pk).update(name=f"Bellwether{BEL} Committee")
    councillor = meeting.attendance.filter(role="present").first().councillor
    client = Client()
    for url in [
        f"/committees/{committee.slug}/feed/",
        f"/councillors/{councillor.slug}/feed/",
        f"/committees/{committee.slug}/meetings.ics",
        "/search/feed/?q=bellwether",
        "/search/export.csv?q=bellwether",
        "/search/export.json?q=bellwether",
    ]:
        assert "Bellwether" in assert_well_formed(url, client.get(url)), url


def test_an_officers_edit_is_stored_without_control_characters(bel_pdf):
    meeting = Meeting.objects.filter(items__document=bel_pdf).first()
    officer = get_user_model().objects.create_superuser("ed", "e@example.org", "pw-long-enough")
    client = Client()
    client.force_login(officer)
    url = f"/admin/archive/meeting/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["venue"] = f"Sessions{BEL} House\x1b"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.venue == "Sessions House"
