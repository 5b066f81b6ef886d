"""The officers' fixtures (an officer and their logged-in client, pack 000 loaded) for the attack
tests that go through the admin views."""

from tests.officers.conftest import officer, officer_client, votes_document  # noqa: F401
