from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from tribune.core.pagecache import render_as_reader

# Headers a page served from a file must carry, as the application sends them.
COPIED_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)


class Command(BaseCommand):
    help = (
        "Print an nginx site config for this installation: TLS, static and media files, and "
        "anonymous readers' pages served from TRIBUNE_PAGE_FILES_DIR without Python."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="Where gunicorn listens.")
        parser.add_argument(
            "--server-name", default="", help="Default: the host of TRIBUNE_BASE_URL."
        )
        parser.add_argument("--tls-cert", default="", help="Certificate chain (PEM): serve HTTPS.")
        parser.add_argument("--tls-key", default="", help="Its private key (PEM).")
        parser.add_argument("--listen", default="", help="Default: 443 ssl with TLS, else 80.")
        parser.add_argument("--max-body", default="12m", help="Largest upload nginx accepts.")

    def handle(self, *args: Any, **options: Any) -> None:
        pages = settings.TRIBUNE_PAGE_FILES_DIR
        if not pages:
            raise CommandError(
                "Set TRIBUNE_PAGE_FILES_DIR (e.g. /var/lib/tribune/pages) first: nginx serves "
                "readers' pages from there."
            )
        tls = bool(options["tls_cert"])
        if tls != bool(options["tls_key"]):
            raise CommandError("Give both --tls-cert and --tls-key, or neither.")
        sample = render_as_reader(f"/{settings.LANGUAGE_CODE}/")
        if sample.status_code != 200:
            raise CommandError(
                f"The home page answered {sample.status_code}; run `tribune migrate` and check "
                "TRIBUNE_BASE_URL and ALLOWED_HOSTS."
            )
        headers = [
            (name, sample[name].replace('"', '\\"'))
            for name in COPIED_HEADERS
            if sample.has_header(name)
        ]
        context = {
            "generated": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            "upstream": options["upstream"],
            "server_name": options["server_name"] or urlsplit(settings.TRIBUNE_BASE_URL).hostname,
            "tls": tls,
            "tls_cert": options["tls_cert"],
            "tls_key": options["tls_key"],
            "listen": options["listen"] or ("443 ssl" if tls else "80"),
            "http_listen": "80",
            "max_body": options["max_body"],
            "pages": str(pages).rstrip("/"),
            "static_root": str(settings.STATIC_ROOT).rstrip("/"),
            "media_root": str(settings.MEDIA_ROOT).rstrip("/"),
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "languages": [code for code, _name in settings.LANGUAGES],
            "default_language": settings.LANGUAGE_CODE,
            "headers": headers,
        }
        self.stdout.write(render_to_string("core/deploy/nginx.conf", context), ending="")
