"""Notices (DSA art. 16), decisions with statements of reasons (art. 17) and appeals
against them (art. 20)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribune.articles.actions import _follow_up_on_commit
from tribune.articles.models import Article, Status
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.notices.actions.common import (
    AlreadyDecided,
    _close_appeal,
    _mail_on_commit,
    _require_moderator,
    _store_appeal,
    _url,
)
from tribune.notices.actions.misuse import (
    act_on_contributor,
    decide_suspension_appeal,
    lift_suspension,
    suspended_until,
)
from tribune.notices.models import (
    Appeal,
    AppealState,
    Decision,
    Ground,
    Label,
    MisuseBasis,
    Notice,
    NoticeItem,
    NoticeState,
    Outcome,
    Restriction,
)


@transaction.atomic
def submit_notice(
    actor: AbstractBaseUser | None,
    *,
    category: str,
    items: Iterable[tuple[str, Article]],
    explanation: str,
    bona_fide: bool,
    language: str,
    passage: str = "",
    legal_provision: str = "",
    notifier_name: str = "",
    notifier_email: str = "",
    dmca: dict[str, Any] | None = None,
) -> Notice:
    """Store a notice (DSA art. 16) and confirm its receipt by mail when an address is given."""
    items = list(items)
    if not bona_fide:
        raise ValidationError(
            {"bona_fide": _("Please confirm that your notice is made in good faith.")}
        )
    if not items:
        raise ValidationError(
            {"urls": _("Please give the address of at least one of our articles.")}
        )
    signed_in = actor if getattr(actor, "is_authenticated", False) else None
    until = suspended_until(MisuseBasis.UNFOUNDED_NOTICES, signed_in, notifier_email)
    if until is not None:
        raise ValidationError(
            _(
                "After repeated manifestly unfounded notices we do not process notices from "
                "you until %(date)s."
            )
            % {"date": until.date().isoformat()}
        )
    trusted = bool(signed_in and hasattr(signed_in, "trusted_flagger"))
    now = timezone.now()
    notice = Notice(
        category=category,
        explanation=explanation,
        passage=passage,
        legal_provision=legal_provision,
        notifier_name=notifier_name,
        notifier_email=notifier_email,
        notifier=signed_in,
        from_trusted_flagger=trusted,
        bona_fide=True,
        language=language,
        received_at=now,
        acknowledged_at=now if notifier_email else None,
        **(dmca or {}),
    )
    notice.full_clean(exclude=["notifier"])
    notice.save()
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, article=article, url=url) for url, article in items
    )
    audit.record(
        signed_in,
        "notice.receive",
        notice,
        to_state=NoticeState.RECEIVED,
        category=category,
        articles=[article.pk for _url, article in items],
        trusted_flagger=trusted,
    )
    _mail_on_commit(
        notifier_email,
        "notices/mail/receipt",
        {
            "name": notifier_name,
            "reference": notice.reference,
            "category": notice.get_category_display(),
            "urls": [url for url, _article in items],
            "received_at": now.isoformat(),
        },
        language,
    )
    return notice


def _apply(decision: Decision, article: Article) -> None:
    """Carry out a restriction on the article (in the caller's transaction)."""
    if decision.outcome == Outcome.REMOVE:
        if article.status not in (Status.PUBLISHED, Status.UNPUBLISHED):
            raise ValidationError(_("Only a published or unpublished article can be removed."))
        updated = Article.objects.filter(pk=article.pk, status=article.status).update(
            status=Status.REMOVED
        )
        if not updated:
            raise AlreadyDecided(_("The article changed meanwhile; reload and try again."))
        article.status = Status.REMOVED
    elif decision.outcome == Outcome.RESTRICT:
        Restriction.objects.update_or_create(article=article, defaults={"decision": decision})
    elif decision.outcome == Outcome.LABEL:
        Label.objects.update_or_create(article=article, defaults={"decision": decision})
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)


def _check_statement(ground: str, ground_detail: str, explanation: str, facts: str) -> None:
    """A restriction needs every element of its statement of reasons (DSA art. 17(3))."""
    errors = {}
    if ground not in Ground.values:
        errors["ground"] = _("Say whether the article is illegal or breaks our terms.")
    if not ground_detail.strip():
        errors["ground_detail"] = _("Name the law or the clause of our terms.")
    if not explanation.strip():
        errors["explanation"] = _("Explain why the article falls under it.")
    if not facts.strip():
        errors["facts"] = _("State the facts and circumstances you relied on.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decide(
    actor: AbstractBaseUser | None,
    article: Article,
    *,
    outcome: str,
    notice: Notice | None = None,
    ground: str = "",
    ground_detail: str = "",
    ground_reference_url: str = "",
    explanation: str = "",
    facts: str = "",
    territorial_scope: list[str] | None = None,
    manifestly_illegal: bool = False,
    notice_manifestly_unfounded: bool = False,
    misuse_step: str = "",
    suspension_ends: datetime.datetime | None = None,
    misuse_note: str = "",
) -> Decision:
    """Decide on one article, with its statement of reasons (DSA art. 17) created in the same
    transaction as the restriction; mail the contributor and the notifier after commit.

    `misuse_step` ("warn" or "suspend") also warns or suspends the article's author (DSA
    art. 23(1)) in the same transaction: a refused suspension stores no decision either."""
    _require_moderator(actor)
    article = Article.objects.select_related("author", "live_revision").get(pk=article.pk)
    if outcome != Outcome.NO_ACTION:
        _check_statement(ground, ground_detail, explanation, facts)
    if (
        notice is not None
        and notice.decisions.filter(article=article, reversed_at__isnull=True).exists()
    ):
        raise AlreadyDecided(_("This notice has already been decided for this article."))
    decision = Decision(
        notice=notice,
        article=article,
        outcome=outcome,
        ground=ground if outcome != Outcome.NO_ACTION else "",
        ground_detail=ground_detail.strip(),
        ground_reference_url=ground_reference_url,
        explanation=explanation.strip(),
        facts=facts.strip() or _("No breach of the law or of our terms was found."),
        territorial_scope=territorial_scope or [],
        moderator=actor,
        previous_status=article.status,
        manifestly_illegal=manifestly_illegal and outcome != Outcome.NO_ACTION,
        notice_manifestly_unfounded=notice_manifestly_unfounded and outcome == Outcome.NO_ACTION,
    )
    decision.full_clean(exclude=["moderator", "notice"])
    decision.save()
    if decision.is_restriction:
        _apply(decision, article)
    audit.record(
        actor,
        "notice.decide",
        decision,
        from_state=decision.previous_status,
        to_state=article.status,
        outcome=outcome,
        ground=decision.ground,
        article=article.pk,
        notice=notice.pk if notice else None,
    )
    act_on_contributor(actor, decision, step=misuse_step, ends=suspension_ends, note=misuse_note)
    if notice is not None:
        _close_notice_if_done(notice)
    _inform(decision, notice, article)
    return decision


def _close_notice_if_done(notice: Notice) -> None:
    open_items = NoticeItem.objects.filter(notice=notice).exclude(
        article__in=notice.decisions.filter(reversed_at__isnull=True).values("article")
    )
    if not open_items.exists():
        now = timezone.now()
        Notice.objects.filter(pk=notice.pk, state=NoticeState.RECEIVED).update(
            state=NoticeState.DECIDED, decided_at=now
        )
        audit.record(None, "notice.close", notice, from_state="received", to_state="decided")


def _decision_context(decision: Decision, article: Article) -> dict:
    revision = article.live_revision or article.latest_revision
    return {
        "title": revision.title if revision else article.slug,
        "outcome": decision.get_outcome_display(),
        "is_restriction": decision.is_restriction,
        "scope": ", ".join(decision.territorial_scope),
        "ground": decision.get_ground_display() if decision.ground else "",
        "ground_detail": decision.ground_detail,
        "ground_reference_url": decision.ground_reference_url,
        "explanation": decision.explanation,
        "facts": decision.facts,
        "automated": decision.automated_decision,
        "from_notice": decision.notice_id is not None,
        "decided_at": decision.decided_at.date().isoformat(),
        "appeal_deadline": decision.appeal_deadline.date().isoformat(),
        "terms_version": decision.terms_version,
    }


def _inform(decision: Decision, notice: Notice | None, article: Article) -> None:
    context = _decision_context(decision, article)
    if decision.is_restriction and article.author.email:
        language = article.language
        _mail_on_commit(
            article.author.email,
            "notices/mail/statement",
            {
                **context,
                "appeal_url": _url("notices:appeal", language, uuid=decision.uuid),
            },
            language,
        )
    if notice is not None and notice.notifier_email:
        _mail_on_commit(
            notice.notifier_email,
            "notices/mail/decision",
            {
                **context,
                "reference": notice.reference,
                "appeal_url": _url(
                    "notices:notifier_appeal",
                    notice.language,
                    uuid=decision.uuid,
                    notice=notice.uuid,
                ),
            },
            notice.language,
        )


@transaction.atomic
def appeal_decision(
    actor: AbstractBaseUser | None,
    decision: Decision,
    *,
    by_contributor: bool,
    text: str,
    attachment: UploadedFile | None = None,
) -> Appeal:
    """Lodge a complaint (DSA art. 20): free, within the appeal window, one open at a time."""
    if timezone.now() > decision.appeal_deadline:
        raise ValidationError(_("The time to appeal this decision has passed."))
    if decision.reversed_at is not None:
        raise ValidationError(_("This decision has already been reversed."))
    if not text.strip():
        raise ValidationError({"text": _("Please explain why the decision is wrong.")})
    complainant = actor if by_contributor else None
    email = "" if by_contributor or decision.notice is None else decision.notice.notifier_email
    until = suspended_until(MisuseBasis.UNFOUNDED_COMPLAINTS, complainant, email)
    if until is not None:
        raise ValidationError(
            _(
                "After repeated manifestly unfounded appeals we do not process appeals from "
                "you until %(date)s."
            )
            % {"date": until.date().isoformat()}
        )
    if decision.appeals.filter(state=AppealState.OPEN, by_contributor=by_contributor).exists():
        raise ValidationError(_("Your appeal against this decision is already being handled."))
    appeal = _store_appeal(
        Appeal(decision=decision, by_contributor=by_contributor, text=text.strip()), attachment
    )
    audit.record(
        actor if by_contributor else None,
        "notice.appeal",
        appeal,
        to_state=AppealState.OPEN,
        decision=decision.pk,
        by="contributor" if by_contributor else "notifier",
    )
    return appeal


@transaction.atomic
def decide_appeal(
    actor: AbstractBaseUser | None, appeal: Appeal, *, reverse_decision: bool, reply: str
) -> Appeal:
    """Decide an appeal; a moderator other than the one who decided first. A reversal
    restores what the decision changed (status, visibility, label), or lifts the
    suspension appealed against."""
    _require_moderator(actor)
    if appeal.suspension_id is not None:
        return decide_suspension_appeal(
            actor, appeal, reverse_suspension=reverse_decision, reply=reply
        )
    decision = appeal.decision
    if decision.moderator_id == actor.pk:
        raise PermissionDenied(_("Another moderator must decide an appeal against your decision."))
    to_state = _close_appeal(actor, appeal, reverse=reverse_decision, reply=reply)
    if reverse_decision:
        _reverse(actor, decision)
    audit.record(
        actor, "notice.appeal_decide", appeal, from_state=AppealState.OPEN, to_state=to_state
    )
    article = decision.article
    recipient = article.author.email if appeal.by_contributor else ""
    language = article.language
    if not appeal.by_contributor and decision.notice_id:
        recipient, language = decision.notice.notifier_email, decision.notice.language
    revision = article.live_revision or article.latest_revision
    _mail_on_commit(
        recipient,
        "notices/mail/appeal_decision",
        {"title": revision.title, "reversed": reverse_decision, "reply": appeal.reply},
        language,
    )
    return appeal


def _reverse(actor: AbstractBaseUser | None, decision: Decision) -> None:
    Decision.objects.filter(pk=decision.pk).update(reversed_at=timezone.now())
    article = decision.article
    if decision.outcome == Outcome.REMOVE:
        updated = Article.objects.filter(pk=article.pk, status=Status.REMOVED).update(
            status=decision.previous_status
        )
        if updated:
            article.status = decision.previous_status
    elif decision.outcome == Outcome.RESTRICT:
        Restriction.objects.filter(article=article, decision=decision).delete()
    elif decision.outcome == Outcome.LABEL:
        Label.objects.filter(article=article, decision=decision).delete()
    elif decision.notice_id:
        # "No action" reversed: the notice goes back to the queue for a new decision.
        Notice.objects.filter(pk=decision.notice_id).update(
            state=NoticeState.RECEIVED, decided_at=None
        )
    # A suspension the decision started rested on it: it ends with it.
    for suspension in decision.suspensions.filter(lifted_at__isnull=True):
        lift_suspension(actor, suspension)
    audit.record(
        actor, "notice.reverse", decision, from_state=decision.outcome, to_state=article.status
    )
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)
