from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tribune.submissions import actions
from tribune.submissions.models import Guidelines, Submission


class GuidelinesForm(forms.ModelForm):
    class Meta:
        model = Guidelines
        fields = ["language", "text"]


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    """Each save is a new version; old versions stay as contributors accepted them."""

    form = GuidelinesForm
    list_display = ["language", "version", "created_at", "created_by"]
    list_filter = ["language"]

    def get_readonly_fields(self, request: HttpRequest, obj: Guidelines | None = None) -> list[str]:
        return ["language", "text", "version", "created_at", "created_by"] if obj else []

    def save_form(self, request: HttpRequest, form: GuidelinesForm, change: bool) -> Guidelines:
        data = form.cleaned_data
        return actions.publish_guidelines(
            request.user, language=data["language"], text=data["text"]
        )

    def save_model(
        self, request: HttpRequest, obj: Guidelines, form: GuidelinesForm, change: bool
    ) -> None:
        """Stored by save_form through actions.publish_guidelines."""

    def has_change_permission(self, request: HttpRequest, obj: Guidelines | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Guidelines | None = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: decisions are taken in the editorial queue, where they are checked."""

    list_display = ["article", "state", "submitted_by", "submitted_at", "claimed_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["article__latest_revision", "submitted_by", "claimed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False
