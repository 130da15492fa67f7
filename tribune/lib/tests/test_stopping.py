"""A stop request inside `stop_requests_deferred()` waits for the end of the block."""

import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from tribune.lib.stopping import stop_requests_deferred

PROGRAM = textwrap.dedent(
    """
    import os, signal, sys, threading
    from tribune.lib.stopping import stop_requests_deferred

    if {threads}:  # another thread alive: the signal is noted in Python, not blocked
        threading.Thread(target=threading.Event().wait, daemon=True).start()

    with stop_requests_deferred():
        os.kill(os.getpid(), signal.{name})
        print("finished the block", flush=True)
    print("went on after the block", flush=True)
    """
)


@pytest.mark.parametrize("threads", [False, True])
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_stop_request_takes_effect_when_the_block_ends(name, threads):
    program = PROGRAM.format(name=name, threads=threads)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.stdout == "finished the block\n"
    assert done.returncode == -getattr(signal, name)


@pytest.fixture(params=[False, True], ids=["one thread", "threads"])
def threads(request):
    if not request.param:
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.usefixtures("threads")
def test_ctrl_c_inside_the_block_raises_after_it():
    steps = []
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with stop_requests_deferred():
            signal.raise_signal(signal.SIGINT)
            steps.append("finished the block")
        steps.append("went on")
    assert steps == ["finished the block"]
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.usefixtures("threads")
def test_a_stop_request_is_not_lost_when_the_block_raises():
    with pytest.raises(KeyboardInterrupt), stop_requests_deferred():
        signal.raise_signal(signal.SIGINT)
        raise LookupError("the block failed")


def test_without_a_stop_request_nothing_changes():
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    with stop_requests_deferred():
        pass
    assert {sig: signal.getsignal(sig) for sig in before} == before
