"""State changes of check runs: start one for a submission, carry it out, override it.

Who calls these: tribune.submissions.actions.submit_article (start), the task
run_submission_checks (carry out), the review page (override).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribune.articles.models import Revision
from tribune.checks.base import Draft
from tribune.checks.models import CheckFinding, CheckRun, RunState
from tribune.checks.runner import run_checks
from tribune.core import audit
from tribune.submissions.models import Submission

# A run left "running" this long was abandoned by a worker that died; it may be taken again.
STALE_AFTER = datetime.timedelta(minutes=15)


def _is_editor(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("articles.publish_article")


@transaction.atomic
def start_check_run(submission: Submission, *, language: str | None = None) -> CheckRun:
    """Create a pending run for the submitted revision and run it in a task after commit,
    so that submitting stays instant. `language` is the contributor's (the findings'
    messages are written in it); by default the active one."""
    from tribune.checks.tasks import run_submission_checks

    run = CheckRun.objects.create(
        submission=submission,
        revision_id=submission.revision_id,
        language=language or translation.get_language() or submission.article.language,
    )
    transaction.on_commit(lambda: run_submission_checks.enqueue(run.pk))
    return run


def draft_from_revision(revision: Revision) -> Draft:
    """The revision as the checks read it, with its article's language and group so that
    checks can leave the article and its translations out of comparisons."""
    article = revision.article
    return Draft(
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        sources=tuple(revision.sources or ()),
        language=article.language,
        article_id=article.pk,
        translation_group=str(article.translation_group),
    )


def _claim(run_id: int) -> bool:
    """Take the run for this worker: pending, or running but abandoned. Two workers given
    the same run (a retry, a duplicate enqueue) cannot both win this conditional update."""
    now = timezone.now()
    takeable = Q(state=RunState.PENDING) | Q(
        state=RunState.RUNNING, started_at__lt=now - STALE_AFTER
    )
    return bool(
        CheckRun.objects.filter(takeable, pk=run_id).update(state=RunState.RUNNING, started_at=now)
    )


def perform_check_run(run_id: int) -> CheckRun | None:
    """Run the checks of a pending run and store its findings. Idempotent: a run that is
    done, or being done by another worker, is left alone (returns None)."""
    if not _claim(run_id):
        return None
    run = CheckRun.objects.select_related("revision__article").get(pk=run_id)
    # The checks run outside a transaction: they can take a while and read the database.
    findings = run_checks(draft_from_revision(run.revision), language=run.language)
    with transaction.atomic():
        # Whatever an abandoned attempt left behind goes; the new findings replace it.
        CheckFinding.objects.filter(run=run).delete()
        CheckFinding.objects.bulk_create(
            CheckFinding(
                run=run,
                check_name=finding.check,
                severity=str(finding.severity),
                message=str(finding.message),
                passages=[passage.as_json() for passage in finding.passages],
                data=finding.as_json()["data"],
                position=position,
            )
            for position, finding in enumerate(findings)
        )
        CheckRun.objects.filter(pk=run.pk).update(state=RunState.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run


@transaction.atomic
def override_blocking_findings(
    actor: AbstractBaseUser, submission: Submission, *, reason: str
) -> CheckRun:
    """Let an editor approve despite the latest run's blocking findings (or a run that has
    not finished), with a reason kept on the run and in the audit log."""
    if not _is_editor(actor):
        raise PermissionDenied(_("Only editors may do this."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the findings may be overridden.")})
    run = CheckRun.objects.filter(submission=submission).order_by("-created_at", "-pk").first()
    if run is None:
        raise ValidationError(
            _("This submission has not been checked; there is nothing to override.")
        )
    now = timezone.now()
    CheckRun.objects.filter(pk=run.pk).update(
        overridden_by=actor, overridden_at=now, override_reason=reason
    )
    run.refresh_from_db()
    audit.record(
        actor,
        "checks.override",
        submission.article,
        run=str(run.uuid),
        state=run.state,
        blocking=run.findings.filter(severity="blocking").count(),
        reason=reason,
    )
    return run
