from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.submissions import views

app_name = "submissions"

urlpatterns = [
    path(_("desk/"), views.desk, name="desk"),
    path(_("desk/new/"), views.write, name="new"),
    path(_("desk/<uuid:uuid>/"), views.write, name="edit"),
    path(_("desk/<uuid:uuid>/preview/"), views.preview, name="preview"),
    path(_("editorial/"), views.queue, name="queue"),
    path(_("editorial/<uuid:uuid>/"), views.review, name="review"),
]
