from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
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
    class Meta:
        model = Edition
        fields = ["subject", "language", "intro", "articles"]

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
    list_display = ["__str__", "kind", "language", "state", "progress", "created_at"]
    list_filter = ["kind", "state", "language"]
    fields = ["subject", "language", "intro", "articles", "preview_link"]
    readonly_fields = ["preview_link"]
    autocomplete_fields = ["articles"]
    actions = ["send_now", "send_test"]

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
        if obj is not None and obj.state != Edition.EditionState.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Edition | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Edition, form, change: bool) -> None:
        self._articles = form.cleaned_data["articles"]
        actions.save_edition(request.user, obj, self._articles)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Articles are set by the action in save_model."""

    @admin.action(description=_("Send the selected editions now"))
    def send_now(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        queued = sum(actions.start_sending(request.user, edition) for edition in queryset)
        self.message_user(request, _("%(n)d editions queued for sending.") % {"n": queued})

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
