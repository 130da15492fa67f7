"""How a finding shows: its check's own template when there is one, else the generic one,
with each passage marked in the text around it."""

import copy
from types import SimpleNamespace

import pytest
from django.template import engines

from tribune.checks.models import CheckFinding
from tribune.checks.templatetags.findings import in_context

BODY = (
    "A first paragraph that has nothing to do with it.\n\n"
    + "Words before the passage, " * 6
    + "<b>the passage</b>"
    + ", and words after it" * 8
    + ".\n\nA last paragraph."
)


def finding(check="anything", **fields):
    start = BODY.index("<b>")
    passage = {"field": "body", "start": start, "end": start + 18, "text": "<b>the passage</b>"}
    defaults = {"severity": "warning", "message": "Look here.", "passages": [passage]}
    return CheckFinding(check_name=check, **{**defaults, **fields})


def render(found, revision):
    template = engines["django"].from_string("{% load findings %}{% render_finding f r %}")
    return template.render({"f": found, "r": revision})


def test_a_passage_is_marked_and_escaped_in_a_trimmed_snippet_of_its_own_paragraph():
    revision = SimpleNamespace(body=BODY)
    html = in_context(finding().passages[0], revision)
    assert "<mark>&lt;b&gt;the passage&lt;/b&gt;</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert "first paragraph" not in html and "last paragraph" not in html
    assert len(html) < 300


def test_a_passage_whose_offsets_do_not_match_shows_alone():
    revision = SimpleNamespace(body="Another text altogether.")
    assert in_context(finding().passages[0], revision) == (
        "<mark>&lt;b&gt;the passage&lt;/b&gt;</mark>"
    )
    assert in_context(finding().passages[0], None) == "<mark>&lt;b&gt;the passage&lt;/b&gt;</mark>"


def test_a_finding_without_a_template_of_its_own_renders_with_the_generic_one():
    html = render(finding(), SimpleNamespace(body=BODY))
    assert '<li class="finding finding-warning"' in html
    assert "Look here." in html and "<mark>&lt;b&gt;the passage&lt;/b&gt;</mark>" in html


@pytest.fixture
def own_template(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"checks/findings/special.html": "<li>{{ finding.check }}: {{ finding.data.n }}</li>"},
        ),
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates


def test_a_check_with_a_template_of_its_own_renders_with_it(own_template):
    assert render(finding("special", data={"n": 3}), None) == "<li>special: 3</li>"
    assert "Look here." in render(finding("other"), None)
