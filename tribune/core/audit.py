"""The audit log's one writer, called by every action inside its transaction."""

from typing import Any

from django.db import models

from tribune.core.models import AuditEntry


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    from_state: str = "",
    to_state: str = "",
    **data: Any,
) -> AuditEntry:
    """Append one entry; `actor` may be None for the system (imports, the worker)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        data=data,
    )
