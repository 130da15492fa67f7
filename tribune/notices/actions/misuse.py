"""Warnings and time-limited suspensions for misuse (DSA art. 23)."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribune.core import audit
from tribune.notices.actions.common import (
    _close_appeal,
    _mail_on_commit,
    _require_moderator,
    _store_appeal,
    _url,
)
from tribune.notices.models import (
    SUSPENSION_EFFECT,
    Appeal,
    AppealState,
    Decision,
    MisuseBasis,
    MisuseWarning,
    Suspension,
)

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
    decision: Decision | None = None,
) -> Suspension:
    """Suspend, for a limited time, whoever was warned before on the same basis (art. 23),
    and send the statement of reasons a suspension needs (art. 17(1)(c)) with the way to
    appeal it (art. 20(1)(c))."""
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
        decision=decision,
    )
    audit.record(
        actor,
        "misuse.suspend",
        suspension,
        to_state=warning.basis,
        decision=decision.pk if decision else None,
    )
    user = warning.user
    language = decision.article.language if decision else settings.LANGUAGE_CODE
    _mail_on_commit(
        user.email if user is not None else warning.email,
        "notices/mail/suspension",
        {
            "basis": suspension.get_basis_display(),
            "effect": str(SUSPENSION_EFFECT[suspension.basis]),
            "note": suspension.note,
            "starts": now.date().isoformat(),
            "ends": ends.date().isoformat(),
            "warned": warning.issued_at.date().isoformat(),
            "terms_version": suspension.terms_version,
            "appeal_deadline": suspension.appeal_deadline.date().isoformat(),
            "appeal_url": _url("notices:suspension_appeal", language, uuid=suspension.uuid),
        },
        language,
    )
    return suspension


def lift_suspension(actor: AbstractBaseUser | None, suspension: Suspension) -> bool:
    """End a suspension at once (after a successful appeal); False if already lifted."""
    updated = Suspension.objects.filter(pk=suspension.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    if updated:
        audit.record(actor, "misuse.lift", suspension, from_state=suspension.basis)
    return bool(updated)


def refuse_suspended_contributor(user: AbstractBaseUser) -> None:
    """Raise ValidationError while `user` is suspended for manifestly illegal content (DSA
    art. 23(1)). tribune.submissions calls it before saving a draft and before submitting."""
    until = suspended_until(MisuseBasis.ILLEGAL_CONTENT, user)
    if until is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Your account is suspended until %(date)s because of repeated manifestly "
                    "illegal content: until then you cannot save or submit articles. Your "
                    "desk shows our statement of reasons and how to appeal."
                )
                % {"date": until.date().isoformat()}
            }
        )


# Decision form field for each error key of warn_for_misuse and suspend_for_misuse.
_FORM_FIELDS = {"note": "misuse_note", "ends": "suspension_ends", NON_FIELD_ERRORS: "misuse_step"}


def act_on_contributor(
    actor: AbstractBaseUser | None,
    decision: Decision,
    *,
    step: str,
    ends: datetime.datetime | None = None,
    note: str = "",
) -> MisuseWarning | Suspension | None:
    """The decision form's "warn" or "suspend" step against the article's author (art.
    23(1)), run in the decision's transaction; errors name the decision form's fields."""
    if not step:
        return None
    if not (decision.is_restriction and decision.manifestly_illegal):
        raise ValidationError(
            {
                "misuse_step": _(
                    "Only a restriction of manifestly illegal content can lead to a warning or "
                    "a suspension."
                )
            }
        )
    author = decision.article.author
    try:
        if step == "warn":
            return warn_for_misuse(actor, basis=MisuseBasis.ILLEGAL_CONTENT, user=author, note=note)
        return _suspend_author(actor, decision, author, ends=ends, note=note)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({"misuse_step": error.messages}) from None
        raise ValidationError(
            {_FORM_FIELDS.get(key, "misuse_step"): value for key, value in error.error_dict.items()}
        ) from None


def _suspend_author(
    actor: AbstractBaseUser | None,
    decision: Decision,
    author: AbstractBaseUser,
    *,
    ends: datetime.datetime | None,
    note: str,
) -> Suspension:
    until = suspended_until(MisuseBasis.ILLEGAL_CONTENT, author)
    if until is not None:
        raise ValidationError(
            _("The contributor is already suspended until %(date)s.")
            % {"date": until.date().isoformat()}
        )
    warning = (
        MisuseWarning.objects.filter(
            user=author,
            basis=MisuseBasis.ILLEGAL_CONTENT,
            issued_at__lte=timezone.now() - WARNING_NOTICE,
        )
        .order_by("-issued_at")
        .first()
    )
    if warning is None:
        raise ValidationError(
            _(
                "A suspension needs a warning given at least a day before: warn the "
                "contributor now and suspend on a later decision if it happens again."
            )
        )
    if ends is None:
        raise ValidationError({"ends": _("Give the day the suspension ends.")})
    return suspend_for_misuse(actor, warning, ends=ends, note=note, decision=decision)


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
        Suspension.objects.filter(
            subject, basis=basis, starts__lte=now, ends__gt=now, lifted_at__isnull=True
        )
        .order_by("-ends")
        .values_list("ends", flat=True)
        .first()
    )


@transaction.atomic
def appeal_suspension(
    actor: AbstractBaseUser | None,
    suspension: Suspension,
    *,
    text: str,
    attachment: UploadedFile | None = None,
) -> Appeal:
    """The suspended person's complaint (DSA art. 20(1)(c)): free, within the appeal window.

    An account's suspension is appealed signed in as that account; an address's through
    the link in the suspension mail. A suspension of appeals (art. 23(2)) does not stop
    the appeal against that very suspension."""
    if suspension.user_id is not None and getattr(actor, "pk", None) != suspension.user_id:
        raise PermissionDenied(_("Only the person suspended may appeal the suspension."))
    if timezone.now() > suspension.appeal_deadline:
        raise ValidationError(_("The time to appeal this suspension has passed."))
    if suspension.lifted_at is not None:
        raise ValidationError(_("This suspension has already been lifted."))
    if not text.strip():
        raise ValidationError({"text": _("Please explain why the suspension is wrong.")})
    if suspension.appeals.filter(state=AppealState.OPEN).exists():
        raise ValidationError(_("Your appeal against this suspension is already being handled."))
    appeal = _store_appeal(
        Appeal(suspension=suspension, by_contributor=True, text=text.strip()), attachment
    )
    audit.record(
        actor if suspension.user_id else None,
        "misuse.appeal",
        appeal,
        to_state=AppealState.OPEN,
        suspension=suspension.pk,
    )
    return appeal


def decide_suspension_appeal(
    actor: AbstractBaseUser, appeal: Appeal, *, reverse_suspension: bool, reply: str
) -> Appeal:
    """Decide an appeal against a suspension (called by decide_appeal, in its transaction):
    a moderator other than the one who suspended; a reversal lifts the suspension."""
    suspension = appeal.suspension
    if suspension.issued_by_id == actor.pk:
        raise PermissionDenied(
            _("Another moderator must decide an appeal against your suspension.")
        )
    to_state = _close_appeal(actor, appeal, reverse=reverse_suspension, reply=reply)
    if reverse_suspension:
        lift_suspension(actor, suspension)
    audit.record(
        actor, "misuse.appeal_decide", appeal, from_state=AppealState.OPEN, to_state=to_state
    )
    language = (
        suspension.decision.article.language if suspension.decision_id else settings.LANGUAGE_CODE
    )
    with translation.override(language):
        title = _("Suspension until %(date)s") % {"date": suspension.ends.date().isoformat()}
    _mail_on_commit(
        suspension.user.email if suspension.user_id else suspension.email,
        "notices/mail/appeal_decision",
        {"title": title, "reversed": reverse_suspension, "reply": appeal.reply},
        language,
    )
    return appeal
