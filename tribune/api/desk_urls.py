"""The token page, under the contributor's desk (inside the language prefix)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.api import views

app_name = "api_tokens"

urlpatterns = [
    path(_("desk/tokens/"), views.token_list, name="list"),
    path(_("desk/tokens/<uuid:uuid>/revoke/"), views.token_revoke, name="revoke"),
]
