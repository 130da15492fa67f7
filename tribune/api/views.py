"""The token page in the contributor's desk: list, create (the secret shown once), revoke."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribune.api import actions
from tribune.api.forms import TokenForm
from tribune.api.models import Token


def _expiry(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    # The end of the chosen day in the site's time zone: "expires on" includes that day.
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form for a new one; a new token's secret is shown once."""
    secret = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _token, secret = actions.create_token(
                    request.user,
                    name=data["name"],
                    scopes=data["scopes"],
                    expires_at=_expiry(data["expires_on"]),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    tokens = Token.objects.filter(user=request.user)
    response = render(
        request, "api/token_list.html", {"form": form, "tokens": tokens, "secret": secret}
    )
    # The page may carry a secret: no cache, no back-button copy.
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    token = get_object_or_404(Token, uuid=uuid, user=request.user)
    actions.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
