"""Creating and revoking personal access tokens (the desk's token page calls these)."""

import datetime
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribune.api.models import Scope, Token, hash_token
from tribune.core import audit

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
TOKEN_PREFIX = "trb_"  # noqa: S105 - a public marker, not a secret
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_token(
    actor: AbstractBaseUser,
    *,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[Token, str]:
    """Make a token for `actor` and return it with its secret, which is never stored: the
    caller shows it once. Scopes limit what the token may do, whatever its owner may."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to create a token."))
    errors: dict[str, str] = {}
    name = name.strip()
    scopes = sorted(set(scopes))
    if not name:
        errors["name"] = _("Give the token a name, for example the tool that will use it.")
    if not scopes:
        errors["scopes"] = _("Choose at least one permission.")
    elif unknown := [scope for scope in scopes if scope not in Scope.values]:
        errors["scopes"] = _("Unknown permission: %(scopes)s.") % {"scopes": ", ".join(unknown)}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry date must lie in the future.")
    active = Token.objects.filter(user=actor, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("You have %(n)d tokens; revoke one you no longer use first.") % {
            "n": active
        }
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = Token.objects.create(
        user=actor,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        key_hash=hash_token(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    audit.record(actor, "api_token.create", token, scopes=scopes, name=name)
    return token, secret


@transaction.atomic
def revoke_token(actor: AbstractBaseUser, token: Token) -> Token:
    """Stop the token from working at once; revoking twice does nothing more."""
    if token.user_id != actor.pk:
        raise PermissionDenied(_("This is not your token."))
    now = timezone.now()
    if Token.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        audit.record(actor, "api_token.revoke", token)
    else:
        token.refresh_from_db()
    return token
