"""Feeds as a feed reader (and the W3C validator's rules) see them."""

import datetime
import email.utils
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tribune.articles import actions
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
BYPASS_CACHE = {"HTTP_COOKIE": "sessionid=none"}
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}


def parse_xml(text: bytes | str) -> ET.Element:
    # Our own server's output, in a test: nothing untrusted to defuse.
    return ET.fromstring(text)  # noqa: S314


def days_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def rss_items(client, url: str, **extra) -> list[ET.Element]:
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return parse_xml(response.content).findall("channel/item")


def titles_in(client, url: str, **extra) -> list[str]:
    """The headlines a reader sees in any of the three formats."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    if url.endswith(".json"):
        return [item["title"] for item in json.loads(response.content)["items"]]
    root = parse_xml(response.content)
    if root.tag == "rss":
        # RSS titles are HTML: one more level of escaping than Atom's plain text.
        return [parse_xml(f"<t>{i.findtext('title')}</t>").text for i in root.iter("item")]
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def newsroom():
    """Two English and one German article, a topic, a translation, a draft, an unpublished one."""
    business = factories.topic("business", en="Business", de="Wirtschaft")
    writer = factories.author("Mara Lindqvist")
    older = factories.article(
        title="Repair cafés are thriving",
        by=writer,
        topics=(business,),
        summary="Fixing beats buying.",
        published_at=days_ago(3),
    )
    newer = factories.article(title="Night trains are back", published_at=days_ago(1))
    german = factories.article(
        title="Reparaturcafés boomen",
        language="de",
        by=writer,
        topics=(business,),
        translation_of=older,
        published_at=days_ago(2),
    )
    factories.article(title="A draft nobody may see", published=False)
    gone = factories.article(title="Taken down", topics=(business,), by=writer)
    actions.unpublish_article(None, gone)
    return {"business": business, "writer": writer, "older": older, "newer": newer, "de": german}


FEED_URLS = [
    "/en/feeds/{file}",
    "/de/feeds/{file}",
    "/en/feeds/all/{file}",
    "/en/feeds/topics/business/{file}",
    "/en/feeds/authors/{author}/{file}",
]


def all_feed_urls(newsroom) -> list[tuple[str, str]]:
    slug = newsroom["writer"].profile.slug
    return [
        (fmt, pattern.format(file=file, author=slug))
        for pattern in FEED_URLS
        for fmt, file in FILES.items()
    ]


def test_rss_feeds_have_what_rss_2_requires_with_absolute_links_and_stable_guids(client, newsroom):
    for fmt, url in all_feed_urls(newsroom):
        if fmt != "rss":
            continue
        root = parse_xml(client.get(url).content)
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for required in ("title", "link", "description"):
            assert channel.findtext(required), f"{url}: channel {required}"
        assert channel.findtext("link").startswith(f"{BASE}/")
        self_link = channel.find(f"{ATOM}link")
        assert self_link.get("rel") == "self" and self_link.get("href") == f"{BASE}{url}"
        email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
        items = channel.findall("item")
        assert items, url
        for item in items:
            assert item.findtext("title") and item.findtext("description")
            assert item.findtext("link").startswith(f"{BASE}/")
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("urn:uuid:")
            published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
            assert published.tzinfo is not None
            assert item.findtext(DC_CREATOR)


def test_atom_feeds_have_what_rfc_4287_requires(client, newsroom):
    for fmt, url in all_feed_urls(newsroom):
        if fmt != "atom":
            continue
        response = client.get(url)
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = parse_xml(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}title")
        datetime.datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == f"{BASE}{url}" and links["alternate"].startswith(f"{BASE}/")
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        ids = []
        for entry in feed.findall(f"{ATOM}entry"):
            ids.append(entry.findtext(f"{ATOM}id"))
            assert entry.findtext(f"{ATOM}title")
            for field in ("published", "updated"):
                stamp = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}{field}"))
                assert stamp.tzinfo is not None
            link = entry.find(f"{ATOM}link")
            assert link.get("rel") == "alternate" and link.get("href").startswith(f"{BASE}/")
            assert entry.find(f"{ATOM}author/{ATOM}name").text
            assert entry.find(f"{ATOM}content").get("type") == "html"
            assert entry.find(f"{ATOM}summary").get("type") == "html"
        assert ids and len(set(ids)) == len(ids)
        assert all(i.startswith("urn:uuid:") for i in ids)


def test_json_feeds_follow_json_feed_1_1(client, newsroom):
    for fmt, url in all_feed_urls(newsroom):
        if fmt != "json":
            continue
        response = client.get(url)
        assert response["Content-Type"] == "application/feed+json; charset=utf-8"
        feed = json.loads(response.content)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["feed_url"] == f"{BASE}{url}"
        assert feed["home_page_url"].startswith(f"{BASE}/")
        assert feed["items"]
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"].startswith("urn:uuid:")
            assert item["url"].startswith(f"{BASE}/")
            assert item.get("content_html") or item.get("content_text")
            assert datetime.datetime.fromisoformat(item["date_published"]).tzinfo is not None
            assert datetime.datetime.fromisoformat(item["date_modified"]).tzinfo is not None
            assert item["authors"][0]["name"] and item["authors"][0]["url"].startswith(BASE)


def test_the_language_feed_lists_what_the_home_page_lists_newest_first(client, newsroom):
    assert titles_in(client, "/en/feeds/rss.xml") == [
        "Night trains are back",
        "Repair cafés are thriving",
    ]
    assert titles_in(client, "/de/feeds/atom.xml") == ["Reparaturcafés boomen"]
    channel = parse_xml(client.get("/de/feeds/rss.xml").content).find("channel")
    assert channel.findtext("language") == "de"
    assert channel.findtext("description") == "Nachrichten von den Menschen, die sie erleben."


def test_the_site_feed_mixes_languages_and_marks_each_item(client, newsroom):
    assert titles_in(client, "/en/feeds/all/feed.json") == [
        "Night trains are back",
        "Reparaturcafés boomen",
        "Repair cafés are thriving",
    ]
    feed = json.loads(client.get("/en/feeds/all/feed.json").content)
    assert "language" not in feed
    assert [item["language"] for item in feed["items"]] == ["en", "de", "en"]
    atom = parse_xml(client.get("/en/feeds/all/atom.xml").content)
    langs = [e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in atom.iter(f"{ATOM}entry")]
    assert langs == ["en", "de", "en"]


def test_topic_and_author_feeds_list_what_their_pages_list(client, newsroom):
    slug = newsroom["writer"].profile.slug
    assert titles_in(client, "/en/feeds/topics/business/atom.xml") == ["Repair cafés are thriving"]
    assert titles_in(client, "/de/feeds/topics/business/rss.xml") == ["Reparaturcafés boomen"]
    assert titles_in(client, f"/en/feeds/authors/{slug}/feed.json") == [
        "Reparaturcafés boomen",
        "Repair cafés are thriving",
    ]
    channel = parse_xml(client.get("/de/feeds/topics/business/rss.xml").content)[0]
    assert channel.findtext("title") == "Wirtschaft · Tribune"
    assert channel.findtext("link") == f"{BASE}/de/themen/business/"
    assert client.get("/en/feeds/topics/no-such-topic/rss.xml").status_code == 404
    assert client.get("/en/feeds/authors/nobody/atom.xml").status_code == 404
    assert client.get("/en/feeds/rss.json").status_code == 404


def test_items_carry_author_topics_dates_and_the_full_text(client, newsroom):
    older = newsroom["older"]
    item = next(
        i for i in rss_items(client, "/en/feeds/rss.xml") if "Repair" in i.findtext("title")
    )
    assert item.findtext("link") == f"{BASE}{older.get_absolute_url()}"
    assert item.findtext("guid") == f"urn:uuid:{older.uuid}"
    assert item.findtext(DC_CREATOR) == "Mara Lindqvist"
    assert [c.text for c in item.findall("category")] == ["Business"]
    assert email.utils.parsedate_to_datetime(
        item.findtext("pubDate")
    ) == older.published_at.replace(microsecond=0)
    assert item.findtext("description") == "Fixing beats buying."
    assert '<h2 id="h-the-first-section">The first section</h2>' in item.findtext(CONTENT)
    german = json.loads(client.get("/de/feeds/feed.json").content)["items"][0]
    assert german["tags"] == ["Wirtschaft"]
    assert german["authors"][0]["url"] == f"{BASE}/de/autoren/{older.author.profile.slug}/"


def test_the_operator_can_choose_summaries_instead_of_full_text(client, newsroom, settings):
    settings.TRIBUNE_FEED_FULL_CONTENT = False
    item = rss_items(client, "/en/feeds/rss.xml")[1]
    assert item.find(CONTENT) is None
    assert item.findtext("description") == "Fixing beats buying."
    atom = parse_xml(client.get("/en/feeds/atom.xml").content)
    assert atom.find(f"{ATOM}entry/{ATOM}content") is None
    entry = json.loads(client.get("/en/feeds/feed.json").content)["items"][1]
    assert "content_html" not in entry and entry["content_text"] == "Fixing beats buying."


def test_an_article_without_summary_is_summed_up_by_its_opening_words(client):
    factories.article(summary="", body="First words of the body. " * 40)
    item = json.loads(client.get("/en/feeds/feed.json").content)["items"][0]
    assert item["summary"].startswith("First words of the body.")
    assert item["summary"].endswith("…")


def test_the_feed_size_is_an_operator_setting(client, settings):
    settings.TRIBUNE_FEED_ITEMS = 2
    for n in range(4):
        factories.article(title=f"Story {n}", published_at=days_ago(n))
    assert titles_in(client, "/en/feeds/atom.xml") == ["Story 0", "Story 1"]


def test_markup_ampersands_and_control_characters_in_a_headline_keep_feeds_valid(client):
    title = "Profits & <b>losses</b> </script> \x0bfor\x1f all"
    factories.article(title=title, summary="Less < more & \x08 more > less")
    expected = "Profits & <b>losses</b> </script> for all"
    for file in FILES.values():
        # Each format parses; the headline arrives as the text the author typed.
        assert titles_in(client, f"/en/feeds/{file}") == [expected]
    atom = parse_xml(client.get("/en/feeds/atom.xml").content)
    assert atom.findtext(f"{ATOM}entry/{ATOM}summary") == "Less &lt; more &amp;  more &gt; less"


def test_an_item_keeps_its_id_when_the_article_is_edited(client, committed):
    article = factories.article(title="First headline")
    before = json.loads(client.get("/en/feeds/feed.json").content)["items"][0]
    with committed():
        actions.revise_article(
            None,
            article,
            title="A better headline",
            summary="New summary.",
            body="New body.",
            based_on=article.latest_revision,
        )
        actions.publish_article(None, article)
    after = json.loads(client.get("/en/feeds/feed.json").content)["items"][0]
    assert after["id"] == before["id"] == f"urn:uuid:{article.uuid}"
    assert after["title"] == "A better headline"
    assert after["date_modified"] > after["date_published"]


def test_links_use_the_configured_base_url_whatever_the_host(client, settings, newsroom):
    settings.TRIBUNE_BASE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["internal.local"]
    response = client.get("/en/feeds/atom.xml", HTTP_HOST="internal.local")
    assert b"internal.local" not in response.content
    assert b'href="https://news.example.org/en/feeds/atom.xml" rel="self"' in response.content


def test_an_unpublished_article_leaves_every_feed_at_once_even_when_cached(
    client, newsroom, committed
):
    urls = [url for _fmt, url in all_feed_urls(newsroom) if not url.startswith("/de/")]
    for url in urls:
        assert client.get(url)["X-Cache"] == "miss"
        cached = client.get(url)
        assert cached["X-Cache"] == "hit"
        assert "Repair cafés are thriving" in titles_in(client, url)
    with committed():
        actions.unpublish_article(None, newsroom["older"])
    for url in urls:
        assert "Repair cafés are thriving" not in titles_in(client, url), url


def test_a_new_article_appears_in_cached_feeds_at_once(client, committed):
    assert titles_in(client, "/en/feeds/rss.xml") == []
    assert client.get("/en/feeds/rss.xml")["X-Cache"] == "hit"
    with committed():
        factories.article(title="Fresh news")
    assert titles_in(client, "/en/feeds/rss.xml") == ["Fresh news"]


@pytest.mark.parametrize(
    "url, queries",
    [
        ("/en/feeds/rss.xml", 2),
        ("/en/feeds/all/atom.xml", 2),
        ("/en/feeds/topics/business/feed.json", 3),
        ("/en/feeds/authors/{author}/rss.xml", 3),
    ],
)
def test_a_feed_costs_the_same_queries_whatever_the_number_of_articles(
    client, django_assert_num_queries, url, queries
):
    business = factories.topic("business", en="Business")
    other = factories.topic("other", en="Other")
    writer = factories.author()
    url = url.format(author=writer.profile.slug)
    for n in range(2):
        factories.article(by=writer, topics=(business,), published_at=days_ago(n))
    with django_assert_num_queries(queries):
        assert client.get(url, **BYPASS_CACHE).status_code == 200
    for n in range(12):
        factories.article(by=writer, topics=(business, other), published_at=days_ago(n))
    with django_assert_num_queries(queries):
        assert client.get(url, **BYPASS_CACHE).status_code == 200


def test_pages_announce_their_feeds_to_browsers_and_readers(client, newsroom):
    home = client.get("/en/").content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Tribune (RSS)" '
        f'href="{BASE}/en/feeds/rss.xml">' in home
    )
    assert (
        f'type="application/atom+xml" title="Tribune (Atom)" href="{BASE}/en/feeds/atom.xml"'
        in home
    )
    assert f'href="{BASE}/en/feeds/feed.json"' in home
    assert '<a href="/en/feeds/">Feeds</a>' in home
    topic = client.get("/en/topics/business/").content.decode()
    assert (
        f'title="Business · Tribune (RSS)" href="{BASE}/en/feeds/topics/business/rss.xml"' in topic
    )
    slug = newsroom["writer"].profile.slug
    author = client.get(f"/en/authors/{slug}/").content.decode()
    assert f'href="{BASE}/en/feeds/authors/{slug}/atom.xml"' in author
    article = client.get(newsroom["older"].get_absolute_url()).content.decode()
    assert f'href="{BASE}/en/feeds/authors/{slug}/rss.xml"' in article


def test_the_feeds_page_lists_the_feeds_of_the_language_and_of_every_topic(client, newsroom):
    response = client.get("/en/feeds/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/en/feeds/rss.xml">RSS</a>' in html
    assert '<a href="/en/feeds/all/feed.json">JSON Feed</a>' in html
    assert '<a href="/en/feeds/topics/business/atom.xml">Atom</a>' in html
    assert "Business" in html


def test_the_feeds_page_speaks_german(client, newsroom):
    # Needs the German strings of /tmp/translations-feeds.tsv merged and compiled.
    html = client.get("/de/feeds/").content.decode()
    assert "Alle Sprachen" in html
    assert "Wirtschaft" in html
