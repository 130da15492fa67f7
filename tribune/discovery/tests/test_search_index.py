"""The search index follows the articles: the indexing task, and `tribune rebuild_search_index`."""

import io

import pytest
from django.core.management import call_command

from tribune.articles import actions
from tribune.discovery.backends.base import Document
from tribune.discovery.search import backend, search
from tribune.discovery.tasks_search import update_search_index
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def test_the_task_indexes_published_articles_and_drops_the_others(committed):
    article = factories.article(title="Night trains", body="Sleeper cars to Vienna.")
    assert search("vienna").total == 0  # published, but its after-commit work has not run
    update_search_index.call(article.pk)
    update_search_index.call(article.pk)  # idempotent
    assert search("vienna").total == 1
    assert backend().indexed_ids() == {article.pk}
    actions.unpublish_article(None, article)
    update_search_index.call(article.pk)
    assert backend().indexed_ids() == set()
    update_search_index.call(article.pk + 1000)  # an unknown article is no error


def test_rebuild_indexes_every_published_article_and_drops_stale_entries(committed):
    published = [factories.article(title=f"Library story {n}") for n in range(3)]
    draft = factories.article(title="Library draft", published=False)
    backend().index([Document(draft.pk, "en", "Library draft", "", "", "", "")])  # stale
    assert draft.pk in backend().indexed_ids()
    out = io.StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    assert backend().indexed_ids() == {a.pk for a in published}
    assert search("library").total == 3
    assert "[##############################] 4/4" in out.getvalue()
    assert "Indexed 3 articles, removed 1 from the index." in out.getvalue()
    call_command("rebuild_search_index", stdout=io.StringIO())  # again: same index
    assert search("library").total == 3


def test_topic_and_author_names_are_indexed_as_they_were_at_publication(committed):
    topic = factories.topic("transport", en="Transport", de="Verkehr")
    with committed():
        factories.article(title="Bus lanes", topics=(topic,))
    assert search("verkehr").total == 1


def test_the_engine_follows_the_database_by_default():
    from django.db import connection

    from tribune.discovery.backends.postgres import PostgresSearch
    from tribune.discovery.backends.sqlite import SQLiteSearch

    expected = {"sqlite": SQLiteSearch, "postgresql": PostgresSearch}[connection.vendor]
    assert isinstance(backend(), expected)
