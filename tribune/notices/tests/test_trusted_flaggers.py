"""DSA art. 22(6): how often each trusted flagger's notices led to action, for moderators and
in the transparency report."""

import csv
import io

import pytest

from tribune.notices import actions
from tribune.notices.models import TrustedFlagger
from tribune.notices.tests.conftest import REMOVE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaggers(moderator, second_moderator):
    """Hate Aid sends four notices: one removal that stands, one manifestly unfounded, one
    removal reversed on appeal, one not decided yet. Net Watch sends none; a reader one."""
    hate_aid = contributor("Flagger")
    TrustedFlagger.objects.create(user=hate_aid, name="Hate Aid e.V.")
    TrustedFlagger.objects.create(user=contributor("Watcher"), name="Net Watch")
    author = contributor("Ada Writer")
    articles = [factories.article(by=author) for _ in range(5)]
    sent = [notice_about(article, trusted=hate_aid) for article in articles[:4]]
    actions.decide(moderator, articles[0], notice=sent[0], **REMOVE)
    actions.decide(
        moderator,
        articles[1],
        notice=sent[1],
        outcome="no_action",
        notice_manifestly_unfounded=True,
    )
    reversed_removal = actions.decide(moderator, articles[2], notice=sent[2], **REMOVE)
    appeal = actions.appeal_decision(author, reversed_removal, by_contributor=True, text="Mine.")
    actions.decide_appeal(second_moderator, appeal, reverse_decision=True, reply="Agreed.")
    reader = notice_about(articles[4])
    actions.decide(moderator, articles[4], notice=reader, **REMOVE)


def test_moderators_see_how_accurate_each_trusted_flagger_was(client, moderator, flaggers):
    client.force_login(moderator)
    page = client.get("/en/moderation/trusted-flaggers/").content.decode()
    row = page.split("Hate Aid e.V.")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    # notices, led to action, no action, manifestly unfounded, undecided, share
    assert cells == ["4", "1", "2", "1", "1", "33 %"]
    other = page.split("Net Watch")[1].split("</tr>")[0]
    assert other.count("<td>0</td>") == 5 and "<td>\u2013</td>" in other  # an en dash


def test_the_transparency_json_lists_each_trusted_flagger(client, flaggers):
    report = client.get("/en/transparency/", {"format": "json"}).json()
    assert report["trusted_flaggers"] == [
        {
            "name": "Hate Aid e.V.",
            "notices": 4,
            "led_to_action": 1,
            "no_action": 2,
            "manifestly_unfounded": 1,
            "undecided": 1,
            "action_share": 0.333,
        },
        {
            "name": "Net Watch",
            "notices": 0,
            "led_to_action": 0,
            "no_action": 0,
            "manifestly_unfounded": 0,
            "undecided": 0,
            "action_share": None,
        },
    ]
    rows = list(
        csv.reader(io.StringIO(client.get("/en/transparency/", {"format": "csv"}).content.decode()))
    )
    assert ["trusted_flaggers", "Hate Aid e.V..led_to_action", "1"] in rows
    assert ["trusted_flaggers", "Net Watch.action_share", ""] in rows


def test_only_moderators_see_the_flagger_page(client, flaggers):
    assert client.get("/en/moderation/trusted-flaggers/").status_code == 403
