from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.checks.base import REGISTRY
from tribune.checks.models import CheckConfig
from tribune.checks.runner import validate_options


class OverrideForm(forms.Form):
    """An editor's reason to approve despite blocking findings (review page)."""

    reason = forms.CharField(
        label=_("Why may this be published anyway?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the submission and in its history."),
    )


class CheckConfigForm(forms.ModelForm):
    """The admin's settings for one check: its name must be registered, and the options
    must be ones the check declares, with values of the declared types."""

    check_name = forms.ChoiceField(label=_("check"))
    enabled = forms.NullBooleanField(label=_("switched on"), required=False)

    class Meta:
        model = CheckConfig
        fields = ["check_name", "enabled", "options"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # NullBooleanSelect maps True/False/None to these values; only the labels change.
        self.fields["enabled"].widget.choices = [
            ("unknown", _("as the environment says")),
            ("true", _("on")),
            ("false", _("off")),
        ]
        self.fields["check_name"].choices = [
            (name, f"{check.label} ({name})") for name, check in sorted(REGISTRY.items())
        ]
        self.fields["options"].help_text = _(
            'Only the options that differ, as JSON, e.g. {"max_links": 20}. The defaults: '
        ) + "; ".join(f"{name}: {dict(check.options)}" for name, check in sorted(REGISTRY.items()))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("check_name") and "options" in data:
            data["options"] = validate_options(data["check_name"], data["options"] or {})
        return data
