"""Feeds, sitemaps and robots.txt: the same for every anonymous reader, so cached whole.

The page cache's generation changes with every change readers can see (publishing,
unpublishing, an edit, a topic or author change), so an article that leaves the site
leaves every feed and sitemap at the same moment. The news sitemap depends on the clock
(the last two days) as well, so it is not cached; it is one small query.
"""

import math
from typing import Any

from django.contrib.sitemaps.views import sitemap
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from tribune.articles import queries
from tribune.core.pagecache import cache_for_readers
from tribune.discovery import feeds, sitemaps

_FEEDS = {
    (scope, fmt): feed_class(fmt)
    for scope, feed_class in (
        ("language", feeds.LanguageFeed),
        ("site", feeds.SiteFeed),
        ("topic", feeds.TopicFeed),
        ("author", feeds.AuthorFeed),
    )
    for fmt in feeds.FORMATS
}


@cache_for_readers
def language_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    return _FEEDS["language", fmt](request)


@cache_for_readers
def site_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    return _FEEDS["site", fmt](request)


@cache_for_readers
def topic_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return _FEEDS["topic", fmt](request, slug=slug)


@cache_for_readers
def author_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return _FEEDS["author", fmt](request, slug=slug)


@cache_for_readers
def feed_list(request: HttpRequest) -> HttpResponse:
    """The page the footer's "Feeds" link opens: every feed of this language, and topics'."""
    topics = queries.topics_with_labels().order_by("label_")
    return render(request, "discovery/feeds/feed_list.html", {"topics": topics})


@cache_for_readers
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "discovery/robots.txt", content_type="text/plain; charset=utf-8")


@cache_for_readers
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every page of every section, with when it last changed (one query)."""
    window_start = timezone.now() - sitemaps.NEWS_WINDOW
    summary = queries.public_articles().aggregate(
        count=Count("pk"),
        lastmod=Max(sitemaps.last_change()),
        news_lastmod=Max(sitemaps.last_change(), filter=Q(published_at__gte=window_start)),
    )
    article_pages = max(1, math.ceil(summary["count"] / sitemaps.ArticleSitemap.limit))
    entries = [
        _index_entry("articles", summary["lastmod"], page) for page in range(1, article_pages + 1)
    ]
    entries.append(_index_entry("topics", summary["lastmod"]))
    entries.append(_index_entry("authors", summary["lastmod"]))
    entries.append(_index_entry("news", summary["news_lastmod"]))
    return TemplateResponse(
        request,
        "discovery/sitemaps/sitemap_index.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )


def _index_entry(section: str, lastmod: Any, page: int = 1) -> dict[str, Any]:
    path = reverse("sitemap", kwargs={"section": section})
    return {
        "location": feeds.absolute(path if page == 1 else f"{path}?p={page}"),
        "lastmod": lastmod,
    }


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in sitemaps.SECTIONS:
        raise Http404
    template = "news.xml" if section == "news" else "sitemap.xml"
    response = sitemap(
        request,
        {section: sitemaps.SECTIONS[section]},
        section=section,
        template_name=f"discovery/sitemaps/{template}",
        content_type="application/xml; charset=utf-8",
    )
    if section != "news":
        response.cache_for_readers = True
    return response
