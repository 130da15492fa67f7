"""Editor-composed editions sent at a set time: by a deferred task, or by the chore's pass."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tribune.newsletter import actions
from tribune.newsletter.models import Edition
from tribune.newsletter.tasks import send_scheduled_edition
from tribune.newsletter.tests.helpers import confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = factories.editor()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


@pytest.fixture
def article():
    return factories.article(title="Night trains are back")


def form(article, send_at=None) -> dict:
    data = {"subject": "Trains special", "language": "en", "intro": "", "articles": [article.pk]}
    local = timezone.localtime(send_at) if send_at else None
    data["send_at_0"] = f"{local:%Y-%m-%d}" if local else ""
    data["send_at_1"] = f"{local:%H:%M:%S}" if local else ""
    return data


def newsletters(mailbox) -> Counter:
    """Who got an edition (confirmation mails carry no List-Id)."""
    return Counter(message["To"] for message in mailbox if message["List-Id"])


def time_passes(edition: Edition) -> None:
    """The edition's time comes: move it into the past instead of waiting."""
    Edition.objects.filter(pk=edition.pk).update(send_at=timezone.now() - timedelta(minutes=1))


def test_an_editor_schedules_an_edition_and_it_goes_out_once_when_due(
    editor_client, article, mailbox, committed
):
    confirmed_subscriber("a@example.org")
    confirmed_subscriber("b@example.org", frequency="daily")
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with committed():
        response = editor_client.post("/admin/newsletter/edition/add/", form(article, at))
    assert response.status_code == 302, response.content.decode()[:3000]
    edition = Edition.objects.get()
    assert (edition.state, edition.send_at) == (Edition.EditionState.SCHEDULED, at)
    listing = editor_client.get("/admin/newsletter/edition/").content.decode()
    assert "The edition will be sent at" in listing
    call_command("send_edition", "--resume")
    assert newsletters(mailbox) == {}, "not before its time"
    time_passes(edition)
    call_command("send_edition", "--resume")
    call_command("send_edition", "--resume")
    assert newsletters(mailbox) == {"a@example.org": 1, "b@example.org": 1}
    assert Edition.objects.get().state == Edition.EditionState.SENT
    # The task enqueued for that time runs late, after the chore sent it: nothing more.
    assert send_scheduled_edition.call(edition.pk, at.isoformat()) == 0
    assert sum(newsletters(mailbox).values()) == 2


def test_a_time_in_the_past_is_refused_with_a_clear_message(editor_client, article):
    yesterday = timezone.now() - timedelta(days=1)
    response = editor_client.post("/admin/newsletter/edition/add/", form(article, yesterday))
    assert response.status_code == 200
    assert "has already passed. Choose a time in the future" in response.content.decode()
    assert not Edition.objects.exists()
    edition = actions.save_edition(None, Edition(subject="S", language="en"), [article])
    with pytest.raises(ValidationError, match="has already passed"):
        actions.schedule_edition(None, edition, yesterday)
    assert Edition.objects.get().state == Edition.EditionState.DRAFT


def test_an_editor_unschedules_before_it_starts_and_the_old_task_does_nothing(
    editor_client, article, mailbox, committed
):
    confirmed_subscriber("a@example.org")
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with committed():
        editor_client.post("/admin/newsletter/edition/add/", form(article, at))
    edition = Edition.objects.get()
    change = editor_client.get(f"/admin/newsletter/edition/{edition.pk}/change/")
    assert change.status_code == 200, "a scheduled edition can still be corrected"
    editor_client.post(f"/admin/newsletter/edition/{edition.pk}/change/", form(article))
    edition.refresh_from_db()
    assert (edition.state, edition.send_at) == (Edition.EditionState.DRAFT, None)
    time_passes(edition)
    assert send_scheduled_edition.call(edition.pk, at.isoformat()) == 0
    call_command("send_edition", "--resume")
    assert newsletters(mailbox) == {}
    assert Edition.objects.get().state == Edition.EditionState.DRAFT


def test_the_unschedule_action_stops_scheduled_editions_but_not_started_ones(
    editor_client, article
):
    later = timezone.now() + timedelta(hours=1)
    waiting = actions.save_edition(None, Edition(subject="Waiting", language="en"), [article])
    actions.schedule_edition(None, waiting, later)
    going = actions.save_edition(None, Edition(subject="Going", language="en"), [article])
    actions.schedule_edition(None, going, later)
    time_passes(going)
    assert actions.start_due_editions() == [going.pk]
    response = editor_client.post(
        "/admin/newsletter/edition/",
        {"action": "unschedule", "_selected_action": [waiting.pk, going.pk]},
        follow=True,
    )
    assert "1 editions unscheduled" in response.content.decode()
    states = dict(Edition.objects.values_list("subject", "state"))
    assert states == {"Waiting": "draft", "Going": "sending"}
    with pytest.raises(ValidationError, match="cannot be scheduled"):
        actions.schedule_edition(None, Edition.objects.get(subject="Going"), later)


def test_after_rescheduling_only_the_task_for_the_new_time_sends(article, mailbox):
    confirmed_subscriber("a@example.org")
    edition = actions.save_edition(None, Edition(subject="S", language="en"), [article])
    first = timezone.now() + timedelta(hours=1)
    second = timezone.now() + timedelta(hours=3)
    actions.schedule_edition(None, edition, first)
    actions.schedule_edition(None, edition, second)
    Edition.objects.filter(pk=edition.pk).update(send_at=second - timedelta(hours=4))
    second -= timedelta(hours=4)
    assert send_scheduled_edition.call(edition.pk, first.isoformat()) == 0
    assert send_scheduled_edition.call(edition.pk, second.isoformat()) == 1
    assert send_scheduled_edition.call(edition.pk, second.isoformat()) == 0
    call_command("send_edition", "--resume")
    assert newsletters(mailbox) == {"a@example.org": 1}


def test_a_scheduled_edition_is_not_sent_early_by_hand(article, mailbox):
    confirmed_subscriber("a@example.org")
    edition = actions.save_edition(None, Edition(subject="S", language="en"), [article])
    actions.schedule_edition(None, edition, timezone.now() + timedelta(hours=1))
    with pytest.raises(SystemExit):
        call_command("send_edition", str(edition.uuid))
    assert not actions.start_sending(None, Edition.objects.get())
    assert newsletters(mailbox) == {}


# serialized_rollback: a transactional test empties the tables, and the roles that a
# migration creates must be back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_sends_a_scheduled_edition_at_its_time(settings, mailbox):
    from django_tasks_db.models import DBTaskResult

    article = factories.article(title="Night trains are back")
    confirmed_subscriber("a@example.org")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    edition = actions.save_edition(None, Edition(subject="S", language="en"), [article])
    # Within the minute a scheduled edition may start early (clocks of machines differ).
    at = timezone.now() + timedelta(seconds=50)
    actions.schedule_edition(None, edition, at)
    queued = DBTaskResult.objects.get(task_path="tribune.newsletter.tasks.send_scheduled_edition")
    assert queued.run_after == at
    call_command("db_worker", batch=True, verbosity=0)
    assert newsletters(mailbox) == {}, "the worker waits for the time"
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    call_command("db_worker", batch=True, verbosity=0)
    assert newsletters(mailbox) == {"a@example.org": 1}
    assert Edition.objects.get().state == Edition.EditionState.SENT
    call_command("send_edition", "--resume")
    assert newsletters(mailbox) == {"a@example.org": 1}


def test_a_sender_that_finds_its_delivery_taken_by_another_drops_the_message(article, mailbox):
    from django.core.mail import get_connection, send_mail

    from tribune.newsletter import sending
    from tribune.newsletter.models import Delivery

    confirmed_subscriber("a@example.org")
    edition = actions.save_edition(None, Edition(subject="S", language="en"), [article])
    sending.fan_out(edition)
    delivery = Delivery.objects.get()
    # The task and the chore's --resume both picked the delivery; the other marked it first.
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.DeliveryState.SENT)
    connection = get_connection()
    connection.open()
    with pytest.raises(sending.DeliveryTakenError):
        sending._smtp_send(
            connection.connection,
            "noreply@example.org",
            "a@example.org",
            b"Subject: twice?\r\n\r\nbody\r\n",
            delivery.pk,
            "<x@example.org>",
        )
    connection.close()
    send_mail("after", "body", "noreply@example.org", ["b@example.org"])
    assert [message["To"] for message in mailbox] == ["b@example.org"]
