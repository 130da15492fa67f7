"""Check runs and their findings, and the operator's per-check settings from the admin.

A run belongs to one submission and checks the revision that was submitted. Resubmitting
starts a new run; the submission's newest run is the one that counts for approval.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from tribune.checks.base import Severity

__all__ = ["SEVERITY_RANK", "CheckConfig", "CheckFinding", "CheckRun", "RunState"]


class RunState(models.TextChoices):
    PENDING = "pending", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class CheckRun(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="check_runs"
    )
    revision = models.ForeignKey(
        "articles.Revision", on_delete=models.PROTECT, related_name="check_runs"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.PENDING
    )
    # The contributor's language when they submitted: the findings' messages are in it.
    language = models.CharField(_("language of the messages"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # An editor's decision to approve despite blocking findings (or a run that never ends).
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.get_state_display()}"

    @property
    def is_done(self) -> bool:
        return self.state == RunState.DONE

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None


# Most serious first, for ordering findings in the database and in Python alike.
SEVERITY_RANK = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}


class FindingQuerySet(models.QuerySet):
    def most_serious_first(self) -> "FindingQuerySet":
        rank = Case(
            *(When(severity=value, then=Value(rank)) for value, rank in SEVERITY_RANK.items()),
            default=Value(9),
            output_field=IntegerField(),
        )
        return self.alias(rank=rank).order_by("rank", "position")


class _CheckName:
    def __get__(self, instance: "CheckFinding | None", owner: type) -> object:
        if instance is None:
            return models.Model.__dict__["check"].__get__(None, owner)
        return instance.check_name


class CheckFinding(models.Model):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings")
    check_name = models.CharField(_("check"), max_length=60, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("message"))
    # [{"field": "body", "start": 10, "end": 42, "text": "..."}]: offsets into the revision.
    passages = models.JSONField(_("passages"), default=list, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # The order the checks reported them in, within a severity.
    position = models.PositiveIntegerField(default=0)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["run", "position"]
        indexes = [models.Index(fields=["run", "severity"], name="finding_run_severity")]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.check_name}: {self.get_severity_display()}"

    # The checks' templates read `finding.check` (the name); on the class it stays
    # Django's system-check classmethod, which `tribune check` calls.
    check = _CheckName()

    def as_json(self) -> dict:
        return {
            "check": self.check_name,
            "severity": self.severity,
            "message": self.message,
            "passages": list(self.passages),
            "data": dict(self.data),
        }


class CheckConfig(models.Model):
    """The operator's settings for one check in the admin; they win over the environment."""

    check_name = models.CharField(_("check"), max_length=60, unique=True)
    # None: as the environment (TRIBUNE_CHECKS_OFF) and the check's default say.
    enabled = models.BooleanField(_("switched on"), null=True, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["check_name"]
        verbose_name = _("check setting")
        verbose_name_plural = _("check settings")

    def __str__(self) -> str:
        return self.check_name
