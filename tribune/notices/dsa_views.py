"""Moderators' pages for what goes beyond deciding: reports to law enforcement (DSA art. 18),
out-of-court disputes (art. 21) and the accuracy of trusted flaggers (art. 22(6))."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tribune.articles.models import Article
from tribune.notices import actions, queries, transparency
from tribune.notices.forms import CrimeReportForm, DisputeCloseForm, DisputeForm
from tribune.notices.models import Dispute, DisputeOutcome, Notice
from tribune.notices.views import _moderator_only, _period, notice_page


@require_POST
def report_crime(request: HttpRequest, uuid: str, article: str) -> HttpResponse:
    """Report an article of a notice to law enforcement (DSA art. 18)."""
    _moderator_only(request)
    notice = get_object_or_404(Notice, uuid=uuid)
    target = get_object_or_404(Article, uuid=article, notice_items__notice=notice)
    form = CrimeReportForm(request.POST)
    if form.is_valid():
        try:
            actions.report_crime(
                request.user, target, notice=notice, explanation=form.cleaned_data["explanation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("notices:notice", uuid=notice.uuid)
    return render(
        request,
        "notices/notice_detail.html",
        notice_page(queries.notice_for_moderator(uuid), crime_form=form, crime_article=target.pk),
        status=400,
    )


def decision_disputes(request: HttpRequest, uuid: str) -> HttpResponse:
    """A decision's out-of-court disputes (DSA art. 21), and the form to record one."""
    _moderator_only(request)
    decision = queries.decision_with_disputes(uuid)
    if decision is None:
        raise Http404
    form = DisputeForm(
        request.POST or None,
        initial={"referred_on": timezone.now().date(), "outcome": DisputeOutcome.OPEN},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_dispute(request.user, decision, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("notices:decision_disputes", uuid=decision.uuid)
    return render(
        request,
        "notices/decision_disputes.html",
        {"decision": decision, "form": form, "blank_close_form": DisputeCloseForm()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def close_dispute(request: HttpRequest, uuid: str) -> HttpResponse:
    """Record how an open dispute ended."""
    _moderator_only(request)
    dispute = get_object_or_404(Dispute.objects.select_related("decision"), uuid=uuid)
    form = DisputeCloseForm(request.POST)
    closed = ""
    if form.is_valid():
        try:
            actions.close_dispute(request.user, dispute, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except actions.DisputeClosed as error:
            closed = str(error)  # its form is gone from the page: said at the top
        else:
            return redirect("notices:decision_disputes", uuid=dispute.decision.uuid)
    return render(
        request,
        "notices/decision_disputes.html",
        {
            "decision": queries.decision_with_disputes(dispute.decision.uuid),
            "form": DisputeForm(initial={"outcome": DisputeOutcome.OPEN}),
            "blank_close_form": DisputeCloseForm(),
            "close_form": form,
            "close_dispute": dispute.pk,
            "error": closed,
        },
        status=400,
    )


def disputes(request: HttpRequest) -> HttpResponse:
    """Every out-of-court dispute, open ones first."""
    _moderator_only(request)
    return render(request, "notices/disputes.html", {"disputes": queries.all_disputes()})


def trusted_flaggers(request: HttpRequest) -> HttpResponse:
    """How often each trusted flagger's notices of a period led to action (DSA art. 22(6))."""
    _moderator_only(request)
    start, end, error = _period(request)
    first, last = start.date(), (end - datetime.timedelta(days=1)).date()
    return render(
        request,
        "notices/trusted_flaggers.html",
        {
            "flaggers": transparency.trusted_flaggers(start, end),
            "first": first,
            "last": last,
            "error": error,
        },
    )
