import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tribune.checks.base import Draft
from tribune.checks.models import CheckConfig
from tribune.checks.runner import check_configuration, run_checks
from tribune.lib import env

pytestmark = pytest.mark.django_db

DRAFT = Draft(title="Casino nights", body="Our town opens a casino today.", language="en")


def names(findings):
    return [finding.check for finding in findings]


def test_every_enabled_check_runs_and_blocking_findings_come_first(test_checks):
    findings = run_checks(DRAFT, language="en")
    assert names(findings) == ["forbidden", "forbidden", "short"]
    assert [f.passages[0].text for f in findings[:2]] == ["Casino", "casino"]
    assert findings[0].severity == "blocking" and findings[2].severity == "warning"


def test_a_check_that_raises_is_reported_as_failed_and_the_others_still_run(
    test_checks, settings, caplog
):
    settings.TRIBUNE_CHECK_OPTIONS = {}
    CheckConfig.objects.create(check_name="broken", enabled=True)
    findings = run_checks(DRAFT, language="en")
    failed = [f for f in findings if f.check == "broken"]
    assert len(failed) == 1 and failed[0].data == {"failed": True}
    assert failed[0].severity == "warning"
    assert failed[0].message == "This check failed; please look at this part by hand."
    assert "forbidden" in names(findings) and "short" in names(findings)
    assert "RuntimeError: a bug in a check" in caplog.text


def test_messages_come_in_the_contributors_language(test_checks):
    finding = run_checks(DRAFT, language="de")[0]
    assert finding.message == "Bitte einen gültigen Wert eingeben."


def test_the_environment_switches_checks_off_and_sets_their_options(test_checks, settings):
    settings.TRIBUNE_CHECKS_OFF = ["forbidden"]
    settings.TRIBUNE_CHECK_OPTIONS = {"short": {"min_words": 2}}
    assert names(run_checks(DRAFT, language="en")) == []
    settings.TRIBUNE_CHECK_OPTIONS = {"short": {"min_words": 50}}
    assert names(run_checks(DRAFT, language="en")) == ["short"]


def test_the_admin_settings_win_over_the_environment(test_checks, settings):
    settings.TRIBUNE_CHECKS_OFF = ["forbidden"]
    settings.TRIBUNE_CHECK_OPTIONS = {"forbidden": {"words": ["casino"]}}
    CheckConfig.objects.create(check_name="forbidden", enabled=True, options={"words": ["town"]})
    CheckConfig.objects.create(check_name="short", enabled=False)
    findings = run_checks(DRAFT, language="en")
    assert [f.passages[0].text for f in findings] == ["town"]


@pytest.mark.parametrize(
    "off, options, complaint",
    [
        (["nonsense"], {}, "TRIBUNE_CHECKS_OFF: there is no check named 'nonsense'"),
        ([], {"nonsense": {}}, "There is no check named nonsense"),
        ([], {"short": {"max_words": 3}}, "short has no option max_words"),
        ([], {"short": {"min_words": "ten"}}, "min_words must be a whole number"),
        ([], {"short": {"min_words": True}}, "min_words must be a whole number"),
        ([], {"forbidden": {"words": "casino"}}, "words must be a list"),
        ([], {"short": []}, "must be an object"),
    ],
)
def test_unknown_checks_options_and_wrong_types_in_settings_are_refused(
    test_checks, settings, off, options, complaint
):
    settings.TRIBUNE_CHECKS_OFF = off
    settings.TRIBUNE_CHECK_OPTIONS = options
    errors = check_configuration()
    assert len(errors) == 1 and complaint in errors[0].msg
    assert errors[0].id == "tribune.checks.E001"
    with pytest.raises(ImproperlyConfigured, match=complaint):
        run_checks(DRAFT, language="en")


def test_a_whole_number_may_stand_for_a_decimal_option(test_checks, settings):
    settings.TRIBUNE_CHECK_OPTIONS = {"short": {"ratio": 1}}
    assert check_configuration() == []


def test_the_check_options_setting_must_be_a_json_object(monkeypatch):
    monkeypatch.setenv("SOME_JSON", '{"spam": {"max_links": 20}}')
    assert env.env_json("SOME_JSON", {}) == {"spam": {"max_links": 20}}
    monkeypatch.setenv("SOME_JSON", "{spam: 20}")
    with pytest.raises(ImproperlyConfigured, match="SOME_JSON must be JSON"):
        env.env_json("SOME_JSON", {})
    monkeypatch.setenv("SOME_JSON", "[1, 2]")
    with pytest.raises(ImproperlyConfigured, match="SOME_JSON must be a JSON object"):
        env.env_json("SOME_JSON", {})
    monkeypatch.delenv("SOME_JSON")
    assert env.env_json("SOME_JSON", {}) == {}


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_refuses_unknown_options_and_wrong_types(test_checks, admin_client):
    url = "/admin/checks/checkconfig/add/"
    form = {"check_name": "short", "enabled": "false"}
    response = admin_client.post(url, {**form, "options": json.dumps({"max_words": 3})})
    assert response.status_code == 200
    assert "short has no option max_words" in response.content.decode()
    response = admin_client.post(url, {**form, "options": json.dumps({"min_words": "many"})})
    assert "min_words must be a whole number" in response.content.decode()
    assert not CheckConfig.objects.exists()
    response = admin_client.post(url, {**form, "options": json.dumps({"min_words": 9})})
    assert response.status_code == 302
    saved = CheckConfig.objects.get()
    assert saved.enabled is False and saved.options == {"min_words": 9}
    page = admin_client.get(f"/admin/checks/checkconfig/{saved.pk}/change/").content.decode()
    assert '<option value="false" selected>off</option>' in page


def test_runs_and_findings_are_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/checks/checkrun/").status_code == 200
    assert admin_client.get("/admin/checks/checkrun/add/").status_code == 403
    assert admin_client.get("/admin/checks/checkfinding/add/").status_code == 403
