from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing that happened, append-only: who did what to which object, and when.

    Written by every action (STYLE.md rule 2); never edited or deleted by the application.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class ChoreRun(models.Model):
    """One run of a periodic chore for one time slot (`tribune run_chores`). The unique
    (chore, slot) pair is the lock: every machine's timer may call run_chores, and the
    first to insert the row runs the chore; the others see it taken and skip it."""

    chore = models.CharField(max_length=64)
    slot = models.DateTimeField()
    host = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-slot", "chore"]
        constraints = [
            models.UniqueConstraint(fields=["chore", "slot"], name="chore_runs_once_per_slot")
        ]
        verbose_name = _("chore run")
        verbose_name_plural = _("chore runs")

    def __str__(self) -> str:
        return f"{self.chore} @ {self.slot:%Y-%m-%d %H:%M}"
