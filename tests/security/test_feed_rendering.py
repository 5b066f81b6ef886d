"""Atom feeds as a feed reader renders them (issue 16, item 3). A real PDF whose resolutions carry
`<img src=x onerror=…>` and `<script>` is ingested; the committee's, a councillor's and the search
feed must show that text as text: no entry's title or summary may hold an element once the reader
has taken it as its `type` says (for "html": XML-unescaped, then parsed as HTML)."""

from __future__ import annotations

import pytest
from django.test import Client

from councilarchive.archive.models import Councillor, Meeting, Resolution
from councilarchive.ingest.pipeline import ingest_file
from tests.security.feed_reader import read_feed
from tests.security.handmade_pdf import text_pdf
from tests.security.test_xss import IMG, SCRIPT, hostile_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_minutes(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "minutes.pdf"
    path.write_bytes(text_pdf(hostile_pages()))
    document = ingest_file(path).document
    resolution = Resolution.objects.filter(document=document, text__contains=IMG).first()
    assert resolution is not None, "the resolution kept the markup as text"
    meeting = Meeting.objects.get(items__document=document, items__title__contains="<script>")
    councillor = Councillor.objects.filter(
        attendance__meeting=resolution.item.meeting, attendance__role="present"
    ).first()
    return meeting.committee, councillor


def test_committee_and_councillor_feeds_render_hostile_text_as_text(hostile_minutes):
    committee, councillor = hostile_minutes
    client = Client()
    for url in [f"/committees/{committee.slug}/feed/", f"/councillors/{councillor.slug}/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        rendered = read_feed(response.content)
        assert rendered.tags == [], f"{url}: a reader renders {rendered.tags}"
        shown = "\n".join(rendered.texts)
        assert IMG in shown and SCRIPT in shown, url  # shown, as text, not dropped


def test_search_feed_renders_only_its_own_marks(hostile_minutes):
    response = Client().get("/search/feed/", {"q": "alert", "kind": "resolution"})
    assert response.status_code == 200
    rendered = read_feed(response.content)
    assert rendered.tags and set(rendered.tags) == {"mark"}
    assert any("onerror=alert(1)" in text for text in rendered.texts)
