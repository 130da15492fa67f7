from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tribune.core.tasks import send_mail


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name as readers will see it"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    # A field people never see; bots that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter a name."))
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the e-mail address (usernames are internal)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an active account. If you have just "
            "signed up, follow the link in the mail we sent you first."
        ),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail sent by a task instead of inside the request, and
    the link built from TRIBUNE_BASE_URL, never from the request's Host header."""

    def send_mail(  # Django's signature
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context = {"url": settings.TRIBUNE_BASE_URL + path}
        send_mail.enqueue(to_email, "accounts/mail/password_reset", context, get_language())
