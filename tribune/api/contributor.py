"""The contributor API: one's own articles, written, illustrated and submitted through the
same actions (and so the same permissions and messages) as the desk's writing page."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from tribune.api import present
from tribune.api import schemas as s
from tribune.api.auth import TokenAuth
from tribune.api.errors import Problem, field_errors, invalid
from tribune.api.models import Scope
from tribune.articles.actions import is_same_text
from tribune.articles.models import Article, Revision
from tribune.covers.actions import replace_cover_with_upload
from tribune.submissions import actions
from tribune.submissions.forms import WritingForm
from tribune.submissions.models import Submission

router = Router(tags=["Contributor"])

WRITE_ERRORS = {
    400: s.Problem, 401: s.Problem, 403: s.Problem, 404: s.Problem, 409: s.Problem,
    422: s.Problem, 429: s.Problem,
}  # fmt: skip
READ = TokenAuth(Scope.READ_OWN)
WRITE = TokenAuth(Scope.DRAFTS)
SUBMIT = TokenAuth(Scope.SUBMISSIONS)


def _own_articles(request: HttpRequest) -> Any:
    return (
        Article.objects.filter(author=request.auth.user)
        .select_related("latest_revision", "cover")
        .prefetch_related(
            "topics",
            Prefetch("submissions", queryset=Submission.objects.order_by("-submitted_at")),
        )
        .order_by("-created_at", "-id")
    )


def _own(request: HttpRequest, uuid: UUID) -> Article:
    """One of the token owner's articles. Others' articles are not found, editors' tokens
    included: this API works on one's own writing; editors review on the site."""
    article = _own_articles(request).filter(uuid=uuid).first()
    if article is None:
        raise Problem(404, _("You have no article with this id."), code="not_found")
    return article


def _guidelines(request: HttpRequest, language: str) -> dict[str, Any]:
    """The guidelines to accept in this language; one query per language and request,
    however many articles a list shows."""
    known = request.__dict__.setdefault("_api_guidelines", {})
    if language not in known:
        with translation.override(language):
            url = present.absolute(request, reverse("core:guidelines"))
        known[language] = {"version": actions.current_guidelines_version(language), "url": url}
    return known[language]


def _own_article(request: HttpRequest, article: Article) -> dict[str, Any]:
    revision = article.latest_revision
    submission = next(iter(article.submissions.all()), None)
    return {
        "uuid": article.uuid,
        "language": article.language,
        "slug": article.slug,
        "status": article.status,
        "status_label": article.get_status_display(),
        "revision": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "topics": sorted(topic.slug for topic in article.topics.all()),
        "sources": revision.sources,
        "created_at": article.created_at,
        "saved_at": revision.created_at,
        "published_at": article.published_at,
        "url": present.absolute(request, article.get_absolute_url()) if article.is_public else None,
        "submission": submission
        and {
            "state": submission.state,
            "submitted_at": submission.submitted_at,
            "decided_at": submission.decided_at,
            "message": submission.message,
        },
        "guidelines": _guidelines(request, article.language),
        "cover": present.cover(request, article),
    }


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    """The web form's own validation, messages and all."""
    form = WritingForm(data)
    form.fields["topics"].to_field_name = "slug"  # the API names topics by slug
    if not form.is_valid():
        raise invalid(
            {"field": field, "message": message}
            for field, messages in form.errors.items()
            for message in messages
        )
    return form.cleaned_data


@router.get("/articles", response={200: s.OwnArticleList, **WRITE_ERRORS}, auth=READ)
def list_own_articles(request: HttpRequest) -> dict:
    """Your articles, newest first, with their state. Scope: articles:read-own."""
    return {"items": [_own_article(request, article) for article in _own_articles(request)]}


@router.post("/articles", response={201: s.OwnArticle, **WRITE_ERRORS}, auth=WRITE)
def create_draft(request: HttpRequest, payload: s.DraftIn) -> Status:
    """Start an article: its first revision, a draft nobody else sees. Scope: drafts:write."""
    data = _validated(
        {
            **payload.dict(exclude={"sources", "topics"}),
            "topics": payload.topics,
            "sources": "\n".join(payload.sources),
        }
    )
    article = actions.save_draft(
        request.auth.user, None, title=data["title"], summary=data["summary"],
        body=data["body"], language=data["language"], topics=data["topics"],
        translation_of=data["translation_of"], sources=data["sources"],
    )  # fmt: skip
    return Status(201, _own_article(request, _own(request, article.uuid)))


@router.get("/articles/{uuid}", response={200: s.OwnArticle, **WRITE_ERRORS}, auth=READ)
def get_own_article(request: HttpRequest, uuid: UUID) -> dict:
    """One of your articles: latest text, state, the editors' last word, the guidelines
    version to accept when submitting. Scope: articles:read-own."""
    return _own_article(request, _own(request, uuid))


@router.patch("/articles/{uuid}", response={200: s.OwnArticle, **WRITE_ERRORS}, auth=WRITE)
def update_draft(request: HttpRequest, uuid: UUID, payload: s.DraftChange) -> dict:
    """Save a new revision; fields left out keep their value. Refused (403) while the
    editors review the article, as on the site. Scope: drafts:write."""
    article = _own(request, uuid)
    current = article.latest_revision
    change = payload.dict(exclude_none=True)
    data = _validated(
        {
            "title": change.get("title", current.title),
            "summary": change.get("summary", current.summary),
            "body": change.get("body", current.body),
            "language": article.language,
            "topics": change.get("topics", [topic.slug for topic in article.topics.all()]),
            "sources": "\n".join(change.get("sources", current.sources)),
        }
    )
    based_on = None
    if payload.based_on is not None:
        based_on = Revision.objects.filter(article=article, number=payload.based_on).first()
        if based_on is None:
            raise invalid([{"field": "based_on", "message": _("No such revision.")}])
    unchanged = (
        is_same_text(current, title=data["title"], summary=data["summary"], body=data["body"])
        and current.sources == data["sources"]
        and {t.pk for t in article.topics.all()} == {t.pk for t in data["topics"]}
    )
    if not unchanged:  # as on the site: saving the same text adds no empty revision
        actions.save_draft(
            request.auth.user, article, title=data["title"], summary=data["summary"],
            body=data["body"], topics=data["topics"], sources=data["sources"], based_on=based_on,
        )  # fmt: skip
    elif based_on is not None and based_on.pk != current.pk:
        raise Problem(
            409, _("This article was changed by someone else since you opened it."), code="conflict"
        )
    return _own_article(request, _own(request, uuid))


@router.post("/articles/{uuid}/cover", response={200: s.OwnArticle, **WRITE_ERRORS}, auth=WRITE)
def upload_cover(
    request: HttpRequest,
    uuid: UUID,
    image: File[UploadedFile],
    alt_text: Form[str],
    credit: Form[str],
    licence: Form[str],
) -> dict:
    """Use your own picture as the cover (JPEG, PNG, WebP or GIF, at least 600 by 315 pixels):
    multipart/form-data with the image, what it shows, its credit and licence. Checked
    and re-encoded like uploads on the site. Scope: drafts:write."""
    article = _own(request, uuid)
    try:
        replace_cover_with_upload(
            request.auth.user, article, image, alt_text=alt_text, credit=credit, licence=licence
        )
    except PermissionDenied:
        raise Problem(
            403,
            _("Only an editor can change the cover of a published article."),
            code="permission_denied",
        ) from None
    except ValidationError as error:
        raise invalid(field_errors(error, default_field="image")) from None
    return _own_article(request, _own(request, uuid))


@router.post("/articles/{uuid}/submit", response={200: s.OwnArticle, **WRITE_ERRORS}, auth=SUBMIT)
def submit(request: HttpRequest, uuid: UUID, payload: s.SubmitIn) -> dict:
    """Ask the editors to publish the latest revision, accepting the current submission
    guidelines (their version number). Scope: submissions:write."""
    article = _own(request, uuid)
    actions.submit_article(
        request.auth.user, article, accepted_guidelines=payload.accept_guidelines
    )
    return _own_article(request, _own(request, uuid))


@router.get("/articles/{uuid}/findings", response={200: s.Findings, **WRITE_ERRORS}, auth=READ)
def findings(request: HttpRequest, uuid: UUID) -> dict:
    """What the automated guideline checks found on your article. Scope: articles:read-own."""
    article = _own(request, uuid)
    # tribune.checks owns the findings; imported here so the API does not load the checks
    # (and their language models) until someone asks.
    from tribune.checks.queries import findings_for_article

    return {"findings": findings_for_article(article)}
