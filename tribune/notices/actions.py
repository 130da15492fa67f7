"""Every change to notices, decisions and appeals goes through these functions.

Each runs in one transaction, writes the audit log (without personal data: names and
addresses stay on the notice) and sends its mails after commit.
"""

import datetime
from collections.abc import Iterable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribune.articles.actions import _follow_up_on_commit
from tribune.articles.models import Article, Status
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.core.tasks import send_mail
from tribune.notices.attachments import check_attachment
from tribune.notices.businessdays import add_business_days
from tribune.notices.models import (
    Appeal,
    AppealState,
    Category,
    CounterNotice,
    CounterState,
    Decision,
    Ground,
    MisuseBasis,
    MisuseWarning,
    Notice,
    NoticeItem,
    NoticeState,
    Outcome,
    Restriction,
    Suspension,
)


class AlreadyDecided(Exception):
    """Someone else decided first."""


def may_decide(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("notices.decide_notice"))


def _require_moderator(actor: AbstractBaseUser | None) -> None:
    if not may_decide(actor):
        raise PermissionDenied(_("Only moderators may decide notices and appeals."))


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.TRIBUNE_BASE_URL + reverse(name, kwargs=kwargs)


def _mail_on_commit(to: str, name: str, context: dict, language: str) -> None:
    if to:
        transaction.on_commit(lambda: send_mail.enqueue(to, name, context, language))


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
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)


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
) -> Decision:
    """Decide on one article, with its statement of reasons (DSA art. 17) created in the same
    transaction as the restriction; mail the contributor and the notifier after commit."""
    _require_moderator(actor)
    article = Article.objects.select_related("author", "live_revision").get(pk=article.pk)
    if outcome != Outcome.NO_ACTION:
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
    appeal = Appeal(decision=decision, by_contributor=by_contributor, text=text.strip())
    appeal.full_clean(exclude=["decided_by"])
    if attachment:
        extension = check_attachment(attachment)
        # A name of our own: the sender's file name never reaches the disk.
        appeal.attachment.save(f"{uuid4().hex}.{extension}", attachment, save=False)
    appeal.save()
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
    restores what the decision changed (status, visibility)."""
    _require_moderator(actor)
    decision = appeal.decision
    if decision.moderator_id == actor.pk:
        raise PermissionDenied(_("Another moderator must decide an appeal against your decision."))
    if not reply.strip():
        raise ValidationError({"reply": _("Please give your reasons.")})
    to_state = AppealState.REVERSED if reverse_decision else AppealState.UPHELD
    now = timezone.now()
    updated = Appeal.objects.filter(pk=appeal.pk, state=AppealState.OPEN).update(
        state=to_state, decided_at=now, decided_by=actor, reply=reply.strip()
    )
    if not updated:
        raise AlreadyDecided(_("This appeal has already been decided."))
    appeal.refresh_from_db()
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
    elif decision.notice_id:
        # "No action" reversed: the notice goes back to the queue for a new decision.
        Notice.objects.filter(pk=decision.notice_id).update(
            state=NoticeState.RECEIVED, decided_at=None
        )
    audit.record(
        actor, "notice.reverse", decision, from_state=decision.outcome, to_state=article.status
    )
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)


MAX_SUSPENSION = datetime.timedelta(days=365)
WARNING_NOTICE = datetime.timedelta(days=1)


def _subject(user: AbstractBaseUser | None, email: str) -> dict[str, Any]:
    if (user is None) == (not email):
        raise ValidationError(_("Name either an account or an e-mail address."))
    return {"user": user} if user is not None else {"email": email.strip().lower()}


@transaction.atomic
def warn_for_misuse(
    actor: AbstractBaseUser | None,
    *,
    basis: str,
    note: str,
    user: AbstractBaseUser | None = None,
    email: str = "",
) -> MisuseWarning:
    """Warn a contributor or notifier (DSA art. 23): the step every suspension needs first."""
    _require_moderator(actor)
    if basis not in MisuseBasis.values:
        raise ValidationError({"basis": _("Unknown kind of misuse.")})
    if not note.strip():
        raise ValidationError({"note": _("Please write down your assessment.")})
    warning = MisuseWarning.objects.create(
        basis=basis, note=note.strip(), issued_by=actor, **_subject(user, email)
    )
    audit.record(actor, "misuse.warn", warning, to_state=basis)
    _mail_on_commit(
        user.email if user is not None else warning.email,
        "notices/mail/warning",
        {"basis": warning.get_basis_display(), "note": warning.note},
        settings.LANGUAGE_CODE,
    )
    return warning


@transaction.atomic
def suspend_for_misuse(
    actor: AbstractBaseUser | None,
    warning: MisuseWarning,
    *,
    ends: datetime.datetime,
    note: str,
) -> Suspension:
    """Suspend, for a limited time, whoever was warned before on the same basis (art. 23)."""
    _require_moderator(actor)
    now = timezone.now()
    if warning.issued_at > now - WARNING_NOTICE:
        # The warning must give the person time to change before a suspension follows.
        raise ValidationError(_("A suspension needs a warning given at least a day before."))
    if ends <= now or ends - now > MAX_SUSPENSION:
        raise ValidationError(
            {"ends": _("A suspension ends in the future and lasts at most a year.")}
        )
    if not note.strip():
        raise ValidationError({"note": _("Please write down your assessment.")})
    suspension = Suspension.objects.create(
        basis=warning.basis,
        warning=warning,
        user=warning.user,
        email=warning.email,
        note=note.strip(),
        starts=now,
        ends=ends,
        issued_by=actor,
    )
    audit.record(actor, "misuse.suspend", suspension, to_state=warning.basis)
    user = warning.user
    _mail_on_commit(
        user.email if user is not None else warning.email,
        "notices/mail/suspension",
        {
            "basis": suspension.get_basis_display(),
            "note": suspension.note,
            "ends": ends.date().isoformat(),
        },
        settings.LANGUAGE_CODE,
    )
    return suspension


def suspended_until(
    basis: str, user: AbstractBaseUser | None = None, email: str = ""
) -> datetime.datetime | None:
    """When the current suspension of this account or address on `basis` ends, if any.

    Submissions may call it with ILLEGAL_CONTENT before accepting a contributor's article."""
    subject = models.Q(pk__in=[])
    if user is not None and getattr(user, "is_authenticated", False):
        subject |= models.Q(user=user)
    if email:
        subject |= models.Q(email=email.strip().lower())
    now = timezone.now()
    return (
        Suspension.objects.filter(subject, basis=basis, starts__lte=now, ends__gt=now)
        .order_by("-ends")
        .values_list("ends", flat=True)
        .first()
    )


def may_counter(decision: Decision) -> bool:
    """A DMCA counter-notice answers a copyright removal still in force."""
    return (
        settings.TRIBUNE_DMCA
        and decision.outcome == Outcome.REMOVE
        and decision.reversed_at is None
        and decision.notice is not None
        and decision.notice.category == Category.INTELLECTUAL_PROPERTY
    )


@transaction.atomic
def submit_counter_notice(
    actor: AbstractBaseUser | None,
    decision: Decision,
    *,
    name: str,
    address: str,
    telephone: str,
    signature: str,
    statements: bool,
) -> CounterNotice:
    """Take a counter-notice (512(g)(3)), forward it to the notifier (512(g)(2)(B)) and set
    the restore date 10 US business days ahead (512(g)(2)(C))."""
    if actor is None or actor.pk != decision.article.author_id:
        raise PermissionDenied(_("Only the article's author may send a counter-notice."))
    if not may_counter(decision):
        raise ValidationError(_("This decision can not be answered with a counter-notice."))
    if CounterNotice.objects.filter(decision=decision).exists():
        raise ValidationError(_("You have already sent a counter-notice for this decision."))
    if not statements:
        raise ValidationError({"statements": _("The counter-notice needs these statements.")})
    today = timezone.now().date()
    counter = CounterNotice(
        decision=decision,
        name=name,
        address=address,
        telephone=telephone,
        signature=signature,
        statements=True,
        restore_on=add_business_days(today, 10),
        restore_by=add_business_days(today, 14),
    )
    counter.full_clean()
    counter.save()
    audit.record(actor, "dmca.counter_notice", counter, to_state=CounterState.WAITING)
    notice = decision.notice
    revision = decision.article.live_revision or decision.article.latest_revision
    _mail_on_commit(
        notice.notifier_email,
        "notices/mail/counter_notice",
        {
            "reference": notice.reference,
            "title": revision.title,
            "name": counter.name,
            "address": counter.address,
            "telephone": counter.telephone,
            "signature": counter.signature,
            "restore_on": counter.restore_on.isoformat(),
        },
        notice.language,
    )
    return counter


@transaction.atomic
def record_court_action(actor: AbstractBaseUser | None, counter: CounterNotice) -> CounterNotice:
    """The notifier has told us of a court action: the article stays removed (512(g)(2)(C))."""
    _require_moderator(actor)
    updated = CounterNotice.objects.filter(pk=counter.pk, state=CounterState.WAITING).update(
        state=CounterState.COURT_ACTION, closed_at=timezone.now()
    )
    if not updated:
        raise AlreadyDecided(_("This counter-notice is already closed."))
    counter.refresh_from_db()
    audit.record(actor, "dmca.court_action", counter, from_state="waiting", to_state="court_action")
    return counter


@transaction.atomic
def restore_after_counter_notice(counter_id: int) -> bool:
    """Restore the article once the restore date has come (idempotent; False if not due)."""
    today = timezone.now().date()
    updated = CounterNotice.objects.filter(
        pk=counter_id, state=CounterState.WAITING, restore_on__lte=today
    ).update(state=CounterState.RESTORED, closed_at=timezone.now())
    if not updated:
        return False
    counter = CounterNotice.objects.select_related("decision__article").get(pk=counter_id)
    _reverse(None, counter.decision)
    audit.record(None, "dmca.restore", counter, from_state="waiting", to_state="restored")
    return True
