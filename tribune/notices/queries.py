"""Reads for the moderators' pages, each in a fixed number of queries."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tribune.articles.models import Status
from tribune.notices.models import (
    SUSPENSION_EFFECT,
    Appeal,
    AppealState,
    CounterNotice,
    CounterState,
    CrimeReport,
    Decision,
    Dispute,
    DisputeOutcome,
    MisuseWarning,
    Notice,
    NoticeItem,
    NoticeState,
    Outcome,
    Suspension,
)


def open_notices() -> QuerySet[Notice]:
    """The queue: trusted flaggers first, then oldest first."""
    return (
        Notice.objects.filter(state=NoticeState.RECEIVED)
        .order_by("-from_trusted_flagger", "received_at", "id")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=NoticeItem.objects.select_related("article__latest_revision").only(
                    "notice_id", "url", "article__slug", "article__latest_revision__title"
                ),
            )
        )
    )


def notice_for_moderator(uuid: str) -> Notice | None:
    """A notice with its articles; each item gets `earlier_` (other notices on the same
    article), `history_` (decisions on any article of the same contributor) and
    `crime_reports_` (reports to law enforcement, DSA art. 18). Five queries whatever the
    history."""
    notice = (
        Notice.objects.filter(uuid=uuid)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=NoticeItem.objects.select_related(
                    "article__latest_revision", "article__author__profile"
                ).defer("article__latest_revision__body", "article__latest_revision__body_html"),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("moderator").order_by("decided_at"),
            ),
            Prefetch(
                "crime_reports",
                queryset=CrimeReport.objects.select_related("sent_by").order_by("sent_at", "id"),
            ),
        )
        .first()
    )
    if notice is None:
        return None
    items = list(notice.items.all())
    earlier: dict[int, list[Notice]] = {}
    for row in (
        NoticeItem.objects.filter(article__in=[item.article_id for item in items])
        .exclude(notice=notice)
        .select_related("notice")
        .order_by("notice__received_at")
    ):
        earlier.setdefault(row.article_id, []).append(row.notice)
    history: dict[int, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(article__author__in=[item.article.author_id for item in items])
        .select_related("article__latest_revision")
        .defer("article__latest_revision__body", "article__latest_revision__body_html")
        .order_by("decided_at")
    ):
        history.setdefault(decision.article.author_id, []).append(decision)
    decided = {d.article_id: d for d in notice.decisions.all() if d.reversed_at is None}
    for item in items:
        item.earlier_ = earlier.get(item.article_id, [])
        item.history_ = [
            d for d in history.get(item.article.author_id, []) if d.notice_id != notice.pk
        ]
        item.decision_ = decided.get(item.article_id)
        item.crime_reports_ = [
            r for r in notice.crime_reports.all() if r.article_id == item.article_id
        ]
    year_ago = timezone.now() - datetime.timedelta(days=365)
    for item in items:
        # DSA art. 23 counter for the contributor, from the history already loaded.
        item.manifestly_illegal_ = sum(
            d.manifestly_illegal and d.reversed_at is None and d.decided_at >= year_ago
            for d in history.get(item.article.author_id, [])
        )
    notice.items_ = items
    notice.unfounded_ = _unfounded_notices(notice, year_ago)
    return notice


def _unfounded_notices(notice: Notice, since: datetime.datetime) -> int | None:
    """How many of this notifier's notices of the last year were manifestly unfounded (DSA
    art. 23 counter); None for an anonymous notifier."""
    subject = Q(pk__in=[])
    if notice.notifier_id:
        subject |= Q(notice__notifier_id=notice.notifier_id)
    if notice.notifier_email:
        subject |= Q(notice__notifier_email=notice.notifier_email)
    if not (notice.notifier_id or notice.notifier_email):
        return None
    return (
        Decision.objects.filter(
            subject,
            notice_manifestly_unfounded=True,
            reversed_at__isnull=True,
            decided_at__gte=since,
        )
        .values("notice")
        .distinct()
        .count()
    )


def open_appeals() -> QuerySet[Appeal]:
    """Appeals against decisions and against suspensions, oldest first (one query)."""
    return (
        Appeal.objects.filter(state=AppealState.OPEN)
        .select_related(
            "decision__article__latest_revision", "decision__moderator", "suspension__user"
        )
        .defer(
            "decision__article__latest_revision__body",
            "decision__article__latest_revision__body_html",
        )
        .order_by("received_at", "id")
    )


def statements_for(user: AbstractBaseUser) -> list[Decision]:
    """Restricting decisions on the user's articles, newest first, in one query."""
    if not user.is_authenticated:
        return []
    return list(
        Decision.objects.filter(article__author=user)
        .exclude(outcome=Outcome.NO_ACTION)
        .select_related("article__latest_revision", "notice")
        .defer("article__latest_revision__body", "article__latest_revision__body_html")
        .order_by("-decided_at", "-id")
    )


def misuse_overview() -> dict[str, list]:
    """The misuse page: latest warnings and suspensions, waiting counter-notices (3 queries)."""
    return {
        "warnings": list(MisuseWarning.objects.select_related("user").order_by("-issued_at")[:50]),
        "suspensions": list(Suspension.objects.select_related("user").order_by("-starts")[:50]),
        "counters": list(
            CounterNotice.objects.filter(state=CounterState.WAITING)
            .select_related("decision__article__latest_revision")
            .defer(
                "decision__article__latest_revision__body",
                "decision__article__latest_revision__body_html",
            )
            .order_by("restore_on")
        ),
    }


def suspensions_for(user: AbstractBaseUser) -> list[Suspension]:
    """The account's suspensions, newest first, each with `open_appeal_` (two queries)."""
    if not user.is_authenticated:
        return []
    suspensions = list(
        Suspension.objects.filter(user=user)
        .prefetch_related(
            Prefetch(
                "appeals",
                queryset=Appeal.objects.filter(state=AppealState.OPEN),
                to_attr="open_appeals_",
            )
        )
        .order_by("-starts", "-id")
    )
    now = timezone.now()
    for suspension in suspensions:
        suspension.effect_ = SUSPENSION_EFFECT[suspension.basis]
        suspension.in_force_ = suspension.lifted_at is None and suspension.ends > now
        suspension.appealable_ = (
            suspension.lifted_at is None
            and now <= suspension.appeal_deadline
            and not suspension.open_appeals_
        )
    return suspensions


def public_statement(uuid: str) -> Decision | None:
    """A label decision in force on a published article, for its public statement of
    reasons (one query); once the article is gone, so is the page."""
    return (
        Decision.objects.filter(
            uuid=uuid,
            outcome=Outcome.LABEL,
            reversed_at__isnull=True,
            article__status=Status.PUBLISHED,
        )
        .select_related("article__live_revision", "notice")
        .defer("article__live_revision__body", "article__live_revision__body_html")
        .first()
    )


def decision_with_disputes(uuid: str) -> Decision | None:
    """A decision with its article, notice and out-of-court disputes (two queries)."""
    return (
        Decision.objects.filter(uuid=uuid)
        .select_related("article__latest_revision", "notice")
        .defer("article__latest_revision__body", "article__latest_revision__body_html")
        .prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.order_by("referred_on", "id"))
        )
        .first()
    )


def all_disputes() -> list[Dispute]:
    """Every out-of-court dispute, open ones first, then the latest referred (one query)."""
    disputes = list(
        Dispute.objects.select_related("decision__article__latest_revision")
        .defer(
            "decision__article__latest_revision__body",
            "decision__article__latest_revision__body_html",
        )
        .order_by("-referred_on", "-id")
    )
    return sorted(disputes, key=lambda dispute: dispute.outcome != DisputeOutcome.OPEN)
