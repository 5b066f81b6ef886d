"""The members register in the admin: edits, a rename keeping the URL, the CSV import page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from councilarchive.archive.models import Councillor, CouncillorVote
from councilarchive.ingest.councillors import CouncillorIndex
from councilarchive.ingest.pipeline import default_council

pytestmark = pytest.mark.django_db

CSV = b"name,party,division,start,end\nMr R W Gough,Conservative,Sevenoaks,2017-05-04,\nMs X,Green,,31/02/2021,\n"


@pytest.fixture
def gough(db):
    return CouncillorIndex(default_council()).resolve("Mr R W Gough")


def test_import_page_previews_then_imports(officer_client, gough):
    url = "/admin/archive/councillor/import/"
    assert (
        "Import members (CSV)" in officer_client.get("/admin/archive/councillor/").content.decode()
    )
    upload = SimpleUploadedFile("members.csv", CSV, content_type="text/csv")
    preview = officer_client.post(url, {"file": upload}).content.decode()
    assert "1 to add" not in preview and "0 to add, 1 to update" in preview
    assert escape("party: — → Conservative") in preview
    assert "Line 3: start: day is out of range for month" in preview
    gough.refresh_from_db()
    assert gough.party == "", "the preview writes nothing"
    text = CSV.decode()
    response = officer_client.post(url, {"text": text, "apply": "Import"})
    assert response.status_code == 302
    gough.refresh_from_db()
    assert (gough.party, gough.division, gough.in_register) == ("Conservative", "Sevenoaks", True)


def test_editing_a_member_puts_it_in_the_register_and_a_rename_keeps_the_url(
    officer_client, gough, client
):
    old_url = gough.get_absolute_url()
    data = {
        "council": gough.council_id,
        "name": "Mr Roger Gough",
        "title": "Mr",
        "forenames": "Roger",
        "surname": "Gough",
        "honours": "",
        "slug": "roger-gough",
        "is_member": "on",
        "party": "Conservative",
        "division": "Sevenoaks Rural South",
        "served_from": "",
        "served_to": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
    }
    response = officer_client.post(f"/admin/archive/councillor/{gough.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gough = Councillor.objects.get(pk=gough.pk)
    assert gough.in_register and gough.party == "Conservative"
    moved = client.get(old_url, secure=True)
    assert (moved.status_code, moved["Location"]) == (301, "/councillors/roger-gough/")


def test_change_page_offers_spelling_slips_to_merge(officer_client):
    index = CouncillorIndex(default_council())
    carev, carey = index.resolve("Miss S J Carev"), index.resolve("Miss Carey")
    page = officer_client.get(f"/admin/archive/councillor/{carev.pk}/change/").content.decode()
    assert "Perhaps the same person" in page
    assert f"merge/?ids={carev.pk}&amp;ids={carey.pk}" in page


def test_review_page_lists_unresolved_vote_names_and_offers_the_merge(
    officer_client, votes_document
):
    """Pack 000: PRESENT prints "Miss S J Carev", the votes "Miss S Carey"."""
    page = officer_client.get(f"/admin/archive/document/{votes_document.pk}/review/")
    html = page.content.decode()
    assert escape("“Miss S Carey” is not in the meeting's attendance list") in html
    assert '<a href="#page-7">page 7</a>, minute 23, vote 1: ' in html
    carev = Councillor.objects.get(surname="Carev")
    carey = (
        CouncillorVote.objects.filter(vote__document=votes_document, printed_name="Miss S Carey")
        .first()
        .councillor
    )
    assert "Names perhaps of one person" in html
    assert f"merge/?ids={carey.pk}&amp;ids={carev.pk}" in html or (
        f"merge/?ids={carev.pk}&amp;ids={carey.pk}" in html
    )
