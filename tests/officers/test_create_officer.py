"""`manage.py create_officer`: an account that can log in to the admin as an officer."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests.officers.conftest import officers_group

pytestmark = pytest.mark.django_db


def test_create_officer_makes_a_staff_account_in_the_officers_group(monkeypatch, client):
    officers_group()
    monkeypatch.setenv("OFFICER_PASSWORD", "a-long-officer-passphrase")
    call_command("create_officer", "dora", email="dora@example.gov.uk", stdout=None)
    user = User.objects.get(username="dora")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Officers"]
    assert client.login(username="dora", password="a-long-officer-passphrase")
    assert client.get("/admin/archive/document/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_create_officer_refuses_a_weak_password(monkeypatch):
    officers_group()
    monkeypatch.setenv("OFFICER_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short|too common|numeric"):
        call_command("create_officer", "weak")
    assert not User.objects.filter(username="weak").exists()
