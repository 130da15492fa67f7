import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tribune.covers import actions
from tribune.covers.models import Cover
from tribune.testing import factories

pytestmark = pytest.mark.django_db

# A session cookie bypasses the page cache, so these tests see the view's own work.
SIGNED_IN_LOOKING = {"HTTP_COOKIE": "sessionid=none"}
CAPTION = "Computer-generated illustration. It does not depict real people or events."


def cover_markup(html: str) -> str:
    return re.search(r'<figure class="cover">.*?</figure>', html, re.S).group(0)


def test_the_article_page_shows_the_cover_with_caption_alt_and_sizes(client):
    climate = factories.topic("climate", en="Climate")
    article = factories.article(title="Testing the river", topics=(climate,))
    cover = actions.render_cover_files(article)
    html = cover_markup(client.get(article.get_absolute_url()).content.decode())
    assert f"<figcaption>{CAPTION}</figcaption>" in html
    assert re.search(r'alt="Abstract illustration: [^"]+ in forest greens and pale mint', html)
    assert '<source type="image/webp"' in html
    for width, name in cover.files["webp"]:
        assert f"/media/{name} {width}w" in html
    for width, name in cover.files["jpeg"]:
        assert f"/media/{name} {width}w" in html
    assert 'width="1200" height="630"' in html
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in html
    # Above the fold: loaded at once, not lazily.
    assert 'loading="lazy"' not in html
    assert 'fetchpriority="high"' in html


def test_lists_show_lazy_thumbnails_with_dimensions(client):
    article = factories.article(title="Night trains are back")
    actions.render_cover_files(article)
    html = client.get("/en/", **SIGNED_IN_LOOKING).content.decode()
    card = re.search(r'<article class="card".*?</article>', html, re.S).group(0)
    assert 'loading="lazy"' in card
    assert 'width="1200" height="630"' in card
    assert 'alt=""' in card  # the headline beside it names the link


def test_until_the_cover_is_rendered_a_block_in_its_palette_stands_in(client):
    politics = factories.topic("politics", en="Politics")
    article = factories.article(topics=(politics,))
    html = cover_markup(client.get(article.get_absolute_url()).content.decode())
    assert "<img" not in html
    assert 'class="cover-image cover-block cover-palette-ember"' in html
    assert "style=" not in html  # the CSP allows no style attributes


def test_an_uploaded_cover_shows_its_credit_instead_of_the_generated_caption(client):
    from tribune.covers.tests import images

    article = factories.article()
    import io

    actions.replace_cover_with_upload(
        None,
        article,
        io.BytesIO(images.jpeg()),
        alt_text="The market square at dawn",
        credit="Ana Example",
        licence="CC BY 4.0",
    )
    actions.render_cover_files(article)
    html = cover_markup(client.get(article.get_absolute_url()).content.decode())
    assert 'alt="The market square at dawn"' in html
    assert "<figcaption>Image: Ana Example, CC BY 4.0</figcaption>" in html
    assert CAPTION not in html


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **SIGNED_IN_LOOKING).status_code == 200
    return len(queries)


def test_covers_add_no_query_to_the_article_page_or_the_home_page(client):
    topics = (factories.topic("climate", en="Climate"), factories.topic("local", en="Local"))
    without = factories.article(topics=topics)
    with_cover = factories.article(topics=topics)
    actions.render_cover_files(with_cover)
    assert count_queries(client, with_cover.get_absolute_url()) == count_queries(
        client, without.get_absolute_url()
    )
    for _ in range(2):  # every topic full on the home page, before and after the covers
        factories.article(topics=topics)
    home = count_queries(client, "/en/")
    for _ in range(3):
        actions.render_cover_files(factories.article(topics=topics))
    assert count_queries(client, "/en/") == home


def test_media_files_are_served_in_development_with_a_year_long_cache(client):
    article = factories.article()
    cover = actions.render_cover_files(article)
    _width, name = cover.files["webp"][0]
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    response.close()


def test_the_media_view_serves_nothing_outside_the_media_folder(client):
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/%2e%2e/secret_key").status_code == 404


def test_the_social_card_is_the_pages_share_image(client):
    article = factories.article()
    cover = actions.render_cover_files(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert cover.files["social"] in html.split("</head>")[0]


def _german_is_compiled() -> bool:
    with translation.override("de"):
        return translation.gettext(CAPTION) != CAPTION


@pytest.mark.skipif(not _german_is_compiled(), reason="covers' German strings not merged yet")
def test_a_german_article_has_a_german_caption(client):
    article = factories.article(language="de", title="Wir messen unseren Fluss selbst")
    actions.render_cover_files(article)
    html = cover_markup(client.get(article.get_absolute_url()).content.decode())
    assert "Computergenerierte Illustration." in html
    assert Cover.objects.get(article=article).is_ready
