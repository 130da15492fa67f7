import csv
import datetime
from functools import partial

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tribune.articles.models import Article
from tribune.core.pagecache import cache_for_readers
from tribune.core.ratelimit import limit_posts
from tribune.notices import actions, queries, transparency
from tribune.notices.attachments import CONTENT_TYPES
from tribune.notices.forms import (
    DMCA_FIELDS,
    AppealDecisionForm,
    AppealForm,
    CounterNoticeForm,
    CrimeReportForm,
    DecisionForm,
    ReportForm,
    SuspensionAppealForm,
    SuspensionForm,
    WarningForm,
)
from tribune.notices.models import (
    Appeal,
    AppealState,
    Category,
    CounterNotice,
    CounterState,
    Decision,
    DisputeOutcome,
    MisuseBasis,
    MisuseWarning,
    Notice,
    Suspension,
)


def _initial_urls(request: HttpRequest) -> str:
    # The article page links here with ?url=<its path>; only our own paths are taken.
    path = request.GET.get("url", "")
    if path.startswith("/") and not path.startswith("//") and len(path) < 300:
        return settings.TRIBUNE_BASE_URL + path
    return ""


@never_cache
@limit_posts("notice", per_ip=settings.TRIBUNE_NOTICES_PER_HOUR, window=3600)
def report(request: HttpRequest) -> HttpResponse:
    """The notice form (DSA art. 16), open to everyone, signed in or not."""
    form = ReportForm(
        request.POST or None,
        request_host=request.get_host(),
        initial={"urls": _initial_urls(request)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.is_bot:
            # The same page as for a person, so that the bot learns nothing; nothing stored.
            return render(request, "notices/report_done.html", {"reference": None})
        dmca = (
            {name: data[name] for name in DMCA_FIELDS}
            if settings.TRIBUNE_DMCA and data["category"] == Category.INTELLECTUAL_PROPERTY
            else {}
        )
        try:
            notice = actions.submit_notice(
                request.user,
                category=data["category"],
                items=data["urls"],
                explanation=data["explanation"],
                bona_fide=data["bona_fide"],
                language=get_language(),
                passage=data["passage"],
                legal_provision=data["legal_provision"],
                notifier_name=data["notifier_name"],
                notifier_email=data["notifier_email"],
                dmca=dmca,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "notices/report_done.html",
                {"reference": notice.reference, "email": notice.notifier_email},
            )
    return render(request, "notices/report.html", {"form": form})


def queue(request: HttpRequest) -> HttpResponse:
    if not actions.may_decide(request.user):
        raise PermissionDenied
    return render(request, "notices/queue.html", {"notices": queries.open_notices()})


def _moderator_only(request: HttpRequest) -> None:
    if not actions.may_decide(request.user):
        raise PermissionDenied


def notice_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    _moderator_only(request)
    notice = queries.notice_for_moderator(uuid)
    if notice is None:
        raise Http404
    return render(request, "notices/notice_detail.html", notice_page(notice))


def notice_page(notice: Notice, **extra: object) -> dict:
    """The notice page's context: blank forms unless `extra` brings one with its errors."""
    return {
        "notice": notice,
        "blank_form": DecisionForm(),
        "blank_crime_form": CrimeReportForm(),
        "law_enforcement_email": settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL,
        **extra,
    }


def decide(request: HttpRequest, uuid: str, article: str) -> HttpResponse:
    """A moderator's decision on one article of a notice (POST only)."""
    _moderator_only(request)
    notice = get_object_or_404(Notice, uuid=uuid)
    target = get_object_or_404(Article, uuid=article, notice_items__notice=notice)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide(request.user, target, notice=notice, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except actions.AlreadyDecided as error:
            form.add_error(None, str(error))
        else:
            return redirect("notices:notice", uuid=notice.uuid)
    found = queries.notice_for_moderator(uuid)
    return render(
        request,
        "notices/notice_detail.html",
        notice_page(found, form=form, form_article=target.pk),
        status=400 if request.method == "POST" else 200,
    )


def _appeal(request: HttpRequest, decision: Decision, *, by_contributor: bool) -> HttpResponse:
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.appeal_decision(
                request.user,
                decision,
                by_contributor=by_contributor,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "notices/appeal_done.html", {"decision": decision})
    return render(request, "notices/appeal.html", {"form": form, "decision": decision})


@limit_posts("appeal", per_ip=20, window=3600)
def appeal(request: HttpRequest, uuid: str) -> HttpResponse:
    """The contributor's appeal against a decision on their article (signed in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    decision = get_object_or_404(
        Decision.objects.select_related("article__latest_revision"),
        uuid=uuid,
        article__author=request.user,
    )
    return _appeal(request, decision, by_contributor=True)


@limit_posts("appeal", per_ip=20, window=3600)
def suspension_appeal(request: HttpRequest, uuid: str) -> HttpResponse:
    """The suspended person's appeal: signed in for an account, by the mailed link for an
    address without one."""
    suspension = get_object_or_404(Suspension.objects.select_related("user"), uuid=uuid)
    if suspension.user_id is not None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.pk != suspension.user_id:
            raise Http404
    form = SuspensionAppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.appeal_suspension(
                request.user,
                suspension,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "notices/appeal_done.html", {"suspension": suspension})
    return render(
        request, "notices/suspension_appeal.html", {"form": form, "suspension": suspension}
    )


@cache_for_readers
def dsa(request: HttpRequest) -> HttpResponse:
    """Points of contact (DSA art. 11, 12, 13), the procedures and the misuse policy
    (art. 14, 23(4)) and dispute settlement (art. 21), from the operator's settings."""
    languages = [
        translation.get_language_info(code)["name_translated"] if code in LANG_INFO else code
        for code in settings.TRIBUNE_DSA_CONTACT_LANGUAGES
    ]
    return render(
        request,
        "notices/dsa.html",
        {
            "recipient_email": settings.TRIBUNE_DSA_RECIPIENT_EMAIL,
            "authority_email": settings.TRIBUNE_DSA_AUTHORITY_EMAIL,
            "languages": languages,
            "representative": settings.TRIBUNE_DSA_LEGAL_REPRESENTATIVE,
            "dispute_bodies": settings.TRIBUNE_DSA_DISPUTE_BODIES,
            "terms_version": settings.TRIBUNE_TERMS_VERSION,
            "appeal_days": settings.TRIBUNE_APPEAL_DAYS,
            "report_url": reverse("notices:report"),
            "transparency": not transparency.hidden(),
        },
    )


@cache_for_readers
def statement(request: HttpRequest, uuid: str) -> HttpResponse:
    """The public statement of reasons behind a "Disputed content" label: what the
    Transparency Database publishes too, so nothing personal."""
    decision = queries.public_statement(uuid)
    if decision is None:
        raise Http404
    return render(request, "notices/statement.html", {"decision": decision})


@limit_posts("appeal", per_ip=20, window=3600)
def notifier_appeal(request: HttpRequest, uuid: str, notice: str) -> HttpResponse:
    """The notifier's appeal, reached through the link in the decision mail (no account)."""
    decision = get_object_or_404(
        Decision.objects.select_related("article__latest_revision"),
        uuid=uuid,
        notice__uuid=notice,
    )
    return _appeal(request, decision, by_contributor=False)


def appeals(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
    return render(request, "notices/appeals.html", {"appeals": queries.open_appeals()})


def decide_appeal(request: HttpRequest, uuid: str) -> HttpResponse:
    _moderator_only(request)
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "decision__article__latest_revision", "decision__moderator", "suspension"
        ),
        uuid=uuid,
        state=AppealState.OPEN,
    )
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_appeal(request.user, appeal, **form.cleaned_data)
        except (ValidationError, PermissionDenied, actions.AlreadyDecided) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            return redirect("notices:appeals")
    first = appeal.suspension.issued_by_id if appeal.suspension_id else appeal.decision.moderator_id
    return render(
        request,
        "notices/appeal_decide.html",
        {"appeal": appeal, "form": form, "own": first == request.user.pk},
    )


def _period(request: HttpRequest) -> tuple[datetime.datetime, datetime.datetime, str]:
    """The period from ?start=&end= (dates, end inclusive); this year so far by default."""
    today = timezone.now().date()
    error = ""
    try:
        start = datetime.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = datetime.date.fromisoformat(request.GET.get("end") or today.isoformat())
    except ValueError:
        start, end = datetime.date(today.year, 1, 1), today
        error = _("Please give dates as YYYY-MM-DD; showing this year so far instead.")
    if end < start:
        start, end = end, start
    as_time = partial(datetime.datetime.combine, time=datetime.time.min, tzinfo=datetime.UTC)
    return as_time(start), as_time(end + datetime.timedelta(days=1)), error


def transparency_report(request: HttpRequest) -> HttpResponse:
    """The public transparency report (DSA art. 15, 24) as a page, CSV or JSON."""
    if transparency.hidden():
        raise Http404
    start, end, error = _period(request)
    report = transparency.figures(start, end)
    first, last = start.date(), (end - datetime.timedelta(days=1)).date()
    wanted = request.GET.get("format")
    if wanted == "json":
        return JsonResponse(report)
    if wanted == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="transparency-{first}-{last}.csv"'
        writer = csv.writer(response)
        writer.writerow(["section", "figure", "value"])
        writer.writerows(transparency.rows(report))
        return response
    return render(
        request,
        "notices/transparency.html",
        {
            "report": report,
            "error": error,
            "first": first,
            "last": last,
            "query": f"start={first}&end={last}",
            "categories": [
                (label, report["notices"]["by_category"][value])
                for value, label in Category.choices
            ],
            "suspensions": [
                (label, report["suspensions"][value]) for value, label in MisuseBasis.choices
            ],
            "dispute_outcomes": [
                (label, report["disputes"]["by_outcome"][value])
                for value, label in DisputeOutcome.choices
            ],
            "terms_version": settings.TRIBUNE_TERMS_VERSION,
        },
    )


def transparency_statements(request: HttpRequest) -> HttpResponse:
    """Statements of reasons of the period as a Transparency Database batch (JSON) or CSV
    with the database's field names as columns; no personal data."""
    if transparency.hidden():
        raise Http404
    start, end, _error = _period(request)
    batch = transparency.statements(start, end)
    if request.GET.get("format") == "csv":
        first, last = start.date(), (end - datetime.timedelta(days=1)).date()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="statements-{first}-{last}.csv"'
        writer = csv.writer(response)
        writer.writerow(transparency.TDB_COLUMNS)
        writer.writerows(transparency.statement_rows(batch))
        return response
    return JsonResponse(batch)


def counter_notice(request: HttpRequest, uuid: str) -> HttpResponse:
    """The author's DMCA counter-notice against a copyright removal (signed in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    decision = get_object_or_404(
        Decision.objects.select_related("article__latest_revision", "notice"),
        uuid=uuid,
        article__author=request.user,
    )
    if not actions.may_counter(decision):
        raise Http404
    form = CounterNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counter = actions.submit_counter_notice(request.user, decision, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "notices/counter_notice_done.html", {"counter": counter})
    return render(request, "notices/counter_notice.html", {"form": form, "decision": decision})


def misuse(request: HttpRequest) -> HttpResponse:
    """Warnings and suspensions (DSA art. 23) and waiting DMCA counter-notices."""
    _moderator_only(request)
    form = WarningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.filter(email__iexact=data["email"]).first()
        try:
            actions.warn_for_misuse(
                request.user,
                basis=data["basis"],
                note=data["note"],
                user=user,
                email="" if user else data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("notices:misuse")
    return render(
        request,
        "notices/misuse.html",
        {"form": form, "blank_suspend_form": SuspensionForm(), **queries.misuse_overview()},
    )


def suspend(request: HttpRequest, uuid: str) -> HttpResponse:
    _moderator_only(request)
    warning = get_object_or_404(MisuseWarning, uuid=uuid)
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ends = datetime.datetime.combine(
            form.cleaned_data["ends"], datetime.time.max, tzinfo=datetime.UTC
        )
        try:
            actions.suspend_for_misuse(
                request.user, warning, ends=ends, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("notices:misuse")
    return render(
        request,
        "notices/misuse.html",
        {
            "form": WarningForm(),
            "suspend_form": form,
            "blank_suspend_form": SuspensionForm(),
            "warning_id": warning.pk,
            **queries.misuse_overview(),
        },
        status=400 if request.method == "POST" else 200,
    )


def court_action(request: HttpRequest, uuid: str) -> HttpResponse:
    _moderator_only(request)
    counter = get_object_or_404(CounterNotice, uuid=uuid, state=CounterState.WAITING)
    if request.method == "POST":
        actions.record_court_action(request.user, counter)
    return redirect("notices:misuse")


def appeal_attachment(request: HttpRequest, uuid: str) -> HttpResponse:
    """An appeal's attachment, for moderators only, always as a download."""
    _moderator_only(request)
    appeal = get_object_or_404(Appeal, uuid=uuid)
    if not appeal.attachment:
        raise Http404
    extension = appeal.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(
        appeal.attachment.open("rb"),
        as_attachment=True,
        filename=f"appeal-{appeal.uuid}.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
