"""Every change to subscribers, consent, suppression and editions goes through here."""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tribune.articles.models import Article, Status, Topic
from tribune.core import audit
from tribune.core.tasks import send_mail
from tribune.newsletter.models import (
    TRANSITIONS,
    BounceEvent,
    ConsentRecord,
    Delivery,
    Edition,
    Frequency,
    State,
    Subscriber,
    Suppression,
    address_hash,
    ip_hash,
    normalize_email,
)

# Bump when the consent text on the form changes; every record keeps the version it showed.
CONSENT_VERSION = "1"
_CONFIRM_SALT = "tribune.newsletter.confirm"


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(address_hash=address_hash(email)).exists()


def _consent(
    subscriber: Subscriber,
    event: str,
    *,
    ip: str = "",
    user_agent: str = "",
    **fields: object,
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        event=event,
        language=subscriber.language,
        topics=sorted(subscriber.topics.values_list("slug", flat=True)),
        ip_hash=ip_hash(ip),
        user_agent=user_agent[:300],
        **fields,
    )


def _move(subscriber: Subscriber, to: str, **changes: object) -> bool:
    """Conditional update from the state we read; False when someone else moved it first."""
    if to not in TRANSITIONS[subscriber.state]:
        return False
    updated = Subscriber.objects.filter(pk=subscriber.pk, state=subscriber.state).update(
        state=to, **changes
    )
    if updated:
        old = subscriber.state
        subscriber.state = to
        for field, value in changes.items():
            setattr(subscriber, field, value)
        audit.record(None, f"subscriber.{to}", subscriber, from_state=old, to_state=to)
    return bool(updated)


@transaction.atomic
def request_subscription(
    *,
    email: str,
    topics: Iterable[Topic],
    frequency: str,
    language: str,
    form: str,
    consent_text: str,
    ip: str = "",
    user_agent: str = "",
) -> Subscriber | None:
    """Record a sign-up request and mail the confirmation link (double opt-in).

    Nothing happens for a suppressed or complained address, or one that is confirmed
    already; the caller shows the same page either way, so nobody learns who subscribes.
    """
    email = normalize_email(email)
    if is_suppressed(email):
        return None
    now = timezone.now()
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            email=email, language=language, frequency=frequency, requested_at=now
        )
        audit.record(None, "subscriber.request", subscriber, to_state=State.PENDING)
    elif subscriber.state == State.PENDING:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            language=language, frequency=frequency, requested_at=now
        )
        subscriber.language, subscriber.frequency, subscriber.requested_at = (
            language,
            frequency,
            now,
        )
    elif not _move(
        subscriber,
        State.PENDING,
        language=language,
        frequency=frequency,
        requested_at=now,
    ):
        return None
    subscriber.topics.set(topics)
    _consent(
        subscriber,
        ConsentRecord.Event.REQUESTED,
        ip=ip,
        user_agent=user_agent,
        form=form[:200],
        consent_version=CONSENT_VERSION,
        consent_text=consent_text,
    )
    url = confirmation_url(subscriber)
    transaction.on_commit(
        lambda: send_mail.enqueue(email, "newsletter/mail/confirm", {"url": url}, language)
    )
    return subscriber


def confirmation_url(subscriber: Subscriber) -> str:
    key = signing.dumps([subscriber.token, subscriber.requested_at.timestamp()], salt=_CONFIRM_SALT)
    with translation.override(subscriber.language):
        path = reverse("newsletter:confirm", kwargs={"key": key})
    return settings.TRIBUNE_BASE_URL + path


def subscriber_for_confirmation(key: str) -> Subscriber | None:
    """The pending subscriber a confirmation link names, if the link is genuine, fresh and
    belongs to the latest request; None otherwise."""
    max_age = timedelta(days=settings.TRIBUNE_NEWSLETTER_CONFIRM_DAYS)
    try:
        token, requested = signing.loads(key, salt=_CONFIRM_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(token=str(token), state=State.PENDING).first()
    if subscriber is None or subscriber.requested_at.timestamp() != requested:
        return None
    return subscriber


@transaction.atomic
def confirm_subscription(subscriber: Subscriber, *, ip: str = "", user_agent: str = "") -> bool:
    """Pending to confirmed, with the confirmation's proof; False if it was not pending."""
    if subscriber.state != State.PENDING or not _move(
        subscriber, State.CONFIRMED, confirmed_at=timezone.now()
    ):
        return False
    _consent(
        subscriber,
        ConsentRecord.Event.CONFIRMED,
        ip=ip,
        user_agent=user_agent,
        consent_version=CONSENT_VERSION,
    )
    return True


@transaction.atomic
def unsubscribe(subscriber: Subscriber, *, method: str, ip: str = "", user_agent: str = "") -> bool:
    """Stop all mail to the subscriber at once; False if they were not subscribed."""
    if not _move(subscriber, State.UNSUBSCRIBED, unsubscribed_at=timezone.now()):
        return False
    _consent(
        subscriber, ConsentRecord.Event.UNSUBSCRIBED, method=method, ip=ip, user_agent=user_agent
    )
    return True


@transaction.atomic
def update_preferences(
    subscriber: Subscriber, *, topics: Iterable[Topic], frequency: str, ip: str = ""
) -> Subscriber:
    """Change topics and frequency; recorded as a consent event (what they agreed to get)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(frequency=frequency)
    subscriber.frequency = frequency
    subscriber.topics.set(topics)
    _consent(subscriber, ConsentRecord.Event.PREFERENCES, ip=ip)
    audit.record(None, "subscriber.preferences", subscriber, frequency=frequency)
    return subscriber


@transaction.atomic
def erase_subscriber(subscriber: Subscriber, *, reason: str = Suppression.Reason.ERASURE) -> None:
    """Delete the subscriber and their consent history; keep only the keyed hash of the
    address on the suppression list, so that the opt-out is still honoured."""
    Suppression.objects.get_or_create(
        address_hash=address_hash(subscriber.email), defaults={"reason": reason}
    )
    audit.record(None, "subscriber.erase", subscriber, from_state=subscriber.state)
    subscriber.delete()


@transaction.atomic
def suppress_address(email: str, reason: str) -> None:
    """Never mail this address again (bounce, complaint, editor's decision)."""
    Suppression.objects.get_or_create(address_hash=address_hash(email), defaults={"reason": reason})
    subscriber = Subscriber.objects.filter(email=normalize_email(email)).first()
    if subscriber is not None:
        to = State.COMPLAINED if reason == Suppression.Reason.COMPLAINT else State.BOUNCED
        if _move(subscriber, to, unsubscribed_at=timezone.now()):
            _consent(subscriber, ConsentRecord.Event.UNSUBSCRIBED, method=reason)


def purge_pending(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete sign-ups that were never confirmed within the confirmation window."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRIBUNE_NEWSLETTER_CONFIRM_DAYS)
    # Only never-confirmed requests: an unsubscriber who asked again keeps their history.
    stale = Subscriber.objects.filter(
        state=State.PENDING, requested_at__lt=cutoff, confirmed_at__isnull=True
    )
    count = stale.count()
    if not dry_run and count:
        with transaction.atomic():
            _total, per_model = stale.delete()
            count = per_model.get(Subscriber._meta.label, 0)
    return count


@transaction.atomic
def create_digest(frequency: str, language: str, *, now: datetime | None = None) -> Edition | None:
    """An automatic digest of what was published in `language` since the last digest of this
    frequency; None when nothing new appeared."""
    now = now or timezone.now()
    window = timedelta(days=1 if frequency == Frequency.DAILY else 7)
    since = (
        Edition.objects.filter(
            kind=Edition.Kind.DIGEST, frequency=frequency, language=language
        ).aggregate(last=Max("covers_until"))["last"]
        or now - window
    )
    articles = list(
        Article.objects.filter(
            status=Status.PUBLISHED,
            live_revision__isnull=False,
            language=language,
            published_at__gt=since,
            published_at__lte=now,
        ).values_list("pk", flat=True)
    )
    if not articles:
        return None
    edition = Edition.objects.create(
        kind=Edition.Kind.DIGEST, frequency=frequency, language=language, covers_until=now
    )
    edition.articles.set(articles)
    audit.record(None, "edition.create", edition, articles=len(articles))
    return edition


@transaction.atomic
def save_edition(actor: object, edition: Edition, articles: Iterable[Article]) -> Edition:
    """Create or change an editor-composed edition; a sent or sending one cannot change."""
    edition.kind = Edition.Kind.COMPOSED
    edition.covers_until = edition.covers_until or timezone.now()
    created = not edition.pk
    if created:
        edition.save()
    else:
        # A scheduled edition may still be corrected until it starts going out; the state
        # and send time are only changed by their actions (conditional: a start between
        # reading and saving wins).
        fields = ["kind", "subject", "language", "intro", "covers_until"]
        changed = Edition.objects.filter(
            pk=edition.pk,
            state__in=[Edition.EditionState.DRAFT, Edition.EditionState.SCHEDULED],
        ).update(**{field: getattr(edition, field) for field in fields})
        if not changed:
            raise ValueError("An edition that is being sent or was sent cannot be changed.")
    edition.articles.set(articles)
    audit.record(actor, "edition.create" if created else "edition.change", edition)
    return edition


@transaction.atomic
def start_sending(actor: object, edition: Edition) -> bool:
    """Queue an edition for sending (the task fans out and sends); False if it is not a draft."""
    from tribune.newsletter.tasks import send_edition  # the task module imports sending

    if edition.state != Edition.EditionState.DRAFT:
        return False
    audit.record(actor, "edition.queue", edition)
    transaction.on_commit(lambda: send_edition.enqueue(edition.pk))
    return True


# Soft bounces (full mailbox, greylisting, ...) suppress only when they repeat: this many
# within the window (the Mailman / foodsharing practice). Hard bounces and complaints at once.
SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_WINDOW = timedelta(days=30)


# Our Message-ID of a newsletter message (sending.py): the edition's UUID and the delivery.
_MESSAGE_ID = re.compile(r"^<?([0-9a-f]{32})\.(\d{12})@")


def _recipient(email: str, message_id: str) -> tuple[Delivery | None, Subscriber | None]:
    """Whom a provider's or a DSN's report is about: the delivery its Message-ID names, or
    else the subscriber with that address."""
    delivery = _delivery_for(message_id) if message_id else None
    if delivery is not None:
        return delivery, delivery.subscriber
    return None, Subscriber.objects.filter(email=normalize_email(email)).first()


def _delivery_for(message_id: str) -> Delivery | None:
    match = _MESSAGE_ID.match(message_id.strip())
    if match is None:
        return None
    return (
        Delivery.objects.select_related("subscriber")
        .filter(pk=int(match[2]), edition__uuid=match[1])
        .first()
    )


def _soft_bounce_score(subscriber: Subscriber) -> int:
    """Soft bounces within the window; reports about one message (a provider reports every
    retry of a deferred message) count once."""
    recent = BounceEvent.objects.filter(
        subscriber=subscriber,
        kind=BounceEvent.Kind.SOFT,
        received_at__gte=timezone.now() - SOFT_BOUNCE_WINDOW,
    ).values_list("delivery_id", flat=True)
    deliveries = list(recent)
    return deliveries.count(None) + len({pk for pk in deliveries if pk is not None})


@transaction.atomic
def record_bounce(
    email: str,
    kind: str,
    *,
    status: str = "",
    diagnostic: str = "",
    raw: str = "",
    message_id: str = "",
    event_id: str = "",
) -> BounceEvent | None:
    """Record a bounce or complaint report; hard bounces and complaints suppress the address
    at once, soft bounces once they repeat. The subscriber is the one our `message_id` was
    sent to, else the one with the address. None when neither is a subscriber's; a report
    whose provider `event_id` was recorded already returns that first record and does
    nothing more (providers deliver a webhook again when unsure it arrived)."""
    if event_id:
        seen = BounceEvent.objects.filter(event_id=event_id[:200]).first()
        if seen is not None:
            return seen
    delivery, subscriber = _recipient(email, message_id)
    if subscriber is None:
        return None
    event = BounceEvent.objects.create(
        subscriber=subscriber,
        delivery=delivery,
        kind=kind,
        status=status[:20],
        diagnostic=diagnostic[:500],
        raw=raw[:100_000],
        event_id=event_id[:200],
    )
    email = subscriber.email
    if kind == BounceEvent.Kind.COMPLAINT:
        suppress_address(email, Suppression.Reason.COMPLAINT)
    elif kind == BounceEvent.Kind.HARD:
        suppress_address(email, Suppression.Reason.HARD_BOUNCE)
    elif _soft_bounce_score(subscriber) >= SOFT_BOUNCE_LIMIT:
        suppress_address(email, Suppression.Reason.SOFT_BOUNCES)
    return event


@transaction.atomic
def unsubscribe_address(email: str, *, method: str, message_id: str = "") -> bool:
    """Unsubscribe whoever our `message_id` went to, else the subscriber with the address
    (a provider's own unsubscribe link or list); False when there is nobody to unsubscribe."""
    _delivery, subscriber = _recipient(email, message_id)
    return subscriber is not None and unsubscribe(subscriber, method=method)


# A scheduled edition may start this early, for clocks of machines that differ a little.
SCHEDULE_TOLERANCE = timedelta(minutes=1)


def check_send_time(send_at: datetime, *, now: datetime | None = None) -> None:
    """Refuse a send time that has passed, with a message an editor understands."""
    if send_at <= (now or timezone.now()):
        shown = formats.date_format(timezone.localtime(send_at), "DATETIME_FORMAT")
        raise ValidationError(
            _("%(time)s has already passed. Choose a time in the future to schedule the edition.")
            % {"time": shown},
            code="past",
        )


@transaction.atomic
def schedule_edition(actor: object, edition: Edition, send_at: datetime) -> None:
    """Send a draft (or already scheduled) edition at `send_at`: a task is enqueued to run
    then, and `tribune send_edition --resume` (a chore) starts it if that task is lost.
    Raises ValidationError for a time in the past or an edition that has started."""
    check_send_time(send_at)
    old = Edition.objects.filter(pk=edition.pk).values_list("state", flat=True).first()
    updated = Edition.objects.filter(
        pk=edition.pk,
        state__in=[Edition.EditionState.DRAFT, Edition.EditionState.SCHEDULED],
    ).update(state=Edition.EditionState.SCHEDULED, send_at=send_at)
    if not updated:
        raise ValidationError(
            _("This edition is being sent or has been sent; it cannot be scheduled."),
            code="started",
        )
    edition.state, edition.send_at = Edition.EditionState.SCHEDULED, send_at
    audit.record(
        actor,
        "edition.schedule",
        edition,
        from_state=old or "",
        to_state=edition.state,
        send_at=send_at.isoformat(),
    )
    transaction.on_commit(lambda: _enqueue_scheduled(edition.pk, send_at))


def _enqueue_scheduled(edition_id: int, send_at: datetime) -> None:
    from tribune.newsletter.tasks import send_scheduled_edition  # tasks import sending

    # Backends that cannot run a task later (the immediate one of the tests) leave it to
    # the chore's pass over due editions.
    if send_scheduled_edition.get_backend().supports_defer:
        send_scheduled_edition.using(run_after=send_at).enqueue(edition_id, send_at.isoformat())


@transaction.atomic
def unschedule_edition(actor: object, edition: Edition) -> bool:
    """Back to a draft, before it starts; False when it was not scheduled (any more). The
    task enqueued for the old time then finds nothing to do."""
    updated = Edition.objects.filter(pk=edition.pk, state=Edition.EditionState.SCHEDULED).update(
        state=Edition.EditionState.DRAFT, send_at=None
    )
    if not updated:
        return False
    edition.state, edition.send_at = Edition.EditionState.DRAFT, None
    audit.record(actor, "edition.unschedule", edition, from_state="scheduled", to_state="draft")
    return True


def start_scheduled_edition(
    edition_id: int, *, send_at: datetime | None = None, now: datetime | None = None
) -> bool:
    """Start a scheduled edition whose time has come: its deliveries are created, then it
    moves to sending. True for the one caller (task or chore) that moved it, which then
    sends; False when it is not scheduled, not due, or (with `send_at`) was rescheduled."""
    from tribune.newsletter import sending  # sending imports the articles' queries

    now = now or timezone.now()
    edition = Edition.objects.filter(pk=edition_id, state=Edition.EditionState.SCHEDULED).first()
    if (
        edition is None
        or edition.send_at is None
        or edition.send_at > now + SCHEDULE_TOLERANCE
        or (send_at is not None and edition.send_at != send_at)
    ):
        return False
    # Deliveries first (idempotent), so that a crash before the move leaves it scheduled
    # and the next pass starts it again; after the move, --resume finishes it.
    sending.fan_out(edition)
    with transaction.atomic():
        moved = Edition.objects.filter(
            pk=edition.pk, state=Edition.EditionState.SCHEDULED, send_at=edition.send_at
        ).update(state=Edition.EditionState.SENDING)
        if moved:
            audit.record(None, "edition.send", edition, from_state="scheduled", to_state="sending")
    return bool(moved)


def start_due_editions(*, now: datetime | None = None) -> list[int]:
    """Start every scheduled edition whose time has come; the ids of those started here."""
    now = now or timezone.now()
    due = Edition.objects.filter(
        state=Edition.EditionState.SCHEDULED, send_at__lte=now + SCHEDULE_TOLERANCE
    ).values_list("pk", flat=True)
    return [pk for pk in list(due) if start_scheduled_edition(pk, now=now)]
