"""The checks app's models, one module per concept (runs and findings; the duplicate index)."""

from .duplicates import DuplicateBucket, DuplicateEntry  # noqa: F401
from .runs import SEVERITY_RANK, CheckConfig, CheckFinding, CheckRun, RunState  # noqa: F401
