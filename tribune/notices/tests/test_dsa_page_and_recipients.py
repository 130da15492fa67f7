"""Operator settings for the DSA points of contact and terms version, and the monthly
active recipients figure (DSA art. 24(2)) counted from access logs."""

import datetime
import gzip
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tribune.core.models import AuditEntry
from tribune.notices import actions
from tribune.notices.models import RecipientCount
from tribune.notices.tests.conftest import REMOVE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"


def log_line(address: str, day: str, path: str = "/en/", status: int = 200, agent=BROWSER):
    return (
        f'{address} - - [{day}:10:00:00 +0000] "GET {path} HTTP/1.1" {status} 5120 "-" "{agent}"\n'
    )


def test_the_dsa_page_shows_the_operators_points_of_contact_and_terms(client, settings):
    settings.TRIBUNE_DSA_AUTHORITY_EMAIL = "authorities@news.example"
    settings.TRIBUNE_DSA_RECIPIENT_EMAIL = "dsa@news.example"
    settings.TRIBUNE_DSA_CONTACT_LANGUAGES = ["de", "en", "pl"]
    settings.TRIBUNE_DSA_LEGAL_REPRESENTATIVE = "Example Rep GmbH, Musterweg 2, Berlin"
    settings.TRIBUNE_DSA_DISPUTE_BODIES = ["https://ods.example.eu"]
    settings.TRIBUNE_TERMS_VERSION = "2026-11"
    page = client.get("/en/digital-services-act/").content.decode()
    assert "mailto:authorities@news.example" in page
    assert "mailto:dsa@news.example" in page
    assert "German, English, Polish" in page
    assert "Example Rep GmbH" in page
    assert 'href="https://ods.example.eu"' in page
    assert "version 2026-11" in page
    assert "never more than a year" in page, "the misuse policy with its durations"
    assert "/en/digital-services-act/" in client.get("/en/report/").content.decode()
    transparency = client.get("/en/transparency/").content.decode()
    assert "version 2026-11" in transparency


def test_a_statement_cites_the_terms_in_force_when_it_was_decided(
    settings, moderator, mailbox, committed
):
    settings.TRIBUNE_TERMS_VERSION = "7"
    author = contributor()
    article = factories.article(by=author)
    with committed():
        decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    settings.TRIBUNE_TERMS_VERSION = "8"
    decision.refresh_from_db()
    assert decision.terms_version == "7"
    text = mailbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Our terms and guidelines in force: version 7." in text


def test_recipients_are_counted_from_the_logs_and_only_the_figure_is_kept(client, tmp_path):
    lines = [
        log_line("203.0.113.1", "03/Nov/2026"),
        log_line("203.0.113.1", "04/Nov/2026", "/en/articles/harbour/"),  # same person
        log_line("203.0.113.2", "05/Nov/2026"),
        log_line("203.0.113.2", "05/Nov/2026", agent="Mozilla/5.0 (iPhone) Safari/605.1"),
        log_line("203.0.113.3", "06/Nov/2026", "/static/tribune/site.css"),  # a file
        log_line("203.0.113.4", "06/Nov/2026", status=404),
        log_line("203.0.113.5", "07/Nov/2026", agent="Googlebot/2.1"),
        log_line("203.0.113.6", "31/Oct/2026"),  # another month
        "not a log line at all\n",
    ]
    plain = tmp_path / "access.log"
    plain.write_text("".join(lines[:5]))
    rotated = tmp_path / "access.log.1.gz"
    with gzip.open(rotated, "wt") as handle:
        handle.write("".join(lines[5:]))

    out = io.StringIO()
    call_command("count_recipients", plain, rotated, "--month=2026-11", "--dry-run", stdout=out)
    assert "2026-11: 3 recipient(s), would store" in out.getvalue()
    assert not RecipientCount.objects.exists()

    call_command("count_recipients", plain, rotated, "--month=2026-11", stdout=io.StringIO())
    call_command("count_recipients", plain, "--month=2026-10", stdout=io.StringIO())
    assert {r.month: r.recipients for r in RecipientCount.objects.all()} == {
        datetime.date(2026, 11, 1): 3,
        datetime.date(2026, 10, 1): 0,
    }
    assert AuditEntry.objects.filter(action="transparency.recipients").count() == 2
    stored = str(list(RecipientCount.objects.values()))
    assert "203.0.113" not in stored and "Mozilla" not in stored

    report = client.get("/en/transparency/?start=2026-01-01&end=2026-12-31&format=json").json()
    assert report["recipients"] == {
        "average_monthly": 2,  # (0 + 3) / 2, rounded half to even
        "months": [
            {"month": "2026-10", "recipients": 0},
            {"month": "2026-11", "recipients": 3},
        ],
    }
    page = client.get("/en/transparency/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "On average 2 recipients a month, over the last 2 months counted." in page
    csv = client.get("/en/transparency/?start=2026-01-01&end=2026-12-31&format=csv")
    assert "recipients,months.2026-11.recipients,3" in csv.content.decode()


def test_the_count_refuses_missing_files_and_bad_months(tmp_path):
    with pytest.raises(CommandError, match="No such log file"):
        call_command("count_recipients", tmp_path / "missing.log")
    (tmp_path / "a.log").write_text("")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("count_recipients", tmp_path / "a.log", "--month=November")
