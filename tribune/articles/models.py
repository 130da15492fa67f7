from uuid import uuid4

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tribune.lib.readingtime import reading_minutes


class Topic(models.Model):
    """A subject such as Business or Technology; its name is translated per language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(
        _("name"), max_length=80, help_text=_("Used where no translation exists.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        """The name in the active language; queries annotate it as `label_` in one go."""
        annotated = getattr(self, "label_", None)
        if annotated:
            return annotated
        language = translation.get_language()
        for name in self.names.all():
            if name.language == language:
                return name.name
        return self.name


class TopicName(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language"], name="topic_name_once_per_language"
            )
        ]
        verbose_name = _("topic name")
        verbose_name_plural = _("topic names")

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    REMOVED = "removed", _("Removed")
    REJECTED = "rejected", _("Declined")


# The article lifecycle (DESIGN.md section 3). Editors may publish straight from any
# pre-publication state; the submissions workflow narrows who may take which step.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.PUBLISHED, Status.SCHEDULED}),
    Status.SUBMITTED: frozenset(
        {
            Status.IN_REVIEW,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.PUBLISHED,
            Status.REJECTED,
        }
    ),
    Status.IN_REVIEW: frozenset(
        {
            Status.SUBMITTED,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.SCHEDULED,
            Status.PUBLISHED,
            Status.REJECTED,
        }
    ),
    Status.CHANGES_REQUESTED: frozenset({Status.SUBMITTED, Status.DRAFT}),
    Status.APPROVED: frozenset({Status.SCHEDULED, Status.PUBLISHED}),
    Status.SCHEDULED: frozenset({Status.PUBLISHED, Status.APPROVED, Status.DRAFT}),
    Status.REJECTED: frozenset({Status.SUBMITTED, Status.DRAFT}),
    Status.PUBLISHED: frozenset({Status.UNPUBLISHED, Status.REMOVED}),
    Status.UNPUBLISHED: frozenset({Status.PUBLISHED, Status.DRAFT, Status.REMOVED}),
    Status.REMOVED: frozenset({Status.PUBLISHED, Status.UNPUBLISHED}),
}


class TransitionNotAllowed(Exception):
    pass


class Article(models.Model):
    """One article in one language. Its words live in Revisions; it points at the live one.

    Translations of the same piece share `translation_group` (one article per language).
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    translation_group = models.UUIDField(_("translation group"), default=uuid4, db_index=True)
    topics = models.ManyToManyField(
        Topic, related_name="articles", blank=True, verbose_name=_("topics")
    )
    live_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latest_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    revised_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="article_slug_unique_per_language"
            ),
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="one_translation_per_language"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "language", "-published_at"], name="article_listing")
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish and unpublish articles"))]

    def __str__(self) -> str:
        revision = self.latest_revision
        return revision.title if revision else self.slug

    def get_absolute_url(self) -> str:
        with translation.override(self.language):
            return reverse("articles:article", kwargs={"slug": self.slug})

    def check_transition(self, to: str) -> None:
        if to not in TRANSITIONS[self.status]:
            raise TransitionNotAllowed(
                f"An article cannot go from {self.get_status_display()} to {Status(to).label}."
            )

    @property
    def reading_minutes(self) -> int:
        revision = self.live_revision or self.latest_revision
        return reading_minutes(revision.word_count if revision else 0, self.language)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.live_revision_id is not None


class Revision(models.Model):
    """What an article said at one moment. Never edited: every change is a new revision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("headline"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("body (Markdown)"))
    # Links the contributor gives as sources, besides those in the text.
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # Rendered once per revision, sanitized with the allow-list in tribune.lib.markdown.
    body_html = models.TextField(editable=False)
    headings = models.JSONField(default=list, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.title} (#{self.number})"
