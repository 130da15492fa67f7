from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoversConfig(AppConfig):
    name = "tribune.covers"
    label = "covers"
    verbose_name = _("Covers")
