"""The token page in the contributor's desk: create (shown once), list, revoke."""

import re

import pytest
from django.test import Client

from tribune.api.models import Scope, Token, hash_token
from tribune.api.tests.conftest import ApiClient
from tribune.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def new_token(client: Client, **fields) -> str:
    data = {"name": "my writing app", "scopes": [Scope.READ_OWN, Scope.DRAFTS], **fields}
    response = client.post("/en/desk/tokens/", data)
    assert response.status_code == 200
    found = re.search(r"<code>(trb_[^<]+)</code>", response.content.decode())
    return found.group(1) if found else ""


def test_the_desk_links_to_the_token_page(contributor):
    html = signed_in(contributor).get("/en/desk/").content.decode()
    assert 'href="/en/desk/tokens/"' in html


def test_a_contributor_creates_a_token_and_sees_it_once(contributor):
    client = signed_in(contributor)
    response = client.post(
        "/en/desk/tokens/", {"name": "my writing app", "scopes": [Scope.READ_OWN, Scope.DRAFTS]}
    )
    html = response.content.decode()
    secret = re.search(r"<code>(trb_[^<]+)</code>", html).group(1)
    assert "no-store" in response["Cache-Control"]
    token = Token.objects.get(user=contributor)
    assert token.key_hash == hash_token(secret) and secret not in token.key_hash
    assert token.scopes == [Scope.READ_OWN, Scope.DRAFTS]  # sorted: articles:…, drafts:…
    assert token.name == "my writing app" and token.revoked_at is None
    assert AuditEntry.objects.filter(action="api_token.create", actor=contributor).exists()
    listing = client.get("/en/desk/tokens/").content.decode()
    assert "my writing app" in listing and token.prefix in listing and secret not in listing
    assert ApiClient(secret).get("/api/v1/me/articles").status_code == 200


def test_the_form_needs_a_name_and_a_permission(contributor):
    response = signed_in(contributor).post("/en/desk/tokens/", {"name": " "})
    html = response.content.decode()
    assert "This field is required." in html
    assert not Token.objects.exists()


def test_a_token_may_expire_on_a_chosen_day(contributor):
    secret = new_token(signed_in(contributor), expires_on="2999-01-31")
    token = Token.objects.get(key_hash=hash_token(secret))
    assert token.expires_at.year == 2999 and token.is_active
    html = signed_in(contributor).post(
        "/en/desk/tokens/", {"name": "old", "scopes": [Scope.READ_OWN], "expires_on": "2000-01-01"}
    )
    assert "The expiry date must lie in the future." in html.content.decode()


def test_a_contributor_revokes_a_token(contributor):
    client = signed_in(contributor)
    secret = new_token(client)
    token = Token.objects.get()
    response = client.post(f"/en/desk/tokens/{token.uuid}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/en/desk/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1
    assert "revoked" in client.get("/en/desk/tokens/").content.decode()
    assert ApiClient(secret).get("/api/v1/me/articles").status_code == 401


def test_nobody_revokes_another_persons_token(contributor, other_contributor):
    new_token(signed_in(contributor))
    token = Token.objects.get()
    response = signed_in(other_contributor).post(f"/en/desk/tokens/{token.uuid}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    listing = signed_in(other_contributor).get("/en/desk/tokens/").content.decode()
    assert token.prefix not in listing


def test_the_token_forms_need_csrf_and_a_signed_in_user(contributor):
    strict = signed_in(contributor, enforce_csrf_checks=True)
    response = strict.post("/en/desk/tokens/", {"name": "x", "scopes": [Scope.READ_OWN]})
    assert response.status_code == 403
    assert not Token.objects.exists()
    response = Client().get("/en/desk/tokens/")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-in/?next=/en/desk/tokens/"


def test_operators_see_tokens_in_the_admin_but_never_the_secret(contributor, admin_client):
    secret = new_token(signed_in(contributor))
    html = admin_client.get("/admin/api/token/").content.decode()
    assert "my writing app" in html and secret not in html
    token = Token.objects.get()
    assert admin_client.get(f"/admin/api/token/{token.pk}/delete/").status_code == 403
