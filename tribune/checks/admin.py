from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from tribune.checks.forms import CheckConfigForm
from tribune.checks.models import CheckConfig, CheckFinding, CheckRun
from tribune.core import audit


@admin.register(CheckConfig)
class CheckConfigAdmin(admin.ModelAdmin):
    form = CheckConfigForm
    list_display = ["check_name", "enabled", "options", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: CheckConfig, form: object, change: bool
    ) -> None:
        # Switching a check off changes what every later submission is checked for: logged.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                request.user, "checks.configure", obj, enabled=obj.enabled, options=obj.options
            )


class ReadOnly(admin.ModelAdmin):
    """Runs and findings are written by the checks alone; the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class FindingInline(admin.TabularInline):
    model = CheckFinding
    fields = ["check_name", "severity", "message", "passages", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnly):
    list_display = ["submission", "state", "language", "created_at", "finished_at", "overridden_at"]
    list_filter = ["state"]
    list_select_related = ["submission__article"]
    inlines = [FindingInline]


@admin.register(CheckFinding)
class CheckFindingAdmin(ReadOnly):
    list_display = ["check_name", "severity", "message", "run"]
    list_filter = ["check_name", "severity"]
    list_select_related = ["run"]
