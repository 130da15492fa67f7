from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from tribune.covers.backends.base import CoverBackend


@cache
def get_backend() -> CoverBackend:
    """The generator named by TRIBUNE_COVER_BACKEND (a dotted path to a class)."""
    return import_string(settings.TRIBUNE_COVER_BACKEND)()
