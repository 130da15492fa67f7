from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.newsletter import views

app_name = "newsletter"

# Routes under the language prefix (/en/..., /de/...).
urlpatterns = [
    path(_("newsletter/"), views.subscribe, name="subscribe"),
    path(_("newsletter/confirm/<str:key>/"), views.confirm, name="confirm"),
    path(_("newsletter/unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(_("newsletter/manage/<str:token>/"), views.manage, name="manage"),
    path(_("newsletter/manage/<str:token>/data.json"), views.export_json, name="export_json"),
    path(_("newsletter/manage/<str:token>/data/"), views.export_page, name="export_page"),
    path(_("newsletter/manage/<str:token>/erase/"), views.erase, name="erase"),
]
