from django.contrib import admin
from django.http import HttpRequest

from tribune.core.models import AuditEntry, ChoreRun


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username"]
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(ChoreRun)
class ChoreRunAdmin(admin.ModelAdmin):
    """Read-only: what `tribune run_chores` did, where and whether it failed."""

    list_display = ["chore", "slot", "host", "started_at", "finished_at", "failed"]
    list_filter = ["chore", "failed"]
    readonly_fields = ["chore", "slot", "host", "started_at", "finished_at", "failed", "output"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ChoreRun | None = None) -> bool:
        return False
