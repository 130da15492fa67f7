"""Page throughput: Tribune under gunicorn, page cache on and off, beside nginx.

For each corpus size this builds a fresh site in a temporary folder (SQLite, file cache,
the demo content plus generated articles, all created through the article actions), then
measures two pages, an article page and the home page (`/en/`), running `wrk` one after
another against:

- nginx serving each page's HTML as a static file (the ceiling for that page),
- gunicorn (2 workers, as `tribune serve` runs it) with the page cache on (cache hits),
- gunicorn with the page cache off (every request renders the page),
- nginx in front of gunicorn with the site config `tribune nginx_config` writes (the one
  docs/deployment.md tells operators to use): readers' pages come from the files the
  application writes as it caches pages.

Each server is started once per corpus size and measured on both pages in turn; each
page's ratios are to nginx serving that same page, and its targets are judged on its own.
It prints one JSON document to stdout; progress goes to stderr. DESIGN.md section 7 says
why the ratio to nginx, not the raw rate, is the figure. bench/README.md says how to read it.

    .venv/bin/python bench/throughput.py [--articles 1000,10000] [--duration 10]
        [--connections 32] [--threads 2] [--small]

`--small` is the CI size (bench/test_throughput.py runs it). Every server it starts is
stopped on exit, on error and on Ctrl+C or SIGTERM; on Linux they also stop if this
process is killed outright.
"""

import argparse
import contextlib
import ctypes
import datetime
import http.client
import importlib.metadata
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import ServicesMissing, scratch_services
from tribune.core.server import gunicorn_command

# Ratios to nginx serving the page as a static file (issue 9): behind the documented nginx
# config, the application alone with its page cache, and the application without it.
# Judged for each measured page against nginx serving that page.
TARGETS = {"fronted": 0.80, "cached": 0.12, "uncached": 0.015}
# The servers in the order the summary lists them.
SERVERS = ("nginx", "fronted", "cached", "uncached")
# The measured pages: the article page (found by populate(), see WORDS_WANTED) and the
# English home page, the page most readers arrive on (issue 9 asks for both).
PAGES = ("article", "home")
HOME_PATH = "/en/"
GUNICORN_WORKERS = 2
# The measured page: the English demo article whose word count is nearest to this.
WORDS_WANTED = 800
# wrk's own default (2 s) would count slow uncached responses as socket timeouts; a
# longer one measures them instead, so p99 shows the real queueing delay.
WRK_TIMEOUT = "10s"
# Settings that must not leak from the caller into the benchmark's site: they would point
# it at the test setup, another database or cache, or change how gunicorn runs.
FOREIGN_ENV = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "BEHIND_TLS_PROXY",
    "LOG_LEVEL",
    "CACHE_KEY_PREFIX",
    "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS",
    "LANGUAGE_CODE",
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """Something the benchmark needs did not work; the message says what."""


# --- the site -------------------------------------------------------------------------


def site_env(data_dir: Path, *, page_cache: bool, page_files: Path | None = None) -> dict[str, str]:
    """The caller's environment minus anything Tribune reads, plus this run's settings.

    The benchmark measures the embedded setup (SQLite in WAL mode, file cache) in
    development mode with DEBUG off, the default; production mode would redirect to HTTPS.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in FOREIGN_ENV and not key.startswith("TRIBUNE_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tribune.settings",
        TRIBUNE_DATA_DIR=str(data_dir),
        TRIBUNE_PAGE_CACHE="1" if page_cache else "0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if page_files is not None:
        env["TRIBUNE_PAGE_FILES_DIR"] = str(page_files)
    return env


def build_site(work: Path, articles: int, extra: dict[str, str]) -> dict[str, Any]:
    """Migrate a fresh database (in `work`/data, or `extra`'s DATABASE_URL) and fill it;
    return what populate() says."""
    env = site_env(work / "data", page_cache=True) | extra
    log(f"{articles:,} articles: migrating a fresh database in {work / 'data'}")
    subprocess.run(
        [sys.executable, "-m", "tribune", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=work,
        check=True,
        stdout=sys.stderr,
    )
    log(f"{articles:,} articles: creating them through the article actions")
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--populate", str(articles)],
        env=env,
        cwd=work,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout)


def populate(count: int) -> dict[str, Any]:
    """Fill the database: the demo site, then generated articles up to `count` published.

    Runs in a child process whose environment points Django at the benchmark's data
    folder. Every article goes through create_article and publish_article, as an import
    would: the revisions are rendered, audited and enqueued exactly as in production.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tribune.articles.models import Article, Status

    started = time.perf_counter()
    call_command("demo", stdout=sys.stderr)
    published = Article.objects.filter(status=Status.PUBLISHED).select_related("live_revision")
    demo = list(published)
    english = [a for a in demo if a.language == "en"]
    if not english:
        raise BenchError("the demo content has no published English article to measure")
    measured = min(english, key=lambda a: abs(a.live_revision.word_count - WORDS_WANTED))
    authors = _authors(extra=13)
    generated = max(0, count - len(demo))
    _generate(generated, demo, authors)
    return {
        "published_articles": Article.objects.filter(status=Status.PUBLISHED).count(),
        "demo_articles": len(demo),
        "generated_articles": generated,
        "authors": get_user_model().objects.count(),
        "languages": sorted(set(published.values_list("language", flat=True))),
        "created_via": "tribune.articles.actions.create_article + publish_article, every article",
        "seconds": round(time.perf_counter() - started, 1),
        "page": {
            "url": measured.get_absolute_url(),
            "title": measured.live_revision.title,
            "language": measured.language,
            "words": measured.live_revision.word_count,
            "topics": [t.slug for t in measured.topics.all()],
        },
    }


def _authors(extra: int) -> list[Any]:
    """The demo's authors plus `extra` generated ones, so bylines spread over many people."""
    from django.contrib.auth import get_user_model

    from tribune.accounts.actions import create_author

    for n in range(1, extra + 1):
        create_author(None, username=f"bench-author-{n}", display_name=f"Bench Author {n}")
    return list(get_user_model().objects.filter(profile__isnull=False).order_by("pk"))


def _generate(count: int, demo: list[Any], authors: list[Any]) -> None:
    """Create `count` published articles, a third of them German, with demo texts as bodies."""
    from django.utils import timezone

    from tribune.articles import actions
    from tribune.articles.models import Topic

    rng = random.Random(800)  # noqa: S311 - the same corpus every run; nothing secret here
    topics = list(Topic.objects.all())
    texts: dict[str, list[Any]] = {}
    for article in demo:
        texts.setdefault(article.language, []).append(article.live_revision)
    now = timezone.now()
    for n in range(count):
        language = "de" if n % 3 == 2 and "de" in texts else "en"
        source = texts[language][n % len(texts[language])]
        article = actions.create_article(
            None,
            author=authors[n % len(authors)],
            language=language,
            title=f"{source.title} ({n + 1})",
            body=source.body,
            summary=source.summary,
            topics=rng.sample(topics, k=min(len(topics), rng.choice((1, 2, 3)))),
        )
        # Spread over two years, older than the demo articles.
        published_at = now - datetime.timedelta(days=14, minutes=n * 97)
        actions.publish_article(None, article, published_at=published_at)
        if (n + 1) % 1000 == 0:
            log(f"  {n + 1:,} of {count:,} generated")


# --- servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the benchmark dies without cleaning up."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


@contextlib.contextmanager
def server(name: str, argv: list[str], port: int, log_path: Path, **popen: Any) -> Iterator[None]:
    """Run a server until the block ends; fail with its log if it does not listen."""
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            **popen,
        )
        try:
            _wait_until_listening(name, process, port, log_path)
            yield
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_until_listening(name: str, process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with {process.returncode}:\n{_tail(log_path)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise BenchError(f"{name} did not listen on port {port} within 30 s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _gunicorn_log(work: Path, *, page_cache: bool) -> Path:
    return work / f"gunicorn-{'cached' if page_cache else 'uncached'}.log"


def gunicorn(
    work: Path,
    *,
    page_cache: bool,
    port: int,
    page_files: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> contextlib.AbstractContextManager:
    name = f"gunicorn (page cache {'on' if page_cache else 'off'})"
    # The same command line as `tribune serve`, so the figures are those users get.
    argv = [*gunicorn_command(f"127.0.0.1:{port}", GUNICORN_WORKERS), "--log-level", "warning"]
    log_path = _gunicorn_log(work, page_cache=page_cache)
    # cwd is the work folder, so that no gunicorn.conf.py of the caller's is picked up.
    env = site_env(work / "data", page_cache=page_cache, page_files=page_files)
    env.update(extra_env or {})  # bench/load.py points it at PostgreSQL and Redis
    return server(name, argv, port, log_path, env=env, cwd=work)


NGINX_CONF = """\
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    types {{ }}
    default_type text/html;
    charset utf-8;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/html;
    }}
}}
"""


def nginx(work: Path, pages: dict[str, bytes], port: int) -> contextlib.AbstractContextManager:
    """nginx serving each page's HTML (`pages`: URL path to bytes) at the same path as the
    application does (as <path>/index.html): one server for every measured page."""
    prefix = work / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    # Run as root, nginx's workers drop to an unprivileged user: they must be able to
    # reach the pages (the work folder is only traversable, not listable, by others).
    work.chmod(0o711)
    for url, html in pages.items():
        page = prefix / "html" / url.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(html)
        for path in [prefix, *page.relative_to(prefix).parents]:
            (prefix / path).chmod(0o755)
        page.chmod(0o644)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port))
    argv = ["nginx", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)]
    return server("nginx", argv, port, prefix / "output.log")


FRONT_CONF = """\
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/tribune-site.conf;
}}
"""


def nginx_in_front(
    work: Path, app_port: int, port: int, page_files: Path, extra: dict[str, str]
) -> contextlib.AbstractContextManager:
    """nginx with the site config of `tribune nginx_config`, as docs/deployment.md sets it up;
    only the surrounding nginx.conf (temp paths, pid) is the benchmark's own."""
    prefix = work / "front"
    (prefix / "tmp").mkdir(parents=True)
    site = subprocess.run(
        [
            *(sys.executable, "-m", "tribune", "nginx_config"),
            *("--upstream", f"127.0.0.1:{app_port}", "--listen", f"127.0.0.1:{port}"),
        ],
        env=site_env(work / "data", page_cache=True, page_files=page_files) | extra,
        cwd=work,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    (prefix / "tribune-site.conf").write_text(site)
    # nginx's workers run as an unprivileged user: the page files must be reachable.
    work.chmod(0o711)
    conf = prefix / "nginx.conf"
    conf.write_text(FRONT_CONF.format(prefix=prefix))
    argv = ["nginx", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf)]
    return server("nginx in front", argv, port, prefix / "output.log")


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def warm_up(name: str, port: int, path: str, requests: int = 5) -> tuple[dict[str, str], bytes]:
    """Fetch the page a few times; every answer must be a 200. Return the last one."""
    for _ in range(requests):
        status, headers, body = get(port, path)
        if status != 200:
            raise BenchError(f"{name} answered {status} for {path}, not 200")
    return headers, body


# --- wrk ------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def run_wrk(name: str, port: int, path: str, args: argparse.Namespace) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}{path}"
    log(f"  wrk {args.duration}s, {args.connections} connections: {name}")
    done = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            f"--timeout={WRK_TIMEOUT}",
            "--latency",
            url,
        ],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=args.duration + 60,
    )
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests per second, p50/p99 in ms and error counts from `wrk --latency` output."""

    def number(pattern: str, default: str | None = None) -> str:
        found = re.search(pattern, output, re.MULTILINE)
        if found is None:
            if default is None:
                raise BenchError(f"unexpected wrk output, no match for {pattern!r}:\n{output}")
            return default
        return found.group(1)

    def latency(percent: int) -> float:
        value, unit = re.search(
            rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE
        ).groups()
        return round(float(value) * _UNITS_MS[unit], 3)

    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    # wrk prints the socket errors line only when there were some.
    counts = map(int, sockets.groups()) if sockets else (0, 0, 0, 0)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))
    bad_status = int(number(r"Non-2xx or 3xx responses: (\d+)", "0"))
    return {
        "rps": float(number(r"^Requests/sec:\s+([\d.]+)")),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "requests": int(number(r"^\s+(\d+) requests in")),
        "errors": bad_status + sum(socket_errors.values()),
        "non_2xx_3xx": bad_status,
        "socket_errors": socket_errors,
    }


# --- one corpus size ------------------------------------------------------------------


def measure(articles: int, args: argparse.Namespace) -> dict[str, Any]:
    """Build a site of `articles` and measure every page on every server.

    Each server starts once and is measured on each page in turn, so adding a page adds
    wrk runs, not server starts."""
    with (
        tempfile.TemporaryDirectory(prefix="tribune-bench-") as folder,
        scratch_services(args.database, "throughput") as extra,
    ):
        work = Path(folder)
        corpus = build_site(work, articles, extra)
        paths = {"article": corpus["page"]["url"], "home": HOME_PATH}
        log(
            f"{articles:,} articles: measuring the article {paths['article']}"
            f" ({corpus['page']['words']} words) and the home page {paths['home']}"
        )
        pages: dict[str, dict[str, Any]] = {name: {"url": paths[name]} for name in PAGES}
        html = _measure_cached(work, pages, args, extra)
        _measure_fronted(work, pages, html, args, extra)
        _measure_uncached(work, pages, args, extra)
        for name, page in pages.items():
            page["page_bytes"] = len(html[name])
            _compare(page)
        # Each page reads top down: what it is, then the servers in the summary's order.
        order = ["url", "page_bytes", "page_bytes_uncached", *SERVERS, "targets_met"]
        pages = {name: {key: page[key] for key in order} for name, page in pages.items()}
        return {"articles": articles, "corpus": corpus, "pages": pages}


def _measure_cached(
    work: Path, pages: dict[str, dict[str, Any]], args: argparse.Namespace, extra: dict[str, str]
) -> dict[str, bytes]:
    """nginx serving the pages as static files, then gunicorn with its page cache; returns
    each page's HTML as the application serves it."""
    app_port = free_port()
    with gunicorn(work, page_cache=True, port=app_port, extra_env=extra):
        headers: dict[str, dict[str, str]] = {}
        html: dict[str, bytes] = {}
        for name, page in pages.items():
            get(app_port, page["url"])  # the first request renders the page into the cache
            headers[name], html[name] = warm_up(
                f"gunicorn (page cache on), {name} page", app_port, page["url"]
            )
        nginx_port = free_port()
        with nginx(work, {page["url"]: html[name] for name, page in pages.items()}, nginx_port):
            for name, page in pages.items():
                _, served = warm_up(f"nginx, {name} page", nginx_port, page["url"])
                if served != html[name]:
                    raise BenchError(f"nginx does not serve the {name} page's HTML unchanged")
                page["nginx"] = run_wrk(
                    f"nginx, static HTML, {name}", nginx_port, page["url"], args
                )
        for name, page in pages.items():
            cached = run_wrk(f"gunicorn, page cache on, {name}", app_port, page["url"], args)
            cached["x_cache_before"] = headers[name].get("x-cache", "")
            cached["x_cache_after"] = get(app_port, page["url"])[1].get("x-cache", "")
            cached["served_from_cache"] = (
                cached["x_cache_before"] == cached["x_cache_after"] == "hit"
            )
            if not cached["served_from_cache"]:
                log(f"  WARNING: the page cache did not answer the {name} page with X-Cache: hit")
            _show_log_on_errors(cached, _gunicorn_log(work, page_cache=True))
            page["cached"] = cached
    return html


def _measure_fronted(
    work: Path,
    pages: dict[str, dict[str, Any]],
    html: dict[str, bytes],
    args: argparse.Namespace,
    extra: dict[str, str],
) -> None:
    """nginx in front of gunicorn with the documented site config and page files."""
    app_port, front_port, page_files = free_port(), free_port(), work / "pages"
    with (
        gunicorn(work, page_cache=True, port=app_port, page_files=page_files, extra_env=extra),
        nginx_in_front(work, app_port, front_port, page_files, extra),
    ):
        headers: dict[str, dict[str, str]] = {}
        for name, page in pages.items():
            get(front_port, page["url"])  # the application renders the page and writes its file
            headers[name], served = warm_up(f"nginx in front, {name} page", front_port, page["url"])
            if served != html[name]:
                raise BenchError(f"nginx in front does not serve the application's {name} page")
        for name, page in pages.items():
            fronted = run_wrk(f"nginx in front, {name}", front_port, page["url"], args)
            fronted["served_from_file"] = headers[name].get("x-cache") == "file"
            if not fronted["served_from_file"]:
                log(f"  WARNING: nginx in front did not answer the {name} page from its file")
            page["fronted"] = fronted


def _measure_uncached(
    work: Path, pages: dict[str, dict[str, Any]], args: argparse.Namespace, extra: dict[str, str]
) -> None:
    """gunicorn with the page cache off: every request renders the page."""
    app_port = free_port()
    with gunicorn(work, page_cache=False, port=app_port, extra_env=extra):
        for name, page in pages.items():
            headers, html = warm_up(
                f"gunicorn (page cache off), {name} page", app_port, page["url"]
            )
            uncached = run_wrk(f"gunicorn, page cache off, {name}", app_port, page["url"], args)
            uncached["x_cache_before"] = headers.get("x-cache", "")
            _show_log_on_errors(uncached, _gunicorn_log(work, page_cache=False))
            page["uncached"] = uncached
            page["page_bytes_uncached"] = len(html)


def _show_log_on_errors(figures: dict[str, Any], log_path: Path) -> None:
    # The work folder is deleted at the end: show why a server failed while it is there.
    if figures["errors"]:
        log(f"  {figures['errors']} errors; the end of {log_path.name}:\n{_tail(log_path)}")


def _compare(page: dict[str, Any]) -> None:
    """One page's ratios to nginx serving that page, and its targets. A run with errors, or
    a run not answered from the cache or the file, meets no target."""
    nginx_rps = page["nginx"]["rps"]
    for run, target in TARGETS.items():
        figures = page[run]
        ratio = figures["rps"] / nginx_rps if nginx_rps else 0.0
        figures["ratio_to_nginx"] = round(ratio, 4)
        figures["target"] = target
        valid = (
            figures["errors"] == 0
            and figures.get("served_from_cache", True)
            and figures.get("served_from_file", True)
        )
        figures["target_met"] = ratio >= target and valid
    page["targets_met"] = all(page[run]["target_met"] for run in TARGETS)


# --- the report -----------------------------------------------------------------------


def _command_version(argv: list[str], pattern: str) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    found = re.search(pattern, done.stdout + done.stderr)
    return found.group(1) if found else ""


def machine() -> dict[str, Any]:
    cpu_model = ""
    with contextlib.suppress(OSError):
        found = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        cpu_model = found.group(1).strip() if found else ""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "nginx": _command_version(["nginx", "-v"], r"nginx/(\S+)"),
        "wrk": _command_version(["wrk", "-v"], r"wrk (\S+)"),
    }


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The printed table: one line per corpus size, page and server."""
    heading = (
        f"{'articles':>9} {'page':<8} {'server':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6}"
    )
    lines = [f"{heading}  ratio to nginx (same page)"]
    for result in report["results"]:
        for name, page in result["pages"].items():
            for run in SERVERS:
                figures = page[run]
                ratio = ""
                if run in TARGETS:
                    verdict = "met" if figures["target_met"] else "MISSED"
                    ratio = (
                        f"{figures['ratio_to_nginx']:.2%}"
                        f" (target {figures['target']:.1%}: {verdict})"
                    )
                latency = f"{figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f}"
                lines.append(
                    f"{result['articles']:>9,} {name:<8} {run:<9} {figures['rps']:>9,.1f}"
                    f" {latency} {figures['errors']:>6}  {ratio}"
                )
    return lines


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, help="open connections (default 32)")
    parser.add_argument("--threads", type=int, help="wrk threads (default 2)")
    parser.add_argument(
        "--small", action="store_true", help="CI size: 50 articles, 2 s, 8 connections"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite (with the file cache, the default) or postgres (with Redis)",
    )
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args(argv)
    small = args.small
    args.articles = [
        int(n) for n in (args.articles or ("50" if small else "1000,10000")).split(",")
    ]
    args.duration = args.duration or (2 if small else 10)
    args.connections = args.connections or (8 if small else 32)
    args.threads = args.threads or 2
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk needs one per thread)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.populate is not None:
        json.dump(populate(args.populate), sys.stdout)
        return 0
    missing = [tool for tool in ("nginx", "wrk") if shutil.which(tool) is None]
    if missing:
        log(
            f"missing {', '.join(missing)}: Debian packages nginx-light, wrk (make system-packages)"
        )
        return 2
    # SIGTERM unwinds like Ctrl+C, so that every server started so far is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    report: dict[str, Any] = {
        "benchmark": "article and home page throughput",
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "wrk_timeout": WRK_TIMEOUT,
            "gunicorn_workers": GUNICORN_WORKERS,
            "gunicorn_worker_class": "gthread (as tribune serve runs it)",
            "database": "SQLite (WAL)" if args.database == "sqlite" else "PostgreSQL",
            "cache": "file-based, in the data folder" if args.database == "sqlite" else "Redis",
        },
        "pages": {
            "article": f"the English demo article nearest {WORDS_WANTED} words (corpus.page)",
            "home": f"the English home page, {HOME_PATH}",
        },
        "targets": {f"{run}_ratio_to_nginx": target for run, target in TARGETS.items()},
        "results": [],
    }
    try:
        for articles in args.articles:
            report["results"].append(measure(articles, args))
    except (
        BenchError,
        ServicesMissing,
        subprocess.CalledProcessError,
        subprocess.TimeoutExpired,
    ) as error:
        log(f"failed: {error}")
        return 1
    for line in summary_lines(report):
        log(line)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
