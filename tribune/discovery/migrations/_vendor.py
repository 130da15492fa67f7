"""Migration helpers shared by the search migrations (now in tribune.lib.migration_ops)."""

from tribune.lib.migration_ops import RunSQLOn

__all__ = ["RunSQLOn"]
