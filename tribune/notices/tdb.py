"""Sending statements of reasons to the DSA Transparency Database (art. 24(5)).

The batch endpoint takes up to 100 statements; if one is invalid, none is stored, and the
errors come back keyed `statement_<index>`. A statement whose `puid` the database already
holds counts as sent. Anything but 201 means nothing was stored: the next run tries again.
(https://transparency.dsa.ec.europa.eu/page/api-documentation-two)
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

BATCH = 100
TIMEOUT = 60


class SubmissionFailed(Exception):
    """The database answered with something other than success; nothing new was stored."""


def batches(statements: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(statements), BATCH):
        yield statements[start : start + BATCH]


def _post(url: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 (the operator's configured https URL)
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (as above)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")[:500]


def _duplicates(errors: Any, batch: list[dict[str, Any]]) -> set[int]:
    """Indexes of statements refused only because their puid is already stored."""
    found = set()
    if not isinstance(errors, dict):
        return found
    for key, value in (errors.get("errors") or {}).items():
        index = key.removeprefix("statement_")
        fields = value if isinstance(value, dict) else {}
        if index.isdigit() and int(index) < len(batch) and set(fields) == {"puid"}:
            found.add(int(index))
    return found


def send(url: str, token: str, batch: list[dict[str, Any]]) -> list[str]:
    """Post one batch; the puids now in the database. On a 422 caused only by puids it
    already holds, those count as stored and the rest is posted again."""
    status, answer = _post(url, token, {"statements": batch})
    if status == 201:
        return [entry["puid"] for entry in batch]
    if status == 422:
        known = _duplicates(answer, batch)
        if known:
            rest = [entry for i, entry in enumerate(batch) if i not in known]
            return [batch[i]["puid"] for i in sorted(known)] + (
                send(url, token, rest) if rest else []
            )
        raise SubmissionFailed(f"422: {json.dumps(answer)[:2000]}")
    raise SubmissionFailed(f"{status}: {json.dumps(answer)[:500]}")
