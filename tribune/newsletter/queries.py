"""Reads for the subscriber's own pages."""

import secrets

from tribune.newsletter.models import Subscriber


def subscriber_by_token(token: str) -> Subscriber | None:
    """The subscriber a mailed link names; the comparison of the token is constant-time."""
    if not token or len(token) > 64:
        return None
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None or not secrets.compare_digest(subscriber.token, token):
        return None
    return subscriber


def export_data(subscriber: Subscriber) -> dict:
    """Everything we hold about a subscriber (GDPR Art. 15 and 20), in two queries."""
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "state": subscriber.state,
        "frequency": subscriber.frequency,
        "topics": sorted(subscriber.topics.values_list("slug", flat=True)),
        "created_at": subscriber.created_at.isoformat(),
        "requested_at": subscriber.requested_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "unsubscribed_at": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
        "consent_records": [
            {
                "event": record.event,
                "at": record.at.isoformat(),
                "method": record.method,
                "form": record.form,
                "consent_version": record.consent_version,
                "consent_text": record.consent_text,
                "language": record.language,
                "topics": record.topics,
                "ip_hash": record.ip_hash,
                "user_agent": record.user_agent,
            }
            for record in subscriber.consents.all()
        ],
    }
