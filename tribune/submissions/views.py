import difflib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tribune.articles.actions import ConcurrentChange
from tribune.articles.models import Article, Revision
from tribune.articles.queries import topics_with_labels
from tribune.checks import queries as check_queries
from tribune.checks.actions import override_blocking_findings
from tribune.checks.forms import OverrideForm
from tribune.core.models import AuditEntry
from tribune.core.pagecache import cache_for_readers
from tribune.core.views import site_page
from tribune.covers.actions import replace_cover_with_upload
from tribune.submissions import actions
from tribune.submissions.forms import DecisionForm, WritingForm
from tribune.submissions.models import OPEN_STATES, State, Submission

STASH = "tribune.stashed_draft"


def keep_text_when_signed_out(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A writer whose session ran out keeps what they typed: the POST is kept in a fresh
    session, they sign in, and the writing page shows it again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            fields = ("title", "summary", "body", "language", "translation_of", "sources")
            request.session[STASH] = {
                "path": request.path,
                "data": {name: request.POST.get(name, "") for name in fields},
                "topics": request.POST.getlist("topics"),
            }
            messages.warning(
                request, _("You were signed out. Sign in again; we kept what you wrote.")
            )
        return redirect_to_login(request.path)

    return wrapper


def _stashed(request: HttpRequest) -> dict | None:
    stash = request.session.get(STASH)
    if stash and stash.get("path") == request.path:
        del request.session[STASH]
        return {**stash["data"], "topics": stash["topics"]}
    return None


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The contributor's own articles with their state and the editors' last word."""
    articles = (
        Article.objects.filter(author=request.user)
        .select_related("latest_revision", "live_revision")
        .defer(
            "latest_revision__body",
            "latest_revision__body_html",
            "live_revision__body",
            "live_revision__body_html",
        )
        .prefetch_related(
            Prefetch("submissions", queryset=Submission.objects.order_by("-submitted_at"))
        )
        .order_by("-created_at")
    )
    # The guideline checks' verdict on each article's newest submission (2 queries).
    articles = list(articles)
    runs = check_queries.latest_runs_by_article(articles)
    for article in articles:
        article.check_run = runs.get(article.pk)
    return render(request, "submissions/desk.html", {"articles": articles})


def _load_for_writing(request: HttpRequest, uuid: str | None) -> Article | None:
    if uuid is None:
        return None
    article = get_object_or_404(Article.objects.select_related("latest_revision"), uuid=uuid)
    if article.author_id != request.user.pk and not actions.is_editor(request.user):
        raise Http404
    return article


@keep_text_when_signed_out
def write(request: HttpRequest, uuid: str | None = None) -> HttpResponse:
    """Write a new article or the next revision of one: save, preview or submit."""
    article = _load_for_writing(request, uuid)
    language = article.language if article else get_language()
    version = actions.current_guidelines_version(language)
    locked = article is not None and not actions.can_edit(request.user, article)
    if request.method == "POST" and not locked:
        form = WritingForm(request.POST, request.FILES, guidelines_version=version)
        if form.is_valid():
            response = _save_and_go_on(request, article, form)
            if response is not None:
                return response
    else:
        form = WritingForm(initial=_initial(request, article), guidelines_version=version)
    context = {"form": form, "article": article, "locked": locked, "guidelines_version": version}
    if article is not None:
        context["submission"] = article.submissions.order_by("-submitted_at").first()
        if context["submission"] is not None:
            context["check_run"] = check_queries.latest_run(context["submission"])
    return render(request, "submissions/write.html", context)


def _initial(request: HttpRequest, article: Article | None) -> dict:
    stashed = _stashed(request)
    if stashed is not None:
        return stashed
    if article is None:
        return {"language": get_language()}
    revision = article.latest_revision
    return {
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "language": article.language,
        "topics": list(article.topics.values_list("pk", flat=True)),
        "sources": "\n".join(revision.sources),
        "based_on": revision.pk,
    }


def _save_and_go_on(
    request: HttpRequest, article: Article | None, form: WritingForm
) -> HttpResponse | None:
    data = form.cleaned_data
    based_on = (
        Revision.objects.filter(pk=data["based_on"]).first() if data.get("based_on") else None
    )
    try:
        article = _save_if_changed(request, article, data, based_on)
        if "submit" in request.POST:
            if not data["accept_guidelines"]:
                form.add_error(
                    "accept_guidelines", _("Please accept the submission guidelines to submit.")
                )
                return None
            actions.submit_article(
                request.user, article, accepted_guidelines=form.guidelines_version
            )
            messages.success(
                request, _("Submitted. The editors will review it; we will write to you.")
            )
            return redirect("submissions:desk")
    except ConcurrentChange as error:
        form.add_error(
            None,
            str(error)
            + " "
            + _(
                "Your text is still below and not saved: copy it, reload, "
                "and apply your changes to the newest version."
            ),
        )
        return None
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    if data.get("cover_image"):
        _attach_cover(request, article, form)
    if "preview" in request.POST:
        return redirect("submissions:preview", uuid=article.uuid)
    messages.success(request, _("Saved."))
    return redirect("submissions:edit", uuid=article.uuid)


def _attach_cover(request: HttpRequest, article: Article, form: WritingForm) -> None:
    """The contributor's own cover image. The text is saved first; a refused image is
    explained in a message on the page the writer returns to."""
    data = form.cleaned_data
    try:
        replace_cover_with_upload(
            request.user, article, data["cover_image"], alt_text=data["cover_alt"],
            credit=data["cover_credit"], licence=data["cover_licence"],
        )  # fmt: skip
    except ValidationError as error:
        reasons = " ".join(error.messages)
        messages.error(
            request, _("Your text is saved; the image was not: %(reasons)s") % {"reasons": reasons}
        )
    except PermissionDenied:
        messages.error(request, _("Only an editor can change the cover of a published article."))


def _save_if_changed(
    request: HttpRequest, article: Article | None, data: dict, based_on: Revision | None
) -> Article:
    if article is not None and based_on is not None and based_on.pk == article.latest_revision_id:
        same_text = based_on.title == data["title"].strip() and based_on.body == data[
            "body"
        ].strip().replace("\r\n", "\n")
        same_rest = (
            based_on.summary == data["summary"].strip() and based_on.sources == data["sources"]
        )
        same_topics = set(article.topics.values_list("pk", flat=True)) == {
            t.pk for t in data["topics"]
        }
        if same_text and same_rest and same_topics:
            return article  # nothing new: a submit or a double click adds no empty revision
    return actions.save_draft(
        request.user, article, title=data["title"], summary=data["summary"], body=data["body"],
        language=data["language"], topics=data["topics"], translation_of=data["translation_of"],
        sources=data["sources"], based_on=based_on,
    )  # fmt: skip


@login_required
def preview(request: HttpRequest, uuid: str) -> HttpResponse:
    """The latest revision exactly as the public page will show it."""
    article = _load_for_writing(request, uuid)
    article.live_revision = article.latest_revision
    article.translations_ = []
    return render(request, "articles/article_detail.html", {"article": article, "preview": True})


def _editor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not actions.is_editor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@_editor_only
def queue(request: HttpRequest) -> HttpResponse:
    """Open submissions, oldest first, with filters by language, topic and state."""
    submissions = check_queries.with_check_counts(
        Submission.objects.filter(state__in=OPEN_STATES)
        .select_related("article", "revision", "submitted_by__profile", "claimed_by")
        .defer("revision__body", "revision__body_html")
        .prefetch_related(Prefetch("article__topics", queryset=topics_with_labels()))
        .order_by("submitted_at", "id")
    )
    filters = {key: request.GET.get(key, "") for key in ("language", "topic", "state")}
    if filters["language"]:
        submissions = submissions.filter(article__language=filters["language"])
    if filters["topic"]:
        submissions = submissions.filter(article__topics__slug=filters["topic"])
    if filters["state"] in OPEN_STATES:
        submissions = submissions.filter(state=filters["state"])
    context = {
        "submissions": submissions,
        "filters": filters,
        "topics": topics_with_labels().order_by("label_"),
        "states": [(s.value, s.label) for s in State if s in OPEN_STATES],
    }
    return render(request, "submissions/queue.html", context)


def _diff(old: str, new: str) -> SafeString:
    """Line by line, escaped: removed lines in <del>, added ones in <ins>."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], escape(line[2:])
        if tag == "- ":
            lines.append(f"<del>{text}</del>")
        elif tag == "+ ":
            lines.append(f"<ins>{text}</ins>")
        elif tag == "  ":
            lines.append(f"<span>{text}</span>")
    # Each line is a block of its own: no newlines between them inside the <pre>.
    return mark_safe("".join(lines))  # noqa: S308 - every piece was escaped above


@_editor_only
def review(request: HttpRequest, uuid: str) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related(
            "article__latest_revision", "article__live_revision", "revision"
        ),
        uuid=uuid,
    )
    article = submission.article
    if request.method == "POST":
        response = _act(request, submission)
        if response is not None:
            return response
    revisions = list(
        article.revisions.only("pk", "number", "title", "created_at", "created_by").order_by(
            "number"
        )
    )
    by_number = {r.number: r for r in revisions}
    default_old = article.live_revision or (revisions[-2] if len(revisions) > 1 else revisions[0])
    old = by_number.get(_int(request.GET.get("from")), default_old)
    new = by_number.get(_int(request.GET.get("to")), article.latest_revision)
    old, new = Revision.objects.get(pk=old.pk), Revision.objects.get(pk=new.pk)
    check_run = check_queries.latest_run(submission)
    diff = {
        "title": _diff(old.title, new.title),
        "summary": _diff(old.summary, new.summary),
        "body": _diff(old.body, new.body),
    }
    context = {
        "submission": submission,
        "article": article,
        "revisions": revisions,
        "old": old,
        "new": new,
        "diff": diff,
        "form": DecisionForm(),
        "editors": actions.editors(),
        "check_run": check_run,
        "checks_blocked": (
            check_queries.blocking_reason(submission, check_run) if submission.is_open else None
        ),
        "override_form": OverrideForm(),
        "history": AuditEntry.objects.filter(
            object_type="articles.article", object_id=str(article.pk)
        )
        .select_related("actor")
        .order_by("created_at"),
    }
    return render(request, "submissions/review.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _act(request: HttpRequest, submission: Submission) -> HttpResponse | None:
    """Claim, assign or decide; messages say what happened or why not."""
    try:
        if "claim" in request.POST:
            actions.claim_submission(request.user, submission)
            messages.success(request, _("You are reviewing this submission."))
        elif "assign" in request.POST:
            editor = get_user_model().objects.filter(pk=_int(request.POST.get("editor"))).first()
            if editor is None:
                raise ValidationError({"editor": _("Choose an editor.")})
            actions.claim_submission(request.user, submission, for_editor=editor)
            messages.success(request, _("Assigned."))
        elif "override" in request.POST:
            form = OverrideForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            override_blocking_findings(request.user, submission, reason=form.cleaned_data["reason"])
            messages.success(request, _("Overridden. The submission may now be approved."))
        else:
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            data = form.cleaned_data
            if data["decision"] == "approve":
                actions.approve_submission(
                    request.user, submission, publish_at=data["publish_at"], message=data["message"]
                )
                messages.success(request, _("Approved."))
            elif data["decision"] == "changes":
                actions.request_changes(request.user, submission, message=data["message"])
                messages.success(request, _("Sent back to the author."))
            else:
                actions.reject_submission(request.user, submission, reason=data["message"])
                messages.success(request, _("Declined."))
            return redirect("submissions:queue")
    except (ConcurrentChange, PermissionDenied) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("submissions:review", kwargs={"uuid": submission.uuid}))


@cache_for_readers
def guidelines(request: HttpRequest) -> HttpResponse:
    """The newest guidelines the operator wrote in this language, else the shipped text."""
    current = actions.current_guidelines(get_language())
    if current is None:
        return site_page("guidelines")(request)
    return render(request, "submissions/guidelines.html", {"guidelines": current})
