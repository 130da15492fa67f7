"""Shared by the notices actions: permission checks, links and mails after commit."""

from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribune.core.tasks import send_mail
from tribune.notices.attachments import check_attachment
from tribune.notices.models import Appeal, AppealState


class AlreadyDecided(Exception):
    """Someone else decided first."""


def may_decide(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("notices.decide_notice"))


def _require_moderator(actor: AbstractBaseUser | None) -> None:
    if not may_decide(actor):
        raise PermissionDenied(_("Only moderators may decide notices and appeals."))


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.TRIBUNE_BASE_URL + reverse(name, kwargs=kwargs)


def _mail_on_commit(to: str, name: str, context: dict, language: str) -> None:
    if to:
        transaction.on_commit(lambda: send_mail.enqueue(to, name, context, language))


def _store_appeal(appeal: Appeal, attachment: UploadedFile | None) -> Appeal:
    """Validate and store a new appeal with its attachment (in the caller's transaction)."""
    appeal.full_clean(exclude=["decided_by"])
    if attachment:
        extension = check_attachment(attachment)
        # A name of our own: the sender's file name never reaches the disk.
        appeal.attachment.save(f"{uuid4().hex}.{extension}", attachment, save=False)
    appeal.save()
    return appeal


def _close_appeal(actor: AbstractBaseUser, appeal: Appeal, *, reverse: bool, reply: str) -> str:
    """Move an open appeal to its outcome with a conditional update; the new state."""
    if not reply.strip():
        raise ValidationError({"reply": _("Please give your reasons.")})
    to_state = AppealState.REVERSED if reverse else AppealState.UPHELD
    updated = Appeal.objects.filter(pk=appeal.pk, state=AppealState.OPEN).update(
        state=to_state, decided_at=timezone.now(), decided_by=actor, reply=reply.strip()
    )
    if not updated:
        raise AlreadyDecided(_("This appeal has already been decided."))
    appeal.refresh_from_db()
    return to_state
