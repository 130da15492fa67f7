from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, ngettext, override

register = template.Library()


@register.simple_tag
def other_languages(request: HttpRequest) -> list[tuple[str, str, str]]:
    """(code, name, url) of this page in each other interface language."""
    current = get_language()
    return [
        (code, name, translate_url(request.path, code))
        for code, name in settings.LANGUAGES
        if code != current
    ]


@register.simple_tag
def reading_time(minutes: int, language: str) -> str:
    """ "4 min read" in the article's own language, whatever the page around it."""
    with override(language):
        return ngettext("%(minutes)d min read", "%(minutes)d min read", minutes) % {
            "minutes": minutes
        }
