"""Done means: on a machine-translated text, the editor sees the leftover foreign phrases
(the real checks, through URLs)."""

import pytest

from tribune.checks.models import CheckRun
from tribune.checks.tests.test_flow import person, submit
from tribune.checks.tests.test_language import GERMAN_MACHINE_TRANSLATED
from tribune.submissions.models import Submission

pytestmark = pytest.mark.django_db


def test_the_editor_sees_the_leftover_english_phrases_of_a_machine_translation(committed):
    _writer, client = person("writer")
    _editor, desk = person("editor", editor=True)
    text = {
        "title": "Neue Regeln für die Innenstadt",
        "summary": "Die Stadt sperrt die Fußgängerzone für Autos.",
        "body": GERMAN_MACHINE_TRANSLATED,
        "language": "de",
        "sources": "https://example.org/stadtrat",
    }
    with committed():
        submit(client, text, language="de")
    finding = CheckRun.objects.get().findings.get(check_name="language")
    assert finding.data["kind"] == "foreign_passages"
    page = desk.get(f"/en/editorial/{Submission.objects.get().uuid}/").content.decode()
    assert "<mark>which will come into force next spring.</mark>" in page
    assert "<mark>especially on weekends when most people go shopping.</mark>" in page
