"""Every change to articles and topics goes through these functions.

Views, the admin, commands and tasks all call them, so each change is validated, checked
for permission, written to the audit log and followed by the same work (cache
invalidation, tasks) whoever asks for it.
"""

import datetime
import uuid
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tribune.accounts.actions import profile_for
from tribune.articles.models import Article, Revision, Status, Topic, TopicName
from tribune.articles.tasks import warm_article_pages
from tribune.checks.dupindex.tasks import refresh_duplicate_index
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.covers.tasks import render_cover
from tribune.discovery.tasks import refresh_related
from tribune.discovery.tasks_search import update_search_index
from tribune.lib.markdown import render_markdown, url_scheme, url_slug
from tribune.lib.readingtime import count_words

MAX_BODY_CHARS = 200_000


class ConcurrentChange(Exception):
    """Someone else changed the article between reading and writing it."""


def _require_publisher(actor: AbstractBaseUser | None) -> None:
    # actor None is the system itself: imports, the demo loader, the worker.
    if actor is not None and not actor.has_perm("articles.publish_article"):
        raise PermissionDenied(_("You may not publish or unpublish articles."))


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValidationError(
            {
                "language": _("Unknown language “%(language)s”; use one of: %(codes)s.")
                % {"language": language, "codes": codes}
            }
        )


def _check_text(title: str, body: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("The headline may not be empty.")
    elif len(title) > 200:
        errors["title"] = _("The headline may have at most 200 characters.")
    if not body.strip():
        errors["body"] = _("The article has no text.")
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = _("The text may have at most %(limit)s characters.") % {
            "limit": MAX_BODY_CHARS
        }
    if errors:
        raise ValidationError(errors)


def _free_slug(language: str, title: str, wanted: str) -> str:
    if wanted:
        slug = url_slug(wanted)
        if not slug or slug != wanted:
            raise ValidationError(
                {"slug": _("A slug may contain only lowercase letters, digits and hyphens.")}
            )
        if Article.objects.filter(language=language, slug=slug).exists():
            raise ValidationError(
                {"slug": _("An article with the slug “%(slug)s” exists.") % {"slug": slug}}
            )
        return slug
    base = url_slug(title)[:180] or "article"
    slug, n = base, 1
    while Article.objects.filter(language=language, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def normalize_text(text: str) -> str:
    """One spelling of the same text: browsers send CRLF line ends, editors add blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def is_same_text(revision: Revision, *, title: str, summary: str, body: str) -> bool:
    return (normalize_text(title), normalize_text(summary), normalize_text(body)) == (
        revision.title,
        revision.summary,
        revision.body,
    )


MAX_SOURCES = 30


def clean_sources(sources: Iterable[str]) -> list[str]:
    """The source links a contributor gives: http(s) URLs, one each, in their order."""
    cleaned: list[str] = []
    for raw in sources:
        url = raw.strip()
        if not url or url in cleaned:
            continue
        if len(url) > 500 or url_scheme(url) not in ("http", "https") or "." not in url:
            raise ValidationError(
                {
                    "sources": _("“%(url)s” is not a web address (http:// or https://).")
                    % {"url": url[:80]}
                }
            )
        cleaned.append(url)
    if len(cleaned) > MAX_SOURCES:
        raise ValidationError({"sources": _("At most %(n)d sources, please.") % {"n": MAX_SOURCES}})
    return cleaned


def _add_revision(
    article: Article,
    actor: AbstractBaseUser | None,
    title: str,
    summary: str,
    body: str,
    sources: Iterable[str] = (),
) -> Revision:
    title, summary, body = normalize_text(title), normalize_text(summary), normalize_text(body)
    _check_text(title, body)
    sources = clean_sources(sources)
    rendered = render_markdown(body)
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        created_by=actor if getattr(actor, "pk", None) else None,
        title=title,
        summary=summary,
        body=body,
        sources=sources,
        body_html=rendered.html,
        headings=[[h.level, h.text, h.anchor] for h in rendered.headings],
        # The headline counts towards reading time, as the body's own headings do.
        word_count=count_words(title) + count_words(rendered.text),
    )
    Article.objects.filter(pk=article.pk).update(latest_revision=revision)
    article.latest_revision = revision
    return revision


def validate_new_article(
    *, language: str, title: str, body: str, slug: str = "", translation_of: Article | None = None
) -> None:
    """Raise ValidationError, keyed by field, for everything create_article would refuse."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: _check_language(language),
        lambda: _check_text(title, body),
        lambda: _free_slug(language, title, slug),
        lambda: _check_translation(translation_of, language),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_translation(translation_of: Article | None, language: str) -> None:
    if translation_of is None:
        return
    if Article.objects.filter(
        translation_group=translation_of.translation_group, language=language
    ).exists():
        raise ValidationError(
            {"translation_of": _("That article already has a version in this language.")}
        )


@transaction.atomic
def create_article(
    actor: AbstractBaseUser | None,
    *,
    author: AbstractBaseUser,
    language: str,
    title: str,
    body: str,
    summary: str = "",
    slug: str = "",
    topics: Iterable[Topic] = (),
    translation_of: Article | None = None,
    sources: Iterable[str] = (),
) -> Article:
    """Create a draft with its first revision. `translation_of` links it to another language."""
    validate_new_article(
        language=language, title=title, body=body, slug=slug, translation_of=translation_of
    )
    profile_for(author)  # every byline links to a profile page
    article = Article.objects.create(
        author=author,
        language=language,
        slug=_free_slug(language, title, slug),
        translation_group=translation_of.translation_group if translation_of else uuid.uuid4(),
    )
    article.topics.set(topics)
    _add_revision(article, actor, title, summary, body, sources)
    audit.record(actor, "article.create", article, to_state=article.status, language=language)
    return article


@transaction.atomic
def revise_article(
    actor: AbstractBaseUser | None,
    article: Article,
    *,
    title: str,
    body: str,
    summary: str = "",
    sources: Iterable[str] | None = None,
    based_on: Revision | None = None,
) -> Revision:
    """Add a revision. With `based_on`, refuse if someone saved a newer one meanwhile.
    Sources left as None stay those of the latest revision."""
    current = Article.objects.values_list("latest_revision_id", flat=True).get(pk=article.pk)
    if based_on is not None and current != based_on.pk:
        raise ConcurrentChange(_("This article was changed by someone else since you opened it."))
    if sources is None:
        sources = (
            Revision.objects.values_list("sources", flat=True).get(pk=current) if current else []
        )
    revision = _add_revision(article, actor, title, summary, body, sources)
    audit.record(actor, "article.revise", article, revision=revision.number)
    return revision


@transaction.atomic
def publish_article(
    actor: AbstractBaseUser | None,
    article: Article,
    *,
    published_at: datetime.datetime | None = None,
) -> Article:
    """Make the latest revision live. On a published article this publishes the edit."""
    _require_publisher(actor)
    old_status = article.status
    if old_status == Status.PUBLISHED and article.live_revision_id == article.latest_revision_id:
        return article  # nothing new to publish; "Updated" must not change
    if old_status != Status.PUBLISHED:
        article.check_transition(Status.PUBLISHED)
    now = timezone.now()
    first = published_at or article.published_at or now
    changes = {
        "status": Status.PUBLISHED,
        "live_revision": article.latest_revision_id,
        "published_at": first,
        # "Updated" is shown only for changes after the first publication.
        "revised_at": now if article.published_at and article.live_revision_id else None,
    }
    # Conditional on the state we read: two editors clicking at once publish once.
    updated = Article.objects.filter(pk=article.pk, status=old_status).update(**changes)
    if not updated:
        raise ConcurrentChange(_("This article was changed by someone else; reload and try again."))
    article.refresh_from_db()
    audit.record(
        actor,
        "article.publish",
        article,
        from_state=old_status,
        to_state=Status.PUBLISHED,
        revision=article.live_revision.number,
    )
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)
    return article


@transaction.atomic
def unpublish_article(actor: AbstractBaseUser | None, article: Article) -> Article:
    """Take an article off the site; its revisions stay."""
    _require_publisher(actor)
    old_status = article.status
    article.check_transition(Status.UNPUBLISHED)
    updated = Article.objects.filter(pk=article.pk, status=old_status).update(
        status=Status.UNPUBLISHED
    )
    if not updated:
        raise ConcurrentChange(_("This article was changed by someone else; reload and try again."))
    article.status = Status.UNPUBLISHED
    audit.record(
        actor, "article.unpublish", article, from_state=old_status, to_state=Status.UNPUBLISHED
    )
    invalidate_pages_on_commit()
    _follow_up_on_commit(article)
    return article


@transaction.atomic
def update_article_details(
    actor: AbstractBaseUser | None,
    article: Article,
    *,
    topics: Iterable[Topic] | None = None,
    author: AbstractBaseUser | None = None,
) -> Article:
    """Change what is not part of the text: topics and byline."""
    changed = []
    if topics is not None:
        topics = list(topics)
        if {t.pk for t in topics} != set(article.topics.values_list("pk", flat=True)):
            article.topics.set(topics)
            changed.append("topics")
    # Compared with the database: a form may have set the new author on the instance already.
    stored_author = Article.objects.values_list("author_id", flat=True).get(pk=article.pk)
    if author is not None and author.pk != stored_author:
        article.author = author
        article.save(update_fields=["author"])
        changed.append("author")
    if changed:
        audit.record(actor, "article.details", article, fields=changed)
        invalidate_pages_on_commit()
        if article.status == Status.PUBLISHED:
            # Topics and byline feed the search index and the related lists too.
            _follow_up_on_commit(article)
    return article


@transaction.atomic
def save_topic(
    actor: AbstractBaseUser | None, topic: Topic, names: dict[str, str] | None = None
) -> Topic:
    """Create or change a topic and its names per language."""
    topic.full_clean()
    topic.save()
    for language, name in (names or {}).items():
        _check_language(language)
        if name.strip():
            TopicName.objects.update_or_create(
                topic=topic, language=language, defaults={"name": name.strip()}
            )
        else:
            TopicName.objects.filter(topic=topic, language=language).delete()
    audit.record(actor, "topic.save", topic)
    invalidate_pages_on_commit()
    return topic


def _follow_up_on_commit(article: Article) -> None:
    """Enqueue, after commit, the work that follows a change readers can see (publish,
    unpublish, a live edit). Each app that keeps something derived from articles adds its
    task here; warming the page cache comes last, so it renders the finished page."""
    # refresh_duplicate_index: what the near-duplicate check compares with (live text).
    for follow_up in (
        refresh_related,
        update_search_index,
        render_cover,
        refresh_duplicate_index,
        warm_article_pages,
    ):
        transaction.on_commit(partial(follow_up.enqueue, article.pk))
