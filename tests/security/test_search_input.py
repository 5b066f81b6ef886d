"""Hostile search input on every search, export, feed and API URL: a results page or a 400 (or
the API's 404 for a page past the end), never a 500 (the test client returns the 500 instead of raising, as a real server would)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

URLS = [
    "/search/",
    "/search/resolutions/",
    "/search/export.csv",
    "/search/export.json",
    "/search/feed/",
    "/api/meetings/",
    "/api/resolutions/",
    "/api/votes/",
    "/api/councillors/",
]
NASTY = [
    '"unclosed',
    "a OR b AND NOT -c",
    "' OR 1=1; DROP TABLE archive_item; --",
    "x" * 10_000,
    "\x00",
    "vote\x00s\x01\x1f",
    "(((((",
    "!!&&||::*",
    "<script>alert(1)</script>",
    "%00%27",
    "-",
    "*:*",
    "\\",
]
PARAM_NAMES = [
    "q",
    "since",
    "until",
    "committee",
    "councillor",
    "topic",
    "kind",
    "outcome",
    "role",
    "has_vote",
    "sort",
    "page",
    "limit",
    "offset",
    "format",
    "date",
]
value = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(
        [
            "2017-02-30",
            "0000-00-00",
            "99999-01-01",
            "-1",
            "1e309",
            "NaN",
            "99999999999999999999999",
            "2017-07-13",
            "0",
            "abc",
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
)


@pytest.fixture
def client(sample_archive):
    return Client(raise_request_exception=False)


def ok_or_400(client, url, params):
    response = client.get(url, params)
    allowed = (200, 400, 404) if url.startswith("/api/") else (200, 400)
    assert response.status_code in allowed, (url, params, response.status_code)
    return response


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_query_text_is_a_page_or_a_400(client, url, text):
    ok_or_400(client, url, {"q": text})


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "params",
    [
        {"since": "2017-02-30"},
        {"until": "not a date"},
        {"committee": "999999999"},
        {"councillor": "no-such-person"},
        {"topic": "99999999999999999999999"},
        {"page": "99999999999"},
        {"page": "-5"},
        {"page": "1e9"},
        {"kind": ["item", "nonsense", "\x00"]},
        {"sort": "' DROP"},
        {"limit": "100000000"},
        {"offset": "-1"},
    ],
    ids=lambda p: "-".join(p),
)
def test_bad_filter_values_are_a_page_or_a_400(client, url, params):
    ok_or_400(client, url, params)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(URLS),
    params=st.dictionaries(st.sampled_from(PARAM_NAMES), value, max_size=4),
)
def test_random_parameters_never_give_a_500(client, url, params):
    ok_or_400(client, url, params)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "raw", ["q=%ED%A0%80", "q=%FF%FE", "q=%00", "q=a&q=b&q=%", "since=%C0%AF&page=%%"]
)
def test_undecodable_query_strings_are_a_page_or_a_400(client, url, raw):
    response = client.get(f"{url}?{raw}")
    assert response.status_code in (200, 400, 404), (url, raw, response.status_code)
