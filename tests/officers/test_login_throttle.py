"""The admin login refuses a username from one address, and an address for any usernames, after
too many failed attempts; a username alone is never locked (issue 16: five wrong passwords from
anywhere locked a known officer out for 15 minutes). Through the real admin login view, the
client's address varied with REMOTE_ADDR."""

import math

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
OFFICE = "192.0.2.10"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    settings.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = 8
    # A day-long window, so a test cannot straddle two windows (except at midnight UTC).
    settings.ADMIN_LOGIN_LOCKOUT_SECONDS = 86_400


@pytest.fixture
def olive():
    return User.objects.create_user("olive", password="right-pw-1", is_staff=True)


def attempt(client, password, address=OFFICE, username="olive"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client, olive):
    for _ in range(3):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "right-pw-1")
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 0 < retry <= 86_400
    minutes = math.ceil(retry / 60)
    assert f"Too many failed log-in attempts. Try again in {minutes} minute" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_successful_login_below_the_limit_works(client, olive):
    assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "right-pw-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_failures_from_another_address_do_not_lock_the_officer_out(client, olive):
    """The lockout-abuse attack: anyone who knows an officer's username guesses wrong until the
    account locks. The guesser's address is refused; the officer at the office is not."""
    for _ in range(3):
        assert attempt(client, "guess", address=ATTACKER).status_code == 200
    assert attempt(client, "guess", address=ATTACKER).status_code == 429

    response = attempt(client, "right-pw-1", address=OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(olive.pk)


def test_many_addresses_failing_never_lock_a_username_alone(client, olive):
    for n in range(10):  # 20 failures for olive in all, from ten addresses
        for _ in range(2):
            assert attempt(client, "guess", address=f"198.51.100.{n}").status_code == 200
    assert attempt(client, "right-pw-1", address=OFFICE).status_code == 302


def test_one_address_trying_many_usernames_is_refused_at_its_own_limit(client, olive):
    """Spraying one password over many usernames stays under each username's limit; the
    address's own, higher limit stops it, for every username, and only at that address."""
    for n in range(8):
        assert attempt(client, "Summer2026", address=ATTACKER, username=f"u{n}").status_code == 200
    assert attempt(client, "Summer2026", address=ATTACKER, username="u9").status_code == 429
    assert attempt(client, "right-pw-1", address=ATTACKER).status_code == 429
    assert attempt(client, "right-pw-1", address=OFFICE).status_code == 302


def test_refused_attempts_do_not_count_and_a_login_clears_the_failures(client, olive):
    for _ in range(2):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "right-pw-1").status_code == 302
    client.logout()
    # The two failures were cleared: three more are allowed before the lockout.
    for _ in range(3):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429
    assert attempt(client, "wrong").status_code == 429
    # The refused attempts were not counted against the address (3 + 2 failures of its 8).
    for n in range(3):
        assert attempt(client, "wrong", username=f"other{n}").status_code == 200
    assert attempt(client, "wrong", username="other9").status_code == 429
