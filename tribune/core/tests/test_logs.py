"""Every request gets an id that its log lines carry, so an operator can follow one request."""

import json
import logging

import pytest

from tribune.core.logs import JsonFormatter, RequestIdFilter
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_fresh_request_id_even_from_the_page_cache(client):
    article = factories.article()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept_and_junk_is_replaced(client):
    given = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a9c1b"})
    assert given["X-Request-ID"] == "edge-7f3a9c1b"
    junk = client.get("/healthz", headers={"X-Request-ID": "<script>\n"})
    assert junk["X-Request-ID"] != "<script>\n"
    assert len(junk["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_are_json_with_its_id(client, caplog):
    handler_output = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            handler_output.append(self.format(record))

    collect = Collect()
    collect.addFilter(RequestIdFilter())
    collect.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(collect)
    try:
        response = client.get("/en/no-such-page/")
    finally:
        logger.removeHandler(collect)
    assert response.status_code == 404
    line = json.loads(handler_output[-1])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING"
    assert line["status_code"] == 404
    assert "Not Found" in line["message"]


def test_warming_pages_in_a_task_leaves_the_tasks_own_request_id_alone():
    from tribune.core.logs import request_id
    from tribune.core.pagecache import render_as_reader

    article = factories.article()
    before = request_id.get()
    render_as_reader(article.get_absolute_url())
    assert request_id.get() == before
