"""Cached pages written out as files for nginx, never stale: a change swaps the folder."""

import pytest
from django.test import Client

from tribune.articles import actions
from tribune.core import pagecache
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings, tmp_path):
    settings.TRIBUNE_PAGE_FILES_DIR = str(tmp_path)
    return tmp_path


def _file(pages, url):
    return pages / "current" / url.lstrip("/") / "index.html"


def test_an_anonymous_page_view_writes_the_page_for_nginx(client, pages):
    article = factories.article(title="Written out")
    response = client.get(article.get_absolute_url())
    assert _file(pages, article.get_absolute_url()).read_bytes() == response.content
    home = client.get("/en/")
    assert _file(pages, "/en/").read_bytes() == home.content


def test_a_change_swaps_the_folder_so_nginx_never_serves_the_old_page(client, pages, committed):
    article = factories.article(title="Old headline")
    client.get(article.get_absolute_url())
    before = (pages / "current").resolve()
    with committed():
        actions.revise_article(None, article, title="New headline", body="New words.")
        actions.publish_article(None, article)
    assert (pages / "current").resolve() != before
    assert not before.exists()  # the old generation's files are gone
    page = _file(pages, article.get_absolute_url())
    if page.exists():  # written by the warm-up after publication
        assert "New headline" in page.read_text()
    client.get(article.get_absolute_url())
    assert "New headline" in page.read_text()


def test_pages_that_differ_by_query_or_reader_or_are_not_html_are_not_written(
    client, pages, django_user_model
):
    factories.article()
    client.get("/en/?page=1")
    client.get("/en/feeds/rss.xml")
    assert not any(p.name == "index.html" for p in pages.rglob("*"))
    client.force_login(django_user_model.objects.create_user("reader"))
    client.get("/en/")
    assert not _file(pages, "/en/").exists()


def test_a_page_rendered_for_an_old_generation_is_not_written(client, pages):
    article = factories.article()
    client.get("/en/")  # makes `current`
    old = pagecache.current_generation()
    pagecache.invalidate_pages()
    pagecache._write_file(old, article.get_absolute_url(), b"stale")
    assert not _file(pages, article.get_absolute_url()).exists()
    assert not (pages / old).exists()


def test_switching_files_on_later_starts_a_new_generation_so_cached_pages_get_files(
    settings, tmp_path
):
    article = factories.article()
    settings.TRIBUNE_PAGE_FILES_DIR = ""
    client = Client()
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    before = pagecache.current_generation()

    settings.TRIBUNE_PAGE_FILES_DIR = str(tmp_path)
    restarted = Client()  # a process starting with the setting on
    assert restarted.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert pagecache.current_generation() != before
    assert (tmp_path / "current").resolve().name == pagecache.current_generation()
    assert _file(tmp_path, article.get_absolute_url()).exists()
