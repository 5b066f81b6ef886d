"""The read-only JSON API over the loaded sample packs."""

import re

import pytest

from councilarchive.archive.models import Councillor, Item, Meeting, Vote

pytestmark = pytest.mark.django_db


def test_api_page_documents_every_endpoint(client):
    response = client.get("/api/")
    assert response.status_code == 200
    for path in ("meetings/", "resolutions/", "votes/", "councillors/"):
        assert f"/api/{path}" in response.content.decode()


def test_meetings_list_is_paginated_and_filterable(client, sample_archive):
    data = client.get("/api/meetings/").json()
    assert data["count"] == Meeting.objects.count() > 0
    assert data["results"][0]["classification"] == "committee-meeting"
    cabinet = client.get("/api/meetings/", {"committee": "cabinet"}).json()
    assert cabinet["count"] == Meeting.objects.filter(committee__slug="cabinet").count() > 0
    assert {m["organization"]["name"] for m in cabinet["results"]} == {"Cabinet"}


def test_meeting_detail_lists_its_agenda_in_order(client, sample_archive):
    meeting = Meeting.objects.filter(items__isnull=False).distinct().first()
    data = client.get(f"/api/meetings/{meeting.pk}/").json()
    orders = [entry["order"] for entry in data["agenda"]]
    assert orders == sorted(orders) and len(orders) == meeting.items.count()


def test_vote_lists_each_councillors_vote_with_ocd_options(client, sample_archive):
    vote = Vote.objects.filter(councillor_votes__isnull=False).distinct().first()
    data = client.get(f"/api/votes/{vote.pk}/").json()
    assert {c["option"]: c["value"] for c in data["counts"]} == {
        "yes": vote.count_for,
        "no": vote.count_against,
        "abstain": vote.count_abstain,
    }
    assert len(data["votes"]) == vote.councillor_votes.count()
    assert {v["option"] for v in data["votes"]} <= {"yes", "no", "abstain"}
    assert data["result"] in {"pass", "fail", None}


def test_councillor_detail_has_other_names_and_votes(client, sample_archive):
    councillor = Councillor.objects.filter(votes__isnull=False).distinct().first()
    data = client.get(f"/api/councillors/{councillor.slug}/").json()
    assert data["family_name"] == councillor.surname
    assert {n["name"] for n in data["other_names"]} == set(
        councillor.aliases.values_list("printed", flat=True)
    )
    assert len(data["votes"]) == councillor.votes.count()


def test_bad_parameters_are_a_400_not_a_500(client):
    response = client.get("/api/meetings/", {"since": "not-a-date", "page": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"since", "page"}


def test_lists_run_a_fixed_number_of_queries(client, sample_archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/api/votes/")
    with django_assert_max_num_queries(4):
        client.get("/api/councillors/")


def test_councillors_list_only_members_with_party_and_old_slugs_redirect(client, db):
    from councilarchive.ingest.councillors import CouncillorIndex
    from councilarchive.ingest.pipeline import default_council
    from councilarchive.officers.admin_views import merge_councillors

    index = CouncillorIndex(default_council())
    hook, twin, officer = (index.resolve(n) for n in ("Mr A J Hook", "Mr X Hook", "Mr B Watts"))
    Councillor.objects.filter(pk__in=[hook.pk, twin.pk]).update(
        is_member=True, party="Liberal Democrat", division="Faversham"
    )
    names = {c["name"]: c for c in client.get("/api/councillors/").json()["results"]}
    assert names["Mr A J Hook"]["party"] == "Liberal Democrat"
    assert names["Mr A J Hook"]["electoral_division"] == "Faversham"
    assert names["Mr A J Hook"]["member"] is True and names["Mr A J Hook"]["end_date"] is None
    assert "Mr B Watts" not in names
    assert client.get(f"/api/councillors/{officer.slug}/").json()["member"] is False
    merge_councillors(hook, twin)
    response = client.get(f"/api/councillors/{twin.slug}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/councillors/{hook.slug}/")


def test_every_link_on_the_api_page_answers_json(client, sample_archive):
    """Walk the API page: each endpoint and the OpenAPI description it links to answers 200."""
    html = client.get("/api/").content.decode()
    links = sorted(set(re.findall(r'href="(?:http://testserver)?(/api/[^"]*)"', html)))
    assert "/api/items/" in links and "/api/openapi.json" in links and len(links) >= 6
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"] == "application/json", link
        if link != "/api/openapi.json":
            assert response.json()["count"] > 0, link


def test_items_list_names_each_items_meeting(client, sample_archive):
    data = client.get("/api/items/", {"committee": "cabinet"}).json()
    assert data["count"] == Item.objects.filter(meeting__committee__slug="cabinet").count() > 0
    first = data["results"][0]
    assert first["event"]["url"].startswith("http://testserver/api/meetings/")
    assert client.get(first["url"]).status_code == 200


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/items/" in spec["paths"] and "/api/votes/{id}/" in spec["paths"]
    since = spec["paths"]["/api/meetings/"]["get"]["parameters"]
    assert {p["name"] for p in since} == {"page", "committee", "since", "until"}


def test_errors_are_json(client, sample_archive):
    missing = client.get("/api/votes/999999/")
    assert missing.status_code == 404 and missing.json()["error"] == "Not found"
    nowhere = client.get("/api/nothing-here/")
    assert nowhere.status_code == 404 and nowhere["Content-Type"] == "application/json"
    unknown = client.get("/api/meetings/", {"comittee": "cabinet"})  # misspelt
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["comittee"]


def test_amendment_vote_gives_its_mover_seconder_and_text_as_printed(client, sample_archive):
    # pack 000, minute 26: "(2) Mr Bird proposed and Mrs Dean seconded the following amendment:"
    amendment = Vote.objects.get(
        kind=Vote.Kind.AMENDMENT, item__minute_number="26", mover="Mr Bird"
    )
    data = client.get(f"/api/votes/{amendment.pk}/").json()
    assert (data["mover"], data["seconder"]) == ("Mr Bird", "Mrs Dean")
    assert data["motion_classification"] == ["amendment"]
    assert data["motion_text"].startswith("The County Council is asked to note this report")
    assert "voting was as follows" not in data["motion_text"]
    assert data["motion_text_unclear"] is False
