import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.settings")

django_application = get_wsgi_application()

from tribune.core.pagecache import CachedPagesApp  # noqa: E402 - needs Django set up first

# Anonymous readers' cached pages are answered here, before Django's handler runs.
application = CachedPagesApp(django_application)
