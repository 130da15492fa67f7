"""Data for tests, made through the same actions the product uses."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from tribune.accounts.actions import create_author
from tribune.articles import actions
from tribune.articles.models import Article, Topic

_numbers = itertools.count(1)

BODY = """An opening paragraph that sets the scene for the reader.

## The first section

Some words about the first part of the story, with a [source](https://example.org/report).

## The second section

> A quote from someone who was there.

- one point
- another point

### A detail

The end of the story.
"""


def author(name: str = "", **bios: str):
    n = next(_numbers)
    name = name or f"Author {n}"
    return create_author(None, username=f"author-{n}", display_name=name, bios=bios).user


def editor(username: str = "editor"):
    user = get_user_model().objects.create_user(username=username, password="editor-password")
    user.is_staff = True
    user.save()
    # What the admin needs to manage articles, topics and authors, and to pick an author.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["articles", "accounts"]),
        Permission.objects.get(codename="view_user"),
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh, without the permission cache


def topic(slug: str = "", en: str = "", de: str = "") -> Topic:
    slug = slug or f"topic-{next(_numbers)}"
    names = {code: name for code, name in (("en", en), ("de", de)) if name}
    return actions.save_topic(None, Topic(slug=slug, name=en or slug.title()), names)


def article(
    *,
    title: str = "",
    language: str = "en",
    body: str = BODY,
    summary: str = "A short summary.",
    by=None,
    topics: tuple[Topic, ...] = (),
    translation_of: Article | None = None,
    published: bool = True,
    published_at: datetime.datetime | None = None,
) -> Article:
    """A published article (unless published=False) with one revision."""
    created = actions.create_article(
        None,
        author=by or author(),
        language=language,
        title=title or f"Headline number {next(_numbers)}",
        body=body,
        summary=summary,
        topics=topics,
        translation_of=translation_of,
    )
    if published:
        actions.publish_article(None, created, published_at=published_at or timezone.now())
    return Article.objects.get(pk=created.pk)
