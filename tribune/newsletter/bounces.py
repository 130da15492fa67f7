"""Reading bounce reports (RFC 3464 DSNs) and complaint reports (RFC 5965 ARF)."""

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path


@dataclass(frozen=True)
class Report:
    email: str
    kind: str  # "hard", "soft" or "complaint" (BounceEvent.Kind)
    status: str
    diagnostic: str


def _address(value: str) -> str:
    # "rfc822; reader@example.org" -> "reader@example.org"
    return value.partition(";")[2].strip().strip("<>") if ";" in value else value.strip("<> ")


def _dsn_reports(part: EmailMessage) -> Iterator[Report]:
    # message/delivery-status: the first block is about the message, the rest one per recipient.
    for block in part.get_payload()[1:]:
        recipient = _address(str(block.get("Final-Recipient", "")))
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).strip()
        if not recipient or action not in {"failed", "delayed"}:
            continue
        hard = action == "failed" and status.startswith("5")
        yield Report(
            recipient,
            "hard" if hard else "soft",
            status,
            str(block.get("Diagnostic-Code", "")).strip(),
        )


def _complaint(message: EmailMessage) -> Iterator[Report]:
    recipient = ""
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            fields = part.get_payload()[0]
            recipient = _address(str(fields.get("Original-Rcpt-To", "")))
        elif part.get_content_type() in {"message/rfc822", "text/rfc822-headers"} and not recipient:
            original = part.get_payload()
            original = (
                original[0]
                if isinstance(original, list)
                else message_from_bytes(str(original).encode(), policy=policy.default)
            )
            recipient = str(original.get("To", "")).strip().strip("<>")
    if recipient:
        yield Report(recipient, "complaint", "", "feedback report")


def reports_in(message: EmailMessage) -> list[Report]:
    """What one report message says about which recipients; [] for anything else (an
    auto-reply, say), which is then left alone."""
    if message.get_content_type() != "multipart/report":
        return []
    report_type = message.get_param("report-type", "").lower()
    if report_type == "feedback-report":
        return list(_complaint(message))
    if report_type != "delivery-status":
        return []
    found: list[Report] = []
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            found.extend(_dsn_reports(part))
    return found


def messages_in(path: Path) -> Iterator[tuple[str, EmailMessage]]:
    """Each message in a file (one message, or an mbox) or a Maildir/folder of files."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            yield from messages_in(file)
        return
    data = path.read_bytes()
    if data.startswith(b"From "):
        for entry in mailbox.mbox(str(path)):
            raw = entry.as_bytes()
            yield raw.decode(errors="replace"), message_from_bytes(raw, policy=policy.default)
        return
    yield data.decode(errors="replace"), message_from_bytes(data, policy=policy.default)


def unsubscribe_request(message: EmailMessage, address: str) -> str:
    """The sender of a mail to the List-Unsubscribe mailto `address`, or "" for anything
    else. Mail clients send it with the subject "unsubscribe" from the subscriber's address."""
    if not address or message.get_content_type() == "multipart/report":
        return ""
    recipients = " ".join(str(message.get(name, "")) for name in ("To", "Delivered-To", "Cc"))
    if address.lower() not in recipients.lower():
        return ""
    sender = message.get("From")
    addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    return addresses[0].addr_spec if addresses else ""
