from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address instead of the (internal) username."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> AbstractBaseUser | None:
        if not username or not password:
            return None
        user = (
            get_user_model().objects.filter(email__iexact=username.strip()).order_by("pk").first()
        )
        if user is None:
            get_user_model()().set_password(password)  # same time whether or not the address exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
