from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.core import views
from tribune.submissions.views import guidelines

app_name = "core"

urlpatterns = [
    # The operator edits the guidelines (versioned) in the admin; see tribune.submissions.
    path(_("guidelines/"), guidelines, name="guidelines"),
    path(_("legal-notice/"), views.site_page("legal_notice"), name="legal_notice"),
    path(_("privacy/"), views.site_page("privacy"), name="privacy"),
    path(_("contact/"), views.site_page("contact"), name="contact"),
]
