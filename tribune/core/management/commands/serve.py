import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tribune.core.server import gunicorn_command
from tribune.core.workers import queue_kind


class Command(BaseCommand):
    help = "Serve the site with gunicorn, and run a task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker process.")
        parser.add_argument("--access-log", action="store_true", help="Log every request.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        processes = []
        if not options["no_worker"] and queue_kind() != "immediate":
            worker = [sys.executable, "-m", "tribune", "worker"]
            processes.append(subprocess.Popen(worker))  # noqa: S603 - fixed arguments
        command = gunicorn_command(
            options["bind"], options["workers"], options["threads"], options["access_log"]
        )
        web = subprocess.Popen(command)  # noqa: S603 - our own interpreter, fixed arguments
        processes.append(web)
        self.stdout.write(f"Tribune is at http://{options['bind']}/ (Ctrl+C stops it)")
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait()
