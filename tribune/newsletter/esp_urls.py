"""Mail providers' tracking webhooks (anymail's views), mounted at /newsletter/esp/.

Only providers whose webhooks anymail can secure with what settings.py reads: Mailgun
signs its posts (MAILGUN_WEBHOOK_SIGNING_KEY); the others carry the basic-auth
credentials of ANYMAIL_WEBHOOK_SECRET in the URL. An endpoint without its secret answers
404, never accepting unsigned events (anymail itself would only warn), and an address that
keeps sending badly signed posts is refused for an hour.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tribune.core.ratelimit import allow, client_ip

PROVIDERS = ("mailgun", "postmark", "brevo", "mailjet", "sparkpost")
# Providers that sign their posts, with the ANYMAIL key of their signing key: the
# signature alone secures them.
SIGNING_KEYS = {"Mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY"}
REFUSALS_PER_HOUR = 20


def is_secured(view_class: type) -> bool:
    config = getattr(settings, "ANYMAIL", {})
    key = SIGNING_KEYS.get(view_class.esp_name)
    return bool(config.get(key)) if key else bool(config.get("WEBHOOK_SECRET"))


def _blocked(ip: str) -> str:
    return f"esp-webhook-blocked:{ip}"


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    view_class = view.view_class

    @csrf_exempt  # the provider posts without a session; its signature is the authority
    @wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_secured(view_class):
            raise Http404
        ip = client_ip(request)
        if cache.get(_blocked(ip)):
            return HttpResponse(status=429)
        try:
            return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:  # answered 400 by Django
            # The REFUSALS_PER_HOUR-th refusal shuts the address out for the hour.
            if not allow("esp-webhook-refused", ip, REFUSALS_PER_HOUR - 1, 3600):
                cache.set(_blocked(ip), True, 3600)
            raise

    return guarded_view


app_name = "anymail"
urlpatterns = [
    path(str(pattern.pattern), guarded(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if pattern.name in {f"{provider}_tracking_webhook" for provider in PROVIDERS}
]
