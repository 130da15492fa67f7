"""State changes for users and their public profiles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from tribune.accounts.models import Profile
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit


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
