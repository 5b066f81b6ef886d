"""The admin login refuses an address/username after too many failed attempts."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def attempt(client, password):
    return client.post("/admin/login/", {"username": "olive", "password": password})


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client):
    User.objects.create_user("olive", password="right-pw-1", is_staff=True)
    for _ in range(3):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "right-pw-1")
    assert response.status_code == 429
    assert "Too many failed log-in attempts. Try again in 10 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_below_the_limit_works(client):
    User.objects.create_user("olive", password="right-pw-1", is_staff=True)
    assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "right-pw-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
