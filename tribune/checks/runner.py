"""Run the registered checks on a draft, with the operator's switches and options.

Who depends on this: the submission task (tribune.checks.actions), `tribune check_article`,
`tribune import`, the admin's check settings (validate_options) and the benchmark.

Effective settings of a check, later ones winning:
1. the defaults in its `@check(...)` decorator,
2. the environment: TRIBUNE_CHECKS_OFF and TRIBUNE_CHECK_OPTIONS,
3. the admin's CheckConfig row for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks as system_checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from tribune.checks.base import REGISTRY, Draft, Finding, Severity
from tribune.checks.models.runs import SEVERITY_RANK, CheckConfig

logger = logging.getLogger(__name__)

SEVERITIES = {str(value) for value in Severity.values}


@dataclass(frozen=True)
class Settings:
    """What one check runs with."""

    enabled: bool
    options: dict[str, Any]


def _type_name(value: object) -> str:
    return {
        bool: _("true or false"),
        int: _("a whole number"),
        float: _("a number"),
        str: _("text"),
        list: _("a list"),
        dict: _("an object"),
    }.get(type(value), type(value).__name__)


def _fits(default: object, value: object) -> bool:
    """Whether `value` may replace `default`: the same JSON type (a whole number may stand
    for a decimal one, but true/false is never a number)."""
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, list | tuple):
        return isinstance(value, list | tuple) and all(
            _fits(default[0], item) for item in value if default
        )
    return isinstance(value, type(default))


def validate_options(name: str, options: object) -> dict[str, Any]:
    """The options for check `name`, refused (ValidationError) when the check or an option
    is unknown or a value has the wrong type."""
    if name not in REGISTRY:
        known = ", ".join(sorted(REGISTRY)) or _("none")
        raise ValidationError(
            _("There is no check named %(name)s (known checks: %(known)s).")
            % {"name": name, "known": known}
        )
    if not isinstance(options, Mapping):
        raise ValidationError(
            _('The options of %(name)s must be an object, like {"option": value}.') % {"name": name}
        )
    defaults = REGISTRY[name].options
    problems = []
    for key, value in options.items():
        if key not in defaults:
            problems.append(
                _("%(check)s has no option %(option)s (its options: %(known)s).")
                % {"check": name, "option": key, "known": ", ".join(sorted(defaults)) or "-"}
            )
        elif not _fits(defaults[key], value):
            problems.append(
                _("%(check)s: %(option)s must be %(type)s, like its default %(default)s.")
                % {
                    "check": name,
                    "option": key,
                    "type": _type_name(defaults[key]),
                    "default": repr(defaults[key]),
                }
            )
    if problems:
        raise ValidationError(problems)
    return dict(options)


def configuration_problems() -> list[str]:
    """What is wrong with TRIBUNE_CHECKS_OFF and TRIBUNE_CHECK_OPTIONS, in plain words."""
    problems = [
        f"TRIBUNE_CHECKS_OFF: there is no check named {name!r} "
        f"(known checks: {', '.join(sorted(REGISTRY))})"
        for name in settings.TRIBUNE_CHECKS_OFF
        if name not in REGISTRY
    ]
    for name, options in settings.TRIBUNE_CHECK_OPTIONS.items():
        try:
            with translation.override("en"):
                validate_options(name, options)
        except ValidationError as error:
            problems.extend(f"TRIBUNE_CHECK_OPTIONS: {message}" for message in error.messages)
    return problems


@system_checks.register("tribune")
def check_configuration(**kwargs: Any) -> list[system_checks.CheckMessage]:
    """Refuse to start with unknown check names or options in the environment."""
    return [
        system_checks.Error(problem, id="tribune.checks.E001")
        for problem in configuration_problems()
    ]


def _admin_configs() -> dict[str, CheckConfig]:
    return {config.check_name: config for config in CheckConfig.objects.all()}


def effective_settings() -> dict[str, Settings]:
    """Every registered check with the switch and options it runs with (one query)."""
    problems = configuration_problems()
    if problems:
        # Normally caught at start-up by the system check; this covers scripts and tests
        # that change settings afterwards.
        raise ImproperlyConfigured("; ".join(problems))
    admin = _admin_configs()
    result = {}
    for name, registered in REGISTRY.items():
        enabled = registered.enabled and name not in settings.TRIBUNE_CHECKS_OFF
        options = {**registered.options, **settings.TRIBUNE_CHECK_OPTIONS.get(name, {})}
        config = admin.get(name)
        if config is not None:
            if config.enabled is not None:
                enabled = config.enabled
            # Saved through the admin form, validated then; a check that lost an option
            # since must not fail the run, so stale names are skipped.
            options.update({k: v for k, v in config.options.items() if k in registered.options})
        result[name] = Settings(enabled, options)
    return result


def _failed(name: str) -> Finding:
    return Finding(
        check=name,
        severity=Severity.WARNING,
        message=_("This check failed; please look at this part by hand."),
        data={"failed": True},
    )


def _collect(name: str, produced: Iterable[Finding]) -> list[Finding]:
    findings = list(produced or ())
    for finding in findings:
        if not isinstance(finding, Finding) or str(finding.severity) not in SEVERITIES:
            raise TypeError(f"check {name!r} returned {finding!r}, not a Finding")
    return findings


def run_checks(draft: Draft, *, language: str, only: Iterable[str] | None = None) -> list[Finding]:
    """Run every enabled check (or just those in `only`) on `draft`, with messages in
    `language`. A check that raises gives one "check failed" finding and a log entry;
    the others still run. Most serious findings first, in registry order within each."""
    chosen = set(only) if only is not None else None
    findings: list[Finding] = []
    with translation.override(language):
        for name, current in effective_settings().items():
            if not current.enabled or (chosen is not None and name not in chosen):
                continue
            check = REGISTRY[name]
            try:
                findings.extend(_collect(name, check.function(draft, current.options)))
            except Exception:
                logger.exception("The check %r failed on %r", name, draft.title[:80])
                findings.append(_failed(name))
    return sorted(findings, key=lambda finding: SEVERITY_RANK.get(finding.severity, 9))
