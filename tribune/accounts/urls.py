from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.accounts import views

app_name = "accounts"

urlpatterns = [
    path(_("account/sign-up/"), views.signup, name="signup"),
    path(_("account/verify/<uidb64>/<token>/"), views.verify, name="verify"),
    path(_("account/sign-in/"), views.login, name="login"),
    path(_("account/sign-out/"), views.logout, name="logout"),
    path(_("account/password/"), views.password_reset, name="password_reset"),
    path(_("account/password/sent/"), views.password_reset_done, name="password_reset_done"),
    path(
        _("account/password/<uidb64>/<token>/"),
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        _("account/password/done/"), views.password_reset_complete, name="password_reset_complete"
    ),
]
