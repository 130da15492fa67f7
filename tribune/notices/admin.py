from django.contrib import admin
from django.http import HttpRequest

from tribune.notices.models import (
    Appeal,
    CounterNotice,
    CrimeReport,
    Decision,
    Dispute,
    Label,
    MisuseWarning,
    Notice,
    RecipientCount,
    SubmittedStatement,
    Suspension,
    TrustedFlagger,
)


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(admin.ModelAdmin):
    """The operator's list of trusted flaggers (DSA art. 22): their notices come first."""

    list_display = ["name", "user", "dsc_country", "expertise", "verified_at"]
    search_fields = ["name", "user__username", "user__email"]
    raw_id_fields = ["user"]


class ReadOnly(admin.ModelAdmin):
    """Notices, decisions and appeals change only through tribune.notices.actions (the
    moderators' pages); the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["reference", "category", "state", "from_trusted_flagger", "received_at"]
    list_filter = ["state", "category", "from_trusted_flagger"]
    search_fields = ["reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ["article", "outcome", "ground", "moderator", "decided_at", "reversed_at"]
    list_filter = ["outcome", "ground"]
    list_select_related = ["article__latest_revision", "moderator"]


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ["decision", "by_contributor", "state", "received_at", "decided_at"]
    list_filter = ["state", "by_contributor"]


@admin.register(MisuseWarning)
class MisuseWarningAdmin(ReadOnly):
    list_display = ["basis", "user", "email", "issued_by", "issued_at"]
    list_filter = ["basis"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnly):
    list_display = ["basis", "user", "email", "starts", "ends", "lifted_at"]
    list_filter = ["basis"]


@admin.register(Label)
class LabelAdmin(ReadOnly):
    list_display = ["article", "decision"]


@admin.register(RecipientCount)
class RecipientCountAdmin(ReadOnly):
    """Filled by `tribune count_recipients` (DSA art. 24(2))."""

    list_display = ["month", "recipients", "counted_at"]


@admin.register(SubmittedStatement)
class SubmittedStatementAdmin(ReadOnly):
    """Filled by `tribune submit_statements` (DSA art. 24(5))."""

    list_display = ["puid", "submitted_at"]
    search_fields = ["puid"]


@admin.register(CounterNotice)
class CounterNoticeAdmin(ReadOnly):
    list_display = ["decision", "state", "received_at", "restore_on", "restore_by"]
    list_filter = ["state"]


@admin.register(CrimeReport)
class CrimeReportAdmin(ReadOnly):
    """Reports to law enforcement (DSA art. 18), sent from a notice's page."""

    list_display = ["article", "notice", "sent_to", "sent_by", "sent_at"]
    list_select_related = ["article__latest_revision", "notice", "sent_by"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnly):
    """Out-of-court disputes (DSA art. 21), recorded from a decision's page."""

    list_display = ["body", "decision", "referred_on", "outcome", "closed_on", "complied"]
    list_filter = ["outcome", "complied"]
