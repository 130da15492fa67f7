from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tribune.core.ratelimit import allow, client_ip, limit_posts
from tribune.newsletter import actions
from tribune.newsletter.forms import CONSENT_TEXT, PreferencesForm, SubscribeForm
from tribune.newsletter.models import Frequency, Subscriber, normalize_email
from tribune.newsletter.queries import export_data, subscriber_by_token


def _agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def _initial(request: HttpRequest) -> dict:
    """The sign-up box on cached pages is a GET form: its answers arrive in the query string."""
    frequency = request.GET.get("frequency", "")
    return {
        "email": request.GET.get("email", "")[:254],
        "topics": request.GET.getlist("topics")[:50],
        "language": get_language(),
        "frequency": frequency if frequency in Frequency.values else Frequency.WEEKLY,
    }


@limit_posts("newsletter", per_ip=10, window=3600)
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = SubscribeForm(initial=_initial(request))
        return render(request, "newsletter/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    data = form.cleaned_data
    email = normalize_email(data["email"])
    # Past the per-address limit the page looks the same but nothing is sent: it must not
    # tell anybody whether the address is on the list, nor flood its inbox.
    if not form.is_bot and allow("newsletter-address", email, 3, 3600):
        actions.request_subscription(
            email=email,
            topics=data["topics"],
            frequency=data["frequency"],
            language=data["language"],
            form=request.build_absolute_uri(request.path),
            consent_text=str(CONSENT_TEXT),
            ip=client_ip(request),
            user_agent=_agent(request),
        )
    return render(request, "newsletter/subscribe_done.html", {"email": email})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """GET shows a button; only the POST confirms (mail scanners follow links)."""
    subscriber = actions.subscriber_for_confirmation(key)
    if subscriber is None:
        return render(request, "newsletter/confirm_invalid.html", status=400)
    if request.method == "POST" and actions.confirm_subscription(
        subscriber, ip=client_ip(request), user_agent=_agent(request)
    ):
        return render(request, "newsletter/confirm_done.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html")


def _subscriber(token: str) -> Subscriber:
    subscriber = subscriber_by_token(token)
    if subscriber is None:
        raise Http404
    return subscriber


# RFC 8058: the one-click POST comes from the mail provider with no cookies and no CSRF token;
# the opaque token in the address is the authorisation. The answer is a 200, never a redirect.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if request.method != "POST":
        return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    actions.unsubscribe(
        subscriber,
        method="rfc8058_post" if one_click else "link_page",
        ip=client_ip(request),
        user_agent=_agent(request),
    )
    return render(request, "newsletter/unsubscribe_done.html", {"subscriber": subscriber})


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    initial = {
        "topics": list(subscriber.topics.values_list("slug", flat=True)),
        "frequency": subscriber.frequency,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST":
        if not form.is_valid():
            context = {"subscriber": subscriber, "form": form}
            return render(request, "newsletter/manage.html", context, status=400)
        actions.update_preferences(
            subscriber,
            topics=form.cleaned_data["topics"],
            frequency=form.cleaned_data["frequency"],
            ip=client_ip(request),
        )
        saved = True
    context = {"subscriber": subscriber, "form": form, "saved": saved}
    return render(request, "newsletter/manage.html", context)


def export_json(request: HttpRequest, token: str) -> JsonResponse:
    data = export_data(_subscriber(token))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    return response


def export_page(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    data = export_data(subscriber)
    return render(request, "newsletter/export.html", {"subscriber": subscriber, "data": data})


@require_http_methods(["GET", "HEAD", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if request.method == "POST":
        actions.erase_subscriber(subscriber)
        return render(request, "newsletter/erase_done.html")
    return render(request, "newsletter/erase.html", {"subscriber": subscriber})
