"""Load test: readers and writers at once, on SQLite and on PostgreSQL + Redis.

64 connections read article pages (a random article each request, so both cache hits and
renders) for 60 seconds while contributors submit two articles per second through the
writing form, and a task worker runs the work that follows (checks, covers, indexes). The
figures that matter are not speeds but failures: 5xx answers and "database is locked"
anywhere in the logs must both be zero.

    .venv/bin/python bench/load.py [--database sqlite,postgres] [--duration 60]
        [--connections 64] [--submissions-per-second 2] [--articles 1000] [--small]

`--small` is the CI size (bench/test_load.py). PostgreSQL and Redis are those of the
machine (127.0.0.1:5432 with trust auth, 127.0.0.1:6379): a fresh database
`tribune_load_<pid>` and Redis db 14 are used and removed afterwards; the PostgreSQL run is
skipped when they are not reachable. JSON goes to stdout, progress to stderr.
"""

import argparse
import contextlib
import http.cookiejar
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import scratch_services
from bench.throughput import (
    BenchError,
    free_port,
    gunicorn,
    log,
    machine,
    parse_wrk,
    site_env,
)
from tribune.testing.services import POSTGRES, REDIS, reachable

WRITER_PASSWORD = "load-test-writer-password"  # noqa: S105 - a throwaway site's account
LOCKED = re.compile(r"database is locked", re.IGNORECASE)
COUNT = "from tribune.submissions.models import Submission; print(Submission.objects.count())"
WRK_SCRIPT = """\
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""

SETUP = f"""
import json
from tribune.accounts.actions import create_author
from tribune.articles.models import Article, Status
writer = create_author(None, username="load-writer", display_name="Load Writer").user
writer.email = "writer@load.example"
writer.set_password("{WRITER_PASSWORD}")
writer.is_active = True
writer.save()
paths = [a.get_absolute_url() for a in Article.objects.filter(status=Status.PUBLISHED)[:2000]]
print(json.dumps(paths))
"""


@contextlib.contextmanager
def _site_env(work: Path, database: str) -> Iterator[dict[str, str]]:
    """The site's environment; for PostgreSQL a scratch database and a Redis key prefix of
    its own, both removed afterwards."""
    with scratch_services(database, "load") as extra:
        yield site_env(work / "data", page_cache=True) | extra


def _tribune(env: dict[str, str], work: Path, *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tribune", *arguments],
        env=env,
        cwd=work,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


class Writers(threading.Thread):
    """Contributors submitting articles through the writing form at a steady rate."""

    def __init__(self, port: int, per_second: float, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base = f"http://127.0.0.1:{port}"
        self.interval = 1 / per_second
        self.stop = stop
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )
        self.jar = jar

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _post(self, path: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self) -> None:
        self.opener.open(self.base + "/en/account/sign-in/", timeout=30).read()
        status = self._post(
            "/en/account/sign-in/",
            {"username": "writer@load.example", "password": WRITER_PASSWORD},
        )
        if status != 302:
            raise BenchError(f"the writer could not sign in (HTTP {status})")
        self.opener.open(self.base + "/en/desk/new/", timeout=30).read()

    def run(self) -> None:
        n = 0
        next_at = time.monotonic()
        while not self.stop.is_set():
            n += 1
            status = self._post(
                "/en/desk/new/",
                {
                    "title": f"Load test report number {n} from the river district",
                    "summary": "A submission written during the load test.",
                    "body": (
                        "## What happened\n\nThe council met on Tuesday evening and agreed "
                        f"to repair the footbridge before winter. Report {n}.\n\n"
                        "## What comes next\n\nWork starts in two weeks, says the council."
                    ),
                    "language": "en",
                    "sources": "https://example.org/council-minutes",
                    "accept_guidelines": "on",
                    "submit": "1",
                },
            )
            self.statuses[status] += 1
            if status != 302:
                self.failures.append(f"submission {n}: HTTP {status}")
            next_at += self.interval
            self.stop.wait(max(0.0, next_at - time.monotonic()))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def run_one(database: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tribune-load-") as folder:
        work = Path(folder)
        with _site_env(work, database) as env:
            log(f"{database}: building a site of {args.articles:,} articles")
            _tribune(env, work, "migrate", "--noinput", "-v", "0")
            subprocess.run(
                [sys.executable, str(Path(__file__).with_name("throughput.py")), "--populate",
                 str(args.articles)],
                env=env, cwd=work, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            # Building the site queued each article's follow-up work (covers, related lists),
            # which invalidates the page cache as it completes: drain it first, so that the
            # run measures a site in its steady state, not one still settling.
            log(f"{database}: running the queued follow-up tasks of the new site")
            _tribune(env, work, "worker", "--batch")
            paths = json.loads(_tribune(env, work, "shell", "--no-imports", "-c", SETUP))
            (work / "paths.txt").write_text("\n".join(paths) + "\n")
            (work / "paths.lua").write_text(WRK_SCRIPT % (work / "paths.txt"))
            result = _measure(database, work, env, args, len(paths))
            stored = int(_tribune(env, work, "shell", "--no-imports", "-c", COUNT).strip())
            result["submissions"]["stored"] = stored
            if stored != result["submissions"]["by_status"].get("302", 0):
                result["passed"] = False
            return result


def _measure(
    database: str, work: Path, env: dict[str, str], args: argparse.Namespace, pages: int
) -> dict[str, Any]:
    port = free_port()
    worker_log = (work / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "tribune", "worker"],
        env=env, cwd=work, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    # site_env() leaves the caller's DATABASE_URL and friends out on purpose; this run's own
    # go to gunicorn explicitly.
    own = {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX") if k in env}
    try:
        with gunicorn(work, page_cache=True, port=port, extra_env=own):
            writers_stop = threading.Event()
            writers = Writers(port, args.submissions_per_second, writers_stop)
            writers.sign_in()
            log(
                f"{database}: {args.connections} readers over {pages:,} pages for "
                f"{args.duration}s, {args.submissions_per_second} submissions/s"
            )
            writers.start()
            done = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout=10s",
                 "--latency", "-s", str(work / "paths.lua"), f"http://127.0.0.1:{port}"],
                check=True, stdout=subprocess.PIPE, text=True, timeout=args.duration + 60,
            )  # fmt: skip
            writers_stop.set()
            writers.join(60)
            time.sleep(1)  # let the worker log what it was doing
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        worker_log.close()
    readers = parse_wrk(done.stdout)
    logs = "\n".join(p.read_text(errors="replace") for p in work.glob("*.log"))
    locked = len(LOCKED.findall(logs))
    server_errors = readers["non_2xx_3xx"] + sum(
        count for status, count in writers.statuses.items() if status >= 500
    )
    return {
        "database": "PostgreSQL + Redis" if database == "postgres" else "SQLite + file cache",
        "pages": pages,
        "readers": readers,
        "submissions": {
            "attempted": sum(writers.statuses.values()),
            "by_status": {str(k): v for k, v in sorted(writers.statuses.items())},
            "failures": writers.failures[:20],
        },
        "server_errors": server_errors,
        "database_locked_in_logs": locked,
        "passed": server_errors == 0 and locked == 0 and not writers.failures,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite,postgres")
    parser.add_argument("--duration", type=int)
    parser.add_argument("--connections", type=int)
    parser.add_argument("--submissions-per-second", type=float)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--small", action="store_true", help="CI size: 8 readers, 8 s, 50 articles")
    args = parser.parse_args(argv)
    args.duration = args.duration or (8 if args.small else 60)
    args.connections = args.connections or (8 if args.small else 64)
    args.submissions_per_second = args.submissions_per_second or 2.0
    args.articles = args.articles or (50 if args.small else 1000)
    args.database = [d.strip() for d in args.database.split(",") if d.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        log("missing wrk: Debian package wrk (make system-packages)")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    report: dict[str, Any] = {"benchmark": "load: readers and writers at once", "runs": []}
    report["machine"] = machine()
    for database in args.database:
        if database == "postgres" and not (reachable(*POSTGRES[:2]) and reachable(*REDIS[:2])):
            report["runs"].append({"database": "PostgreSQL + Redis", "skipped": "not reachable"})
            log("postgres: PostgreSQL or Redis not reachable, skipped")
            continue
        try:
            result = run_one(database, args)
        except (BenchError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            log(f"{database}: failed: {error}")
            return 1
        report["runs"].append(result)
        log(
            f"{database}: {result['readers']['rps']:,.0f} reads/s, p99 "
            f"{result['readers']['p99_ms']} ms, {result['submissions']['attempted']} submissions, "
            f"{result['server_errors']} 5xx, {result['database_locked_in_logs']} 'database is "
            f"locked': {'PASSED' if result['passed'] else 'FAILED'}"
        )
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if all(run.get("passed", True) for run in report["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
