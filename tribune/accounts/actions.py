"""State changes for users and their public profiles."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from tribune.accounts import roles
from tribune.accounts.models import Profile
from tribune.accounts.tokens import verification_tokens
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.core.tasks import send_mail


def _free_slug(base: str) -> str:
    base = slugify(base) or "author"
    slug, n = base, 1
    while Profile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_author(
    actor: AbstractBaseUser | None,
    *,
    username: str,
    display_name: str,
    bios: dict[str, str] | None = None,
    email: str = "",
) -> Profile:
    """Create a user who cannot log in yet (no password) with a public author profile."""
    user = get_user_model().objects.create_user(username=username, email=email)
    profile = Profile.objects.create(
        user=user, display_name=display_name, slug=_free_slug(username), bios=bios or {}
    )
    audit.record(actor, "author.create", profile, username=username)
    return profile


@transaction.atomic
def update_profile(actor: AbstractBaseUser | None, profile: Profile, **changes: object) -> Profile:
    """Change an author's public details; every page that shows the byline is refreshed."""
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    audit.record(actor, "author.update", profile, fields=sorted(changes))
    invalidate_pages_on_commit()
    return profile


def profile_for(user: AbstractBaseUser) -> Profile:
    """The user's profile, created on first need with their name as the display name."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        name = user.get_full_name() or user.get_username()
        profile = Profile.objects.create(
            user=user, display_name=name, slug=_free_slug(user.get_username())
        )
    return profile


@transaction.atomic
def sign_up(*, email: str, display_name: str, password: str, language: str) -> AbstractBaseUser:
    """Create an inactive contributor account and send the verification mail.

    The account can sign in once the address is verified (`verify_email`).
    """
    users = get_user_model().objects
    username = _free_username(email)
    user = users.create_user(username=username, email=email, password=password, is_active=False)
    user.groups.add(Group.objects.get(name=roles.CONTRIBUTORS))
    profile = Profile.objects.create(
        user=user, display_name=display_name, slug=_free_slug(display_name)
    )
    audit.record(None, "account.sign_up", profile, language=language)
    transaction.on_commit(lambda: send_verification(user, language))
    return user


def send_verification(user: AbstractBaseUser, language: str) -> None:
    """Enqueue the mail with the link that verifies the address."""
    with translation.override(language):
        path = reverse(
            "accounts:verify",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": verification_tokens.make_token(user),
            },
        )
    context = {"name": user.profile.display_name, "url": settings.TRIBUNE_BASE_URL + path}
    send_mail.enqueue(user.email, "accounts/mail/verify", context, language)


@transaction.atomic
def verify_email(user: AbstractBaseUser, token: str) -> bool:
    """Activate the account if the token is valid; False for a used, wrong or expired token."""
    if user.is_active or not verification_tokens.check_token(user, token):
        return False
    updated = get_user_model().objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    if updated:
        audit.record(user, "account.verify_email", user.profile)
    return bool(updated)


def _free_username(email: str) -> str:
    base = slugify(email.partition("@")[0])[:100] or "member"
    name, n = base, 1
    while get_user_model().objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def send_already_registered(user: AbstractBaseUser, language: str) -> None:
    """Tell an address that tried to sign up again that it has an account already."""
    with translation.override(language):
        path = reverse("accounts:password_reset")
    context = {"url": settings.TRIBUNE_BASE_URL + path}
    send_mail.enqueue(user.email, "accounts/mail/already_registered", context, language)
