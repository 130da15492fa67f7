"""Sitemaps for search engines: articles, topics, authors, and a Google News sitemap.

Built on django.contrib.sitemaps. Django's own `i18n`/`alternates` assume that every
language shares one URL pattern; our translations have their own slugs and live in
their own articles, so the article sitemap finds each page's translations with one query
and lists them as `xhtml:link hreflang` alternates itself.

Every section costs a fixed number of queries: a count and a page of rows (plus one for
the article translations), whatever the number of articles.
"""

import datetime
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from tribune.articles import queries
from tribune.articles.models import Article

# Google reads at most this many URLs from a news sitemap, and only recent ones.
NEWS_LIMIT = 1000
NEWS_WINDOW = datetime.timedelta(days=2)


def last_change() -> Coalesce:
    """When readers last saw an article change: its last edit, or its publication."""
    return Coalesce("revised_at", "published_at")


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are made from TRIBUNE_BASE_URL, not the request's host."""

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        base = urlsplit(settings.TRIBUNE_BASE_URL)
        urls = self._urls(page, base.scheme, base.netloc + base.path)
        self.add_alternates(urls)
        return urls

    def add_alternates(self, urls: list[dict[str, Any]]) -> None:
        """Fill each url's `alternates` ({lang_code, location}) where other languages exist."""


def _absolute(path: str) -> str:
    return f"{settings.TRIBUNE_BASE_URL}{path}"


class ArticleSitemap(SiteSitemap):
    limit = 10_000

    def items(self) -> QuerySet[Article]:
        return (
            queries.public_articles()
            .only("slug", "language", "translation_group", "published_at", "revised_at")
            .order_by("pk")
        )

    def lastmod(self, article: Article) -> datetime.datetime:
        return article.revised_at or article.published_at

    def add_alternates(self, urls: list[dict[str, Any]]) -> None:
        groups = {url["item"].translation_group for url in urls}
        if not groups:
            return
        versions: dict[Any, list[Article]] = defaultdict(list)
        for version in (
            queries.public_articles()
            .filter(translation_group__in=groups)
            .only("slug", "language", "translation_group")
            .order_by("language")
        ):
            versions[version.translation_group].append(version)
        for url in urls:
            group = versions[url["item"].translation_group]
            if len(group) > 1:
                url["alternates"] = [
                    {"lang_code": v.language, "location": _absolute(v.get_absolute_url())}
                    for v in group
                ]


class _ListingSitemap(SiteSitemap):
    """Pages that list articles (topic, author), once per language they have articles in.

    Items are rows {"key" (the slug), "language", "lastmod"}, one per page, from one
    grouped query.
    """

    route = ""
    slug_field = ""

    def items(self) -> QuerySet:
        raise NotImplementedError

    def location(self, row: dict[str, Any]) -> str:
        with translation.override(row["language"]):
            return reverse(self.route, kwargs={"slug": row["key"]})

    def lastmod(self, row: dict[str, Any]) -> datetime.datetime:
        return row["lastmod"]

    def add_alternates(self, urls: list[dict[str, Any]]) -> None:
        by_slug: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for url in urls:
            by_slug[url["item"]["key"]].append(url)
        for same in by_slug.values():
            if len(same) > 1:
                alternates = [
                    {"lang_code": url["item"]["language"], "location": url["location"]}
                    for url in same
                ]
                for url in same:
                    url["alternates"] = alternates


class TopicSitemap(_ListingSitemap):
    route = "articles:topic"

    def items(self) -> QuerySet:
        # A topic page lists the topic's articles in the page's language.
        return (
            Article.topics.through.objects.filter(article__in=queries.public_articles())
            .values(key=F("topic__slug"), language=F("article__language"))
            .annotate(lastmod=Max(Coalesce("article__revised_at", "article__published_at")))
            .order_by("key", "language")
        )


class AuthorSitemap(_ListingSitemap):
    route = "articles:author"

    def items(self) -> QuerySet:
        # An author page lists every language; it is listed under each language they write in.
        return (
            queries.public_articles()
            .values("language", key=F("author__profile__slug"))
            .annotate(lastmod=Max(last_change()))
            .order_by("key", "language")
        )


class NewsSitemap(SiteSitemap):
    """Google News: the articles first published in the last two days, newest first."""

    limit = NEWS_LIMIT

    def items(self) -> QuerySet[Article]:
        return (
            queries.public_articles()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("live_revision")
            .only("slug", "language", "published_at", "revised_at", "live_revision__title")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article: Article) -> datetime.datetime:
        return article.revised_at or article.published_at


SECTIONS: dict[str, type[SiteSitemap]] = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}
