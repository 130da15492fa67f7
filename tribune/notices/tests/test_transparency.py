import csv
import datetime
import io
import json
import re

import pytest
from django.utils import timezone

from tribune.notices import actions
from tribune.notices.models import Appeal, Decision, Notice, TrustedFlagger
from tribune.notices.tests.conftest import REMOVE, RESTRICT, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def events(moderator, second_moderator):
    """Four notices (one trusted), three decisions (removal, restriction, no action), two
    appeals (one reversal). Decisions take 2, 4 and 6 hours; appeals 1 and 3."""
    flagger = contributor("Flagger")
    TrustedFlagger.objects.create(user=flagger, name="Hate Aid e.V.")
    author = contributor("Ada Writer")
    articles = [factories.article(by=author) for _ in range(4)]
    notices = [
        notice_about(articles[0], category="intellectual_property"),
        notice_about(articles[1], category="hate_speech", trusted=flagger),
        notice_about(articles[2], category="defamation", email="reader@example.org"),
        notice_about(articles[3], category="defamation"),
    ]
    removal = actions.decide(moderator, articles[0], notice=notices[0], **REMOVE)
    restriction = actions.decide(moderator, articles[1], notice=notices[1], **RESTRICT)
    nothing = actions.decide(moderator, articles[2], notice=notices[2], outcome="no_action")
    base = timezone.now() - 10 * HOUR
    for notice, decision, hours in (
        (notices[0], removal, 2),
        (notices[1], restriction, 4),
        (notices[2], nothing, 6),
    ):
        Notice.objects.filter(pk=notice.pk).update(received_at=base)
        Decision.objects.filter(pk=decision.pk).update(decided_at=base + hours * HOUR)
    first = actions.appeal_decision(author, removal, by_contributor=True, text="Mine.")
    second = actions.appeal_decision(None, nothing, by_contributor=False, text="Look again.")
    actions.decide_appeal(second_moderator, first, reverse_decision=True, reply="Agreed.")
    actions.decide_appeal(second_moderator, second, reverse_decision=False, reply="It stays.")
    for appeal, hours in ((first, 1), (second, 3)):
        Appeal.objects.filter(pk=appeal.pk).update(received_at=base, decided_at=base + hours * HOUR)
    return {"author": author, "flagger": flagger, "articles": articles}


def test_the_json_export_counts_the_events_of_the_period(client, events):
    report = client.get("/en/transparency/", {"format": "json"}).json()
    assert report["notices"]["total"] == 4
    assert report["notices"]["from_trusted_flaggers"] == 1
    assert report["notices"]["by_category"]["defamation"] == 2
    assert report["notices"]["by_category"]["intellectual_property"] == 1
    assert report["notices"]["by_category"]["scams"] == 0
    decisions = report["decisions"]
    assert decisions["total"] == 3
    assert decisions["no_action"] == 1
    assert decisions["actions_on_legal_grounds"] == 1
    assert decisions["actions_on_terms"] == 1
    assert decisions["automated"] == 0
    assert decisions["human"] == 3
    assert decisions["median_hours_notice_to_decision"] == 4.0
    appeals = report["appeals"]
    assert (appeals["total"], appeals["reversed"], appeals["upheld"]) == (2, 1, 1)
    assert appeals["by_notifiers"] == 1
    assert appeals["median_hours_to_decision"] == 2.0


def test_a_period_without_events_counts_nothing(client, events):
    report = client.get(
        "/en/transparency/", {"format": "json", "start": "2020-01-01", "end": "2020-12-31"}
    ).json()
    assert report["notices"]["total"] == 0
    assert report["decisions"]["median_hours_notice_to_decision"] is None
    assert report["period"]["start"].startswith("2020-01-01")


def test_the_csv_export_has_the_same_figures(client, events):
    response = client.get("/en/transparency/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "figure", "value"]
    table = {(section, figure): value for section, figure, value in rows[1:]}
    assert table[("notices", "total")] == "4"
    assert table[("appeals", "reversed")] == "1"
    assert table[("decisions", "median_hours_notice_to_decision")] == "4.0"


def test_the_public_page_shows_the_figures_and_bad_dates_get_a_clear_word(client, events):
    page = client.get("/en/transparency/").content.decode()
    assert "Transparency report" in page
    assert re.search(r"Notices received</th><td>4<", page)
    assert re.search(r"decisions reversed</th><td>1<", page)
    bad = client.get("/en/transparency/", {"start": "yesterday"}).content.decode()
    assert "Please give dates as YYYY-MM-DD" in bad


def test_the_statements_batch_follows_the_database_fields_without_personal_data(client, events):
    batch = client.get("/en/transparency/statements.json").json()["statements"]
    assert len(batch) == 2, "restrictions only, no 'no action'"
    removal, restriction = batch
    assert removal["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert removal["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert removal["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    assert removal["category_specification"] == ["KEYWORD_COPYRIGHT_INFRINGEMENT"]
    assert removal["illegal_content_legal_ground"] == "§ 97 UrhG (copyright)"
    assert removal["source_type"] == "SOURCE_ARTICLE_16"
    assert removal["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert removal["automated_detection"] == "No"
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,500}", removal["puid"])
    assert restriction["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert restriction["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert restriction["incompatible_content_ground"] == "Guidelines 3"
    for statement in batch:
        for required in ("content_type", "application_date", "content_date", "decision_facts"):
            assert statement[required]
        assert len(statement["decision_facts"]) <= 5000
    text = json.dumps(batch)
    for personal in ("example.org", "Ada Writer", "Flagger", "Hate Aid", "author-"):
        assert personal not in text


def test_small_enterprises_hide_the_report(client, settings):
    settings.TRIBUNE_SMALL_ENTERPRISE = True
    assert client.get("/en/transparency/").status_code == 404


def test_the_page_draws_notices_and_decisions_per_week(client, events):
    report = client.get("/en/transparency/", {"format": "json"}).json()
    assert sum(week["notices"] for week in report["weekly"]) == 4
    assert sum(week["decisions"] for week in report["weekly"]) == 3
    page = client.get("/en/transparency/").content.decode()
    assert "<svg" in page
    assert 'class="bar-notices"' in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
