from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Media files for a development site (`tribune serve`); production serves /media/
    from nginx or object storage. Cover files have content-hashed names, so they may be
    cached for a year. django.views.static refuses paths that leave MEDIA_ROOT."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
