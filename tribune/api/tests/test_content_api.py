"""The content API: published articles, topics and authors for anyone, with filters,
cursor pagination, ETags, CORS and rate limits, in a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from tribune.api import queries
from tribune.api.tests.conftest import ApiClient, token_for
from tribune.articles import actions
from tribune.testing import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def publish(committed):
    """Publish through the actions with their after-commit work (index, related, cover)."""

    def make(**fields):
        with committed():
            return factories.article(**fields)

    return make


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_anyone_lists_published_articles_newest_first(anonymous):
    now = timezone.now()
    factories.article(title="Older", published_at=now - 2 * DAY)
    factories.article(title="Newer", published_at=now - DAY)
    factories.article(title="A draft", published=False)
    assert titles(anonymous.get("/api/v1/articles")) == ["Newer", "Older"]


def test_the_list_filters_by_topic_author_language_and_date(anonymous):
    now = timezone.now()
    trains = factories.topic("trains", en="Trains", de="Bahn")
    ada = factories.author("Ada Writer")
    factories.article(title="Night trains", topics=(trains,), by=ada, published_at=now - DAY)
    factories.article(title="Nachtzüge", language="de", topics=(trains,), published_at=now)
    factories.article(title="Old news", published_at=now - 30 * DAY)
    get = lambda **query: titles(anonymous.get("/api/v1/articles", query))  # noqa: E731
    assert get(topic="trains") == ["Nachtzüge", "Night trains"]
    assert get(topic="trains", language="en") == ["Night trains"]
    assert get(author=ada.profile.slug) == ["Night trains"]
    assert get(published_before=(now - 2 * DAY).isoformat()) == ["Old news"]
    assert get(published_after=(now - 2 * DAY).date().isoformat()) == ["Nachtzüge", "Night trains"]
    listed = anonymous.get("/api/v1/articles", {"language": "de"}).json()["items"][0]
    assert listed["topics"] == [{"slug": "trains", "name": "Bahn"}]


def test_an_unknown_language_is_a_422_problem(anonymous):
    response = anonymous.get("/api/v1/articles", {"language": "xx"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "language", "message": "Unknown language."}]


def test_the_cursor_walks_every_article_once(anonymous):
    now = timezone.now()
    same_time = now - DAY  # ties on the date are broken by id
    for n in range(5):
        factories.article(title=f"Story {n}", published_at=same_time if n < 3 else now - n * DAY)
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = anonymous.get("/api/v1/articles", query).json()
        seen += [item["title"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"Story {n}" for n in range(5)] and len(seen) == 5


def test_a_forged_cursor_is_a_400_problem(anonymous):
    for cursor in ("not base64!", "eyJ0IjoieCJ9", "WzFd"):
        response = anonymous.get("/api/v1/articles", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["code"] == "bad_cursor"


def test_full_text_search_ranks_matches_and_pages_by_cursor(anonymous, publish):
    publish(title="Night trains are back", body="Sleeper trains cross Europe again.")
    publish(title="Trains and more trains", body="Trains, trains, railway trains.")
    publish(title="A lentil stew", body="Cook the lentils slowly.")
    first = anonymous.get("/api/v1/articles", {"q": "trains", "limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = anonymous.get(
        "/api/v1/articles", {"q": "trains", "limit": 1, "cursor": first["next_cursor"]}
    ).json()
    found = {first["items"][0]["title"], second["items"][0]["title"]}
    assert found == {"Night trains are back", "Trains and more trains"}
    assert second["next_cursor"] is None
    assert titles(anonymous.get("/api/v1/articles", {"q": "lentils"})) == ["A lentil stew"]


def test_one_article_by_uuid_or_by_language_and_slug(anonymous, publish):
    original = publish(title="Night trains are back", summary="They are.")
    german = publish(title="Nachtzüge sind zurück", language="de", translation_of=original)
    by_uuid = anonymous.get(f"/api/v1/articles/{original.uuid}")
    assert by_uuid.status_code == 200
    article = by_uuid.json()
    assert article == anonymous.get(f"/api/v1/articles/en/{original.slug}").json()
    revision = original.live_revision
    assert article["body_html"] == revision.body_html and "<h2" in article["body_html"]
    assert article["body_markdown"] == revision.body
    assert article["reading_minutes"] == original.reading_minutes
    assert article["headings"][0] == {
        "level": 2,
        "text": "The first section",
        "anchor": "h-the-first-section",
    }
    assert article["translations"] == [
        {
            "uuid": str(german.uuid),
            "language": "de",
            "slug": german.slug,
            "url": f"http://testserver/de/artikel/{german.slug}/",
        }
    ]
    assert article["url"] == f"http://testserver/en/articles/{original.slug}/"
    cover = article["cover"]
    assert cover["ready"] and cover["source"] == "generated"
    assert [r["width"] for r in cover["webp"]] == [400, 800, 1200]
    assert cover["social"].startswith("http://testserver/media/covers/")
    assert "Computer-generated" in cover["caption"] and cover["alt"]


def test_related_articles_come_with_the_article(anonymous, publish):
    text = "Night trains and sleeper cars cross borders; railway fans rejoice at couchettes."
    source = publish(title="Night trains are back", body=text)
    publish(title="Sleeper trains cross borders", body=text + " Tickets.")
    publish(title="Couchettes return", body=text + " Fares.")
    related = anonymous.get(f"/api/v1/articles/{source.uuid}").json()["related"]
    assert {item["title"] for item in related} == {
        "Sleeper trains cross borders",
        "Couchettes return",
    }
    assert all(item["reading_minutes"] >= 1 and item["url"] for item in related)


def test_drafts_unpublished_and_unknown_articles_are_not_found(anonymous):
    draft = factories.article(published=False)
    gone = factories.article()
    actions.unpublish_article(None, gone)
    for path in (
        f"/api/v1/articles/{gone.uuid}",
        f"/api/v1/articles/{draft.uuid}",
        f"/api/v1/articles/en/{draft.slug}",
        "/api/v1/articles/00000000-0000-0000-0000-000000000000",
        "/api/v1/articles/xx/nothing",
    ):
        response = anonymous.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    assert titles(anonymous.get("/api/v1/articles")) == []


def test_topics_list_every_topic_with_its_names(anonymous):
    factories.topic("trains", en="Trains", de="Bahn")
    response = anonymous.get("/api/v1/topics")
    assert response.json() == [
        {"slug": "trains", "name": "Trains", "names": {"en": "Trains", "de": "Bahn"}}
    ]


def test_authors_are_those_with_published_articles(anonymous):
    ada = factories.author("Ada Writer", en="Writes about rivers.")
    factories.article(by=ada)
    factories.article(by=factories.author("Only Drafts"), published=False)
    authors = anonymous.get("/api/v1/authors").json()
    assert authors["next_cursor"] is None
    assert authors["items"] == [
        {
            "slug": ada.profile.slug,
            "name": "Ada Writer",
            "url": f"http://testserver/en/authors/{ada.profile.slug}/",
            "bios": {"en": "Writes about rivers."},
        }
    ]


def test_authors_page_by_cursor(anonymous):
    for n in range(3):
        factories.article(by=factories.author(f"Writer {n}"))
    first = anonymous.get("/api/v1/authors", {"limit": 2}).json()
    second = anonymous.get("/api/v1/authors", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["next_cursor"] is None


def test_an_etag_answers_a_conditional_get_with_304(anonymous):
    article = factories.article()
    for path in ("/api/v1/articles", f"/api/v1/articles/{article.uuid}", "/api/v1/topics"):
        first = anonymous.get(path)
        etag = first["ETag"]
        assert etag.startswith('"') and first["Cache-Control"] == "public, max-age=60"
        again = anonymous.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
    before = anonymous.get(f"/api/v1/articles/{article.uuid}")["ETag"]
    actions.revise_article(None, article, title="A new headline", body="New text.")
    actions.publish_article(None, article)
    after = anonymous.get(f"/api/v1/articles/{article.uuid}", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_cors_allows_any_origin_by_default_and_answers_preflight(anonymous):
    response = anonymous.get("/api/v1/topics", HTTP_ORIGIN="https://app.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = anonymous.options(
        "/api/v1/me/articles",
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.status_code == 204
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]


def test_cors_origins_can_be_limited(anonymous, settings):
    settings.TRIBUNE_API_CORS_ORIGINS = ["https://app.example.org"]
    allowed = anonymous.get("/api/v1/topics", HTTP_ORIGIN="https://app.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert "Origin" in allowed["Vary"]
    other = anonymous.get("/api/v1/topics", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in other
    preflight = anonymous.options(
        "/api/v1/topics",
        HTTP_ORIGIN="https://evil.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Methods" not in preflight


def test_past_the_rate_limit_comes_429_with_retry_after(anonymous, settings, contributor):
    settings.TRIBUNE_API_RATE_ANONYMOUS = 3
    settings.TRIBUNE_API_RATE_TOKEN = 5
    statuses = [anonymous.get("/api/v1/topics").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = anonymous.get("/api/v1/topics", HTTP_ORIGIN="https://app.example.org")
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"  # so a browser app can read it
    # A token raises the limit, counted on its own.
    with_token = ApiClient(token_for(contributor))
    assert [with_token.get("/api/v1/topics").status_code for _ in range(6)] == [200] * 5 + [429]


def test_head_answers_like_get_without_a_body(anonymous):
    factories.topic("trains", en="Trains")
    get = anonymous.get("/api/v1/topics")
    head = anonymous.head("/api/v1/topics")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]


def test_other_methods_and_addresses_get_problem_documents(anonymous):
    refused = anonymous.delete("/api/v1/topics")
    assert refused.status_code == 405 and refused["Allow"] == "GET"
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "method_not_allowed"
    missing = anonymous.get("/api/v2/nothing")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_dates_at_the_calendars_edge_are_refused_not_crashed_on(anonymous):
    response = anonymous.get("/api/v1/articles", {"published_after": "9999-12-31T23:59:59-05:00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "published_after"
    cursor = queries.encode_cursor({"t": "0001-01-01T00:00:00+05:00", "i": 1})
    assert anonymous.get("/api/v1/articles", {"cursor": cursor}).status_code == 400
