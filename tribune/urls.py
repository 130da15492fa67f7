from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tribune.core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    *i18n_patterns(
        path("", include("tribune.articles.urls")),
        path("", include("tribune.core.urls")),
        path("", include("tribune.discovery.urls")),
    ),
]
