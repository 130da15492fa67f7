import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the page cache lives there)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what actions schedule for after commit (cache invalidation, tasks) at once.

    Use as `with committed(): actions.publish_article(...)`.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)
