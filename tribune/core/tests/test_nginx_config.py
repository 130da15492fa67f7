"""The nginx site that `tribune nginx_config` writes (docs/deployment.md), run by a real
nginx: anonymous readers' pages come from files, everything else from the application."""

import http.server
import os
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tribune.testing.throwaway import free_port, wait_for_port

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]


class _App(http.server.BaseHTTPRequestHandler):
    """Stands in for gunicorn: says it answered, and what it was told by nginx."""

    def do_GET(self) -> None:
        body = f"from the application, signed in={'sessionid' in self.headers.get('Cookie', '')}"
        self.send_response(200)
        self.send_header("X-Seen-Request-ID", self.headers.get("X-Request-ID", ""))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(settings, tmp_path):
    settings.TRIBUNE_PAGE_FILES_DIR = str(tmp_path / "pages")
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    out = StringIO()
    call_command(
        "nginx_config", upstream=f"127.0.0.1:{app.server_port}", listen=f"127.0.0.1:{port}",
        stdout=out,
    )  # fmt: skip
    (tmp_path / "site.conf").write_text(out.getvalue())
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        + "events {}\nhttp { include /etc/nginx/mime.types; access_log off;\n"
        + "".join(
            f"{kind}_temp_path {tmp_path}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"include {tmp_path}/site.conf; }}\n"
    )
    nginx = subprocess.Popen(
        [
            *("nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")),
            *("-e", str(tmp_path / "error.log")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}", tmp_path / "pages"
    finally:
        nginx.terminate()
        nginx.wait(10)
        app.shutdown()
        app.server_close()


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_anonymous_pages_come_from_files_with_the_applications_security_headers(site, client):
    url, pages = site
    page = pages / "current" / "en" / "article" / "some-story" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>a page written by the application</p>")
    own = client.get("/en/")

    status, headers, body = _get(f"{url}/en/article/some-story/")
    assert (status, body) == (200, "<p>a page written by the application</p>")
    assert headers["X-Cache"] == "file"
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Content-Language"] == "en"
    assert headers["Content-Security-Policy"] == own["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_signed_in_readers_queries_and_missing_pages_go_to_the_application(site):
    url, pages = site
    page = pages / "current" / "en" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("cached home")
    assert _get(f"{url}/en/")[2] == "cached home"
    assert _get(f"{url}/en/", Cookie="csrftoken=x; sessionid=abc")[2].endswith("signed in=True")
    assert _get(f"{url}/en/?page=2")[2].startswith("from the application")
    _, headers, body = _get(f"{url}/en/article/not-yet-written/")
    assert body.startswith("from the application")
    assert len(headers["X-Seen-Request-ID"]) == 32  # nginx passes its request id on


def test_the_command_refuses_without_a_pages_folder(settings):
    settings.TRIBUNE_PAGE_FILES_DIR = ""
    with pytest.raises(CommandError, match="TRIBUNE_PAGE_FILES_DIR"):
        call_command("nginx_config", stdout=StringIO())
