"""Bounce, complaint and unsubscribe events from mail providers, through anymail's webhooks.

An adapter: anymail verifies the provider's signature and normalizes its payload; the
receiver below only says what the event is in our terms and calls the action that
`tribune process_bounces` calls too. Which reports suppress, and when, is decided there.
"""

import json
import re
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason

from tribune.newsletter import actions
from tribune.newsletter.models import BounceEvent

# An RFC 3463 enhanced status ("5.1.1") or a basic reply code ("550") in the provider's text.
_ENHANCED_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_REPLY_CODE = re.compile(r"\b([245])\d\d\b")
# How providers without a status word a temporary failure (SES "Transient: ...", Postmark's
# soft bounce "could not temporarily deliver").
_TEMPORARY = re.compile(r"transient|soft|temporar|deferred|mailbox full|quota", re.IGNORECASE)
UNSUBSCRIBE = "unsubscribe"


def _text(event: AnymailTrackingEvent) -> str:
    return " ".join(str(part) for part in (event.mta_response, event.description) if part)


def smtp_status(event: AnymailTrackingEvent) -> str:
    """The enhanced status code the receiving server gave, if the provider passed it on."""
    found = _ENHANCED_STATUS.search(_text(event))
    return found[0] if found else ""


def _is_temporary(event: AnymailTrackingEvent) -> bool:
    text = _text(event)
    code = _ENHANCED_STATUS.search(text) or _REPLY_CODE.search(text)
    if code is not None:
        return code[1] == "4"
    return bool(_TEMPORARY.search(text))


def report_kind(event: AnymailTrackingEvent) -> str | None:
    """hard, soft, complaint or unsubscribe; None for events that change nothing here
    (delivered, opened, queued, ...)."""
    kind = event.event_type
    if kind == EventType.COMPLAINED:
        return BounceEvent.Kind.COMPLAINT
    if kind == EventType.DEFERRED:
        return BounceEvent.Kind.SOFT
    if kind == EventType.BOUNCED:
        return BounceEvent.Kind.SOFT if _is_temporary(event) else BounceEvent.Kind.HARD
    # The provider refused to send because it knows the address does not work.
    if kind == EventType.REJECTED and event.reject_reason in (
        RejectReason.BOUNCED,
        RejectReason.INVALID,
    ):
        return BounceEvent.Kind.HARD
    if kind == EventType.UNSUBSCRIBED:
        return UNSUBSCRIBE
    return None


def _raw(event: AnymailTrackingEvent, esp_name: str) -> str:
    payload = event.esp_event
    if hasattr(payload, "lists"):  # Mailgun's legacy form posts arrive as a QueryDict
        payload = dict(payload.lists())
    return json.dumps({"provider": esp_name, "event": payload}, default=str, indent=1)


def on_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Receiver of anymail's `tracking` signal (connected in apps.py)."""
    kind = report_kind(event)
    if kind is None or not (event.recipient or event.message_id):
        return
    if kind == UNSUBSCRIBE:
        actions.unsubscribe_address(
            event.recipient or "", method=f"esp:{esp_name}"[:30], message_id=event.message_id or ""
        )
        return
    actions.record_bounce(
        event.recipient or "",
        kind,
        status=smtp_status(event),
        diagnostic=str(event.mta_response or event.description or ""),
        raw=_raw(event, esp_name),
        message_id=event.message_id or "",
        event_id=f"{esp_name}:{event.event_id}" if event.event_id else "",
    )
