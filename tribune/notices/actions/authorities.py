"""Reports to law enforcement (DSA art. 18) and out-of-court disputes (art. 21): what
moderators record about a case beyond our own decision on it."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribune.articles.models import Article
from tribune.core import audit
from tribune.notices.actions.common import _mail_on_commit, _require_moderator
from tribune.notices.models import (
    DISPUTE_DECIDED,
    CrimeReport,
    Decision,
    Dispute,
    DisputeOutcome,
    Notice,
)


class NotConfigured(ValidationError):
    """No law enforcement address is set: nothing can be sent."""


def _when(moment: datetime.datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment else ""


def _crime_context(report: CrimeReport, article: Article, notice: Notice | None) -> dict:
    """Everything relevant we hold (art. 18(1)): the content, where it is, the notice, the
    contributor's account data, and who reports it. JSON only: it goes through a task."""
    revision = article.live_revision or article.latest_revision
    author = article.author
    profile = getattr(author, "profile", None)
    context = {
        "reference": str(report.uuid),
        "explanation": report.explanation,
        "sent_at": _when(report.sent_at),
        "moderator": report.sent_by.get_username() if report.sent_by else "",
        "moderator_email": getattr(report.sent_by, "email", ""),
        "article_url": settings.TRIBUNE_BASE_URL + article.get_absolute_url(),
        "title": revision.title if revision else article.slug,
        "status": article.get_status_display(),
        "published_at": _when(article.published_at),
        "text": revision.body if revision else "",
        "account": {
            "username": author.get_username(),
            "display_name": profile.display_name if profile else "",
            "email": author.email,
            "date_joined": _when(author.date_joined),
            "last_login": _when(author.last_login),
        },
        "notice": None,
    }
    if notice is not None:
        context["notice"] = {
            "reference": notice.reference,
            "category": notice.get_category_display(),
            "received_at": _when(notice.received_at),
            "explanation": notice.explanation,
            "passage": notice.passage,
            "legal_provision": notice.legal_provision,
            "notifier_name": notice.notifier_name,
            "notifier_email": notice.notifier_email,
        }
    return context


@transaction.atomic
def report_crime(
    actor: AbstractBaseUser | None,
    article: Article,
    *,
    explanation: str,
    notice: Notice | None = None,
) -> CrimeReport:
    """Inform the law enforcement authority the operator configured of a suspected criminal
    offence involving a threat to the life or safety of persons (DSA art. 18): one mail with
    all relevant information, sent after commit; the row and the audit log record when and
    by whom. Refused, with nothing stored or sent, while no address is configured."""
    _require_moderator(actor)
    to = settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL
    if not to:
        raise NotConfigured(
            _(
                "No law enforcement address is configured: the operator must set "
                "TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL. Nothing was sent."
            )
        )
    if not explanation.strip():
        raise ValidationError(
            {"explanation": _("Explain why the content suggests a threat to life or safety.")}
        )
    # One query: the article with what the mail needs, and proof that it is the notice's.
    found = Article.objects.select_related("author__profile", "live_revision", "latest_revision")
    if notice is not None:
        found = found.filter(notice_items__notice=notice)
    article = found.filter(pk=article.pk).first()
    if article is None:
        raise ValidationError(_("This article is not part of the notice."))
    report = CrimeReport(
        notice=notice, article=article, explanation=explanation.strip(), sent_to=to, sent_by=actor
    )
    report.full_clean(exclude=["sent_by", "notice"])
    report.save()
    audit.record(
        actor,
        "notice.report_crime",
        report,
        article=article.pk,
        notice=notice.pk if notice else None,
        sent_to=to,
    )
    _mail_on_commit(
        to,
        "notices/mail/crime_report",
        _crime_context(report, article, notice),
        settings.LANGUAGE_CODE,
    )
    return report


def _check_dispute(
    decision: Decision,
    *,
    body: str,
    referred_on: datetime.date | None,
    outcome: str,
    closed_on: datetime.date | None,
    complied: bool | None,
) -> None:
    """Refuse a dispute record that cannot be true, each problem under its field."""
    today = timezone.now().date()
    errors: dict[str, str] = {}
    if not body.strip():
        errors["body"] = _("Name the dispute settlement body.")
    if referred_on is None:
        errors["referred_on"] = _("Give the date the dispute was referred to the body.")
    elif referred_on > today:
        errors["referred_on"] = _("The referral date cannot be in the future.")
    elif referred_on < decision.decided_at.date():
        errors["referred_on"] = _(
            "The dispute cannot have been referred before the decision of %(date)s."
        ) % {"date": decision.decided_at.date().isoformat()}
    if outcome not in DisputeOutcome.values:
        errors["outcome"] = _("Choose an outcome.")
    elif outcome == DisputeOutcome.OPEN and closed_on is not None:
        errors["closed_on"] = _(
            "An open dispute has no closing date: choose its outcome or leave the date empty."
        )
    elif outcome != DisputeOutcome.OPEN and closed_on is None:
        errors["closed_on"] = _("Give the date the dispute was closed.")
    if closed_on is not None and "closed_on" not in errors:
        if referred_on is not None and closed_on < referred_on:
            errors["closed_on"] = _("The dispute cannot be closed before it was referred.")
        elif closed_on > today:
            errors["closed_on"] = _("The closing date cannot be in the future.")
    if outcome in DISPUTE_DECIDED and complied is None:
        errors["complied"] = _("Say whether we implemented the body's decision or settlement.")
    elif (
        outcome in DisputeOutcome.values and outcome not in DISPUTE_DECIDED and complied is not None
    ):
        errors["complied"] = _(
            "Only a decision or a settlement can be implemented: leave this empty for an open "
            "or withdrawn dispute."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_dispute(
    actor: AbstractBaseUser | None,
    decision: Decision,
    *,
    body: str,
    referred_on: datetime.date | None,
    outcome: str = DisputeOutcome.OPEN,
    closed_on: datetime.date | None = None,
    complied: bool | None = None,
) -> Dispute:
    """Record that a decision was referred to a certified out-of-court dispute settlement
    body (DSA art. 21), open or, when recorded late, with its outcome already."""
    _require_moderator(actor)
    _check_dispute(
        decision,
        body=body,
        referred_on=referred_on,
        outcome=outcome,
        closed_on=closed_on,
        complied=complied,
    )
    dispute = Dispute(
        decision=decision,
        body=" ".join(body.split()),
        referred_on=referred_on,
        outcome=outcome,
        closed_on=closed_on,
        complied=complied,
        recorded_by=actor,
    )
    dispute.full_clean(exclude=["recorded_by"])
    dispute.save()
    audit.record(actor, "notice.dispute", dispute, to_state=outcome, decision=decision.pk)
    return dispute


class DisputeClosed(Exception):
    """The dispute was closed already (by someone else, or before)."""


@transaction.atomic
def close_dispute(
    actor: AbstractBaseUser | None,
    dispute: Dispute,
    *,
    outcome: str,
    closed_on: datetime.date | None,
    complied: bool | None = None,
) -> Dispute:
    """Record the outcome of an open dispute; a closed dispute is final."""
    _require_moderator(actor)
    if outcome == DisputeOutcome.OPEN:
        raise ValidationError({"outcome": _("Choose how the dispute ended.")})
    _check_dispute(
        dispute.decision,
        body=dispute.body,
        referred_on=dispute.referred_on,
        outcome=outcome,
        closed_on=closed_on,
        complied=complied,
    )
    updated = Dispute.objects.filter(pk=dispute.pk, outcome=DisputeOutcome.OPEN).update(
        outcome=outcome, closed_on=closed_on, complied=complied
    )
    if not updated:
        raise DisputeClosed(_("This dispute has already been closed."))
    dispute.refresh_from_db()
    audit.record(
        actor, "notice.dispute_close", dispute, from_state=DisputeOutcome.OPEN, to_state=outcome
    )
    return dispute
