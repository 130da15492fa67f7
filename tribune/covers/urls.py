from django.conf import settings
from django.urls import path

from tribune.covers.views import serve_media

# Outside production only (TRIBUNE_SERVE_MEDIA); see serve_media.
urlpatterns = (
    [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media")]
    if settings.TRIBUNE_SERVE_MEDIA
    else []
)
