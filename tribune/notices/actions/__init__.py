"""Every change to notices, decisions, appeals, misuse measures and counter-notices goes
through these functions.

Each runs in one transaction, writes the audit log (without personal data: names and
addresses stay on the notice) and sends its mails after commit. The modules split the
work by concept; other apps import from here.
"""

from tribune.notices.actions.authorities import (
    DisputeClosed,
    NotConfigured,
    close_dispute,
    record_dispute,
    report_crime,
)
from tribune.notices.actions.common import AlreadyDecided, may_decide
from tribune.notices.actions.decisions import (
    appeal_decision,
    decide,
    decide_appeal,
    submit_notice,
)
from tribune.notices.actions.dmca import (
    may_counter,
    record_court_action,
    restore_after_counter_notice,
    submit_counter_notice,
)
from tribune.notices.actions.misuse import (
    act_on_contributor,
    appeal_suspension,
    lift_suspension,
    refuse_suspended_contributor,
    suspend_for_misuse,
    suspended_until,
    warn_for_misuse,
)
from tribune.notices.actions.records import record_recipient_count, record_submitted_statements

__all__ = [
    "AlreadyDecided",
    "DisputeClosed",
    "NotConfigured",
    "act_on_contributor",
    "appeal_decision",
    "appeal_suspension",
    "close_dispute",
    "decide",
    "decide_appeal",
    "lift_suspension",
    "may_counter",
    "may_decide",
    "record_court_action",
    "record_dispute",
    "record_recipient_count",
    "record_submitted_statements",
    "refuse_suspended_contributor",
    "report_crime",
    "restore_after_counter_notice",
    "submit_counter_notice",
    "submit_notice",
    "suspend_for_misuse",
    "suspended_until",
    "warn_for_misuse",
]
