from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language

from tribune.accounts.models import Profile
from tribune.articles import queries
from tribune.articles.models import Article
from tribune.core.pagecache import cache_for_readers


def _page(request: HttpRequest, articles: QuerySet[Article]) -> Page:
    return Paginator(articles, settings.TRIBUNE_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


@cache_for_readers
def home(request: HttpRequest) -> HttpResponse:
    language = get_language()
    page = _page(request, queries.latest_in(language))
    # Topic sections only on the first page; later pages continue the latest list.
    sections = queries.latest_by_topic(language) if page.number == 1 else []
    return render(request, "articles/home.html", {"page": page, "sections": sections})


@cache_for_readers
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(queries.topics_with_labels(), slug=slug)
    page = _page(request, queries.latest_in(get_language()).filter(topics=topic))
    return render(request, "articles/topic_detail.html", {"topic": topic, "page": page})


@cache_for_readers
def author(request: HttpRequest, slug: str) -> HttpResponse:
    profile = get_object_or_404(Profile, slug=slug)
    page = _page(
        request, queries.as_cards(queries.public_articles().filter(author_id=profile.user_id))
    )
    return render(request, "articles/author_detail.html", {"profile": profile, "page": page})


@cache_for_readers
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.article_page(get_language(), slug)
    if found is None:
        # The article's language decides its URL prefix: /de/articles/x for a German x.
        language = queries.language_of_slug(slug)
        if language is None:
            if queries.is_removed(get_language(), slug):
                return render(request, "notices/article_removed.html", status=410)
            raise Http404
        with translation.override(language):
            return redirect("articles:article", slug=slug, permanent=True)
    return render(request, "articles/article_detail.html", {"article": found})
