from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language

from tribune.accounts import actions
from tribune.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm, SignupForm
from tribune.core.ratelimit import limit_posts


@limit_posts("signup", per_ip=5, window=3600)
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not form.is_bot:
            existing = get_user_model().objects.filter(email__iexact=data["email"]).first()
            if existing is None:
                actions.sign_up(
                    email=data["email"],
                    display_name=data["display_name"],
                    password=data["password"],
                    language=get_language(),
                )
            else:
                # The same answer either way: the page never tells who has an account.
                actions.send_already_registered(existing, get_language())
        return render(request, "accounts/signup_done.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button; only the POST verifies (mail scanners follow links)."""
    user = _user_from(uidb64)
    if user is None or user.is_active or not actions.verification_tokens.check_token(user, token):
        return render(request, "accounts/verify_invalid.html", status=400)
    if request.method == "POST" and actions.verify_email(user, token):
        return render(request, "accounts/verify_done.html")
    return render(request, "accounts/verify.html")


def _user_from(uidb64: str) -> AbstractBaseUser | None:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model().objects.filter(pk=int(pk)).first()
    except (ValueError, UnicodeDecodeError):
        return None


login = limit_posts("login", per_ip=20, window=900)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=EmailAuthenticationForm,
        # Django's view would name the site after the request's host name instead.
        extra_context={"site_name": settings.TRIBUNE_SITE_NAME},
    )
)
logout = auth_views.LogoutView.as_view(extra_context={"site_name": settings.TRIBUNE_SITE_NAME})
password_reset = method_decorator(
    limit_posts("password_reset", per_ip=5, window=3600), name="dispatch"
)(auth_views.PasswordResetView).as_view(
    template_name="accounts/password_reset.html",
    form_class=QueuedPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
