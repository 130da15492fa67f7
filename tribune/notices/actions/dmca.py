"""The US process: DMCA counter-notices and the 512(g) restore timer."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribune.core import audit
from tribune.notices.actions.common import AlreadyDecided, _mail_on_commit, _require_moderator
from tribune.notices.actions.decisions import _reverse
from tribune.notices.businessdays import add_business_days
from tribune.notices.models import (
    Category,
    CounterNotice,
    CounterState,
    Decision,
    Outcome,
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
