"""From model instances to the API's shapes (schemas.py), using only what the queries
fetched: no presenter makes a query of its own."""

from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from tribune.accounts.models import Profile
from tribune.articles.models import Article, Topic
from tribune.covers.renditions import height_for
from tribune.covers.templatetags.covers import cover_view


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def topic_name(topic: Topic, language: str) -> str:
    for name in topic.names.all():
        if name.language == language:
            return name.name
    return topic.name


def topic(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    names = {name.language: name.name for name in topic.names.all()}
    return {"slug": topic.slug, "name": topic.name, "names": names}


def author_url(request: HttpRequest, profile: Profile, language: str) -> str:
    with translation.override(language):
        return absolute(request, reverse("articles:author", kwargs={"slug": profile.slug}))


def author(request: HttpRequest, profile: Profile) -> dict[str, Any]:
    return {
        "slug": profile.slug,
        "name": profile.display_name,
        "url": author_url(request, profile, translation.get_language()),
        "bios": profile.bios,
    }


def cover(request: HttpRequest, article: Article) -> dict[str, Any]:
    view = cover_view(article)
    files = article.cover.files if view.ready else {}
    source = article.cover.source if Article.cover.is_cached(article) and view.ready else ""

    def renditions(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "width": width,
                "height": height_for(width),
                "url": absolute(request, default_storage.url(name)),
            }
            for width, name in files.get(kind, [])
        ]

    return {
        "ready": view.ready,
        "source": source or "generated",
        "alt": view.alt,
        "caption": view.caption,
        "credit": view.credit,
        "webp": renditions("webp"),
        "jpeg": renditions("jpeg"),
        "social": absolute(request, view.social_url) if view.social_url else None,
    }


def card(request: HttpRequest, article: Article) -> dict[str, Any]:
    revision = article.live_revision
    profile = article.author.profile
    return {
        "uuid": article.uuid,
        "language": article.language,
        "slug": article.slug,
        "url": absolute(request, article.get_absolute_url()),
        "title": revision.title,
        "summary": revision.summary,
        "author": {
            "slug": profile.slug,
            "name": profile.display_name,
            "url": author_url(request, profile, article.language),
        },
        "topics": [
            {"slug": t.slug, "name": topic_name(t, article.language)} for t in article.topics.all()
        ],
        "published_at": article.published_at,
        "updated_at": article.revised_at,
        "reading_minutes": article.reading_minutes,
        "cover": cover(request, article),
    }


def detail(request: HttpRequest, article: Article) -> dict[str, Any]:
    revision = article.live_revision
    return {
        **card(request, article),
        "body_html": revision.body_html,
        "body_markdown": revision.body,
        "headings": [
            {"level": level, "text": text, "anchor": anchor}
            for level, text, anchor in revision.headings
        ],
        "sources": revision.sources,
        "translations": [
            {
                "uuid": other.uuid,
                "language": other.language,
                "slug": other.slug,
                "url": absolute(request, other.get_absolute_url()),
            }
            for other in article.translations_
        ],
        "related": [
            {
                "uuid": other.uuid,
                "language": other.language,
                "slug": other.slug,
                "url": absolute(request, other.get_absolute_url()),
                "title": other.live_revision.title,
                "reading_minutes": other.reading_minutes,
                "cover": cover(request, other),
            }
            for other in article.related_
        ],
    }
