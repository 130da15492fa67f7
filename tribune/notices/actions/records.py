"""Records the DSA asks the operator to keep: monthly recipients (art. 24(2)) and which
statements of reasons the Transparency Database has stored (art. 24(5))."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from tribune.core import audit
from tribune.notices.models import RecipientCount, SubmittedStatement


@transaction.atomic
def record_recipient_count(month: datetime.date, recipients: int) -> RecipientCount:
    """Store (or replace) the unique recipients of a month (its first day)."""
    record, _created = RecipientCount.objects.update_or_create(
        month=month.replace(day=1),
        defaults={"recipients": recipients, "counted_at": timezone.now()},
    )
    audit.record(None, "transparency.recipients", record, to_state=str(recipients))
    return record


@transaction.atomic
def record_submitted_statements(puids: Iterable[str]) -> int:
    """Remember statements the Transparency Database has stored, so that none is sent
    twice; returns how many were new."""
    new = 0
    for puid in puids:
        stored, created = SubmittedStatement.objects.get_or_create(puid=puid)
        if created:
            audit.record(None, "transparency.submit", stored)
            new += 1
    return new
