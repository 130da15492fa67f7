import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tribune.articles.models import Article, Revision


class Guidelines(models.Model):
    """One version of the submission guidelines in one language, as the operator wrote it.

    Version 1 is the text that ships with Tribune (its template); the operator's versions
    count on from 2. Every submission records the version its contributor accepted.
    """

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text (Markdown)"))
    text_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "version"], name="guidelines_version_unique"
            )
        ]
        verbose_name = _("submission guidelines")
        verbose_name_plural = _("submission guidelines")

    def __str__(self) -> str:
        return f"{self.language} v{self.version}"


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for an editor")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (State.SUBMITTED, State.IN_REVIEW)


class Submission(models.Model):
    """One request to publish an article's text: a new article or an edit of a live one.

    An article has at most one open submission (submitted or in review) at a time.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="submissions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    guidelines_language = models.CharField(max_length=8)
    guidelines_version = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the editor tells the contributor: the changes asked for, or the reason to decline.
    message = models.TextField(blank=True)
    publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_submission_per_article",
            )
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.article} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
