"""Whole-page caching for anonymous readers.

A view opts in with `@cache_for_readers`. Hits are answered before Django does any work:
by `CachedPagesApp`, a thin WSGI layer in front of Django (what gunicorn runs), and, for
anything that reaches Django's handler directly (the test client, other servers), by
`PageCacheMiddleware` at the top of the middleware stack. Both call `lookup`. The
middleware stores each cacheable response with its final headers (security headers
included), since every other middleware has run by the time it sees the response.

Every cached page carries an ETag (a hash of its bytes) and Last-Modified (when it was
rendered), and a conditional GET that matches is answered 304 without the body, by the same
two layers. Browsers are told to revalidate each time (`Cache-Control: no-cache`), so a
change reaches them at once while an unchanged page costs them a few header bytes.

With TRIBUNE_PAGE_FILES_DIR set, cached HTML pages are also written out as files for nginx
to serve without Python (docs/deployment.md): `<dir>/<generation>/<path>/index.html`, and
`<dir>/current` is a symlink to the current generation's folder, swapped atomically when
a new generation starts. A page is written only while `current` points at the generation it
was rendered in, so a folder nginx can reach never holds a page from before a change.

Invalidation is by generation: every cache key carries the current generation, and any
change to what public pages show (an article, its author, its topics) starts a new one.
A new generation is one cache write, seen by every worker process at once (the cache is
shared: files in the data folder, or Redis), and old entries simply expire. With Redis,
each process keeps the generation in memory and Redis's publish/subscribe tells it of a new
one within milliseconds (`ResilientRedisCache.announced`); a process that cannot vouch for
its copy (Redis away, no word for a few seconds) asks Redis on every request as before.
Publishing is rare next to reading, so re-rendering everything after a change costs little.
"""

import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_path_info
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe

from tribune.core.cache import ResilientRedisCache
from tribune.core.logs import request_id

GENERATION_KEY = "pagecache:generation"
CACHE_HEADER = "X-Cache"

Environ = dict[str, Any]
Entry = tuple[int, list[tuple[str, str]], bytes]


def current_generation() -> str | None:
    """The generation cached pages must carry; None when the shared cache cannot say
    (Redis unreachable), and then nothing is answered from the cache."""
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return _file_generation(backend)
    if isinstance(backend, ResilientRedisCache):
        # Kept in memory by a thread that Redis tells of every new generation: a hit then
        # costs no round trip to Redis (which halved the rate of cached pages).
        generation = backend.announced(GENERATION_KEY)
        if generation is not None:
            return generation
    return _read_generation()


def _read_generation() -> str | None:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        if cache.add(GENERATION_KEY, uuid.uuid4().hex, None):
            generation = cache.get(GENERATION_KEY)
            if generation is not None:
                _point_files_at(generation)
                _announce()
        else:
            generation = cache.get(GENERATION_KEY)
    return generation


def _announce() -> None:
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend.announce(GENERATION_KEY)


_seen: tuple[tuple[int, int], str] | None = None


def _file_generation(backend: FileBasedCache) -> str | None:
    """With the file cache, a hit's largest cost was reading the generation's file. Every
    write of it replaces the file (a new inode), so its identity tells whether the copy
    read earlier in this process still holds: one stat() instead of open, read and unzip."""
    global _seen  # per process, like _recent
    try:
        stat = os.stat(backend._key_to_file(GENERATION_KEY))
        identity = (stat.st_ino, stat.st_mtime_ns)
    except FileNotFoundError:
        return _read_generation()
    if _seen is not None and _seen[0] == identity:
        return _seen[1]
    generation = _read_generation()
    if generation is not None:
        _seen = (identity, generation)
    return generation


def invalidate_pages() -> None:
    """Make every cached page stale, in every process (and for nginx)."""
    generation = uuid.uuid4().hex
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend.set_and_announce(GENERATION_KEY, generation)
    else:
        cache.set(GENERATION_KEY, generation, None)
    _point_files_at(generation)


def _files_dir() -> Path | None:
    folder = settings.TRIBUNE_PAGE_FILES_DIR
    return Path(folder) if folder else None


def _point_files_at(generation: str) -> None:
    """Swap `current` to the generation's (new, empty) folder in one rename. The folders of
    older generations are deleted by a task: a folder may hold thousands of pages, and this
    runs in whatever request or task made the change."""
    root = _files_dir()
    if root is None:
        return
    (root / generation).mkdir(parents=True, exist_ok=True)
    link = root / f".current-{generation}"
    link.symlink_to(generation)
    link.replace(root / "current")
    from tribune.core.tasks import prune_page_files  # the tasks module imports this one

    prune_page_files.enqueue()


def prune_page_files() -> int:
    """Delete the page folders of every generation but the current one (nginx keeps open
    what it is sending at that moment); the number deleted."""
    root = _files_dir()
    if root is None or not (root / "current").exists():
        return 0
    serving = os.readlink(root / "current")
    old = [
        folder
        for folder in root.iterdir()
        if folder.name not in {serving, "current"} and not folder.name.startswith(".")
    ]
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    return len(old)


def start_page_files() -> None:
    """When page files are newly switched on, start a new generation: pages cached before
    have no files, and a hit is answered without ever reaching the code that writes one."""
    root = _files_dir()
    if root is not None and not (root / "current").exists():
        invalidate_pages()


def _write_file(key_generation: str, path: str, content: bytes) -> None:
    """Write a page for nginx, if its generation is still the one nginx serves."""
    root = _files_dir()
    if root is None or not path.endswith("/") or ".." in path.split("/"):
        return
    try:
        if os.readlink(root / "current") != key_generation:
            return
    except FileNotFoundError:
        return
    target = root / key_generation / path.lstrip("/") / "index.html"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{uuid.uuid4().hex}.tmp")
        temporary.write_bytes(content)
        temporary.replace(target)  # nginx never reads half a page
    except OSError:  # the folder was cleared under us by a newer generation
        return


def invalidate_pages_on_commit() -> None:
    """Invalidate once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(invalidate_pages)


def cache_for_readers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's successful responses as the same for every anonymous reader."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.cache_for_readers = True
        return response

    return wrapper


def _is_secure(environ: Environ) -> bool:
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and environ.get(header[0]) == header[1]


def _key(environ: Environ, path: str) -> str | None:
    """The cache key of this request, or None when it must not be answered from the cache.

    `path` is the decoded path (Django's `request.path_info`): the WSGI layer decodes the
    server's Latin-1 PATH_INFO the way Django does, so both layers make the same key."""
    if (
        not settings.TRIBUNE_PAGE_CACHE
        or environ.get("REQUEST_METHOD") != "GET"
        # A session cookie may mean a signed-in user, whose page differs.
        or f"{settings.SESSION_COOKIE_NAME}=" in environ.get("HTTP_COOKIE", "")
        # An http:// request that must be redirected to https:// is Django's to answer.
        or (settings.SECURE_SSL_REDIRECT and not _is_secure(environ))
    ):
        return None
    if path.startswith(settings.STATIC_URL):
        return None
    generation = current_generation()
    if generation is None:
        return None
    target = path.encode("utf-8", "surrogatepass") + b"?"
    target += environ.get("QUERY_STRING", "").encode("latin-1", "replace")
    return f"page:{generation}:{hashlib.sha256(target).hexdigest()}"


# Pages this process has served lately. Safe without any invalidation of its own: keys
# carry the generation, which is read from the shared cache on every request. It spares
# a hit the shared cache's file read and decompression of the page.
_recent: dict[str, Entry] = {}
RECENT_PAGES = 200


def lookup(environ: Environ) -> Entry | None:
    key = _key(environ, get_path_info(environ))
    return _fetch(key) if key else None


def _fetch(key: str) -> Entry | None:
    entry = _recent.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            if len(_recent) >= RECENT_PAGES:
                _recent.clear()  # crude but thread-safe; old generations go with it
            _recent[key] = entry
    return entry


class PageCacheMiddleware:
    """Answers hits and stores what `@cache_for_readers` views render for anonymous readers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        start_page_files()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key(request.META, request.path_info)
        if key is None:
            return self.get_response(request)
        hit = _fetch(key)
        if hit is not None:
            status, headers, content = hit
            not_modified = _revalidated(request.META, headers)
            if not_modified is not None:
                return _response(304, not_modified, b"")
            return _response(status, headers, content)
        response = self.get_response(request)
        if (
            getattr(response, "cache_for_readers", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            _add_validators(response)
            headers = [
                *response.items(),
                *(
                    []
                    if response.has_header("Content-Length")
                    else [("Content-Length", str(len(response.content)))]
                ),
                (CACHE_HEADER, "hit"),
            ]
            cache.set(key, (200, headers, response.content), settings.TRIBUNE_PAGE_CACHE_SECONDS)
            if not request.META.get("QUERY_STRING") and response["Content-Type"].startswith(
                "text/html"
            ):
                _write_file(key.split(":")[1], request.path, response.content)
            response[CACHE_HEADER] = "miss"
            not_modified = _revalidated(request.META, [*response.items()])
            if not_modified is not None:
                return _response(304, not_modified, b"")
        return response


def _add_validators(response: HttpResponse) -> None:
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    response["ETag"] = f'"{digest}"'
    response["Last-Modified"] = http_date()
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "no-cache"


def _not_modified(environ: Environ, etag: str, last_modified: str) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(last_modified)
    return since is not None and modified is not None and modified <= since


# A 304 repeats the validators and caching headers of the page, never its body or length.
_NOT_MODIFIED_DROPS = frozenset({"content-length", "content-type"})


def _revalidated(environ: Environ, headers: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The headers of a 304 answer when the reader's copy of this page is current, else None."""
    if "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ:
        return None  # most hits: nothing to compare
    found = {name.lower(): value for name, value in headers}
    etag, last_modified = found.get("etag"), found.get("last-modified")
    if etag is None or last_modified is None or not _not_modified(environ, etag, last_modified):
        return None
    return [(name, value) for name, value in headers if name.lower() not in _NOT_MODIFIED_DROPS]


def _response(status: int, headers: list[tuple[str, str]], content: bytes) -> HttpResponse:
    response = HttpResponse(content, status=status, headers=dict(headers))
    if status == 304:
        del response["Content-Type"]
    return response


class CachedPagesApp:
    """WSGI layer in front of Django: a hit costs two cache reads and nothing else."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(self, environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
        hit = lookup(environ)
        if hit is None:
            return self.application(environ, start_response)
        status, headers, content = hit
        not_modified = _revalidated(environ, headers)
        if not_modified is not None:
            start_response("304 Not Modified", not_modified)
            return []
        start_response(f"{status} OK", headers)
        return [content]


_handler = None


def render_as_reader(path: str) -> HttpResponse:
    """Run `path` through Django as an anonymous GET, exactly as a reader's request would
    go, addressed to the host of TRIBUNE_BASE_URL."""
    global _handler  # one handler per process: building it loads all middleware
    if _handler is None:
        _handler = WSGIHandler()
    base = urlsplit(settings.TRIBUNE_BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": base.hostname,
        "SERVER_PORT": str(port),
        "HTTP_HOST": base.netloc,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": base.scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    # get_response, not the handler itself: a real request's start and finish signals
    # would close the caller's database connection (a task's, a test's) mid-transaction.
    # The caller (a task) keeps its own request id in its log lines afterwards.
    token = request_id.set(request_id.get())
    try:
        return _handler.get_response(WSGIRequest(environ))
    finally:
        request_id.reset(token)


def warm(paths: list[str]) -> None:
    """Render pages into the cache now, so that the first reader after a change gets a hit."""
    if not settings.TRIBUNE_PAGE_CACHE:
        return
    for path in paths:
        render_as_reader(path)
