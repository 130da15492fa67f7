import os
import re
import subprocess
import sys

import pytest

from tribune.testing import factories

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_safe_headers(client):
    article = factories.article()
    for url in (article.get_absolute_url(), "/en/", "/de/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'self'" in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_need_no_inline_script_or_style(client):
    article = factories.article()
    for url in (article.get_absolute_url(), "/en/", "/en/guidelines/", "/de/impressum/"):
        html = client.get(url).content.decode()
        # JSON-LD is a data block, never run; no other script may appear.
        assert html.count("<script") == html.count('<script type="application/ld+json">')
        assert "<style" not in html
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)


def _deploy_check(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNE_", "DJANGO_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tribune", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    result = _deploy_check(
        TRIBUNE_ENV="production",
        TRIBUNE_DATA_DIR=str(tmp_path),
        SECRET_KEY="a-long-random-production-secret-" + "x7Qp2" * 10,
        ALLOWED_HOSTS="news.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _deploy_check(
        TRIBUNE_ENV="production", TRIBUNE_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="x.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required" in result.stderr


def test_a_junk_setting_fails_with_a_clear_message(tmp_path):
    result = _deploy_check(TRIBUNE_DATA_DIR=str(tmp_path), TRIBUNE_PAGE_CACHE="maybe")
    assert result.returncode != 0
    assert "TRIBUNE_PAGE_CACHE must be one of" in result.stderr


def test_outside_production_a_secret_key_is_made_once_and_kept(tmp_path):
    assert _deploy_check(TRIBUNE_DATA_DIR=str(tmp_path)).returncode in (0, 1)
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    _deploy_check(TRIBUNE_DATA_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
