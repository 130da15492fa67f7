"""What the corpus benchmarks (discovery.py, checks.py) share: timing summaries, and the
parent that runs one child process per (database, size) on a fresh database of its own
(a temporary data folder for SQLite, a temporary database for PostgreSQL, a key prefix of
its own in Redis), deleted afterwards."""

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(milliseconds: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(milliseconds), 2),
        "p99_ms": round(percentile(milliseconds, 0.99), 2),
        "max_ms": round(max(milliseconds), 2),
        "samples": len(milliseconds),
    }


def services() -> dict[str, str]:
    """DATABASE_URL and REDIS_URL of the machine's PostgreSQL and Redis, when reachable."""
    out = subprocess.run(
        [sys.executable, "-m", "tribune.testing.services"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout
    return dict(item.split("=", 1) for item in out.split() if "=" in item)


@contextlib.contextmanager
def scratch_postgres(base_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `base_url`; its URL."""
    import psycopg

    name = f"tribune_bench_{uuid.uuid4().hex[:8]}"
    server = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{prefix}*", count=1000):
        client.delete(key)


class ServicesMissing(Exception):
    """PostgreSQL and Redis were asked for and are not reachable."""


@contextlib.contextmanager
def scratch_services(database: str, name: str) -> Iterator[dict[str, str]]:
    """The settings that point a benchmark's site at its database and cache: none for
    SQLite (and the file cache); for PostgreSQL + Redis a scratch database and a cache key
    prefix of its own, both removed afterwards."""
    if database != "postgres":
        yield {}
        return
    found = services()
    if "DATABASE_URL" not in found or "REDIS_URL" not in found:
        raise ServicesMissing("PostgreSQL and Redis are not reachable (tribune.testing.services)")
    prefix = f"tribune-{name}-{os.getpid()}"
    with scratch_postgres(found["DATABASE_URL"]) as url:
        try:
            yield {"DATABASE_URL": url, "REDIS_URL": found["REDIS_URL"], "CACHE_KEY_PREFIX": prefix}
        finally:
            delete_redis_keys(found["REDIS_URL"], prefix)


def start_child() -> None:
    """In a child: set Django up on the child's fresh database and migrate it."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_child(
    script: str, arguments: list[str], database: str, size: int, *, redis: bool = False
) -> dict:
    """Run `script --child --database D --size N ARGUMENTS` on a fresh database; its JSON.

    The child's environment has none of the caller's Tribune, database or cache settings;
    progress goes straight through to stderr, the JSON comes on stdout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRIBUNE_", "DATABASE_", "REDIS_", "DJANGO_", "CACHE_"))
    }
    env.update(
        TRIBUNE_ENV="development", DJANGO_SETTINGS_MODULE="tribune.settings", LOG_LEVEL="WARNING"
    )
    command = [sys.executable, script, "--child", "--database", database, "--size", str(size)]
    found = services()
    prefix = f"tribune-bench-{uuid.uuid4().hex[:8]}"
    if redis:
        if "REDIS_URL" not in found:
            return {"database": database, "articles": size, "skipped": "Redis not found"}
        env.update(REDIS_URL=found["REDIS_URL"], CACHE_KEY_PREFIX=prefix)
    if database == "postgres" and "DATABASE_URL" not in found:
        return {"database": database, "articles": size, "skipped": "PostgreSQL not found"}
    with contextlib.ExitStack() as stack:
        env["TRIBUNE_DATA_DIR"] = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="tribune-bench-")
        )
        if database == "postgres":
            env["DATABASE_URL"] = stack.enter_context(scratch_postgres(found["DATABASE_URL"]))
        if redis:
            stack.callback(delete_redis_keys, found["REDIS_URL"], prefix)
        done = subprocess.run(
            [*command, *arguments], env=env, stdout=subprocess.PIPE, text=True, check=False
        )
        if done.returncode:
            return {"database": database, "articles": size, "error": f"exit {done.returncode}"}
        return json.loads(done.stdout)


def run_all(
    name: str,
    targets: dict[str, Any],
    sizes: list[int],
    databases: list[str],
    one: Callable[[str, int], dict],
    targets_met: Callable[[dict], dict],
) -> None:
    """Run every (size, database) pair and print the report."""
    results = []
    for size in sizes:
        for database in databases:
            log(f"--- {database}, {size} articles")
            result = one(database, size)
            result["targets_met"] = targets_met(result)
            results.append(result)
    report = {
        "benchmark": name,
        "targets": targets,
        "results": results,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
    }
    print(json.dumps(report, indent=2))
