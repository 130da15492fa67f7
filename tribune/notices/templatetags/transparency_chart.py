from django import template

register = template.Library()

HEIGHT = 120
BAR = 6


@register.inclusion_tag("notices/includes/chart.html")
def weekly_chart(weekly: list[dict]) -> dict:
    """Notices and decisions per week as SVG bars (no script, no style attributes)."""
    weeks = weekly[-52:]
    top = max([1, *(max(w["notices"], w["decisions"]) for w in weeks)])
    bars = []
    for index, entry in enumerate(weeks):
        x = index * (2 * BAR + 4)
        for offset, key in ((0, "notices"), (BAR, "decisions")):
            height = round(entry[key] / top * HEIGHT)
            bars.append(
                {
                    "x": x + offset,
                    "y": HEIGHT - height,
                    "height": height,
                    "kind": key,
                    "count": entry[key],
                    "week": entry["week"],
                }
            )
    return {
        "bars": bars,
        "width": max(len(weeks) * (2 * BAR + 4), 1),
        "height": HEIGHT,
        "top": top,
        "weeks": weeks,
    }
