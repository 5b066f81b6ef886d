"""Security settings: CSP without inline script, frame denial, referrer policy, cookies, CSRF on
every form, rate limits with 429 + Retry-After. (`check --deploy` clean with production settings:
tests/foundation/test_settings.py.)"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import REPO

TEMPLATES = REPO / "templates"


@pytest.fixture
def client(db):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/search/?q=budget", "/councillors/", "/admin/login/"])
def test_html_pages_send_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert script_src == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def template_files():
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def test_templates_have_no_inline_script_or_event_handlers():
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, re.I):
            assert "src=" in tag, f"{path.relative_to(REPO)}: inline script {tag}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text, re.I), path.relative_to(REPO)
        assert "javascript:" not in text.lower(), path.relative_to(REPO)


def test_admin_status_refresh_needs_no_script():
    text = (TEMPLATES / "admin/archive/document/change_list.html").read_text()
    assert '<meta http-equiv="refresh"' in text and "<script" not in text


def test_every_post_form_in_the_templates_has_a_csrf_token():
    forms = 0
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S | re.I):
            if re.search(r'method="post"', form, re.I):
                forms += 1
                assert "{% csrf_token %}" in form, f"{path.relative_to(REPO)}: {form[:80]}"
    assert forms >= 3


def test_admin_login_without_a_csrf_token_is_refused(db):
    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 403


def test_session_and_csrf_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {"search": "3/60", "export": "2/60"}
    cache.clear()
    yield
    cache.clear()


def test_search_is_rate_limited_with_429_and_retry_after(client, limits):
    statuses = [client.get("/search/", {"q": "budget"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/api/meetings/")  # the API counts against the same limit
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])  # the API answers JSON
    page = client.get("/search/", {"q": "budget"})  # a person gets a page saying when
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert f"Please try again in {page['Retry-After']} seconds" in page.content.decode()
    # another address has its own allowance
    assert client.get("/search/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_exports_have_their_own_tighter_limit(client, limits):
    assert client.get("/search/export.csv", {"q": "budget"}).status_code == 200
    assert client.get("/search/feed/", {"q": "budget"}).status_code == 200
    response = client.get("/search/export.json", {"q": "budget"})
    assert response.status_code == 429 and response["Retry-After"]
    assert client.get("/search/", {"q": "budget"}).status_code == 200


def test_pages_other_than_search_are_not_limited(client, limits):
    assert all(client.get("/").status_code == 200 for _ in range(6))


def deploy_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archive.example.gov.uk",
        EMBEDDED_DB_NAME="ca_security_check",
        **extra,
    )
    return env


def test_hsts_and_rate_limits_come_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.RATE_LIMITS['search'], s.RATE_LIMIT_ENABLED)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        env=deploy_env(
            DJANGO_SETTINGS_MODULE="councilarchive.settings",
            SECURE_HSTS_SECONDS="300",
            RATE_LIMIT_SEARCH="5/10",
            DATABASE_URL="postgresql://u:p@db.example/archive",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["300", "5/10", "True"], result.stderr
