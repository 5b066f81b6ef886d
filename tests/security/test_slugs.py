"""Issue 16 (1): every slug the archive makes is non-empty and unique in its URL's scope. An
officer who named a new committee "!!!" (or in another script) at upload used to store an empty
slug, and from then on `/`, `/sitemap.xml` and the document's page answered 500 (NoReverseMatch)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from councilarchive.archive.models import Committee, Council, Councillor, Document, Topic
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from tests.ingest.conftest import dump_pages
from tests.officers.conftest import SMALL_PACK, forget, upload_file

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/archive/document/upload/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload_for_new_committee(client, name: str) -> Document:
    forget(SMALL_PACK)
    client.post(UPLOAD, {"files": [upload_file(SMALL_PACK)], "new_committee": name})
    return Document.objects.select_related("committee").get(original_name=SMALL_PACK.name)


@pytest.mark.parametrize("name", ["!!!", "Пленарное заседание", "委員会", "— · —"])
def test_committee_named_without_ascii_letters_keeps_the_public_site_up(officer_client, name):
    document = upload_for_new_committee(officer_client, name)
    committee = document.committee
    assert committee.name == name and committee.slug.startswith("committee-")
    pages = load(parse(dump_pages("002")), document, dump_pages("002"))  # the worker's load
    assert pages.document.status == Document.Status.LOADED

    public = Client()
    for url in ["/", "/sitemap.xml", f"/documents/{document.pk}/", committee.get_absolute_url()]:
        response = public.get(url)
        assert response.status_code == 200, url
    assert committee.get_absolute_url() in public.get("/").content.decode()
    assert f"/committees/{committee.slug}/" in public.get("/sitemap.xml").content.decode()


def test_the_same_odd_name_again_finds_the_same_committee(officer_client):
    first = upload_for_new_committee(officer_client, "!!!").committee
    second = upload_for_new_committee(officer_client, "!!!").committee
    other = upload_for_new_committee(officer_client, "???").committee
    assert first == second
    assert other != first and other.slug != first.slug and other.slug


def test_a_committee_slug_taken_in_another_council_gets_a_suffix(officer_client):
    elsewhere = Council.objects.create(name="Elsewhere District Council")
    theirs = Committee.objects.create(council=elsewhere, name="Planning Board")
    ours = upload_for_new_committee(officer_client, "Planning Board").committee
    assert ours != theirs and ours.council != elsewhere
    assert (theirs.slug, ours.slug) == ("planning-board", "planning-board-2")
    public = Client()
    for committee in (theirs, ours):  # /committees/<slug>/ finds each one (no MultipleObjects)
        page = public.get(committee.get_absolute_url())
        assert page.status_code == 200 and page.context["committee"] == committee


def test_split_off_councillor_named_in_another_script_gets_a_slug(officer_client, votes_document):
    person = Councillor.objects.filter(aliases__isnull=False).first()
    alias = person.aliases.first()
    response = officer_client.post(
        f"/admin/archive/councillor/{person.pk}/split/", {"alias": alias.pk, "name": "Иван Петров"}
    )
    new = Councillor.objects.get(aliases=alias)
    assert response.status_code == 302 and new.name == "Иван Петров"
    assert new.slug.startswith("councillor-")
    assert Client().get(new.get_absolute_url()).status_code == 200
    assert Client().get("/councillors/").status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        lambda c: Committee.objects.create(council=c, name="", slug=""),
        lambda c: Councillor.objects.create(council=c, name="X", surname="X", slug=""),
        lambda c: Topic.objects.create(name="Nothing", slug=""),
        lambda c: Council.objects.filter(pk=c.pk).update(slug=""),
    ],
    ids=["committee", "councillor", "topic", "council"],
)
def test_the_database_refuses_an_empty_slug(make):
    council = Council.objects.create(name="Guard Council")
    with pytest.raises(IntegrityError), transaction.atomic():
        make(council)
