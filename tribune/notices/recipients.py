"""Counting monthly active recipients (DSA art. 24(2)) from a web server's access log,
without keeping anything about anyone.

Each request a reader made (a page, not a file, not a bot) becomes a keyed hash of its
address and browser, with a key drawn for this run and never stored; the hashes go into a
HyperLogLog sketch, which keeps only a few kilobytes of register maxima, never the hashes.
What is stored is the estimate for the month. Two limits, stated on the transparency
page: the log cannot tell EU recipients from others, so the figure is an upper bound for
the EU, and one person on two devices or networks counts twice, one network shared by
several people with the same browser counts once.
"""

import datetime
import gzip
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from datasketch import HyperLogLogPlusPlus

# The "combined" format of nginx, Apache and gunicorn's default access log.
LINE = re.compile(
    r'^(?P<address>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+)[^"]*" '
    r'(?P<status>\d{3}) \S+ "[^"]*" "(?P<agent>[^"]*)"'
)
# Programs, not people: crawlers, previews, monitors and scripts.
ROBOT = re.compile(
    r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python|httpclient|headless|feedfetcher",
    re.IGNORECASE,
)
NOT_PAGES = ("/static/", "/media/", "/favicon", "/robots.txt", "/health")


def lines_of(paths: Iterable[Path]) -> Iterator[str]:
    """The lines of each log file, gzip-compressed (rotated) ones included."""
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
            yield from lines


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following


def count_recipients(lines: Iterable[str], month: datetime.date) -> int:
    """Estimated unique recipients of `month` (its first day) in these log lines."""
    start, end = month_bounds(month)
    key = secrets.token_bytes(32)  # for this run only: hashes cannot be linked to others
    sketch = HyperLogLogPlusPlus(p=14)
    for line in lines:
        found = LINE.match(line)
        if found is None or found["method"] not in ("GET", "HEAD"):
            continue
        status = int(found["status"])
        if not (200 <= status < 400 or status == 410):
            continue
        if found["path"].startswith(NOT_PAGES) or ROBOT.search(found["agent"]):
            continue
        try:
            when = datetime.datetime.strptime(found["time"], "%d/%b/%Y:%H:%M:%S %z")
        except ValueError:
            continue
        if not start <= when < end:
            continue
        visitor = f"{found['address']}\n{found['agent']}".encode()
        sketch.update(hmac.new(key, visitor, hashlib.sha256).digest())
    return round(sketch.count())
