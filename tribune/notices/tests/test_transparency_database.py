"""Statements of reasons go to the DSA Transparency Database (art. 24(5)) once each; a
server on loopback stands in for the database."""

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tribune.notices import actions
from tribune.notices.models import SubmittedStatement
from tribune.notices.tests.conftest import REMOVE, RESTRICT, notice_about
from tribune.notices.transparency import TDB_COLUMNS
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(settings):
    """A stand-in Transparency Database: records each request and answers from `replies`
    (status, body), one per request, 201 once they run out."""
    received: list[dict] = []
    replies: list[tuple[int, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"headers": dict(self.headers), "body": body})
            status, answer = replies.pop(0) if replies else (201, {"created": True})
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRIBUNE_TDB_URL = f"http://127.0.0.1:{server.server_port}/api/v1/statements"
    settings.TRIBUNE_TDB_TOKEN = "test-token"
    yield received, replies
    server.shutdown()
    server.server_close()
    thread.join()


def two_decisions(moderator):
    first, second = factories.article(), factories.article()
    return (
        actions.decide(moderator, first, notice=notice_about(first), **REMOVE),
        actions.decide(moderator, second, notice=notice_about(second), **RESTRICT),
    )


def test_a_dry_run_prints_the_batch_and_sends_nothing(moderator, database):
    received, _replies = database
    removal, restriction = two_decisions(moderator)
    out = io.StringIO()
    call_command("submit_statements", "--dry-run", stdout=out)
    printed = out.getvalue()
    batch = json.loads(printed[: printed.rindex("}") + 1])
    assert [entry["puid"] for entry in batch["statements"]] == [
        str(removal.uuid),
        str(restriction.uuid),
    ]
    assert "2 statement(s) would be sent" in printed
    assert received == []
    assert not SubmittedStatement.objects.exists()


def test_statements_are_sent_once_with_the_token(moderator, database):
    received, _replies = database
    two_decisions(moderator)
    out = io.StringIO()
    call_command("submit_statements", stdout=out)
    assert "2 statement(s) sent" in out.getvalue()
    [request] = received
    assert request["headers"]["Authorization"] == "Bearer test-token"
    assert len(request["body"]["statements"]) == 2
    assert SubmittedStatement.objects.count() == 2

    call_command("submit_statements", stdout=io.StringIO())
    assert len(received) == 1, "nothing new, nothing sent"


def test_a_statement_the_database_already_holds_counts_as_sent(moderator, database):
    received, replies = database
    removal, restriction = two_decisions(moderator)
    replies.append((422, {"errors": {"statement_0": {"puid": ["The puid is already used."]}}}))
    call_command("submit_statements", stdout=io.StringIO())
    assert [len(r["body"]["statements"]) for r in received] == [2, 1]
    assert received[1]["body"]["statements"][0]["puid"] == str(restriction.uuid)
    assert set(SubmittedStatement.objects.values_list("puid", flat=True)) == {
        str(removal.uuid),
        str(restriction.uuid),
    }


def test_a_refused_batch_stores_nothing_and_says_so(moderator, database):
    _received, replies = database
    two_decisions(moderator)
    replies.append((422, {"errors": {"statement_1": {"category": ["Invalid category."]}}}))
    with pytest.raises(CommandError, match="refused a batch"):
        call_command("submit_statements", stdout=io.StringIO())
    assert not SubmittedStatement.objects.exists()


def test_without_an_address_only_the_dry_run_works(moderator, settings):
    settings.TRIBUNE_TDB_URL = ""
    with pytest.raises(CommandError, match="TRIBUNE_TDB_URL"):
        call_command("submit_statements", stdout=io.StringIO())


def test_the_statements_download_as_csv_under_the_databases_field_names(client, moderator):
    removal, _restriction = two_decisions(moderator)
    response = client.get("/en/transparency/statements.json?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == TDB_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["puid"] == str(removal.uuid)
    assert json.loads(first["decision_visibility"]) == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert first["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert len(rows) == 3
