"""The editorial workflow: write, submit, claim, request changes, approve or decline.

Every step checks who may take it, moves the submission (and, for an article that has
never been published, the article) through its lifecycle with a conditional update,
writes the audit log and tells the people concerned. Publishing itself is
tribune.articles.actions.publish_article.
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribune.articles import actions as article_actions
from tribune.articles.actions import ConcurrentChange
from tribune.articles.models import Article, Revision, Status, Topic
from tribune.checks.actions import start_check_run
from tribune.checks.dupindex.tasks import refresh_duplicate_index
from tribune.checks.queries import blocking_reason as checks_blocking_reason
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.core.tasks import send_mail
from tribune.lib.markdown import render_markdown
from tribune.notices.actions import refuse_suspended_contributor
from tribune.submissions.models import OPEN_STATES, Guidelines, State, Submission

# Who may change what: the author edits while the article is not under review; editors
# may edit (fix typos) at any time.
AUTHOR_EDITABLE = {
    Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED, Status.PUBLISHED, Status.UNPUBLISHED,
}  # fmt: skip


def is_editor(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("articles.publish_article")


# The text that ships with Tribune (core/pages/guidelines.*.html) is version 1; the
# operator's own versions count on from 2.
SHIPPED_GUIDELINES_VERSION = 1


def current_guidelines(language: str) -> Guidelines | None:
    """The operator's newest guidelines in this language; None means the shipped text."""
    return Guidelines.objects.filter(language=language).order_by("-version").first()


def current_guidelines_version(language: str) -> int:
    found = current_guidelines(language)
    return found.version if found else SHIPPED_GUIDELINES_VERSION


def open_submission(article: Article) -> Submission | None:
    return article.submissions.filter(state__in=OPEN_STATES).first()


def can_edit(user: AbstractBaseUser, article: Article) -> bool:
    if is_editor(user):
        return True
    if article.author_id != user.pk or article.status not in AUTHOR_EDITABLE:
        return False
    return open_submission(article) is None


def _require_editor(actor: AbstractBaseUser) -> None:
    if not is_editor(actor):
        raise PermissionDenied(_("Only editors may do this."))


@transaction.atomic
def save_draft(
    actor: AbstractBaseUser,
    article: Article | None,
    *,
    title: str,
    body: str,
    summary: str = "",
    language: str = "",
    topics: Iterable[Topic] = (),
    translation_of: Article | None = None,
    sources: Iterable[str] = (),
    based_on: Revision | None = None,
) -> Article:
    """Save what someone wrote as a new revision (a new article when `article` is None).

    A stale save (another tab or an editor saved meanwhile) raises ConcurrentChange and
    stores nothing; the caller keeps the text on screen.
    """
    # DSA art. 23(1): no new content while suspended for manifestly illegal content.
    refuse_suspended_contributor(actor)
    if article is None:
        return article_actions.create_article(
            actor, author=actor, language=language, title=title, body=body, summary=summary,
            topics=topics, translation_of=translation_of, sources=sources,
        )  # fmt: skip
    if not can_edit(actor, article):
        raise PermissionDenied(_("This article cannot be changed now: it is being reviewed."))
    article_actions.revise_article(
        actor, article, title=title, body=body, summary=summary, sources=sources, based_on=based_on
    )
    # Topics of a live article change only through editors: they alter public pages at once.
    if article.status != Status.PUBLISHED or is_editor(actor):
        article_actions.update_article_details(actor, article, topics=topics)
    return article


def _set_article_status(article: Article, to: str) -> None:
    """Move an article that has never been published; a live article stays published."""
    if article.status == Status.PUBLISHED or article.status == to:
        return
    article.check_transition(to)
    updated = Article.objects.filter(pk=article.pk, status=article.status).update(status=to)
    if not updated:
        raise ConcurrentChange(_("This article was changed by someone else; reload and try again."))
    article.status = to


@transaction.atomic
def submit_article(
    actor: AbstractBaseUser, article: Article, *, accepted_guidelines: int
) -> Submission:
    """Ask the editors to publish the article's latest revision.

    The contributor must have accepted the current guidelines of the article's language.
    """
    if article.author_id != actor.pk and not is_editor(actor):
        raise PermissionDenied(_("Only the author can submit this article."))
    refuse_suspended_contributor(article.author)  # DSA art. 23(1), as in save_draft
    version = current_guidelines_version(article.language)
    if accepted_guidelines != version:
        raise ValidationError(
            {"accept_guidelines": _("Please read and accept the current submission guidelines.")}
        )
    if open_submission(article) is not None:
        raise ConcurrentChange(_("This article has been submitted already; the editors have it."))
    _set_article_status(article, Status.SUBMITTED)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                article=article,
                revision_id=article.latest_revision_id,
                submitted_by=actor,
                guidelines_language=article.language,
                guidelines_version=version,
            )
    except IntegrityError:  # a second click or tab got there first
        raise ConcurrentChange(
            _("This article has been submitted already; the editors have it.")
        ) from None
    audit.record(actor, "submission.submit", article, to_state=State.SUBMITTED, guidelines=version)
    # The guideline checks run in a task after commit; their messages are in the language
    # the contributor is using now.
    start_check_run(submission, language=translation.get_language())
    # A pending article is compared with by the near-duplicate check: index its text.
    transaction.on_commit(partial(refresh_duplicate_index.enqueue, article.pk))
    transaction.on_commit(lambda: _alert_editors(submission))
    return submission


@transaction.atomic
def claim_submission(
    actor: AbstractBaseUser, submission: Submission, *, for_editor: AbstractBaseUser | None = None
) -> Submission:
    """Take a submission for review (or give it to another editor), so that two editors do
    not review the same piece."""
    _require_editor(actor)
    editor = for_editor or actor
    if for_editor is not None and not is_editor(for_editor):
        raise ValidationError({"editor": _("That person is not an editor.")})
    wanted = Submission.objects.filter(pk=submission.pk, state__in=OPEN_STATES)
    if for_editor is None:  # claiming: only what nobody has taken yet
        wanted = wanted.filter(Q(claimed_by__isnull=True) | Q(claimed_by=actor))
    now = timezone.now()
    if not wanted.update(state=State.IN_REVIEW, claimed_by=editor, claimed_at=now):
        holder = (
            Submission.objects.filter(pk=submission.pk)
            .values_list("claimed_by__username", flat=True)
            .first()
        )
        raise ConcurrentChange(
            _("%(editor)s is reviewing this already.") % {"editor": holder or _("Someone")}
        )
    _set_article_status(submission.article, Status.IN_REVIEW)
    audit.record(
        actor, "submission.claim", submission.article, to_state=State.IN_REVIEW, editor=editor.pk
    )
    submission.refresh_from_db()
    return submission


def _decide(
    actor: AbstractBaseUser, submission: Submission, state: str, message: str, **changes: object
) -> None:
    _require_editor(actor)
    updated = Submission.objects.filter(pk=submission.pk, state__in=OPEN_STATES).update(
        state=state, decided_by=actor, decided_at=timezone.now(), message=message, **changes
    )
    if not updated:
        raise ConcurrentChange(_("This submission has been decided already."))
    submission.refresh_from_db()
    # Decided, the article stops being pending: out of the near-duplicate index, unless
    # it is published or scheduled now (the task works out which).
    transaction.on_commit(partial(refresh_duplicate_index.enqueue, submission.article_id))


@transaction.atomic
def request_changes(actor: AbstractBaseUser, submission: Submission, *, message: str) -> Submission:
    """Send the article back to its author with a message saying what to change."""
    if not message.strip():
        raise ValidationError({"message": _("Tell the author what to change.")})
    _decide(actor, submission, State.CHANGES_REQUESTED, message.strip())
    _set_article_status(submission.article, Status.CHANGES_REQUESTED)
    audit.record(
        actor, "submission.request_changes", submission.article, to_state=State.CHANGES_REQUESTED
    )
    transaction.on_commit(lambda: _tell_author(submission))
    return submission


@transaction.atomic
def reject_submission(
    actor: AbstractBaseUser, submission: Submission, *, reason: str
) -> Submission:
    """Decline the submission, with the reason the author will read."""
    if not reason.strip():
        raise ValidationError({"message": _("Give the author the reason.")})
    _decide(actor, submission, State.REJECTED, reason.strip())
    _set_article_status(submission.article, Status.REJECTED)
    audit.record(actor, "submission.reject", submission.article, to_state=State.REJECTED)
    transaction.on_commit(lambda: _tell_author(submission))
    return submission


@transaction.atomic
def approve_submission(
    actor: AbstractBaseUser,
    submission: Submission,
    *,
    publish_at: datetime.datetime | None = None,
    message: str = "",
) -> Submission:
    """Publish the article's latest text now, or schedule a new article for `publish_at`."""
    article = submission.article
    if article.author_id == actor.pk and not settings.TRIBUNE_EDITORS_MAY_APPROVE_OWN:
        raise PermissionDenied(_("Another editor must approve your own article."))
    later = publish_at is not None and publish_at > timezone.now()
    if later and article.status == Status.PUBLISHED:
        raise ValidationError({"publish_at": _("Changes to a live article are published at once.")})
    held_by_checks = checks_blocking_reason(submission)
    if held_by_checks:
        raise ValidationError(held_by_checks)
    _decide(
        actor, submission, State.APPROVED, message.strip(), publish_at=publish_at if later else None
    )
    if later:
        _set_article_status(article, Status.SCHEDULED)
        Article.objects.filter(pk=article.pk).update(scheduled_for=publish_at)
        transaction.on_commit(lambda: _enqueue_publication(article.pk, publish_at))
    else:
        article_actions.publish_article(actor, article)
    to_state = Status.SCHEDULED if later else Status.PUBLISHED
    when = publish_at.isoformat() if later else None
    audit.record(actor, "submission.approve", article, to_state=to_state, publish_at=when)
    transaction.on_commit(lambda: _tell_author(submission))
    return submission


def publish_due_articles(now: datetime.datetime | None = None) -> list[Article]:
    """Publish every scheduled article whose time has come. Safe to run in many workers
    at once: publish_article's conditional update lets exactly one of them win."""
    now = now or timezone.now()
    published = []
    for article in Article.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=now):
        try:
            published.append(article_actions.publish_article(None, article))
        except ConcurrentChange:
            continue
    return published


def _enqueue_publication(article_id: int, when: datetime.datetime) -> None:
    from django_tasks import default_task_backend

    from tribune.submissions.tasks import publish_due

    # The database queue runs the task at the set time; backends that cannot defer rely
    # on the periodic `tribune publish_due`.
    if default_task_backend.supports_defer:
        publish_due.using(run_after=when).enqueue()


def _tell_author(submission: Submission) -> None:
    author = submission.article.author
    if not author.email:
        return
    with translation.override(submission.article.language):
        url = settings.TRIBUNE_BASE_URL + reverse(
            "submissions:edit", kwargs={"uuid": submission.article.uuid}
        )
        state = submission.get_state_display()
    context = {
        "title": submission.revision.title,
        "state": str(state),
        "outcome": submission.state,
        "message": submission.message,
        "publish_at": submission.publish_at.isoformat() if submission.publish_at else "",
        "url": url,
    }
    send_mail.enqueue(
        author.email, "submissions/mail/decision", context, submission.article.language
    )


def editors() -> list[AbstractBaseUser]:
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    candidates = users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="publish_article")
        | Q(user_permissions__codename="publish_article")
    ).distinct()
    return list(candidates)


def _alert_editors(submission: Submission) -> None:
    with translation.override(submission.article.language):
        url = settings.TRIBUNE_BASE_URL + reverse(
            "submissions:review", kwargs={"uuid": submission.uuid}
        )
    for editor in editors():
        profile = getattr(editor, "profile", None)
        if (
            editor.email
            and (profile is None or profile.editor_alerts == "each")
            and editor.pk != submission.submitted_by_id
        ):
            context = {"title": submission.revision.title, "url": url}
            send_mail.enqueue(
                editor.email,
                "submissions/mail/new_submission",
                context,
                submission.article.language,
            )


@transaction.atomic
def publish_guidelines(actor: AbstractBaseUser | None, *, language: str, text: str) -> Guidelines:
    """Put a new version of the submission guidelines online in one language.

    Contributors accept the newest version when they submit; older submissions keep the
    version they accepted."""
    if not text.strip():
        raise ValidationError({"text": _("The guidelines may not be empty.")})
    version = current_guidelines_version(language) + 1
    guidelines = Guidelines.objects.create(
        language=language, version=version, text=text.strip(), text_html=render_markdown(text).html,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit.record(actor, "guidelines.publish", guidelines, version=version, language=language)
    invalidate_pages_on_commit()
    return guidelines


def send_editor_digests(since: datetime.datetime) -> int:
    """Mail each editor who chose the daily digest the open submissions that arrived since
    `since`; returns how many digests went out. Run daily (`tribune send_editor_digest`)."""
    waiting = list(
        Submission.objects.filter(state__in=OPEN_STATES, submitted_at__gte=since)
        .select_related("revision", "article")
        .order_by("submitted_at")
    )
    if not waiting:
        return 0
    sent = 0
    for editor in editors():
        profile = getattr(editor, "profile", None)
        if not editor.email or profile is None or profile.editor_alerts != "daily":
            continue
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            items = [
                {
                    "title": s.revision.title,
                    "url": settings.TRIBUNE_BASE_URL
                    + reverse("submissions:review", kwargs={"uuid": s.uuid}),
                }
                for s in waiting
            ]
        send_mail.enqueue(
            editor.email, "submissions/mail/editor_digest", {"items": items}, language
        )
        sent += 1
    return sent
