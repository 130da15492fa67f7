"""Throwaway database and cache servers for fault tests: Debian's binaries, a temporary
folder, a free loopback port. Fault tests stop and start these, never the machine's own
PostgreSQL and Redis that the rest of the suite uses."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, up: bool = True, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not {'open' if up else 'close'} in {seconds}s")


class RedisServer:
    """A redis-server of our own, which a test may stop and start again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
            wait_for_port(self.port, up=False)


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with tempfile.TemporaryDirectory() as folder:
        server = RedisServer(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _as_postgres_user() -> list[str] | None:
    """PostgreSQL refuses to run as root: as root, run its binaries as the postgres user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return ["runuser", "-u", "postgres", "--"]


class PostgresServer:
    """A PostgreSQL cluster of our own in a temporary folder (trust auth, loopback only)."""

    def __init__(self, binaries: Path, folder: Path, prefix: list[str]) -> None:
        self.binaries, self.folder, self.prefix = binaries, folder, prefix
        self.port = free_port()
        self.data = folder / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *arguments: str) -> None:
        subprocess.run(  # noqa: S603 - our own fixed arguments
            [*self.prefix, str(self.binaries / program), *arguments],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "log"),
            "start",
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        wait_for_port(self.port, up=False)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL's server binaries are not installed (Debian package postgresql)")
    prefix = _as_postgres_user()
    if prefix is None:
        pytest.skip("running as root without a postgres user to run PostgreSQL as")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o777)  # the postgres user writes its cluster and socket here
        server = PostgresServer(found[-1].parent, Path(folder), prefix)
        server.create()
        server.start()
        try:
            yield server
        finally:
            with suppress(subprocess.CalledProcessError):
                server.stop()
