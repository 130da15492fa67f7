"""How Tribune's web server is started: one place for `tribune serve` and the benchmarks."""

import sys


def gunicorn_command(
    bind: str, workers: int, threads: int = 4, access_log: bool = False
) -> list[str]:
    """gunicorn with threaded workers: threads keep browsers' connections alive between
    requests (the sync worker closes each one), which matters most for cache hits."""
    command = [
        sys.executable, "-m", "gunicorn", "tribune.wsgi",
        "--bind", bind,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--forwarded-allow-ips", "127.0.0.1",
    ]  # fmt: skip
    if access_log:
        command += ["--access-logfile", "-"]
    return command
