from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tribune.articles.queries import topics_with_labels
from tribune.newsletter.models import Frequency

CONSENT_TEXT = _(
    "Yes, send me the newsletter by e-mail. I can unsubscribe at any time with the link in "
    "every issue. My address is used for nothing else; see the privacy page."
)


class _TopicChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


def _reject_control_characters(data) -> None:
    """Line breaks and other control characters have no place in any field; refused with a
    message of their own (they are how headers are smuggled into mail)."""
    for key in data:
        for value in data.getlist(key) if hasattr(data, "getlist") else [data[key]]:
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(value)):
                raise forms.ValidationError(
                    _("Line breaks and control characters are not allowed in any field."),
                    code="control",
                )


class PreferencesForm(forms.Form):
    topics = _TopicChoices(
        queryset=None,
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
        help_text=_("None ticked means every topic."),
        error_messages={"invalid_choice": _("%(value)s is not one of our topics.")},
    )
    frequency = forms.ChoiceField(
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        label=_("How often"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics_with_labels().order_by("label_")

    def clean(self) -> dict:
        if self.data:
            _reject_control_characters(self.data)
        return super().clean()


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.org.")},
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        error_messages={"required": _("Tick the box to agree to receive the newsletter.")},
    )
    # A field people never see; bots fill it in (same idea as the account sign-up form).
    website = forms.CharField(required=False, label=_("Leave this empty"))

    field_order = ["email", "topics", "frequency", "language", "consent", "website"]

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
