"""Subscribers, their consent history, the suppression list, editions and deliveries."""

import hashlib
import hmac
import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tribune.articles.models import Article, Topic


def address_hash(email: str) -> str:
    """A keyed hash of a normalized address: what the suppression list keeps after erasure."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize_email(email).encode(), hashlib.sha256).hexdigest()


def ip_hash(ip: str) -> str:
    """Consent proof without storing the raw address: salted with SECRET_KEY."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), b"ip:" + ip.encode(), hashlib.sha256).hexdigest()


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased: one subscriber per mailbox whatever the spelling."""
    return email.strip().lower()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class State(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Complained")


TRANSITIONS: dict[str, frozenset[str]] = {
    State.PENDING: frozenset({State.CONFIRMED, State.UNSUBSCRIBED}),
    State.CONFIRMED: frozenset({State.UNSUBSCRIBED, State.BOUNCED, State.COMPLAINED}),
    State.UNSUBSCRIBED: frozenset({State.PENDING}),
    State.BOUNCED: frozenset({State.PENDING}),
    State.COMPLAINED: frozenset(),
}


class Subscriber(models.Model):
    """One mailbox on the list. `token` is the opaque secret in every link we mail."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    topics = models.ManyToManyField(Topic, related_name="subscribers", blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(_("last requested"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "frequency", "language"], name="subscriber_send")]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class ConsentRecord(models.Model):
    """Append-only proof of consent and its withdrawal (BGH I ZR 164/09: printable at any time)."""

    class Event(models.TextChoices):
        REQUESTED = "requested", _("Sign-up requested")
        CONFIRMED = "confirmed", _("Confirmed")
        PREFERENCES = "preferences", _("Preferences changed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    # For an unsubscription: rfc8058_post, link_page, preferences, bounce, complaint, admin.
    method = models.CharField(_("method"), max_length=30, blank=True)
    form = models.CharField(_("form"), max_length=200, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    topics = models.JSONField(_("topics"), default=list)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_hash = models.CharField(_("hashed IP address"), max_length=64, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.event} {self.at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """Addresses never to be mailed again, kept only as a keyed hash."""

    class Reason(models.TextChoices):
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
        ERASURE = "erasure", _("Erased on request")
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("Repeated soft bounces")
        COMPLAINT = "complaint", _("Complaint")
        MANUAL = "manual", _("Added by an editor")

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.reason})"


class Edition(models.Model):
    """One mailing: an automatic digest for a frequency, or one composed by an editor."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Automatic digest")
        COMPOSED = "composed", _("Composed by an editor")

    class EditionState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    articles = models.ManyToManyField(Article, related_name="editions", blank=True)
    state = models.CharField(
        max_length=10, choices=EditionState.choices, default=EditionState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    covers_until = models.DateTimeField(_("articles published until"))
    # When a scheduled edition starts going out (actions.schedule_edition); None otherwise.
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return self.subject or f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Delivery(models.Model):
    """One edition to one subscriber; the unique key makes sending resumable without repeats."""

    class DeliveryState(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    message_id = models.CharField(max_length=200, blank=True)
    # Temporary refusals (4xx) so far; past sending.MAX_ATTEMPTS the delivery has failed.
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="one_delivery_per_edition_and_subscriber"
            )
        ]
        indexes = [models.Index(fields=["edition", "state"], name="delivery_progress")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.edition_id} → {self.subscriber_id} ({self.state})"


class BounceEvent(models.Model):
    """A bounce or complaint report about one subscriber, kept with the raw report so that a
    misread auto-reply can be checked later."""

    class Kind(models.TextChoices):
        HARD = "hard", _("Hard bounce")
        SOFT = "soft", _("Soft bounce")
        COMPLAINT = "complaint", _("Complaint")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="bounces")
    # The message it is about, when the report names our Message-ID (provider webhooks).
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="bounces"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("SMTP status"), max_length=20, blank=True)
    diagnostic = models.CharField(_("diagnostic"), max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    raw = models.TextField(_("raw report"), blank=True)
    # The provider's id of the event: a webhook delivered again is recorded once.
    event_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id"],
                condition=~models.Q(event_id=""),
                name="one_bounce_per_provider_event",
            )
        ]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"
