"""Counts per day for the admin's chart, drawn as SVG on the server (no JavaScript)."""

from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tribune.newsletter.models import BounceEvent, ConsentRecord

SERIES = [
    ("requested", _("Sign-ups"), "#1f77b4"),
    ("confirmed", _("Confirmations"), "#2ca02c"),
    ("unsubscribed", _("Unsubscribes"), "#d62728"),
    ("bounces", _("Bounces"), "#7f7f7f"),
]


def daily_counts(days: int = 30) -> tuple[list[date], dict[str, list[int]]]:
    """Per day of the last `days`: sign-ups, confirmations, unsubscribes, bounces (2 queries).
    Erased subscribers leave no events, so their days count them no more."""
    today = timezone.now().date()
    start = today - timedelta(days=days - 1)
    dates = [start + timedelta(days=n) for n in range(days)]
    index = {day: n for n, day in enumerate(dates)}
    series = {key: [0] * days for key, _label, _colour in SERIES}
    events = (
        ConsentRecord.objects.filter(at__date__gte=start)
        .annotate(day=TruncDate("at"))
        .values_list("day", "event")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, event, n in events:
        if event in series and day in index:
            series[event][index[day]] += n
    bounces = (
        BounceEvent.objects.filter(received_at__date__gte=start)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, n in bounces:
        if day in index:
            series["bounces"][index[day]] += n
    return dates, series


def chart(days: int = 30, width: int = 600, height: int = 200) -> dict:
    """What the template needs to draw the lines: points per series, scale and labels."""
    dates, series = daily_counts(days)
    top = max([1, *(max(values) for values in series.values())])
    step = width / max(1, days - 1)
    lines = []
    for key, label, colour in SERIES:
        values = series[key]
        points = " ".join(
            f"{n * step:.1f},{height - value * height / top:.1f}" for n, value in enumerate(values)
        )
        lines.append({"label": label, "colour": colour, "points": points, "total": sum(values)})
    return {
        "width": width,
        "height": height,
        "top": top,
        "lines": lines,
        "first": dates[0],
        "last": dates[-1],
    }
