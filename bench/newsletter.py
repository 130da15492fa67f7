"""Newsletter sending: messages per second into a local SMTP sink, against the raw transport.

For each size, in a fresh temporary folder (SQLite, deleted afterwards): migrate, load the
demo site, add N confirmed subscribers and three editions of the same 8 articles, each
fanned out to every subscriber. Then, one after another, against one aiosmtpd sink (its own
process, writing one line per message received):

- **one** connection: `tribune send_edition UUID` (personalized messages, one process);
- **four** connections: `tribune send_edition UUID --connections 4` (one process, four
  threads);
- **raw** transport, one and four connections: the same number of identical, pre-built
  messages of the same size pushed with smtplib over the same kind of connections: the limit;
- **stop and resume**: `tribune send_edition` is stopped (SIGTERM, as systemd or `kill`
  would) once a third of its messages have arrived, started again with four connections,
  stopped again at two thirds, then started once more; the sink's lines say how many
  subscribers got the edition twice (duplicates) or never (losses);
- **kill and resume**: the same with one SIGKILL half way, which no program can defer: a
  kill in the microseconds between recording a message and its final "." loses that one.

Peak memory is the largest resident size of a sending process (from wait4).

    .venv/bin/python bench/newsletter.py [--subscribers 10000,100000] [--small]

Prints one JSON document to stdout; progress goes to stderr. Targets (issue 7): personalized
sending at 70% of the raw rate or more, zero duplicates, zero losses, memory flat in N.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.7
# Settings Tribune reads that must not leak from the caller's environment into the site.
FOREIGN_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE", "LOG_LEVEL"}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the sink (runs in its own process: `newsletter.py --sink PORT FILE`) ---------------------


def run_sink(port: int, path: str) -> None:
    from aiosmtpd.controller import Controller

    out = open(path, "a", buffering=1)  # noqa: SIM115 - open for the process's lifetime

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd
            message_id = ""
            for line in envelope.content.split(b"\r\n"):
                if not line:
                    break
                if line.lower().startswith(b"message-id:"):
                    message_id = line.split(b":", 1)[1].strip().decode()
            for recipient in envelope.rcpt_tos:
                out.write(f"{message_id}\t{recipient}\n")
            return "250 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


def sink_lines(path: Path, tag: str) -> list[str]:
    if not path.exists():
        return []
    return [line.split("\t")[1] for line in path.read_text().splitlines() if tag in line]


# --- the site -------------------------------------------------------------------------------


def site_env(data_dir: Path, smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in FOREIGN_ENV and not key.startswith(("TRIBUNE_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tribune.settings",
        TRIBUNE_DATA_DIR=str(data_dir),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        TRIBUNE_BASE_URL="https://news.example.org",
        TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL="unsubscribe@news.example.org",
        TRIBUNE_NEWSLETTER_BATCH_SIZE="500",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def populate(subscribers: int) -> dict[str, Any]:
    """In a child process: subscribers, 8 articles, four fanned-out editions."""
    import django

    django.setup()
    from django.utils import timezone

    from tribune.articles.models import Article, Status
    from tribune.newsletter import actions, sending
    from tribune.newsletter.models import Edition, State, Subscriber

    now = timezone.now()
    chunk = 5000
    for start in range(0, subscribers, chunk):
        # Bulk rows rather than the sign-up action: the benchmark is about sending.
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"reader{n}@example.org",
                language="en",
                state=State.CONFIRMED,
                requested_at=now,
                confirmed_at=now,
            )
            for n in range(start, min(subscribers, start + chunk))
        )
    articles = list(
        Article.objects.filter(status=Status.PUBLISHED, language="en").order_by("-published_at")[:8]
    )
    editions = []
    for name in ("one", "four", "stop", "kill"):
        edition = actions.save_edition(
            None,
            Edition(subject=f"Bench {name}", language="en", intro="What happened this week."),
            articles,
        )
        sending.fan_out(edition)
        Edition.objects.filter(pk=edition.pk).update(state=Edition.EditionState.SENDING)
        editions.append(str(edition.uuid))
    sample = sending._Renderer(Edition.objects.get(uuid=editions[0])).render(
        (frozenset(), frozenset())
    )
    return {"editions": editions, "articles": len(articles), "html_bytes": len(sample[2])}


def forget(uuid: str) -> None:
    """In a child process: drop an edition's deliveries. The editions carry the same
    articles, and Tribune never mails anyone an article twice; without this every run after
    the first would (rightly) send nothing."""
    import django

    django.setup()
    from tribune.newsletter.models import Delivery

    Delivery.objects.filter(edition__uuid=uuid, state=Delivery.DeliveryState.SENT).delete()


def run_forget(env: dict, work: Path, uuid: str) -> None:
    subprocess.run([sys.executable, __file__, "--forget", uuid], env=env, cwd=work, check=True)


def tribune(env: dict, work: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tribune", *args],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait(process: subprocess.Popen) -> int:
    """Wait for a child; its peak resident size in KB (Linux: ru_maxrss is in KB)."""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


def timed_send(env: dict, work: Path, uuid: str, connections: int) -> tuple[float, int]:
    started = time.perf_counter()
    process = tribune(env, work, "send_edition", uuid, "--connections", str(connections))
    peak = wait(process)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(process.stderr.read().decode()[-2000:])
    return elapsed, peak


def raw_worker(port: int, count: int, size: int) -> None:
    """In a child process: `count` identical pre-built messages over one connection."""
    body = ("x" * 76 + "\r\n") * max(1, size // 78)
    message = (
        "From: Tribune <noreply@example.org>\r\nTo: reader@example.org\r\n"
        "Subject: raw\r\nMessage-ID: <raw@bench>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
    ).encode()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            smtp.sendmail("noreply@example.org", [f"raw{n}@example.org"], message)


def timed_raw(port: int, total: int, connections: int, size: int) -> float:
    started = time.perf_counter()
    share = total // connections
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--raw", str(port), str(share), str(size)],
        )
        for _ in range(connections)
    ]
    for process in processes:
        process.wait()
    return time.perf_counter() - started


def interrupt_and_resume(
    env: dict, work: Path, uuid: str, sink: Path, total: int, signum: int, runs: list[list[str]]
) -> dict:
    """Send (with each run's extra arguments), interrupt with `signum` at 1/(runs+1),
    2/(runs+1)... of the way, then send what is left."""
    tag = uuid.replace("-", "")
    interrupted_after = []
    times = len(runs)
    for n, extra in enumerate(runs, start=1):
        process = tribune(env, work, "send_edition", uuid, "--batch-size", "50", *extra)
        threshold = max(1, total * n // (times + 1))
        while len(sink_lines(sink, tag)) < threshold and process.poll() is None:
            time.sleep(0.02)
        process.send_signal(signum)
        process.wait()
        interrupted_after.append(len(sink_lines(sink, tag)))
    resumed = tribune(env, work, "send_edition", uuid)
    wait(resumed)
    received = Counter(sink_lines(sink, tag))
    expected = {f"reader{n}@example.org" for n in range(total)}
    return {
        "signal": signal.Signals(signum).name,
        "interrupted_after": interrupted_after,
        "received": sum(received.values()),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "losses": len(expected - set(received)),
    }


def run_size(subscribers: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="tribune-bench-newsletter-"))
    port = free_port()
    sink_path = work / "sink.txt"
    sink = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(sink_path)])
    try:
        env = site_env(work / "data", port)
        log(f"{subscribers:,} subscribers: migrating and loading the demo site")
        for command in (["migrate", "--noinput", "-v", "0"], ["demo"]):
            subprocess.run(
                [sys.executable, "-m", "tribune", *command],
                env=env,
                cwd=work,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        built = subprocess.run(
            [sys.executable, __file__, "--populate", str(subscribers)],
            env=env,
            cwd=work,
            check=False,
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            raise RuntimeError(f"populating failed:\n{built.stderr[-3000:]}")
        setup = json.loads(built.stdout)
        one, four, stop, kill = setup["editions"]
        for _ in range(100):  # the sink is up once it answers
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        log(f"{subscribers:,}: sending over one connection")
        one_s, one_kb = timed_send(env, work, one, 1)
        run_forget(env, work, one)
        log(f"{subscribers:,}: sending over four connections")
        four_s, four_kb = timed_send(env, work, four, 4)
        size = setup["html_bytes"] * 2  # HTML and plain text, roughly
        log(f"{subscribers:,}: raw transport")
        raw_one_s = timed_raw(port, subscribers, 1, size)
        raw_four_s = timed_raw(port, subscribers, 4, size)
        run_forget(env, work, four)
        log(f"{subscribers:,}: stop (SIGTERM) twice and resume")
        stopped = interrupt_and_resume(
            env, work, stop, sink_path, subscribers, signal.SIGTERM, [[], ["--connections", "4"]]
        )
        run_forget(env, work, stop)
        log(f"{subscribers:,}: kill (SIGKILL) and resume")
        killed = interrupt_and_resume(env, work, kill, sink_path, subscribers, signal.SIGKILL, [[]])
        counts = {
            name: Counter(sink_lines(sink_path, uuid.replace("-", "")))
            for name, uuid in (("one", one), ("four", four))
        }
        result = {
            "subscribers": subscribers,
            "articles": setup["articles"],
            "message_bytes_approx": size,
            "one_connection": {
                "seconds": round(one_s, 2),
                "messages": sum(counts["one"].values()),
                "per_second": round(subscribers / one_s, 1),
                "raw_per_second": round(subscribers / raw_one_s, 1),
                "peak_rss_mb": round(one_kb / 1024, 1),
            },
            "four_connections": {
                "seconds": round(four_s, 2),
                "messages": sum(counts["four"].values()),
                "per_second": round(subscribers / four_s, 1),
                "raw_per_second": round(subscribers / raw_four_s, 1),
                "peak_rss_mb": round(four_kb / 1024, 1),
            },
            "stop_and_resume": stopped,
            "kill_and_resume": killed,
        }
        for key in ("one_connection", "four_connections"):
            part = result[key]
            part["ratio_to_raw"] = round(part["per_second"] / part["raw_per_second"], 3)
            part["target_met"] = part["ratio_to_raw"] >= TARGET_RATIO
        return result
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", default="10000,100000")
    parser.add_argument("--small", action="store_true", help="The CI size: 120 subscribers.")
    parser.add_argument("--sink", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--raw", nargs=3, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--forget", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(int(args.sink[0]), args.sink[1])
        return
    if args.populate is not None:
        print(json.dumps(populate(args.populate)))
        return
    if args.forget:
        forget(args.forget)
        return
    if args.raw:
        raw_worker(*args.raw)
        return
    sizes = [120] if args.small else [int(n) for n in args.subscribers.split(",")]
    results = [run_size(n) for n in sizes]
    print(
        json.dumps(
            {
                "benchmark": "newsletter",
                "results": results,
                "exactly_once_after_sigterm": all(
                    r["stop_and_resume"]["duplicates"] == r["stop_and_resume"]["losses"] == 0
                    for r in results
                ),
                "sigkill_duplicates": sum(r["kill_and_resume"]["duplicates"] for r in results),
                "sigkill_losses": sum(r["kill_and_resume"]["losses"] for r in results),
                "machine": {
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(),
                    "python": platform.python_version(),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
