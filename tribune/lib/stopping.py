"""Stop requests that wait for the end of something that must not be cut in half.

A sender records a message as sent and then writes the SMTP "." that makes the server take
it: stopped between the two, the message would be recorded but never arrive. Inside
`stop_requests_deferred()`, SIGTERM (systemd, `kill`), SIGINT (Ctrl+C) and SIGHUP are noted
instead of acted upon; when the block ends, the first one noted is raised again and does
what it would have done. SIGKILL and power cuts cannot be deferred by any program.
"""

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@contextmanager
def stop_requests_deferred() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        # Python runs signal handlers in the main thread only: nothing reaches this one.
        yield
    elif threading.active_count() == 1:
        # The usual case (a command, a worker): blocked signals stay pending in the kernel
        # and are delivered when unblocked; two system calls, about a microsecond each.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    else:
        # Another thread could take a blocked signal in the main thread's place: note the
        # signals in Python handlers instead (a dozen microseconds).
        with _noted_instead():
            yield


@contextmanager
def stop_requests_to(event: threading.Event) -> Iterator[None]:
    """For a main thread whose worker threads do the work: a stop request sets `event`, which
    the workers check between two units of work, and takes effect when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    with _noted_instead(then=event.set):
        yield


@contextmanager
def _noted_instead(then: Callable[[], None] | None = None) -> Iterator[None]:
    noted: list[int] = []

    def note(signum: int, _frame: object) -> None:
        noted.append(signum)
        if then is not None:
            then()

    # A handler installed outside Python (getsignal gives None) could not be put back.
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    previous = {sig: handler for sig, handler in previous.items() if handler is not None}
    for sig in previous:
        signal.signal(sig, note)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if noted:
            signal.raise_signal(noted[0])
