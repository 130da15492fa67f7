"""Reads of check runs for the editorial pages, the contributor's desk and the API.

Who depends on this: tribune.submissions (queue, review page, desk, approval gate) and the
public API (findings_for_article). Each function runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tribune.articles.models import Article
from tribune.checks.models import CheckFinding, CheckRun, RunState
from tribune.submissions.models import Submission


def _newest_first(runs: QuerySet[CheckRun]) -> QuerySet[CheckRun]:
    return runs.order_by("-created_at", "-pk")


def _with_findings(runs: QuerySet[CheckRun]) -> QuerySet[CheckRun]:
    return runs.select_related("overridden_by", "revision").prefetch_related(
        Prefetch("findings", queryset=CheckFinding.objects.most_serious_first())
    )


def latest_run(submission: Submission) -> CheckRun | None:
    """The submission's newest run with its findings, most serious first (2 queries)."""
    return _with_findings(_newest_first(CheckRun.objects.filter(submission=submission))).first()


_LOAD = object()


def blocking_reason(submission: Submission, run: object = _LOAD) -> str | None:
    """Why the checks stop this submission's approval now, or None when they do not.

    No run at all (a submission from before the checks existed) does not block. A run
    that has not finished blocks, so that nothing unchecked is published by a quick
    click; an editor's override lifts that too, so a stuck worker never locks editors out.
    """
    if run is _LOAD:  # pages that show the run pass it in, with its findings prefetched
        run = _newest_first(CheckRun.objects.filter(submission=submission)).first()
    if run is None or run.is_overridden:
        return None
    if run.state != RunState.DONE:
        return _(
            "The guideline checks are still running; wait a moment and reload, or override "
            "them with a reason."
        )
    if any(finding.severity == "blocking" for finding in run.findings.all()):
        return _(
            "The guideline checks found a blocking problem. Ask the author to fix it, or "
            "override the finding with a reason."
        )
    return None


def with_check_counts(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """Annotate each submission with its newest run: `check_state` (None when never
    checked), `check_overridden` (a datetime or None), and `check_blocking` /
    `check_warnings` counts. Subqueries, so the list stays one query."""
    newest = _newest_first(CheckRun.objects.filter(submission=OuterRef("pk")))

    def count(severity: str) -> Coalesce:
        found = (
            CheckFinding.objects.filter(run_id=OuterRef("check_run_id"), severity=severity)
            .order_by()
            .values("run_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(found, output_field=IntegerField()), Value(0))

    return submissions.annotate(
        check_run_id=Subquery(newest.values("pk")[:1]),
        check_state=Subquery(newest.values("state")[:1]),
        check_overridden=Subquery(newest.values("overridden_at")[:1]),
    ).annotate(check_blocking=count("blocking"), check_warnings=count("warning"))


def latest_runs_by_article(articles: Iterable[Article]) -> dict[int, CheckRun]:
    """For each article, the newest run of its newest submission, with findings (2 queries
    however many articles: for the contributor's desk)."""
    ids = [article.pk for article in articles]
    if not ids:
        return {}
    newest_submission = (
        Submission.objects.filter(article_id=OuterRef("submission__article_id"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    runs = _with_findings(
        CheckRun.objects.filter(
            submission__article_id__in=ids, submission_id=Subquery(newest_submission)
        )
        .select_related("submission")
        .order_by("-created_at", "-pk")
    )
    found: dict[int, CheckRun] = {}
    for run in runs:
        found.setdefault(run.submission.article_id, run)
    return found


def _run_json(run: CheckRun) -> dict[str, Any]:
    return {
        "uuid": str(run.uuid),
        "state": run.state,
        "language": run.language,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "overridden": run.is_overridden,
        "override_reason": run.override_reason or None,
    }


def check_run_for_article(article: Article) -> dict[str, Any] | None:
    """The newest run of the article's newest submission as JSON: the run's fields and
    `findings`; None when the article was never checked."""
    run = latest_runs_by_article([article]).get(article.pk)
    if run is None:
        return None
    return {**_run_json(run), "findings": [f.as_json() for f in run.findings.all()]}


def findings_for_article(article: Article) -> list[dict[str, Any]]:
    """The findings of the newest run of the article's newest submission, most serious
    first, as JSON-able dicts: check, severity, message, passages, data, and `run` (uuid,
    state, ...). Empty while the run is pending or when nothing was found; see
    check_run_for_article to tell those apart."""
    run = latest_runs_by_article([article]).get(article.pk)
    if run is None:
        return []
    summary = _run_json(run)
    return [{**finding.as_json(), "run": summary} for finding in run.findings.all()]
