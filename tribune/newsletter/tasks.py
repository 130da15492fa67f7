from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tribune.newsletter import actions, sending
from tribune.newsletter.models import Delivery

# Waits before the next try of messages a server refused for now: 5, 10, 20, 40 minutes.
RETRY_MINUTES = 5


@task()
def send_edition(edition_id: int, attempt: int = 0) -> int:
    """Send what is still pending of an edition; running it again resumes, never repeats.

    Messages refused for now (4xx) are tried again later, with a growing wait, where the
    task backend can run a task later (the database and RQ backends can)."""
    sent = sending.send_until_stopped(
        edition_id, connections=settings.TRIBUNE_NEWSLETTER_CONNECTIONS
    )
    waiting = Delivery.objects.filter(
        edition_id=edition_id, state=Delivery.DeliveryState.PENDING
    ).exists()
    if waiting and attempt + 1 < sending.MAX_ATTEMPTS and send_edition.get_backend().supports_defer:
        later = timezone.now() + timedelta(minutes=RETRY_MINUTES * 2**attempt)
        send_edition.using(run_after=later).enqueue(edition_id, attempt + 1)
    return sent


@task()
def send_scheduled_edition(edition_id: int, send_at: str) -> int:
    """Enqueued to run at an edition's send time (actions.schedule_edition). Does nothing
    when the edition was unscheduled or moved to another time since (a newer task is
    waiting for that), or when the chore's pass started it first."""
    if not actions.start_scheduled_edition(edition_id, send_at=datetime.fromisoformat(send_at)):
        return 0
    return send_edition.call(edition_id)
