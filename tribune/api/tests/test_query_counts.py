"""The content API makes a fixed number of queries whatever the page size: no N+1."""

import pytest

from tribune.api.tests.conftest import ApiClient, token_for
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(committed):
    """Articles with topics (named in two languages), covers, translations, related lists."""
    trains = factories.topic("trains", en="Trains", de="Bahn")
    food = factories.topic("food", en="Food", de="Essen")
    text = "Night trains and sleeper cars cross borders; railway fans rejoice at couchettes."
    with committed():
        articles = [
            factories.article(
                title=f"Trains story {n}", body=f"{text} Part {n}.", topics=(trains, food)
            )
            for n in range(8)
        ]
        factories.article(
            title="Nachtzüge",
            language="de",
            body=text,
            translation_of=articles[0],
            topics=(trains,),
        )
    return articles


def test_the_article_list_takes_three_queries_for_any_number_of_articles(
    anonymous, corpus, django_assert_num_queries
):
    # Articles (with revision, author, profile, cover), their topics, the topics' names.
    with django_assert_num_queries(3):
        assert len(anonymous.get("/api/v1/articles", {"limit": 3}).json()["items"]) == 3
    with django_assert_num_queries(3):
        assert len(anonymous.get("/api/v1/articles", {"limit": 50}).json()["items"]) == 9


def test_a_search_takes_five_queries(anonymous, corpus, django_assert_num_queries):
    # The engine's match, search()'s own fetch, then the three of the list.
    with django_assert_num_queries(5):
        assert anonymous.get("/api/v1/articles", {"q": "trains"}).json()["items"]


def test_one_article_takes_five_queries(anonymous, corpus, django_assert_num_queries):
    # The article, its topics, their names, its translations, its related list.
    path = f"/api/v1/articles/{corpus[0].uuid}"
    with django_assert_num_queries(5):
        article = anonymous.get(path).json()
    assert article["related"] and article["translations"] and article["topics"]


def test_topics_and_authors_take_two_queries_and_one(anonymous, corpus, django_assert_num_queries):
    with django_assert_num_queries(2):
        anonymous.get("/api/v1/topics")
    with django_assert_num_queries(1):
        anonymous.get("/api/v1/authors")


def test_a_token_costs_one_lookup_and_a_rare_last_used_write(corpus, django_assert_num_queries):
    client = ApiClient(token_for(factories.author()))
    with django_assert_num_queries(3 + 2):  # first use: the lookup and last_used_at
        client.get("/api/v1/articles")
    with django_assert_num_queries(3 + 1):
        client.get("/api/v1/articles")


def test_ones_own_articles_take_a_fixed_number_of_queries(django_assert_num_queries):
    writer = factories.author()
    client = ApiClient(token_for(writer))
    client.get("/api/v1/me/articles")  # the token's first use also records it
    for n in range(2):
        factories.article(title=f"Draft {n}", by=writer, published=False)
        factories.article(title=f"Entwurf {n}", language="de", by=writer, published=False)
    # Token, articles (with revision and cover), topics, submissions, and the current
    # guidelines once per language.
    with django_assert_num_queries(1 + 3 + 2):
        assert len(client.get("/api/v1/me/articles").json()["items"]) == 4
