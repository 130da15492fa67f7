"""Markdown files with YAML front matter in and out: the way sites move between Jekyll,
Hugo, Ghost exports and Tribune. `tribune import`, `tribune export` and `tribune demo` use it.

A file looks like this (only title, author and language are required):

    ---
    title: "Night trains are back"
    author: "Mara Lindqvist"
    language: en
    topics: [technology, climate]
    published_at: 2026-11-02T08:30:00Z
    status: published            # or draft
    summary: "One or two sentences."
    slug: night-trains-are-back  # default: made from the title
    translation_of: de/nachtzuege-sind-zurueck
    ---
    The body, in Markdown.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tribune.accounts.actions import create_author
from tribune.accounts.models import Profile
from tribune.articles import actions
from tribune.articles.models import Article, Status, Topic, TopicName
from tribune.lib.markdown import url_slug as slugify

KNOWN_FIELDS = {
    "title",
    "author",
    "language",
    "topics",
    "tags",
    "published_at",
    "date",
    "status",
    "summary",
    "slug",
    "translation_of",
}
MAX_FILE_BYTES = 1_000_000


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: `published_at: 2026-13-45` must be our error to report,
    not a crash inside the parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ImportProblem(Exception):
    def __init__(self, path: Path, field: str, message: str) -> None:
        super().__init__(f"{path}: {field}: {message}")
        self.path, self.field, self.message = path, field, message


@dataclasses.dataclass
class Draft:
    """One parsed, validated file, not yet stored."""

    path: Path
    title: str
    author: str
    language: str
    body: str
    topics: list[str]
    status: str
    summary: str
    slug: str
    published_at: datetime.datetime | None
    translation_of: str
    ignored: list[str]


@dataclasses.dataclass
class ImportReport:
    imported: list[Article] = dataclasses.field(default_factory=list)
    problems: list[ImportProblem] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


def markdown_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            found.append(path)
    return found


def _text(meta: dict, path: Path, field: str, *, required: bool = False, limit: int = 600) -> str:
    value = meta.get(field)
    if value is None or value == "":
        if required:
            raise ImportProblem(path, field, "is required")
        return ""
    if not isinstance(value, str | int | float):
        raise ImportProblem(path, field, f"must be text, not {type(value).__name__}")
    value = str(value).strip()
    if len(value) > limit:
        raise ImportProblem(path, field, f"is longer than {limit} characters")
    return value


def _when(value: object, path: Path, field: str) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ImportProblem(
                path, field, f"{value!r} is not a date; write it like 2026-11-02T08:30:00Z"
            ) from None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    if not isinstance(value, datetime.datetime):
        raise ImportProblem(path, field, "must be a date and time")
    # A time without a zone is taken as UTC, as Jekyll and Hugo exports usually mean it.
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def parse_file(path: Path) -> Draft:
    """Read and check one file; raise ImportProblem naming the field that is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportProblem(path, "file", f"cannot be read ({error.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ImportProblem(path, "file", f"is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(path, "file", "is not UTF-8 text") from None
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ImportProblem(path, "front matter", "the file must start with a line '---'")
    end = text.find("\n---", 3)
    if end == -1:
        raise ImportProblem(path, "front matter", "no closing '---' line")
    try:
        meta = yaml.load(text[4:end], Loader=_Loader) or {}  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise ImportProblem(path, "front matter", f"is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise ImportProblem(path, "front matter", "must be a list of 'field: value' lines")
    body = text[end + 4 :].lstrip("-").strip("\n")
    if not body.strip():
        raise ImportProblem(path, "body", "the article has no text after the front matter")

    language = _text(meta, path, "language", required=True, limit=16)
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _ in settings.LANGUAGES)
        raise ImportProblem(
            path, "language", f"{language!r} is not one of this site's languages ({codes})"
        )
    topics = meta.get("topics", meta.get("tags")) or []
    if isinstance(topics, str):
        topics = [topics]
    if not isinstance(topics, list) or not all(isinstance(t, str) and t.strip() for t in topics):
        raise ImportProblem(
            path, "topics", "must be a list of topic names, like [business, science]"
        )
    status = _text(meta, path, "status", limit=20) or Status.PUBLISHED
    if status not in (Status.PUBLISHED, Status.DRAFT):
        raise ImportProblem(path, "status", f"{status!r} must be 'published' or 'draft'")
    title = _text(meta, path, "title", required=True, limit=200)
    slug = _text(meta, path, "slug", limit=200) or slugify(title)
    if not slug or slugify(slug) != slug:
        raise ImportProblem(
            path, "slug", f"{slug!r} may contain only lowercase letters, digits and hyphens"
        )
    return Draft(
        path=path,
        title=title,
        author=_text(meta, path, "author", required=True, limit=120),
        language=language,
        body=body,
        topics=[t.strip() for t in topics],
        status=status,
        summary=_text(meta, path, "summary"),
        slug=slug,
        published_at=_when(meta.get("published_at", meta.get("date")), path, "published_at"),
        translation_of=_text(meta, path, "translation_of", limit=220),
        ignored=sorted(set(meta) - KNOWN_FIELDS),
    )


def _author(name: str) -> tuple[object, bool]:
    profile = (
        Profile.objects.select_related("user")
        .filter(Q(display_name=name) | Q(slug=slugify(name)) | Q(user__username=name))
        .first()
    )
    if profile:
        return profile.user, False
    username = slugify(name) or "author"
    if get_user_model().objects.filter(username=username).exists():
        username = f"{username}-{get_user_model().objects.count() + 1}"
    return create_author(None, username=username, display_name=name).user, True


def _topic(name: str) -> Topic:
    found = (
        Topic.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()
        or Topic.objects.filter(
            pk__in=TopicName.objects.filter(name__iexact=name).values("topic_id")
        ).first()
    )
    return found or actions.save_topic(None, Topic(slug=slugify(name)[:80] or "topic", name=name))


def _original(draft: Draft) -> Article | None:
    if not draft.translation_of:
        return None
    language, _sep, slug = draft.translation_of.rpartition("/")
    found = Article.objects.filter(slug=slug, **({"language": language} if language else {}))
    original = found.exclude(language=draft.language).first()
    if original is None:
        raise ImportProblem(
            draft.path,
            "translation_of",
            f"no article {draft.translation_of!r} in another language exists",
        )
    return original


def store(draft: Draft) -> tuple[Article, list[str]]:
    """Store one parsed file as an article, in one transaction; existing ones are never changed."""
    notes = []
    if Article.objects.filter(language=draft.language, slug=draft.slug).exists():
        raise ImportProblem(
            draft.path,
            "slug",
            f"an article {draft.language}/{draft.slug} exists already; it was left as it is",
        )
    with transaction.atomic():
        original = _original(draft)
        author, created = _author(draft.author)
        if created:
            notes.append(f"{draft.path}: created the author {draft.author!r}")
        try:
            article = actions.create_article(
                None,
                author=author,
                language=draft.language,
                title=draft.title,
                body=draft.body,
                summary=draft.summary,
                slug=draft.slug,
                topics=[_topic(name) for name in draft.topics],
                translation_of=original,
            )
            if draft.status == Status.PUBLISHED:
                actions.publish_article(None, article, published_at=draft.published_at)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise ImportProblem(draft.path, field, " ".join(messages)) from None
    if draft.ignored:
        notes.append(f"{draft.path}: ignored the fields {', '.join(draft.ignored)}")
    return article, notes


def import_files(paths: Iterable[Path]) -> ImportReport:
    """Import every file it can; report each one it cannot, naming file and field."""
    report = ImportReport()
    drafts = []
    for path in markdown_files(paths):
        try:
            drafts.append(parse_file(path))
        except ImportProblem as problem:
            report.problems.append(problem)
    # Originals first, so that translations in the same batch find them.
    drafts.sort(key=lambda d: (bool(d.translation_of), str(d.path)))
    for draft in drafts:
        try:
            article, notes = store(draft)
        except ImportProblem as problem:
            report.problems.append(problem)
        else:
            report.imported.append(article)
            report.notes.extend(notes)
    return report


def _front_matter(article: Article, original: Article | None) -> dict:
    revision = (
        article.live_revision if article.status == Status.PUBLISHED else article.latest_revision
    )
    meta = {
        "title": revision.title,
        "slug": article.slug,
        "author": article.author.profile.display_name,
        "language": article.language,
        "topics": [topic.slug for topic in article.topics.all()],
        "status": "published" if article.status == Status.PUBLISHED else "draft",
        "summary": revision.summary,
    }
    if article.published_at:
        meta["published_at"] = (
            article.published_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        )
    if original is not None and original.pk != article.pk:
        meta["translation_of"] = f"{original.language}/{original.slug}"
    return meta


def export_articles(folder: Path, articles: Iterable[Article]) -> list[Path]:
    """Write each article as <folder>/<language>/<slug>.md in the import format."""
    written = []
    articles = list(articles)
    # The original of each translation group is its oldest article, exported or not.
    originals: dict = {}
    groups = Article.objects.filter(translation_group__in={a.translation_group for a in articles})
    for article in groups.order_by("created_at", "pk").only(
        "translation_group", "language", "slug"
    ):
        originals.setdefault(article.translation_group, article)
    for article in articles:
        meta = _front_matter(article, originals[article.translation_group])
        revision = (
            article.live_revision if article.status == Status.PUBLISHED else article.latest_revision
        )
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        path = folder / article.language / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n\n{revision.body.strip()}\n", encoding="utf-8")
        written.append(path)
    return written
