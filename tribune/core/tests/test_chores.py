"""Periodic chores run once per slot, however many machines' timers call run_chores."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tribune.articles.models import Article, Status
from tribune.core import chores
from tribune.core.models import ChoreRun
from tribune.testing import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_slots_start_at_the_chores_own_time_of_day_and_week():
    daily = chores.Chore("x", chores.DAY, ("publish_due",), offset=7 * chores.HOUR)
    weekly = chores.Chore("y", 7 * chores.DAY, ("publish_due",), offset=7 * chores.HOUR)
    thursday_noon = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    thursday_dawn = datetime.datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    assert daily.slot(thursday_noon) == datetime.datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    assert daily.slot(thursday_dawn) == datetime.datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert weekly.slot(thursday_noon) == datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert weekly.slot(thursday_noon).weekday() == 0  # Monday


def _scheduled_article(minutes_ago: int) -> Article:
    article = factories.article(published=False)
    Article.objects.filter(pk=article.pk).update(
        status=Status.SCHEDULED,
        scheduled_for=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    return article


def test_two_machines_calling_run_chores_run_each_chore_once():
    article = _scheduled_article(minutes_ago=1)
    first, second = StringIO(), StringIO()
    call_command("run_chores", only="publish_due", stdout=first)
    call_command("run_chores", only="publish_due", stdout=second)  # the other machine's timer
    assert first.getvalue() == "publish_due: done\n"
    assert second.getvalue() == ""
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    assert ChoreRun.objects.filter(chore="publish_due").count() == 1


def test_the_next_slot_runs_again():
    now = timezone.now()
    assert [c.name for c, _ in chores.run_due(now, only="publish_due")] == ["publish_due"]
    assert chores.run_due(now, only="publish_due") == []
    later = now + datetime.timedelta(minutes=5)
    assert [c.name for c, _ in chores.run_due(later, only="publish_due")] == ["publish_due"]


def test_a_failing_chore_is_recorded_and_the_others_still_run(monkeypatch):
    broken = chores.Chore("broken", chores.DAY, ("no_such_command",))
    monkeypatch.setattr(chores, "CHORES", (broken, *chores.CHORES))
    with pytest.raises(CommandError, match="Failed: broken"):
        call_command("run_chores", stdout=StringIO())
    assert ChoreRun.objects.get(chore="broken").failed
    assert ChoreRun.objects.get(chore="publish_due").finished_at is not None


def test_chores_switched_off_by_settings_do_not_run(settings):
    settings.TRIBUNE_DMCA = False
    chores.run_due()
    assert not ChoreRun.objects.filter(chore="restore_counter_noticed").exists()


def test_dry_run_lists_what_is_due_without_running_it():
    out = StringIO()
    call_command("run_chores", dry_run=True, stdout=out)
    assert "publish_due" in out.getvalue() and "due" in out.getvalue()
    assert not ChoreRun.objects.exists()
    with pytest.raises(CommandError, match="No chore 'nope'"):
        call_command("run_chores", only="nope")
