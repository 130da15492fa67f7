"""Sending an edition: deliveries fanned out once, then sent in batches over one connection.

Resumable: every (edition, subscriber) pair has one Delivery row (a unique constraint). Over
SMTP a row is marked sent inside the SMTP transaction, after the message body and before
the final "." that makes the server accept it (`_smtp_send`): a worker killed before the
mark had nothing accepted, and a restart sends what is still pending, so nobody gets a
message twice. The window left is a kill between the mark and writing the "." (two system
calls): that message is lost rather than doubled. Other mail backends (anymail) mark after
the backend returns: there a kill in between means one message sent again, with the same
Message-ID.
"""

import re
import smtplib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any
from urllib.parse import urlsplit

from django import db
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tribune.articles.models import Article
from tribune.articles.queries import as_cards, public_articles
from tribune.core import audit
from tribune.covers.templatetags.covers import cover_view
from tribune.lib.stopping import stop_requests_deferred, stop_requests_to
from tribune.newsletter.models import (
    Delivery,
    Edition,
    State,
    Subscriber,
    Suppression,
    address_hash,
)

# Placeholders put into a rendered edition and replaced per subscriber. Each has the length
# of what replaces it (tokens are 43 characters, Message-ID numbers 12 digits, dates 29
# characters), so that the headers fold the same way as they would with the real values.
_TOKEN = "__TRIBUNE_SUBSCRIBER_TOKEN__".ljust(43, "_")
_DELIVERY = "XDELIVERYIDX"
_DATE = "XDATEXPLACEHOLDERXXXXXXXXXXXX"
_RECIPIENT = "tribune-recipient@placeholder.invalid"
# An address that goes into the message and the envelope as it is: no quoting, no spaces.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,255}")
# A message the server refuses for now (4xx) is tried on this many runs, then it has failed.
MAX_ATTEMPTS = 5


def list_domain() -> str:
    return urlsplit(settings.TRIBUNE_BASE_URL).hostname or "localhost"


def subscriber_urls(token: str, language: str) -> dict[str, str]:
    """The one-click unsubscribe and the self-service links of one subscriber."""
    base = settings.TRIBUNE_BASE_URL
    with translation.override(language):
        return {
            "unsubscribe_url": base + reverse("newsletter:unsubscribe", kwargs={"token": token}),
            "manage_url": base + reverse("newsletter:manage", kwargs={"token": token}),
        }


def unsubscribe_headers(token: str, language: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: one https (or site) URL with an opaque token, a mailto."""
    url = subscriber_urls(token, language)["unsubscribe_url"]
    value = f"<{url}>"
    if settings.TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL:
        value += f", <mailto:{settings.TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL}?subject=unsubscribe>"
    return {
        "List-Unsubscribe": value,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.TRIBUNE_SITE_NAME} <newsletter.{list_domain()}>",
    }


def fan_out(edition: Edition, *, chunk: int = 2000) -> int:
    """Create the pending deliveries of an edition (idempotent: existing rows stay as they are)."""
    subscribers = Subscriber.objects.filter(state=State.CONFIRMED, language=edition.language)
    if edition.kind == Edition.Kind.DIGEST:
        subscribers = subscribers.filter(frequency=edition.frequency)
    created = 0
    ids = subscribers.order_by("pk").values_list("pk", flat=True)
    batch: list[Delivery] = []
    for pk in ids.iterator(chunk_size=chunk):
        batch.append(Delivery(edition=edition, subscriber_id=pk))
        if len(batch) >= chunk:
            created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def _mail_cover(article: Article) -> dict | None:
    """The cover's middle-size JPEG (mail clients know no WebP) as an absolute URL, with its
    alt text; None until the cover's files exist."""
    view = cover_view(article)
    if not view.ready:
        return None
    src = (
        view.src
        if view.src.startswith(("http://", "https://"))
        else (settings.TRIBUNE_BASE_URL + view.src)
    )
    return {"src": src, "alt": view.alt}


# An edition's version for a group of subscribers: (their topics, articles they already got).
Variant = tuple[frozenset[int], frozenset[int]]


class _Renderer:
    """Renders an edition once per (topic set), then puts each subscriber's token in."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        with translation.override(edition.language):
            # Only what is public now: an article unpublished since the edition was made is
            # left out rather than mailed as a dead link.
            self.articles = list(as_cards(public_articles().filter(editions=edition)))
            for article in self.articles:
                article.mail_cover_ = _mail_cover(article)
        self.cache: dict[Variant, tuple[str, str, str] | None] = {}
        self.wire: dict[Variant, bytes | None] = {}
        # The envelope sender, parsed once: per message it cost a fifth of the sending time.
        self.sender = smtplib.quoteaddr(sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8"))

    def _articles_for(self, variant: "Variant") -> list[Article]:
        topic_ids, seen = variant
        articles = [a for a in self.articles if a.pk not in seen]
        if self.edition.kind != Edition.Kind.DIGEST or not topic_ids:
            return articles
        return [a for a in articles if {t.pk for t in a.topics.all()} & topic_ids]

    def render(self, variant: "Variant") -> tuple[str, str, str] | None:
        """The edition for subscribers of these topics who have not had these articles yet."""
        if variant not in self.cache:
            articles = self._articles_for(variant)
            if not articles:
                self.cache[variant] = None
            else:
                context = {
                    "edition": self.edition,
                    "articles": articles,
                    "site_name": settings.TRIBUNE_SITE_NAME,
                    "base_url": settings.TRIBUNE_BASE_URL,
                    **subscriber_urls(_TOKEN, self.edition.language),
                }
                with translation.override(self.edition.language):
                    subject = " ".join(
                        render_to_string("newsletter/mail/edition/subject.txt", context).split()
                    )
                    text = render_to_string("newsletter/mail/edition/body.txt", context)
                    html = render_to_string("newsletter/mail/edition/body.html", context)
                self.cache[variant] = (subject, text, html)
        return self.cache[variant]


def build_message(
    rendered: tuple[str, str, str],
    subscriber: Subscriber,
    message_id: str,
    connection,
    *,
    date: str = "",
) -> EmailMultiAlternatives:
    subject, text, html = rendered
    headers = {
        **unsubscribe_headers(subscriber.token, subscriber.language),
        "Message-ID": message_id,
        "Date": date or formatdate(localtime=False, usegmt=True),
    }
    message = EmailMultiAlternatives(
        subject,
        text.replace(_TOKEN, subscriber.token),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html.replace(_TOKEN, subscriber.token), "text/html")
    return message


def _pending(
    edition: Edition, batch_size: int, after: int, shard: tuple[int, int] | None
) -> list[Delivery]:
    rows = Delivery.objects.filter(
        edition=edition, state=Delivery.DeliveryState.PENDING, pk__gt=after
    )
    if shard is not None:
        # Several senders (connections) share an edition without ever taking the same row.
        rows = rows.alias(shard_=F("pk") % shard[1]).filter(shard_=shard[0])
    return list(
        rows.select_related("subscriber")
        .only(
            "id",
            "attempts",
            "subscriber__id",
            "subscriber__email",
            "subscriber__token",
            "subscriber__language",
            "subscriber__state",
        )
        .order_by("id")[:batch_size]
    )


def _topic_sets(subscriber_ids: list[int]) -> dict[int, frozenset[int]]:
    through = Subscriber.topics.through
    sets: dict[int, set[int]] = {pk: set() for pk in subscriber_ids}
    for sid, tid in through.objects.filter(subscriber_id__in=subscriber_ids).values_list(
        "subscriber_id", "topic_id"
    ):
        sets[sid].add(tid)
    return {pk: frozenset(ids) for pk, ids in sets.items()}


def _seen_articles(
    edition: Edition, renderer: "_Renderer", subscriber_ids: list[int]
) -> dict[int, frozenset[int]]:
    """Which of this edition's articles each subscriber already got in an earlier edition:
    nothing is mailed to the same person twice (one query per batch)."""
    through = Edition.articles.through
    rows = (
        Delivery.objects.filter(subscriber_id__in=subscriber_ids, state=Delivery.DeliveryState.SENT)
        .exclude(edition=edition)
        .filter(
            edition__in=through.objects.filter(
                article_id__in=[a.pk for a in renderer.articles]
            ).values("edition_id")
        )
        .values_list("subscriber_id", "edition__articles")
    )
    ours = {a.pk for a in renderer.articles}
    found: dict[int, set[int]] = {}
    for subscriber_id, article_id in rows:
        if article_id in ours:
            found.setdefault(subscriber_id, set()).add(article_id)
    return {pk: frozenset(ids) for pk, ids in found.items()}


def _mark(delivery: Delivery, state: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.DeliveryState.PENDING).update(
        state=state, **fields
    )


def _wire_template(rendered: tuple[str, str, str], edition: Edition) -> bytes | None:
    """One variant of an edition serialized once, with placeholders where each subscriber's
    values go: building every message with the standard library would cost more than the
    transport. None unless every placeholder survived serialization exactly."""
    sample = Subscriber(email=_RECIPIENT, token=_TOKEN, language=edition.language)
    message_id = f"<{edition.uuid.hex}.{_DELIVERY}@{list_domain()}>"
    message = build_message(rendered, sample, message_id, None, date=_DATE)
    data = message.message().as_bytes(linesep="\r\n")
    _subject, text, html = rendered
    expected = {
        _TOKEN: text.count(_TOKEN) + html.count(_TOKEN) + 1,
        _RECIPIENT: 1,
        _DELIVERY: 1,
        _DATE: 1,
    }
    if any(data.count(mark.encode()) != n for mark, n in expected.items()):
        return None
    return data


def _deliver(
    connection,
    renderer: _Renderer,
    variant: "Variant",
    subscriber: Subscriber,
    pk: int,
    mark_sent: Callable[[str], None],
) -> None:
    """Hand one message to the mail server and call `mark_sent(message_id)` at the point
    after which it counts as sent. Over Django's SMTP backend the message is the variant's
    pre-serialized bytes with this subscriber's values put in; any other backend (anymail,
    console, ...) gets a whole EmailMessage and is marked once it returns."""
    rendered = renderer.render(variant)
    # The same id for the same delivery, every time: should a crash make us send one
    # message again, mailbox providers that drop repeated Message-IDs drop it.
    message_id = f"<{renderer.edition.uuid.hex}.{pk:012d}@{list_domain()}>"
    fits = (
        len(subscriber.email) <= 60
        and _PLAIN_ADDRESS.fullmatch(subscriber.email) is not None
        and len(subscriber.token) == len(_TOKEN)
    )
    if fits and isinstance(connection, SMTPBackend) and connection.connection is not None:
        if variant not in renderer.wire:
            renderer.wire[variant] = _wire_template(rendered, renderer.edition)
        template = renderer.wire[variant]
        if template is not None:
            data = (
                template.replace(_TOKEN.encode(), subscriber.token.encode())
                .replace(_RECIPIENT.encode(), subscriber.email.encode())
                .replace(_DELIVERY.encode(), f"{pk:012d}".encode())
                .replace(_DATE.encode(), formatdate(localtime=False, usegmt=True).encode())
            )
            # Marks the delivery itself, at the SMTP transaction's commit point.
            _smtp_send(
                connection.connection, renderer.sender, subscriber.email, data, pk, message_id
            )
            return
    with stop_requests_deferred():  # stopped between the two, the message would go again
        build_message(rendered, subscriber, message_id, connection).send()
        mark_sent(message_id)


def _smtp_send(
    smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, pk: int, message_id: str
) -> None:
    """One SMTP transaction whose commit point is ours: the message is transferred up to the
    final ".", then the delivery is marked sent, then the "." is written. A worker stopped
    before the mark never had its message accepted (the server drops an unfinished DATA), and
    a stop request after the mark waits for the "." and the reply -- so a restart sends every
    message exactly once. A refusal of the message itself turns the mark back.

    The one thing no client can rule out is SIGKILL (or a power cut) in the microseconds
    between the mark's commit and the write of the ".": that message is recorded but lost.
    That window is a few microseconds in about a millisecond per message; the other order
    (the ".", then the mark) would open one as long as the commit itself, for a repeat."""
    smtp.ehlo_or_helo_if_needed()
    if smtp.sock is not None:
        # The "." leaves on its own, after the mark. With Nagle's algorithm on, the kernel
        # holds that small write until the server acknowledges the body, and servers delay
        # their acknowledgements by up to 40 ms: 25 messages a second at most.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # smtplib's mail() and rcpt() parse both addresses again for every message; the sender
    # was parsed once per run and the recipient is a plain address (_PLAIN_ADDRESS).
    smtp.putcmd("mail", f"FROM:{sender}")
    code, reply = smtp.getreply()
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    smtp.putcmd("rcpt", f"TO:<{recipient}>")
    code, reply = smtp.getreply()
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    # Dot-stuffing (RFC 5321 4.5.2); rendered mail seldom has a line that starts with ".".
    body = re.sub(rb"(?m)^\.", b"..", data) if data[:1] == b"." or b"\n." in data else data
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    # From the mark to the server's reply, a stop request (SIGTERM, Ctrl+C) waits: stopping
    # in between would leave a message marked sent that never left.
    with stop_requests_deferred():
        if not _mark_pending_as_sent(pk, message_id):
            # Another sender has this delivery (the chore's --resume beside a running task):
            # the "." never goes, and closing the connection makes the server drop the message.
            smtp.close()
            raise DeliveryTakenError(pk)
        try:
            smtp.send(b".\r\n")
        except BaseException:
            _unmark(pk)  # the "." never left: the server drops the message
            raise
        code, reply = smtp.getreply()
        if code != 250:
            _unmark(pk)
            raise smtplib.SMTPDataError(code, reply)


class DeliveryTakenError(Exception):
    """Another process marked this delivery first: this run leaves the edition to it."""

    sent = 0  # what this run's batch had sent before


def _mark_pending_as_sent(pk: int, message_id: str) -> int:
    # The same conditional update as the ORM's, in SQL: it runs once per message, and building
    # the query was a third of a message's CPU time.
    table = connection.ops.quote_name(Delivery._meta.db_table)
    columns = "state = %s, message_id = %s, sent_at = %s"
    sql = f"UPDATE {table} SET {columns} WHERE id = %s AND state = %s"  # noqa: S608 - our table
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                Delivery.DeliveryState.SENT.value,
                message_id,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                pk,
                Delivery.DeliveryState.PENDING.value,
            ],
        )
        return cursor.rowcount


def _unmark(pk: int) -> None:
    Delivery.objects.filter(pk=pk, state=Delivery.DeliveryState.SENT).update(
        state=Delivery.DeliveryState.PENDING, message_id="", sent_at=None
    )


def _is_permanent(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    return getattr(error, "smtp_code", 500) >= 500


class _Throttle:
    """The operator's rate (TRIBUNE_NEWSLETTER_RATE): at most `rate` messages a second from
    this process, shared by all its connections; 0 sends as fast as the server takes them."""

    def __init__(self, rate: int) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.next_slot = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            slot = max(self.next_slot, time.monotonic())
            self.next_slot = slot + self.interval
        time.sleep(max(0.0, slot - time.monotonic()))


def _send_batch(
    edition: Edition,
    renderer: _Renderer,
    batch: list[Delivery],
    throttle: _Throttle,
    stop: Callable[[], bool],
) -> int:
    subscribers = [d.subscriber for d in batch]
    topics = _topic_sets([s.pk for s in subscribers])
    seen = _seen_articles(edition, renderer, [s.pk for s in subscribers])
    # Suppression is checked now, at send time, not when the edition was fanned out.
    hashes = {s.pk: address_hash(s.email) for s in subscribers}
    suppressed = set(
        Suppression.objects.filter(address_hash__in=hashes.values()).values_list(
            "address_hash", flat=True
        )
    )
    sent = 0
    connection = get_connection()
    with connection:
        for delivery in batch:
            if stop():
                break
            subscriber = delivery.subscriber
            if subscriber.state != State.CONFIRMED or hashes[subscriber.pk] in suppressed:
                _mark(delivery, Delivery.DeliveryState.SKIPPED, error="not subscribed")
                continue
            variant = (topics[subscriber.pk], seen.get(subscriber.pk, frozenset()))
            if renderer.render(variant) is None:
                _mark(delivery, Delivery.DeliveryState.SKIPPED, error="nothing in their topics")
                continue
            throttle.wait()
            try:
                _deliver(
                    connection,
                    renderer,
                    variant,
                    subscriber,
                    delivery.pk,
                    lambda message_id, pk=delivery.pk: _mark_pending_as_sent(pk, message_id),
                )
            except DeliveryTakenError as taken:
                taken.sent = sent
                raise
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # A refusal of this one recipient: a permanent one (5xx) is recorded, a
                # temporary one (4xx) stays pending for the next run. A broken connection
                # raises: the run stops and a restart resumes.
                if _is_permanent(error) or delivery.attempts + 1 >= MAX_ATTEMPTS:
                    _mark(delivery, Delivery.DeliveryState.FAILED, error=str(error)[:500])
                else:
                    Delivery.objects.filter(
                        pk=delivery.pk, state=Delivery.DeliveryState.PENDING
                    ).update(attempts=F("attempts") + 1, error=str(error)[:500])
                continue
            sent += 1
    return sent


def batches(
    edition: Edition, batch_size: int, limit: int | None, shard: tuple[int, int] | None = None
) -> Iterator[list[Delivery]]:
    # Walks forward by id, so that a delivery left pending by a temporary refusal waits for
    # the next run instead of being retried at once.
    left, after = limit, 0
    while left is None or left > 0:
        size = batch_size if left is None else min(batch_size, left)
        batch = _pending(edition, size, after, shard)
        if not batch:
            return
        after = batch[-1].pk
        yield batch
        if left is not None:
            left -= len(batch)


def send_edition(
    edition_id: int,
    *,
    batch_size: int | None = None,
    limit: int | None = None,
    shard: tuple[int, int] | None = None,
    connections: int = 1,
    progress: Callable[[int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Send an edition's pending deliveries; `limit` stops after that many per connection
    (then call again); `shard=(i, n)` takes only the i-th of n disjoint parts, for n senders
    at once; `connections` > 1 sends that part over as many SMTP connections at once, one
    thread each. `stop` is asked before every message: once it says yes, the run returns.

    Returns how many messages the mail server accepted in this run.
    """
    edition = Edition.objects.get(pk=edition_id)
    # A scheduled edition is started by actions.start_scheduled_edition when it is due.
    if edition.state in (Edition.EditionState.SENT, Edition.EditionState.SCHEDULED):
        return 0
    if edition.state == Edition.EditionState.DRAFT:
        fan_out(edition)
        with transaction.atomic():
            if Edition.objects.filter(pk=edition.pk, state=Edition.EditionState.DRAFT).update(
                state=Edition.EditionState.SENDING
            ):
                audit.record(None, "edition.send", edition, from_state="draft", to_state="sending")
    renderer = _Renderer(edition)
    throttle = _Throttle(settings.TRIBUNE_NEWSLETTER_RATE)
    size = batch_size or settings.TRIBUNE_NEWSLETTER_BATCH_SIZE
    stop = stop or (lambda: False)
    if connections > 1:
        # Part (i, n) split k ways is the parts (i + n*j, n*k): ids with id % n*k == i + n*j.
        index, count = shard or (0, 1)
        parts = [(index + count * j, count * connections) for j in range(connections)]
        sent = _in_threads(
            lambda part: _send_part(edition, renderer, size, limit, part, throttle, progress, stop),
            parts,
        )
    else:
        sent = _send_part(edition, renderer, size, limit, shard, throttle, progress, stop)
    if not Delivery.objects.filter(edition=edition, state=Delivery.DeliveryState.PENDING).exists():
        with transaction.atomic():
            if Edition.objects.filter(pk=edition.pk, state=Edition.EditionState.SENDING).update(
                state=Edition.EditionState.SENT, sent_at=timezone.now()
            ):
                audit.record(None, "edition.sent", edition, from_state="sending", to_state="sent")
    return sent


def send_until_stopped(edition_id: int, **options: Any) -> int:
    """`send_edition` for a process's main thread (a command, a task): a stop request
    (SIGTERM, Ctrl+C) ends the run between two messages and then takes effect, so a worker
    that systemd stops leaves the rest to the resume chore instead of the whole list."""
    stop = threading.Event()
    with stop_requests_to(stop):
        return send_edition(edition_id, stop=stop.is_set, **options)


def _send_part(
    edition: Edition,
    renderer: _Renderer,
    size: int,
    limit: int | None,
    shard: tuple[int, int] | None,
    throttle: _Throttle,
    progress: Callable[[int], None] | None,
    stop: Callable[[], bool],
) -> int:
    sent = 0
    for batch in batches(edition, size, limit, shard):
        if stop():
            break
        try:
            sent += _send_batch(edition, renderer, batch, throttle, stop)
        except DeliveryTakenError as taken:
            sent += taken.sent
            break  # two senders on one edition: the other one goes on, this one stops
        if progress is not None:
            progress(len(batch))
    return sent


def _in_threads(send: Callable[[tuple[int, int]], int], parts: list[tuple[int, int]]) -> int:
    """Each part in its own thread (its own SMTP and database connection); the total sent.
    The first error of any thread is raised once all have ended."""
    results: list[int] = [0] * len(parts)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = send(parts[n])
        except BaseException as error:
            errors.append(error)
        finally:
            db.connection.close()

    threads = [
        threading.Thread(target=run, args=(n,), name=f"newsletter-sender-{n}")
        for n in range(len(parts))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)  # wakes up now and then, so signal handlers run
    if errors:
        raise errors[0]
    return sum(results)


def send_test(edition: Edition, to: str) -> None:
    """The edition as a subscriber with every topic would get it, to an editor's address."""
    rendered = _Renderer(edition).render((frozenset(), frozenset()))
    if rendered is None:
        return
    # A stand-in subscriber: its links lead nowhere, so the test cannot unsubscribe anybody.
    sample = Subscriber(email=to, token="preview", language=edition.language)  # noqa: S106
    message_id = f"<{edition.uuid.hex}.test@{list_domain()}>"
    build_message(rendered, sample, message_id, get_connection()).send()


def preview_html(edition: Edition) -> str:
    rendered = _Renderer(edition).render((frozenset(), frozenset()))
    return rendered[2].replace(_TOKEN, "preview") if rendered else ""
