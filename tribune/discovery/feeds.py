"""RSS 2.0, Atom and JSON Feed 1.1 of the site, a language, a topic or an author.

Built on Django's syndication framework: one `Feed` class per scope, and the format is a
feed generator (`Rss201rev2Feed` and `Atom1Feed` extended with full content, and a JSON
Feed writer of our own). Every link is absolute, made from TRIBUNE_BASE_URL rather than
the request's host, and every item's id is the article's UUID, which never changes, so
a feed reader never shows an article twice after an edit or a slug change.

A feed costs a fixed number of queries: the scope's object (topic or author), the
articles, and their topics.
"""

import json
import re
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tribune.accounts.models import Profile
from tribune.articles import queries
from tribune.articles.models import Article, Topic

# XML 1.0 forbids these characters; a headline pasted from a word processor may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FORMATS = ("rss", "atom", "json")

# What an item shows; the user row (password and all) and the Markdown stay behind.
_ITEM_FIELDS = (
    "uuid", "slug", "language", "published_at", "revised_at", "live_revision",
    "live_revision__title", "live_revision__summary", "live_revision__body_html",
    "author__id", "author__profile__display_name", "author__profile__slug",
)  # fmt: skip


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def absolute(path: str) -> str:
    """An absolute URL on this site, as readers outside reach it (TRIBUNE_BASE_URL)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.TRIBUNE_BASE_URL}{path}"


def site_logo_url() -> str:
    logo = settings.TRIBUNE_SITE_LOGO_URL
    return absolute(logo) if logo else ""


class RssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded` beside the summary."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with `<content type="html">` and each entry's own `xml:lang`."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        language = item.get("language")
        return {"xml:lang": language} if language else {}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def as_dict(self) -> dict[str, Any]:
        feed = self.feed
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
        }
        if feed["language"]:
            document["language"] = feed["language"]
        if feed.get("icon"):
            document["icon"] = feed["icon"]
        if feed["author_name"]:
            document["authors"] = [_json_author(feed["author_name"], feed["author_link"])]
        document["items"] = [_json_item(item) for item in self.items]
        return document

    def write(self, outfile: Any, encoding: str) -> None:
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=1))


def _json_author(name: str, url: str | None) -> dict[str, str]:
    return {"name": name, "url": url} if url else {"name": name}


def _json_item(item: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item["unique_id"], "url": item["link"], "title": item["title"]}
    if item.get("content_html"):
        entry["content_html"] = item["content_html"]
    else:
        entry["content_text"] = item["summary_text"]
    if item["summary_text"]:
        entry["summary"] = item["summary_text"]
    entry["date_published"] = feedgenerator.rfc3339_date(item["pubdate"])
    entry["date_modified"] = feedgenerator.rfc3339_date(item["updateddate"])
    if item["author_name"]:
        entry["authors"] = [_json_author(item["author_name"], item["author_link"])]
    if item["categories"]:
        entry["tags"] = list(item["categories"])
    if item.get("language"):
        entry["language"] = item["language"]
    return entry


GENERATORS: dict[str, type[feedgenerator.SyndicationFeed]] = {
    "rss": RssFeed,
    "atom": AtomFeed,
    "json": JsonFeed,
}


def summary_text(article: Article) -> str:
    """The summary, or the opening words of the body when the author wrote none."""
    revision = article.live_revision
    if revision.summary.strip():
        return xml_safe(revision.summary.strip())
    return xml_safe(Truncator(strip_tags(revision.body_html)).words(60))


class ArticleFeed(Feed):
    """The newest public articles of a scope; subclasses narrow `articles()`.

    `language_scoped` feeds hold one language (the URL prefix's); the others mix
    languages and say so per item.
    """

    language_scoped = True

    def __init__(self, fmt: str) -> None:
        super().__init__()
        self.fmt = fmt
        self.feed_type = GENERATORS[fmt]

    # The scope ---------------------------------------------------------------------------

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def articles(self, obj: Any) -> QuerySet[Article]:
        return queries.public_articles().filter(language=get_language())

    def route(self, obj: Any) -> tuple[str, dict[str, str]]:
        return "discovery:feed", {}

    def page_path(self, obj: Any) -> str:
        return reverse("articles:home")

    # The feed ----------------------------------------------------------------------------

    def get_feed(self, obj: Any, request: HttpRequest) -> feedgenerator.SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language() if self.language_scoped else None
        return feed

    def feed_extra_kwargs(self, obj: Any) -> dict[str, Any]:
        logo = site_logo_url()
        return {"icon": logo} if logo else {}

    def items(self, obj: Any) -> list[Article]:
        return list(
            self.articles(obj)
            .select_related("live_revision", "author__profile")
            .only(*_ITEM_FIELDS)
            .prefetch_related(
                Prefetch("topics", queryset=queries.topics_with_labels().order_by("name"))
            )
            .order_by("-published_at", "-id")[: settings.TRIBUNE_FEED_ITEMS]
        )

    def link(self, obj: Any) -> str:
        return absolute(self.page_path(obj))

    def feed_url(self, obj: Any) -> str:
        name, kwargs = self.route(obj)
        return absolute(reverse(name, kwargs={**kwargs, "fmt": self.fmt}))

    def feed_guid(self, obj: Any) -> str:
        return self.feed_url(obj)

    def author_name(self, obj: Any) -> str:
        return settings.TRIBUNE_SITE_NAME

    def author_link(self, obj: Any) -> str:
        return absolute("/")

    def description(self, obj: Any) -> str:
        return _("News written by the people who live it.")

    def title(self, obj: Any) -> str:
        return settings.TRIBUNE_SITE_NAME

    # The items ---------------------------------------------------------------------------

    def item_title(self, article: Article) -> str:
        title = xml_safe(article.live_revision.title)
        # RSS readers take a title as HTML; Atom's and JSON Feed's are plain text.
        return escape(title) if self.fmt == "rss" else title

    def item_description(self, article: Article) -> str:
        return escape(summary_text(article))

    def item_link(self, article: Article) -> str:
        return absolute(article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return f"urn:uuid:{article.uuid}"

    def item_guid_is_permalink(self, article: Article) -> bool:
        return False

    def item_pubdate(self, article: Article) -> Any:
        return article.published_at

    def item_updateddate(self, article: Article) -> Any:
        return article.revised_at or article.published_at

    def item_author_name(self, article: Article) -> str:
        return xml_safe(article.author.profile.display_name)

    def item_author_link(self, article: Article) -> str:
        with translation.override(article.language):
            return absolute(article.author.profile.get_absolute_url())

    def item_categories(self, article: Article) -> list[str]:
        return [xml_safe(topic.label) for topic in article.topics.all()]

    def item_extra_kwargs(self, article: Article) -> dict[str, Any]:
        return {
            "content_html": (
                xml_safe(article.live_revision.body_html)
                if settings.TRIBUNE_FEED_FULL_CONTENT
                else ""
            ),
            "summary_text": summary_text(article),
            "language": "" if self.language_scoped else article.language,
        }


class LanguageFeed(ArticleFeed):
    """What the home page lists: every article in the URL's language."""


class SiteFeed(ArticleFeed):
    """Every article of the site, in every language."""

    language_scoped = False

    def articles(self, obj: Any) -> QuerySet[Article]:
        return queries.public_articles()

    def route(self, obj: Any) -> tuple[str, dict[str, str]]:
        return "discovery:site_feed", {}

    def title(self, obj: Any) -> str:
        return f"{settings.TRIBUNE_SITE_NAME} · {_('All languages')}"


class TopicFeed(ArticleFeed):
    """What a topic page lists: the topic's articles in the URL's language."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Topic:
        return get_object_or_404(queries.topics_with_labels(), slug=kwargs["slug"])

    def articles(self, obj: Topic) -> QuerySet[Article]:
        return super().articles(obj).filter(topics=obj)

    def route(self, obj: Topic) -> tuple[str, dict[str, str]]:
        return "discovery:topic_feed", {"slug": obj.slug}

    def page_path(self, obj: Topic) -> str:
        return obj.get_absolute_url()

    def title(self, obj: Topic) -> str:
        return f"{xml_safe(obj.label)} · {settings.TRIBUNE_SITE_NAME}"

    def description(self, obj: Topic) -> str:
        return _("Articles about %(topic)s written by our community.") % {
            "topic": xml_safe(obj.label)
        }


class AuthorFeed(ArticleFeed):
    """What an author page lists: the author's articles in every language."""

    language_scoped = False

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Profile:
        profiles = Profile.objects.only("user_id", "slug", "display_name")
        return get_object_or_404(profiles, slug=kwargs["slug"])

    def articles(self, obj: Profile) -> QuerySet[Article]:
        return queries.public_articles().filter(author_id=obj.user_id)

    def route(self, obj: Profile) -> tuple[str, dict[str, str]]:
        return "discovery:author_feed", {"slug": obj.slug}

    def page_path(self, obj: Profile) -> str:
        return obj.get_absolute_url()

    def title(self, obj: Profile) -> str:
        return f"{xml_safe(obj.display_name)} · {settings.TRIBUNE_SITE_NAME}"

    def description(self, obj: Profile) -> str:
        return _("Articles by %(name)s.") % {"name": xml_safe(obj.display_name)}

    def author_name(self, obj: Profile) -> str:
        return xml_safe(obj.display_name)

    def author_link(self, obj: Profile) -> str:
        return self.link(obj)


class FeedFormat:
    """A feed's file name in the URL (rss.xml, atom.xml, feed.json) as its format name."""

    regex = r"rss\.xml|atom\.xml|feed\.json"
    _names = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
    _files = {name: file for file, name in _names.items()}

    def to_python(self, value: str) -> str:
        return self._names[value]

    def to_url(self, value: str) -> str:
        return self._files[value]
