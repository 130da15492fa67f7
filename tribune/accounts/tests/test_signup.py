import re

import pytest
from django.contrib.auth import get_user_model

from tribune.core.models import AuditEntry
from tribune.testing import factories

pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Mara Lindqvist",
    "email": "mara@example.org",
    "password": "night-trains-2026",
}


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", text).group(1)


def test_sign_up_sends_a_verification_mail_and_the_account_waits_for_it(client, mailbox, committed):
    with committed():
        response = client.post("/en/account/sign-up/", GOOD)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    user = get_user_model().objects.get(email="mara@example.org")
    assert not user.is_active
    assert user.profile.display_name == "Mara Lindqvist"
    assert user.groups.filter(name="Contributors").exists()
    [message] = mailbox
    assert message["To"] == "mara@example.org"
    assert message["Subject"] == "Confirm your address for Tribune"
    assert (
        client.post(
            "/en/account/sign-in/", {"username": GOOD["email"], "password": GOOD["password"]}
        ).status_code
        == 200
    )
    assert "_auth_user_id" not in client.session


def test_following_the_link_and_confirming_activates_the_account(client, mailbox, committed):
    with committed():
        client.post("/en/account/sign-up/", GOOD)
    link = link_in(mailbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert not get_user_model().objects.get(email="mara@example.org").is_active, (
        "a GET must not verify"
    )
    done = client.post(link)
    assert "Address confirmed" in done.content.decode()
    user = get_user_model().objects.get(email="mara@example.org")
    assert user.is_active
    assert AuditEntry.objects.filter(action="account.verify_email").count() == 1
    assert client.post(link).status_code == 400, "a link works once"
    signed_in = client.post(
        "/en/account/sign-in/", {"username": "Mara@Example.org", "password": GOOD["password"]}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (
        "Sign out"
        in client.get(
            "/en/", HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}"
        ).content.decode()
    )


def test_a_german_sign_up_gets_a_german_mail_and_link(client, mailbox, committed):
    with committed():
        client.post("/de/konto/registrieren/", GOOD)
    [message] = mailbox
    assert message["Subject"] == "Bestätigen Sie Ihre Adresse bei Tribune"
    assert link_in(message).startswith("/de/konto/bestaetigen/")


def test_a_tampered_or_foreign_link_is_refused(client, mailbox, committed):
    with committed():
        client.post("/en/account/sign-up/", GOOD)
    link = link_in(mailbox[0])
    assert client.post(link[:-3] + "xyz/").status_code == 400
    assert client.post("/en/account/verify/bm9wZQ/abc-def/").status_code == 400
    assert not get_user_model().objects.get(email="mara@example.org").is_active


def test_signing_up_again_with_a_known_address_reveals_nothing_and_mails_the_owner(
    client, mailbox, committed
):
    with committed():
        client.post("/en/account/sign-up/", GOOD)
        again = client.post("/en/account/sign-up/", {**GOOD, "display_name": "Someone Else"})
    assert "Check your inbox" in again.content.decode()
    assert get_user_model().objects.filter(email="mara@example.org").count() == 1
    assert sorted(m["Subject"] for m in mailbox) == [
        "Confirm your address for Tribune",
        "You already have an account at Tribune",
    ]


def test_bad_input_is_shown_on_the_field_and_what_was_typed_is_kept(client, mailbox):
    response = client.post(
        "/en/account/sign-up/",
        {"display_name": "Mara", "email": "not-an-address", "password": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "This password is entirely numeric." in html
    assert 'value="Mara"' in html and 'value="not-an-address"' in html
    assert not get_user_model().objects.exists()
    assert mailbox == []


def test_a_bot_filling_the_hidden_field_gets_no_account(client, mailbox, committed):
    with committed():
        response = client.post("/en/account/sign-up/", {**GOOD, "website": "http://spam.example"})
    assert "Check your inbox" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert mailbox == []


def test_sign_up_is_rate_limited_per_address(client, mailbox, committed):
    with committed():
        for n in range(5):
            client.post("/en/account/sign-up/", {**GOOD, "email": f"person{n}@example.org"})
        blocked = client.post("/en/account/sign-up/", {**GOOD, "email": "person9@example.org"})
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "3600"
    assert not get_user_model().objects.filter(email="person9@example.org").exists()


def test_forms_carry_csrf_protection(mailbox):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/en/account/sign-up/", GOOD).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in strict.get("/en/account/sign-up/").content.decode()


def test_password_reset_mails_a_link_that_sets_a_new_password(client, mailbox, committed):
    writer = factories.author("Jonas Weber")
    writer.email = "jonas@example.org"
    writer.set_password("old-password-2026")
    writer.save()
    with committed():
        response = client.post("/en/account/password/", {"email": "jonas@example.org"})
    assert response.status_code == 302
    [message] = mailbox
    assert message["Subject"] == "Choose a new password for Tribune"
    form = client.get(link_in(message), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-2026!", "new_password2": "brand-new-2026!"},
    )
    assert done.status_code == 302
    writer.refresh_from_db()
    assert writer.check_password("brand-new-2026!")


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, mailbox, committed
):
    with committed():
        response = client.post("/en/account/password/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailbox == []


def test_the_roles_exist_with_the_permissions_editors_need():
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="publish_article").exists()
    assert not Group.objects.get(name="Contributors").permissions.exists()
    assert Group.objects.filter(name="Administrators").exists()


@pytest.mark.django_db
def test_the_sign_in_page_names_the_site_not_the_host(client, settings):
    page = client.get("/en/account/sign-in/").content.decode()
    assert f">{settings.TRIBUNE_SITE_NAME}</a>" in page
    assert "testserver" not in page
