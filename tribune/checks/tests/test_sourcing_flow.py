"""Done means: on an article that credits a newspaper with a revelation without any link,
the editor sees that sentence quoted on the review page (the real checks, through URLs)."""

import pytest

from tribune.checks.models import CheckRun
from tribune.checks.tests.test_flow import person, submit
from tribune.checks.tests.test_sourcing import REVELATION
from tribune.submissions.models import Submission

pytestmark = pytest.mark.django_db

UNSOURCED = {
    "title": "Consultants cost the city millions",
    "summary": "Contracts went to friends of the mayor's office.",
    "body": REVELATION,
    "language": "en",
    "sources": "",
}


def test_the_editor_sees_the_sentence_crediting_a_newspaper_without_a_link(committed):
    _writer, client = person("writer")
    _editor, desk = person("editor", editor=True)
    with committed():
        submit(client, UNSOURCED)
    run = CheckRun.objects.get()
    sourcing = run.findings.get(check_name="sourcing")
    assert sourcing.severity == "warning"
    assert [p["text"] for p in sourcing.passages] == [
        "The Wall Street Journal reveals that the contracts were never put out to tender."
    ]
    page = desk.get(f"/en/editorial/{Submission.objects.get().uuid}/").content.decode()
    assert (
        "<mark>The Wall Street Journal reveals that the contracts were never put out to "
        "tender.</mark>"
    ) in page


def test_the_same_article_with_a_source_has_no_unsourced_finding(committed):
    _writer, client = person("writer")
    with committed():
        submit(client, {**UNSOURCED, "sources": "https://www.wsj.com/articles/contracts"})
    assert not CheckRun.objects.get().findings.filter(check_name="sourcing").exists()
