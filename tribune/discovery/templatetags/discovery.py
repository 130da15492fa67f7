"""Template tags for feed autodiscovery, canonical links and an article's cards."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from tribune.accounts.models import Profile
from tribune.articles.models import Article, Topic
from tribune.discovery import structured
from tribune.discovery.feeds import absolute, xml_safe

register = template.Library()

_FORMATS = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


def feed_links(name: str, title: str, **kwargs: str) -> list[dict[str, str]]:
    return [
        {
            "type": mime,
            "title": f"{title} ({label})",
            "href": absolute(reverse(name, kwargs={**kwargs, "fmt": fmt})),
        }
        for fmt, mime, label in _FORMATS
    ]


@register.inclusion_tag("discovery/includes/feed_links.html")
def feed_autodiscovery(
    topic: Topic | None = None, profile: Profile | None = None, formats: str = "rss atom json"
) -> dict[str, Any]:
    """<link rel="alternate"> to the feeds of this language, a topic or an author."""
    site = settings.TRIBUNE_SITE_NAME
    if topic is not None:
        links = feed_links("discovery:topic_feed", f"{topic.label} · {site}", slug=topic.slug)
    elif profile is not None:
        links = feed_links(
            "discovery:author_feed", f"{profile.display_name} · {site}", slug=profile.slug
        )
    else:
        links = feed_links("discovery:feed", site)
    wanted = formats.split()
    return {"links": [link for link, fmt in zip(links, _FORMATS, strict=True) if fmt[0] in wanted]}


@register.inclusion_tag("discovery/includes/article_cards.html")
def article_cards(article: Article, image_url: str = "") -> dict[str, Any]:
    """JSON-LD NewsArticle, OpenGraph and Twitter card tags of an article page.

    `image_url` is the cover (absolute, or a path on this site), given by the template or
    set on the article as `social_image_url` by whoever loads it; without one the cards
    carry no image and Twitter gets its small card.
    """
    image = image_url or getattr(article, "social_image_url", "") or ""
    return structured.card_context(article, image)


@register.filter
def xml_text(value: Any) -> str:
    """Text without the control characters XML 1.0 forbids (sitemaps)."""
    return xml_safe(str(value))
