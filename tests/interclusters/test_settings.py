"""Production settings: deploy checks, secrets, security headers, no inline code."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3v-Qm9x_Zr2Lw8Tn5Yp1Hs7Jd4Fb6Gc0Vx-Nq2Wm8Er5Ty1Ui7Op3As9Df4Gh6",
    "ALLOWED_HOSTS": "interclusters.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://interclusters.example.org",
    "SITE_URL": "https://interclusters.example.org",
}
# Variables the test run sets for itself, which a production environment would not.
TEST_ONLY = {
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECRET_KEY",
    "SITE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_site_url_stops_start_up_with_a_clear_message():
    """Links in emails and calendar files must point to the real site."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


def test_debug_runs_without_secret_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_responses_carry_strict_security_headers(client, db):
    response = client.get("/", secure=True)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/a-propos/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/a-propos/"


def test_session_and_csrf_cookies_are_secure_in_production(client, member, password):
    response = client.post(
        "/compte/connexion/", {"login": member.email, "password": password}, secure=True
    )
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["csrftoken"]["secure"]


@pytest.mark.parametrize(
    "path", ["/", "/a-propos/", "/compte/connexion/", "/compte/inscription/", "/page-absente/"]
)
def test_pages_hold_no_inline_script_or_style(client, db, path):
    html = client.get(path).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_french_is_the_default_language_and_time_zone_is_paris():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
