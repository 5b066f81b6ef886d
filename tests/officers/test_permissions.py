"""Who may reach the admin: officers do their workflow and nothing more; the public nothing."""

import pytest
from django.contrib.auth.models import Permission, User

from councilarchive.archive.models import Councillor
from tests.officers.conftest import dedup_migration, officers_group, officers_migration

pytestmark = pytest.mark.django_db


def test_migration_gives_officers_exactly_the_workflow_permissions():
    group = officers_group()
    have = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert have == {*officers_migration.codenames(), *dedup_migration.codenames()}
    assert ("archive", "add_document") in have
    assert ("archive", "change_vote") in have
    assert not {p for p in have if p[0] in {"auth", "contenttypes", "sessions"}}


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_officer_cannot_reach_user_or_group_management(officer_client, url):
    assert officer_client.get(url).status_code == 403


def test_officer_cannot_grant_themselves_permissions(officer_client, officer):
    response = officer_client.post(
        f"/admin/auth/user/{officer.pk}/change/", {"is_superuser": "on", "username": "olive"}
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert not officer.is_superuser


def test_officer_index_lists_the_workflow_and_not_auth(officer_client):
    page = officer_client.get("/admin/").content.decode()
    assert "/admin/archive/document/" in page
    assert "/admin/archive/councillor/" in page
    assert "/admin/auth/" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/archive/document/",
        "/admin/archive/document/upload/",
        "/admin/archive/councillor/merge/",
        "/admin/admin/logentry/",
    ],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_logged_in_member_of_the_public_has_no_admin_access(client):
    public = User.objects.create_user("pat", password="pw-public-1")  # not staff
    client.force_login(public)
    response = client.get("/admin/archive/document/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_officers_group_cannot_merge(client):
    staff = User.objects.create_user("sam", password="pw-staff-1", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_councillor"))
    client.force_login(staff)
    a = Councillor.objects.create(
        council_id=_council().pk, name="Mr A Smith", surname="Smith", slug="a-smith"
    )
    b = Councillor.objects.create(
        council_id=a.council_id, name="Mr Smith", surname="Smith", slug="smith"
    )
    response = client.post("/admin/archive/councillor/merge/", {"ids": [a.pk, b.pk], "keep": a.pk})
    assert response.status_code == 403
    assert Councillor.objects.filter(pk=b.pk).exists()


def _council():
    from councilarchive.ingest.pipeline import default_council

    return default_council()
