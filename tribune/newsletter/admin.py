from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from tribune.articles.models import Article
from tribune.newsletter import actions, sending, stats
from tribune.newsletter.models import (
    BounceEvent,
    ConsentRecord,
    Delivery,
    Edition,
    Subscriber,
    Suppression,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    fields = ["at", "event", "method", "form", "consent_version", "language", "topics"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(_ReadOnly):
    """Read-only: subscribers change their settings themselves, through their mailed link."""

    list_display = ["email", "state", "language", "frequency", "requested_at", "confirmed_at"]
    list_filter = ["state", "language", "frequency"]
    search_fields = ["email"]
    inlines = [ConsentInline]

    def get_urls(self) -> list:
        stats = self.admin_site.admin_view(self.stats_view)
        return [path("stats/", stats, name="newsletter_subscriber_stats"), *super().get_urls()]

    def stats_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Newsletter over the last 30 days"),
            "chart": stats.chart(),
        }
        return TemplateResponse(request, "admin/newsletter/stats.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        counts = Subscriber.objects.values_list("state").annotate(n=Count("pk")).order_by()
        labels = dict(Subscriber._meta.get_field("state").choices)
        subtitle = ", ".join(f"{labels[state]}: {n}" for state, n in sorted(counts))
        extra = {**(extra_context or {}), "subtitle": subtitle, "stats_url": "stats/"}
        return super().changelist_view(request, extra)


@admin.register(Suppression)
class SuppressionAdmin(_ReadOnly):
    list_display = ["address_hash", "reason", "created_at"]
    list_filter = ["reason"]


class EditionForm(forms.ModelForm):
    # Not a model field of the form: scheduling is a state change (actions.schedule_edition).
    send_at = forms.SplitDateTimeField(
        label=_("Send at"),
        required=False,
        widget=AdminSplitDateTime,
    )

    class Meta:
        model = Edition
        fields = ["subject", "language", "intro", "articles"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["send_at"].help_text = _(
            "Leave empty to keep a draft; clear it to unschedule. Time zone: %(zone)s."
        ) % {"zone": timezone.get_current_timezone_name()}
        if self.instance.state == Edition.EditionState.SCHEDULED:
            self.initial.setdefault("send_at", self.instance.send_at)

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        unchanged = (
            self.instance.state == Edition.EditionState.SCHEDULED
            and send_at == self.instance.send_at
        )
        if send_at is not None and not unchanged:
            actions.check_send_time(send_at)
        return send_at

    def clean_articles(self) -> QuerySet[Article]:
        articles = self.cleaned_data["articles"]
        hidden = [str(article) for article in articles if not article.is_public]
        if hidden:
            raise forms.ValidationError(
                _("Only published articles can go into an edition: %(titles)s")
                % {"titles": ", ".join(hidden)}
            )
        return articles


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    form = EditionForm
    list_display = ["__str__", "kind", "language", "state", "send_at", "progress", "created_at"]
    list_filter = ["kind", "state", "language"]
    fields = ["subject", "language", "intro", "articles", "send_at", "preview_link"]
    readonly_fields = ["preview_link"]
    autocomplete_fields = ["articles"]
    actions = ["send_now", "send_test", "unschedule"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Edition]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                total_=Count("deliveries"),
                sent_=Count("deliveries", filter=Q(deliveries__state=Delivery.DeliveryState.SENT)),
                failed_=Count(
                    "deliveries", filter=Q(deliveries__state=Delivery.DeliveryState.FAILED)
                ),
            )
        )

    @admin.display(description=_("sent / total (failed)"))
    def progress(self, edition: Edition) -> str:
        return f"{edition.sent_} / {edition.total_} ({edition.failed_})"

    @admin.display(description=_("preview"))
    def preview_link(self, edition: Edition) -> str:
        if not edition.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', f"preview/{edition.pk}/", _("Open the preview"))

    def get_urls(self) -> list:
        preview = self.admin_site.admin_view(xframe_options_sameorigin(self.preview_view))
        return [
            path("preview/<int:pk>/", preview, name="newsletter_edition_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_view_permission(request, edition):
            return HttpResponse(status=403)
        response = HttpResponse(sending.preview_html(edition))
        # Mail HTML uses inline styles; the preview page is allowed them and nothing else.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src http: https:"
        )
        return response

    def has_change_permission(self, request: HttpRequest, obj: Edition | None = None) -> bool:
        # Until it starts going out, an edition can be corrected, rescheduled, unscheduled.
        if obj is not None and obj.state not in (
            Edition.EditionState.DRAFT,
            Edition.EditionState.SCHEDULED,
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Edition | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Edition, form, change: bool) -> None:
        self._articles = form.cleaned_data["articles"]
        actions.save_edition(request.user, obj, self._articles)
        send_at = form.cleaned_data.get("send_at")
        if send_at is None:
            if actions.unschedule_edition(request.user, obj):
                self.message_user(request, _("The edition is no longer scheduled."))
        elif send_at != obj.send_at or obj.state != Edition.EditionState.SCHEDULED:
            try:
                actions.schedule_edition(request.user, obj, send_at)
            except ValidationError as error:  # it started, or the time passed, meanwhile
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, self._scheduled_message(obj))

    @staticmethod
    def _scheduled_message(edition: Edition) -> str:
        when = timezone.localtime(edition.send_at)
        return _("The edition will be sent at %(time)s.") % {
            "time": f"{when:%Y-%m-%d %H:%M} {when.tzname()}"
        }

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Articles are set by the action in save_model."""

    @admin.action(description=_("Send the selected editions now"))
    def send_now(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        queued = sum(actions.start_sending(request.user, edition) for edition in queryset)
        self.message_user(request, _("%(n)d editions queued for sending.") % {"n": queued})

    @admin.action(description=_("Unschedule the selected editions (back to drafts)"))
    def unschedule(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        done = sum(actions.unschedule_edition(request.user, edition) for edition in queryset)
        self.message_user(
            request,
            _("%(n)d editions unscheduled; editions already being sent cannot be stopped.")
            % {"n": done},
        )

    @admin.action(description=_("Send a test of the selected editions to yourself"))
    def send_test(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        if not request.user.email:
            self.message_user(request, _("Your account has no e-mail address."), messages.ERROR)
            return
        for edition in queryset:
            sending.send_test(edition, request.user.email)
        self.message_user(request, _("Test sent to %(email)s.") % {"email": request.user.email})


@admin.register(BounceEvent)
class BounceEventAdmin(_ReadOnly):
    list_display = ["received_at", "subscriber", "kind", "status", "diagnostic"]
    list_filter = ["kind"]
    list_select_related = ["subscriber"]
