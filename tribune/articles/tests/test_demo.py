"""`tribune demo` loads a small site that shows what Tribune looks like with real content."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from tribune.articles.models import Article, Revision, Status, Topic, TopicName
from tribune.core.templatetags.tribune import reading_time

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1] / "demo"


def load_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO(), no_color=True)
    return out.getvalue()


def test_the_demo_loads_published_articles_in_english_and_german_on_every_main_topic():
    out = load_demo()

    published = Article.objects.filter(status=Status.PUBLISHED)
    assert f"demo: {Article.objects.count()} articles added" in out
    assert published.count() >= 12
    assert published.filter(language="en").exists()
    assert published.filter(language="de").exists()
    covered = set(published.values_list("topics__slug", flat=True))
    assert {"business", "technology", "politics", "science"} <= covered
    assert Article.objects.filter(status=Status.DRAFT).exists()


def test_the_demo_has_at_least_three_english_german_translation_pairs():
    load_demo()

    groups = {}
    for group, language in Article.objects.values_list("translation_group", "language"):
        groups.setdefault(group, set()).add(language)
    pairs = [languages for languages in groups.values() if languages == {"en", "de"}]
    assert len(pairs) >= 3


def test_the_demo_topics_have_their_german_names():
    load_demo()

    business = Topic.objects.get(slug="business")
    assert business.name == "Business"
    assert TopicName.objects.get(topic=business, language="de").name == "Wirtschaft"
    with translation.override("de"):
        page = Client().get(business.get_absolute_url())
    assert page.status_code == 200
    assert '<h1 class="page-title">Wirtschaft</h1>' in page.text


def test_every_demo_article_is_by_one_of_the_demo_authors():
    load_demo()

    usernames = {item["username"] for item in yaml.safe_load((DEMO / "authors.yaml").read_text())}
    assert set(get_user_model().objects.values_list("username", flat=True)) == usernames
    bylines = set(Article.objects.values_list("author__username", flat=True))
    assert bylines <= usernames


def test_running_the_demo_twice_adds_nothing():
    load_demo()
    models = (Article, Revision, Topic, TopicName, get_user_model())
    counts = [model.objects.count() for model in models]

    out = load_demo()

    assert "demo: 0 articles added" in out
    assert [model.objects.count() for model in models] == counts


def test_every_demo_article_renders_at_its_address_with_its_reading_time():
    load_demo()
    reader = Client()

    published = Article.objects.filter(status=Status.PUBLISHED).select_related("live_revision")
    for article in published:
        page = reader.get(article.get_absolute_url())
        assert page.status_code == 200, article.get_absolute_url()
        assert escape(article.live_revision.title) in page.text
        # "4 min read", "4 Minuten Lesezeit": in the article's language, whatever the page's.
        minutes = reading_time(article.reading_minutes, article.language)
        reading = f'<span class="reading-time">{minutes}</span>'
        assert reading in page.text, article.get_absolute_url()


def test_a_demo_draft_is_not_on_the_site():
    load_demo()

    for draft in Article.objects.filter(status=Status.DRAFT):
        assert Client().get(draft.get_absolute_url()).status_code == 404
