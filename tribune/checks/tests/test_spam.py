"""The spam and form check: links, headline, length, and a headline another article has."""

import pytest
from django.db import connection

from tribune.articles.models import Article
from tribune.checks.base import Draft
from tribune.checks.rules.spam import same_headline_articles
from tribune.checks.tests.test_language import ENGLISH_BUDGET, GERMAN_TRAIN, run
from tribune.testing import factories


def kinds(findings):
    return {f.data["kind"]: f for f in findings}


def english(body=ENGLISH_BUDGET, title="Council passes the budget", **fields):
    return Draft(title=title, body=body, language="en", **fields)


@pytest.mark.django_db
def test_an_ordinary_article_has_no_spam_finding():
    assert run("spam", english()) == []
    assert run("spam", Draft(title="Brücken marode", body=GERMAN_TRAIN, language="de")) == []


@pytest.mark.django_db
def test_too_many_links_are_a_warning():
    body = ENGLISH_BUDGET + " ".join(f"https://shop{n}.example/buy" for n in range(16))
    finding = kinds(run("spam", english(body)))["too_many_links"]
    assert finding.severity == "warning"
    assert finding.data["count"] == 16


@pytest.mark.django_db
def test_shortened_links_are_quoted():
    body = ENGLISH_BUDGET + "More at [this page](https://bit.ly/3xYz) and https://t.co/abc."
    finding = kinds(run("spam", english(body)))["shortener"]
    assert [p.text for p in finding.passages] == ["https://bit.ly/3xYz", "https://t.co/abc"]
    assert all(body[p.start : p.end] == p.text for p in finding.passages)


@pytest.mark.django_db
def test_a_link_to_a_blocked_domain_or_its_subdomain_blocks(settings):
    settings.TRIBUNE_BLOCKED_DOMAINS = ["casino.example"]
    body = ENGLISH_BUDGET + "Win at https://www.casino.example/win and https://pills.example."
    finding = kinds(run("spam", english(body), blocked_domains=["pills.example"]))["blocked_domain"]
    assert finding.severity == "blocking"
    assert finding.data["domains"] == ["casino.example", "pills.example"]
    assert [p.text for p in finding.passages] == [
        "https://www.casino.example/win",
        "https://pills.example",
    ]


@pytest.mark.django_db
def test_a_blocked_domain_among_the_sources_blocks_too(settings):
    settings.TRIBUNE_BLOCKED_DOMAINS = ["casino.example"]
    draft = english(sources=("https://casino.example/a",))
    assert kinds(run("spam", draft))["blocked_domain"].passages == ()


@pytest.mark.django_db
def test_an_all_caps_headline_is_a_warning_but_an_acronym_is_not():
    assert "all_caps" in kinds(run("spam", english(title="COUNCIL PASSES THE BUDGET")))
    assert run("spam", english(title="NATO and the EU meet in Bonn")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "bait"),
    [
        ("You won't believe what the council did", "You won't believe"),
        ("Shocking budget vote in the council", "Shocking"),
        ("Budget passed!!!", "!!!"),
        ("10 things you need to know about the budget", "10 things you"),
        ("Das glaubt keiner: Der Haushalt steht", "Das glaubt keiner"),
        ("Unfassbar, was der Rat beschlossen hat", "Unfassbar"),
        ("7 Gründe, warum der Haushalt scheitert", "7 Gründe, warum"),
    ],
)
def test_click_bait_headlines_are_flagged_with_the_bait_quoted(title, bait):
    finding = kinds(run("spam", english(title=title)))["clickbait"]
    assert finding.passages[0].text == bait
    assert finding.passages[0].field == "title"


@pytest.mark.django_db
def test_a_question_and_exclamation_in_a_german_headline_is_no_bait():
    draft = Draft(title="Kommt jetzt die Wende?!", body=GERMAN_TRAIN, language="de")
    assert run("spam", draft) == []


@pytest.mark.django_db
def test_a_body_too_short_or_too_long_is_a_warning():
    assert kinds(run("spam", english("Too short.")))["too_short"].data == {
        "kind": "too_short",
        "words": 2,
        "limit": 120,
    }
    assert kinds(run("spam", english("")))["too_short"].data["words"] == 0
    long = kinds(run("spam", english(ENGLISH_BUDGET), max_words=100))["too_long"]
    assert long.data["words"] > 100


@pytest.mark.django_db
def test_a_megabyte_of_junk_gives_findings_and_no_crash():
    junk = (bytes(range(256)).decode("latin-1") + "\udcff") * 4000
    assert set(kinds(run("spam", english(junk)))) <= {"too_long", "too_short", "all_caps"}


@pytest.mark.django_db
def test_a_headline_another_published_article_has_blocks_whatever_the_case_and_spacing():
    other = factories.article(title="Council passes the budget")
    draft = english(title="  council   PASSES the budget ")
    finding = kinds(run("spam", draft))["same_headline"]
    assert finding.severity == "blocking"
    assert finding.data["articles"] == [
        {
            "uuid": str(other.uuid),
            "slug": other.slug,
            "language": "en",
            "status": "published",
            "title": "Council passes the budget",
            "url": other.get_absolute_url(),
        }
    ]


@pytest.mark.django_db
def test_a_pending_article_counts_but_a_draft_and_the_article_itself_do_not():
    pending = factories.article(title="Rail bridges crumble", published=False)
    draft = english(title="Rail bridges crumble")
    assert same_headline_articles(draft) == []  # still a draft
    Article.objects.filter(pk=pending.pk).update(status="submitted")
    assert [a["uuid"] for a in same_headline_articles(draft)] == [str(pending.uuid)]
    itself = english(title="Rail bridges crumble", article_id=pending.pk)
    assert same_headline_articles(itself) == []


@pytest.mark.django_db
def test_a_translation_of_the_same_piece_does_not_count():
    original = factories.article(title="Bonn", language="en")
    translated = english(title="Bonn", translation_group=str(original.translation_group))
    assert same_headline_articles(translated) == []


@pytest.mark.django_db
def test_the_same_headline_lookup_is_one_query(django_assert_num_queries):
    factories.article(title="Council passes the budget")
    with django_assert_num_queries(1):
        assert len(same_headline_articles(english())) == 1


@pytest.mark.django_db
def test_the_same_headline_lookup_uses_the_index_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the plan is read from SQLite's EXPLAIN QUERY PLAN")
    from django.db.models import Value
    from django.db.models.functions import Lower

    from tribune.articles.models import Revision

    query = Revision.objects.annotate(t=Lower("title")).filter(t=Lower(Value("x")))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "checks_revision_title_lower" in plan


@pytest.mark.django_db
def test_the_finding_links_a_published_match_and_shows_pending_ones_to_editors_only():
    from types import SimpleNamespace

    from tribune.checks.templatetags.findings import render_finding

    published = factories.article(title="Rail bridges crumble")
    pending = factories.article(title="rail bridges crumble", language="de", published=False)
    Article.objects.filter(pk=pending.pk).update(status="submitted")
    found = kinds(run("spam", english(title="Rail bridges crumble")))["same_headline"]
    finding = SimpleNamespace(
        pk=1,
        check_name="spam",
        severity=found.severity,
        get_severity_display=lambda: "Blocking",
        message=found.message,
        passages=[p.as_json() for p in found.passages],
        data=dict(found.data),
    )
    contributors = render_finding(finding, None)
    assert f'href="{published.get_absolute_url()}"' in contributors
    assert "not yet published" not in contributors
    editors = render_finding(finding, None, show_pending=True)
    assert "not yet published" in editors


@pytest.mark.django_db
def test_a_shortened_source_and_a_link_in_the_summary_count_too():
    draft = english(
        summary="Details at https://tinyurl.com/budget",
        sources=("https://bit.ly/minutes", "https://example.org/minutes"),
    )
    finding = kinds(run("spam", draft))["shortener"]
    assert [(p.field, p.text) for p in finding.passages] == [
        ("summary", "https://tinyurl.com/budget")
    ]
    assert finding.data["count"] == 2
    assert finding.data["sources"] == ["https://bit.ly/minutes"]
