from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.core import views

app_name = "core"

urlpatterns = [
    path(_("guidelines/"), views.site_page("guidelines"), name="guidelines"),
    path(_("legal-notice/"), views.site_page("legal_notice"), name="legal_notice"),
    path(_("privacy/"), views.site_page("privacy"), name="privacy"),
    path(_("contact/"), views.site_page("contact"), name="contact"),
]
