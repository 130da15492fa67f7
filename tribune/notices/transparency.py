"""The DSA art. 15/24 figures for a period, and statements of reasons as a DSA Transparency
Database batch (API v2 field names; https://transparency.dsa.ec.europa.eu/page/api-documentation-two).

Both are computed from the stored notices, decisions and appeals, so any period can be
reported again later with the same result."""

import datetime
import json
import statistics
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from tribune.notices.models import (
    DISPUTE_DECIDED,
    TDB_CATEGORY,
    Appeal,
    AppealState,
    Category,
    Decision,
    Dispute,
    DisputeOutcome,
    Ground,
    MisuseBasis,
    Notice,
    NoticeState,
    Outcome,
    RecipientCount,
    Suspension,
    TrustedFlagger,
)

TDB_VISIBILITY = {
    Outcome.REMOVE: "DECISION_VISIBILITY_CONTENT_REMOVED",
    Outcome.RESTRICT: "DECISION_VISIBILITY_CONTENT_DEMOTED",
    # DECISION_VISIBILITY_CONTENT_LABELLED appears only in third-party copies of the v2
    # schema; "other" with a description is valid in v1 and v2 alike.
    Outcome.LABEL: "DECISION_VISIBILITY_OTHER",
}
TDB_VISIBILITY_OTHER = {
    Outcome.LABEL: "Labelled as disputed content with a link to the statement of reasons",
}
TDB_GROUND = {
    Ground.ILLEGAL: "DECISION_GROUND_ILLEGAL_CONTENT",
    Ground.TERMS: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
}


def _hours(pairs: list[tuple[datetime.datetime, datetime.datetime]]) -> float | None:
    spans = [(end - start).total_seconds() / 3600 for start, end in pairs if end and start]
    return round(statistics.median(spans), 2) if spans else None


def figures(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """The report for [start, end): nine queries whatever the number of events."""
    suspensions = Counter(
        Suspension.objects.filter(starts__gte=start, starts__lt=end).values_list("basis", flat=True)
    )
    notices = list(
        Notice.objects.filter(received_at__gte=start, received_at__lt=end).values(
            "category", "from_trusted_flagger", "received_at"
        )
    )
    decisions = list(
        Decision.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .select_related("notice")
        .only("outcome", "ground", "automated_decision", "decided_at", "notice__received_at")
    )
    appeals = list(
        Appeal.objects.filter(received_at__gte=start, received_at__lt=end).values(
            "state", "received_at", "decided_at", "by_contributor", "suspension_id"
        )
    )
    by_category = Counter(row["category"] for row in notices)
    on_notice = [d for d in decisions if d.notice_id]
    actions = [d for d in decisions if d.is_restriction]
    return {
        # The end is excluded: a report for 1 to 31 January ends at 1 February 00:00.
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "notices": {
            "total": len(notices),
            "by_category": {value: by_category.get(value, 0) for value in Category.values},
            "from_trusted_flaggers": sum(row["from_trusted_flagger"] for row in notices),
        },
        "decisions": {
            "total": len(decisions),
            "on_notices": len(on_notice),
            "own_initiative": len(decisions) - len(on_notice),
            "no_action": sum(d.outcome == Outcome.NO_ACTION for d in decisions),
            "actions_on_legal_grounds": sum(d.ground == Ground.ILLEGAL for d in actions),
            "actions_on_terms": sum(d.ground == Ground.TERMS for d in actions),
            "by_outcome": {
                value: sum(d.outcome == value for d in decisions) for value in Outcome.values
            },
            "automated": sum(d.automated_decision for d in decisions),
            "human": sum(not d.automated_decision for d in decisions),
            "median_hours_notice_to_decision": _hours(
                [(d.notice.received_at, d.decided_at) for d in on_notice]
            ),
        },
        "appeals": {
            "total": len(appeals),
            "by_contributors": sum(row["by_contributor"] for row in appeals),
            "by_notifiers": sum(not row["by_contributor"] for row in appeals),
            "against_suspensions": sum(row["suspension_id"] is not None for row in appeals),
            "upheld": sum(row["state"] == AppealState.UPHELD for row in appeals),
            "reversed": sum(row["state"] == AppealState.REVERSED for row in appeals),
            "open": sum(row["state"] == AppealState.OPEN for row in appeals),
            "median_hours_to_decision": _hours(
                [(row["received_at"], row["decided_at"]) for row in appeals]
            ),
        },
        "weekly": _weekly(
            [row["received_at"] for row in notices], [d.decided_at for d in decisions]
        ),
        # DSA art. 24(1)(b): suspensions split by the three kinds of misuse.
        "suspensions": {value: suspensions.get(value, 0) for value in MisuseBasis.values},
        "recipients": _recipients(end),
        # DSA art. 24(1)(a): out-of-court disputes referred in the period.
        "disputes": disputes(start, end),
        # DSA art. 22(6): how often each trusted flagger's notices led to action.
        "trusted_flaggers": trusted_flaggers(start, end),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def disputes(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """Disputes referred to a dispute settlement body in [start, end) (one query): their
    outcomes, the median days from referral to closing of those closed, and the share of
    decided or settled ones whose outcome we implemented."""
    rows = list(
        Dispute.objects.filter(referred_on__gte=start.date(), referred_on__lt=end.date()).values(
            "outcome", "referred_on", "closed_on", "complied"
        )
    )
    outcomes = Counter(row["outcome"] for row in rows)
    days = [(row["closed_on"] - row["referred_on"]).days for row in rows if row["closed_on"]]
    decided = [row for row in rows if row["outcome"] in DISPUTE_DECIDED]
    implemented = sum(bool(row["complied"]) for row in decided)
    return {
        "submitted": len(rows),
        "by_outcome": {value: outcomes.get(value, 0) for value in DisputeOutcome.values},
        "median_days_to_complete": statistics.median(days) if days else None,
        "with_outcome_to_implement": len(decided),
        "implemented": implemented,
        "implemented_share": _share(implemented, len(decided)),
    }


def trusted_flaggers(start: datetime.datetime, end: datetime.datetime) -> list[dict[str, Any]]:
    """For each trusted flagger, its notices received in [start, end) and what became of
    them (three queries). A notice led to action when a decision on it restricts and stands;
    it ended in no action when it is decided and nothing restricting stands (a restriction
    reversed on appeal counts as no action). Evidence for DSA art. 22(6)."""
    flaggers = list(TrustedFlagger.objects.order_by("name", "id").values("user_id", "name"))
    notices = (
        Notice.objects.filter(
            from_trusted_flagger=True, received_at__gte=start, received_at__lt=end
        )
        .only("notifier", "state")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.only(
                    "notice_id", "outcome", "reversed_at", "notice_manifestly_unfounded"
                ),
            )
        )
    )
    by_user: dict[int, list[Notice]] = {}
    for notice in notices:
        by_user.setdefault(notice.notifier_id, []).append(notice)
    out = []
    for flagger in flaggers:
        sent = by_user.get(flagger["user_id"], [])
        acted = no_action = unfounded = 0
        for notice in sent:
            standing = [d for d in notice.decisions.all() if d.reversed_at is None]
            if any(d.is_restriction for d in standing):
                acted += 1
            elif notice.state == NoticeState.DECIDED:
                no_action += 1
                unfounded += any(d.notice_manifestly_unfounded for d in standing)
        out.append(
            {
                "name": flagger["name"],
                "notices": len(sent),
                "led_to_action": acted,
                "no_action": no_action,
                "manifestly_unfounded": unfounded,
                "undecided": len(sent) - acted - no_action,
                "action_share": _share(acted, acted + no_action),
            }
        )
    return out


def _recipients(end: datetime.datetime) -> dict[str, Any]:
    """DSA art. 24(2): average monthly active recipients over the six months counted last
    before the end of the period (tribune count_recipients stores them)."""
    months = list(RecipientCount.objects.filter(month__lt=end.date()).order_by("-month")[:6])[::-1]
    return {
        "average_monthly": round(statistics.mean(m.recipients for m in months)) if months else None,
        "months": [{"month": f"{m.month:%Y-%m}", "recipients": m.recipients} for m in months],
    }


def _weekly(
    received: list[datetime.datetime], decided: list[datetime.datetime]
) -> list[dict[str, Any]]:
    """Notices and decisions per ISO week, for the chart; weeks without events included."""

    def week(moment: datetime.datetime) -> datetime.date:
        day = moment.date()
        return day - datetime.timedelta(days=day.weekday())

    notices, decisions = Counter(map(week, received)), Counter(map(week, decided))
    weeks = sorted(set(notices) | set(decisions))
    if not weeks:
        return []
    out, monday = [], weeks[0]
    while monday <= weeks[-1]:
        out.append(
            {
                "week": monday.isoformat(),
                "notices": notices.get(monday, 0),
                "decisions": decisions.get(monday, 0),
            }
        )
        monday += datetime.timedelta(days=7)
    return out


def rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The report flattened to (section, figure, value) rows, for CSV."""
    out = []

    def walk(prefix: list[str], value: Any) -> None:
        if isinstance(value, list):
            for entry in value:
                # Weekly and monthly series and trusted flaggers: the first key names the row.
                period = next(key for key in ("week", "month", "name") if key in entry)
                walk([*prefix, entry[period]], {k: v for k, v in entry.items() if k != period})
        elif isinstance(value, dict):
            for key, inner in value.items():
                walk([*prefix, key], inner)
        else:
            out.append((prefix[0], ".".join(prefix[1:]), "" if value is None else str(value)))

    walk([], report)
    return out


def statement(decision: Decision) -> dict[str, Any]:
    """One statement of reasons in the Transparency Database's fields, without personal
    data: no names, addresses or account ids (DSA art. 24(5))."""
    category, keywords = TDB_CATEGORY[
        decision.notice.category if decision.notice_id else Category.GUIDELINES
    ]
    if decision.notice_id:
        source = (
            "SOURCE_TRUSTED_FLAGGER"
            if decision.notice.from_trusted_flagger
            else "SOURCE_ARTICLE_16"
        )
    else:
        source = "SOURCE_VOLUNTARY"
    article = decision.article
    data: dict[str, Any] = {
        "decision_visibility": [TDB_VISIBILITY[decision.outcome]],
        "decision_ground": TDB_GROUND[decision.ground],
        "category": category,
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_language": article.language.upper()[:2],
        "content_date": (article.published_at or article.created_at).date().isoformat(),
        "application_date": decision.decided_at.date().isoformat(),
        "decision_facts": decision.facts,
        "source_type": source,
        "automated_detection": "Yes" if decision.automated_detection else "No",
        "automated_decision": (
            "AUTOMATED_DECISION_FULLY"
            if decision.automated_decision
            else "AUTOMATED_DECISION_NOT_AUTOMATED"
        ),
        "puid": str(decision.uuid),
    }
    if decision.outcome in TDB_VISIBILITY_OTHER:
        data["decision_visibility_other"] = TDB_VISIBILITY_OTHER[decision.outcome]
    if keywords:
        data["category_specification"] = keywords
    if decision.territorial_scope:
        data["territorial_scope"] = decision.territorial_scope
    if decision.ground_reference_url:
        data["decision_ground_reference_url"] = decision.ground_reference_url
    if decision.ground == Ground.ILLEGAL:
        data["illegal_content_legal_ground"] = decision.ground_detail[:500]
        data["illegal_content_explanation"] = decision.explanation[:2000]
    else:
        data["incompatible_content_ground"] = decision.ground_detail[:500]
        data["incompatible_content_explanation"] = decision.explanation[:2000]
    return data


# Facts for a suspension's statement: fixed texts, since the moderator's assessment may
# name people and nothing personal may reach the database (DSA art. 24(5)).
SUSPENSION_FACTS = {
    MisuseBasis.ILLEGAL_CONTENT: (
        "After a prior warning, the account was suspended for a limited time from submitting "
        "articles for frequently providing manifestly illegal content (DSA Art. 23(1))."
    ),
    MisuseBasis.UNFOUNDED_NOTICES: (
        "After a prior warning, the processing of notices from this notifier was suspended "
        "for a limited time for frequently sending manifestly unfounded notices (DSA Art. 23(2))."
    ),
    MisuseBasis.UNFOUNDED_COMPLAINTS: (
        "After a prior warning, the processing of complaints from this complainant was "
        "suspended for a limited time for frequently sending manifestly unfounded complaints "
        "(DSA Art. 23(2))."
    ),
}


def suspension_statement(suspension: Suspension) -> dict[str, Any]:
    """A suspension's statement of reasons (DSA art. 17(1)(c)) in the database's fields."""
    day = suspension.starts.date().isoformat()
    ends = suspension.ends.date().isoformat()
    data: dict[str, Any] = {
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "Terms of service: misuse policy (DSA Art. 23)",
        "incompatible_content_explanation": SUSPENSION_FACTS[suspension.basis],
        "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "content_date": day,
        "application_date": day,
        "decision_facts": SUSPENSION_FACTS[suspension.basis],
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": str(suspension.uuid),
    }
    if suspension.basis == MisuseBasis.ILLEGAL_CONTENT:
        data["decision_account"] = "DECISION_ACCOUNT_SUSPENDED"
        data["end_date_account_restriction"] = ends
        data["content_type"] = ["CONTENT_TYPE_TEXT"]
    else:
        data["decision_provision"] = "DECISION_PROVISION_PARTIAL_SUSPENSION"
        data["end_date_service_restriction"] = ends
        data["content_type"] = ["CONTENT_TYPE_OTHER"]
        data["content_type_other"] = "Notices and complaints sent to the platform"
    return data


def statements(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """Every restricting decision and suspension of the period as one batch body
    ({"statements": [...]}); two queries."""
    decisions = (
        Decision.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .exclude(outcome=Outcome.NO_ACTION)
        .select_related("notice", "article")
        .order_by("decided_at", "id")
    )
    suspensions = Suspension.objects.filter(starts__gte=start, starts__lt=end).order_by(
        "starts", "id"
    )
    return {
        "statements": [statement(decision) for decision in decisions]
        + [suspension_statement(suspension) for suspension in suspensions]
    }


# The database's field names in the order of its API documentation: the CSV columns.
TDB_COLUMNS = (
    "puid", "decision_visibility", "decision_visibility_other",
    "end_date_visibility_restriction", "decision_monetary", "decision_monetary_other",
    "end_date_monetary_restriction", "decision_provision", "end_date_service_restriction",
    "decision_account", "end_date_account_restriction", "account_type", "decision_ground",
    "decision_ground_reference_url", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "category",
    "category_addition", "category_specification", "category_specification_other",
    "content_type", "content_type_other", "content_language", "content_date",
    "territorial_scope", "application_date", "decision_facts", "source_type",
    "source_identity", "automated_detection", "automated_decision",
)  # fmt: skip


def statement_rows(batch: dict[str, Any]) -> list[list[str]]:
    """The batch as CSV rows under TDB_COLUMNS; lists as JSON arrays, absent fields empty."""
    return [
        [
            json.dumps(entry[name]) if isinstance(entry.get(name), list) else entry.get(name, "")
            for name in TDB_COLUMNS
        ]
        for entry in batch["statements"]
    ]


def hidden() -> bool:
    """Micro and small enterprises need not publish the report (DSA art. 15(2), 19)."""
    return settings.TRIBUNE_SMALL_ENTERPRISE
