import signal

import pytest
from django.core.cache import cache

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the page cache lives there)."""
    cache.clear()
    yield
    cache.clear()


def _python_signal_handlers() -> None:
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)


@pytest.fixture(autouse=True)
def _plain_signal_handlers():
    """Commands run in-process (the task worker) install their own Ctrl+C and SIGTERM
    handlers; every test starts with Python's own and leaves them so."""
    _python_signal_handlers()
    yield
    _python_signal_handlers()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what actions schedule for after commit (cache invalidation, tasks) at once.

    Use as `with committed(): actions.publish_article(...)`.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on loopback that the site sends to; the list of what arrived."""
    from tribune.testing.smtp import smtp_sink

    for port, messages in smtp_sink():
        # pytest-django swaps in the in-memory backend; these tests want the real one.
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        yield messages
