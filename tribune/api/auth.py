"""Who is calling: a personal access token in `Authorization: Bearer <token>`.

The API never looks at the session cookie. A browser that is signed in to the site gets no
extra rights here, so no page of another site can make it write through the API, and the
API needs no CSRF token (the header is something a cross-site form cannot send).
"""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tribune.api.errors import Problem
from tribune.api.models import Token, hash_token

# last_used_at is written at most this often per token: a busy tool does not turn every
# request into a database write.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=5)
_MISSING = object()


def bearer_secret(request: HttpRequest) -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def token_of(request: HttpRequest) -> Token | None:
    """The active token the request carries, looked up once per request.

    Raises Problem(401) for a token that is unknown, revoked or expired: a tool should hear
    that its token stopped working rather than be treated as anonymous."""
    cached = getattr(request, "_api_token", _MISSING)
    if cached is not _MISSING:
        return cached
    secret = bearer_secret(request)
    token = None
    if secret:
        token = (
            Token.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
            if len(secret) < 200
            else None
        )
        problem = _refusal(token)
        if problem is not None:
            request._api_token = None
            raise problem
        _touch(token)
    request._api_token = token
    return token


def _refusal(token: Token | None) -> Problem | None:
    if token is None:
        detail, code = _("This API token is not valid."), "token_invalid"
    elif token.revoked_at is not None:
        detail, code = _("This API token has been revoked."), "token_revoked"
    elif token.expires_at is not None and token.expires_at <= timezone.now():
        detail, code = _("This API token has expired."), "token_expired"
    elif not token.user.is_active:
        detail, code = _("The account of this API token is closed."), "token_invalid"
    else:
        return None
    return Problem(
        401, detail, code=code, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
    )


def _touch(token: Token) -> None:
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_GRANULARITY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    """Requires a token with `scope`; the token's owner is then the actor of every action."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Token | None:
        found = token_of(request)
        if found is None:
            return None
        if not found.has_scope(self.scope):
            raise Problem(
                403,
                _("This token lacks the permission “%(scope)s”.") % {"scope": self.scope},
                code="scope_missing",
            )
        return found
