from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "tribune.checks"
    label = "checks"
    verbose_name = _("Guideline checks")

    def ready(self) -> None:
        # Importing the rules registers them (tribune.checks.base.REGISTRY); the runner
        # registers the system check that refuses unknown check names and options.
        from tribune.checks import rules, runner  # noqa: F401  (imported for their side effects)
