"""Cross-site scripting: a real PDF (written here by hand) whose minute title, resolution and page
text carry HTML/script is ingested through the pipeline; every page that shows them (meeting,
councillor, resolution, vote, document, search with snippets, feeds, exports, API, admin) must show
them as text. A councillor's name with markup is set as an officer's correction would set it."""

from __future__ import annotations

import json
import re
import xml.dom.minidom

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from councilarchive.archive.models import Councillor, Item, Meeting, Resolution
from councilarchive.ingest.parse.text import pages_from_text
from councilarchive.ingest.pipeline import ingest_file
from tests.conftest import PAGE_DUMPS
from tests.security.handmade_pdf import text_pdf

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
RAW = re.compile(r"<script>alert|<img src=x onerror|<b onmouseover", re.I)


def hostile_pages() -> list[list[str]]:
    (dump,) = PAGE_DUMPS.glob("000_*.pages.txt")
    pages = [p.text.splitlines() for p in pages_from_text(dump.read_text(encoding="utf-8"))[2:10]]
    pages[0] = [x.replace("16. Apologies", f"16. Apologies {SCRIPT}") for x in pages[0]]
    pages[1].insert(3, f"The Chairman read out {SCRIPT} and {IMG} in full.")
    for page in pages:
        for i, line in enumerate(page):
            if line.startswith("RESOLVED"):
                page[i] = f"{line} {IMG} {SCRIPT}"
    return pages


@pytest.fixture
def hostile(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "<b onmouseover=alert(1)>minutes.pdf"  # shown as the original name
    path.write_bytes(text_pdf(hostile_pages()))
    result = ingest_file(path)
    document = result.document
    meeting = Meeting.objects.get(items__document=document, items__title__contains="<script>")
    councillor = Councillor.objects.filter(attendance__meeting=meeting).first()
    councillor.name = f"Mr {SCRIPT} Smith"
    councillor.save()
    return document, meeting, councillor


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_shown_as_text(response, url):
    assert response.status_code == 200, url
    body = content(response).decode()
    assert not RAW.search(body), f"{url}: unescaped markup"
    return body


def test_hostile_text_is_escaped_on_every_page(hostile):
    document, meeting, councillor = hostile
    assert Item.objects.filter(meeting=meeting, title__contains="<script>").exists()
    resolution = Resolution.objects.filter(document=document, text__contains="<script>").first()
    assert resolution is not None, "the resolution kept the markup as text"
    vote = resolution.item.votes.first() if hasattr(resolution.item, "votes") else None
    client = Client()
    pages = [
        f"/meetings/{meeting.pk}/",
        f"/councillors/{councillor.slug}/",
        "/councillors/",
        f"/resolutions/{resolution.pk}/",
        f"/documents/{document.pk}/",
        "/search/?q=alert",
        "/search/?q=xss+script",
        "/search/resolutions/?q=alert",
        f"/committees/{meeting.committee.slug}/",
    ]
    if vote is not None:
        pages.append(f"/votes/{vote.pk}/")
    escaped = 0
    for url in pages:
        body = assert_shown_as_text(client.get(url), url)
        escaped += "&lt;script&gt;" in body
    assert escaped >= 5  # the text is there, as text, not dropped

    for url in [
        f"/committees/{meeting.committee.slug}/feed/",
        f"/councillors/{councillor.slug}/feed/",
        "/search/feed/?q=alert",
    ]:
        body = assert_shown_as_text(client.get(url), url)
        xml.dom.minidom.parseString(body.encode())  # well-formed: the markup is escaped

    response = client.get("/search/export.json?q=alert")
    assert response["Content-Type"].startswith("application/json")
    assert "<script>alert(" in json.dumps(json.loads(content(response)), ensure_ascii=False)
    response = client.get("/search/export.csv?q=alert")
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(f"/api/meetings/{meeting.pk}/")
    assert response["Content-Type"].startswith("application/json")


def test_hostile_text_is_escaped_in_the_admin(hostile):
    document, meeting, councillor = hostile
    admin = get_user_model().objects.create_superuser("root", "r@example.org", "pw-long-enough")
    client = Client()
    client.force_login(admin)
    item = Item.objects.get(meeting=meeting, title__contains="<script>")
    resolution = Resolution.objects.filter(document=document, text__contains="<script>").first()
    for url in [
        f"/admin/archive/document/{document.pk}/change/",
        "/admin/archive/document/",
        f"/admin/archive/meeting/{meeting.pk}/change/",
        f"/admin/archive/item/{item.pk}/change/",
        "/admin/archive/item/",
        f"/admin/archive/resolution/{resolution.pk}/change/",
        f"/admin/archive/councillor/{councillor.pk}/change/",
        "/admin/archive/councillor/",
    ]:
        assert_shown_as_text(client.get(url), url)
