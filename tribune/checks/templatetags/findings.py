"""How findings show on the review page, the contributor's pages and anywhere else:
`{% render_finding finding revision %}` picks the check's own template when it has one."""

from django import template
from django.template.loader import select_template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

# Characters of surrounding text shown either side of a passage.
CONTEXT = 90


@register.simple_tag
def render_finding(finding: object, revision: object = None, **extra: object) -> SafeString:
    """One finding as an <li>. `extra` goes to the template too: the editors' pages pass
    `show_pending=True` (a check may then show unpublished articles it compared with)."""
    chosen = select_template(
        [f"checks/findings/{finding.check_name}.html", "checks/findings/generic.html"]
    )
    return chosen.render({**extra, "finding": finding, "revision": revision})


def _trim_left(text: str) -> str:
    # The context stays within the passage's own paragraph.
    text = text[text.rfind("\n\n") + 2 :] if "\n\n" in text else text
    if len(text) <= CONTEXT:
        return text
    cut = text[-CONTEXT:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < CONTEXT // 2 else cut)


def _trim_right(text: str) -> str:
    text = text[: text.find("\n\n")] if "\n\n" in text else text
    if len(text) <= CONTEXT:
        return text
    cut = text[:CONTEXT]
    space = cut.rfind(" ")
    return (cut[:space] if space > CONTEXT // 2 else cut) + "…"


@register.filter
def in_context(passage: dict, revision: object = None) -> SafeString:
    """The passage marked (<mark>) inside a snippet of the text around it, all escaped.
    Without the revision, or when the offsets no longer match it, the passage alone."""
    field, start, end = passage.get("field"), passage.get("start"), passage.get("end")
    text = getattr(revision, field, None) if revision is not None and field else None
    quoted = passage.get("text", "")
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return format_html("<mark>{}</mark>", quoted)
    if text[start:end] != quoted:
        return format_html("<mark>{}</mark>", quoted)
    return format_html(
        "{}<mark>{}</mark>{}",
        _trim_left(text[:start]),
        text[start:end],
        _trim_right(text[end:]),
    )


@register.filter
def field_label(field: str) -> str:
    labels = {"title": _("Headline"), "summary": _("Summary"), "body": _("Text")}
    return labels.get(field, field)
