"""The progress bar of long-running commands (rebuilds, backups)."""

import sys
from typing import Any


class ProgressBar:
    """One line on stderr: redrawn in place on a terminal, a line per tenth otherwise (so
    that logs of cron and systemd runs stay short). `stream` is a command's `self.stderr`."""

    WIDTH = 30

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = stream.isatty() if hasattr(stream, "isatty") else sys.stderr.isatty()
        self.last: tuple[str, int] = ("", -1)

    def update(self, phase: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.tty and (phase, tenth) == self.last:
            return
        self.last = (phase, tenth)
        filled = int(share * self.WIDTH)
        bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        line = f"{phase:>5} {bar}" if phase else bar
        if self.tty:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def count(self, done: int, total: int) -> None:
        """update() for work that has a single phase."""
        self.update("", done, total)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")
