from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tribune.core.views import healthz, readyz
from tribune.discovery import views as discovery

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # The API has no language prefix: clients say which language they want in parameters.
    path("api/", include("tribune.api.urls")),
    path("readyz", readyz, name="readyz"),
    # Mail providers' bounce and complaint webhooks: no language prefix, signature checked.
    path("newsletter/esp/", include("tribune.newsletter.esp_urls")),
    path("", include("tribune.covers.urls")),  # /media/ outside production
    # Outside the language prefix, where crawlers look for them.
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", discovery.sitemap_section, name="sitemap"),
    *i18n_patterns(
        path("", include("tribune.articles.urls")),
        path("", include("tribune.core.urls")),
        path("", include("tribune.accounts.urls")),
        path("", include("tribune.submissions.urls")),
        path("", include("tribune.newsletter.urls")),
        path("", include("tribune.notices.urls")),
        path("", include("tribune.api.desk_urls")),
        path("", include("tribune.discovery.urls")),
    ),
]

# Rendered without the database: a database outage answers 503 with a friendly page.
handler500 = "tribune.core.views.server_error"
