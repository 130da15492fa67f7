"""Turning the addresses a notifier pastes into our articles, with a clear word for each
address that is not one."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from tribune.articles.models import Article, Status

MAX_URLS = 20
MAX_URL_CHARS = 500
# Articles a reader could have seen: published (maybe restricted) or already removed.
_REPORTABLE = (Status.PUBLISHED, Status.REMOVED, Status.UNPUBLISHED)


def our_hosts(extra: str = "") -> set[str]:
    hosts = {urlsplit(settings.TRIBUNE_BASE_URL).netloc.lower()}
    if extra:
        hosts.add(extra.lower())
    return hosts


def articles_from_urls(text: str, request_host: str = "") -> list[tuple[str, Article]]:
    """One (url, article) per distinct article named in `text` (one address a line).

    Raises ValidationError naming every address that is not an article of ours."""
    urls = [line.strip() for line in text.splitlines() if line.strip()]
    if not urls:
        raise ValidationError(_("Please give the address of at least one of our articles."))
    if len(urls) > MAX_URLS:
        raise ValidationError(
            _(
                "Please report at most %(max)d addresses in one notice (you gave %(count)d); "
                "send another notice for the rest."
            )
            % {"max": MAX_URLS, "count": len(urls)}
        )
    hosts = our_hosts(request_host)
    found: dict[int, tuple[str, Article]] = {}
    errors = []
    for url in urls:
        article = None
        if len(url) > MAX_URL_CHARS:
            errors.append(
                _("An address is longer than %(max)d characters.") % {"max": MAX_URL_CHARS}
            )
            continue
        parts = urlsplit(url)
        shown = url[:120]
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
            errors.append(
                _("“%(url)s” is not an address on this site; we can only act on our own articles.")
                % {"url": shown}
            )
            continue
        article = _article_at(parts.path)
        if article is None:
            errors.append(_("“%(url)s” is not one of our articles.") % {"url": shown})
            continue
        found.setdefault(article.pk, (url, article))
    if errors:
        raise ValidationError(errors)
    return list(found.values())


def _article_at(path: str) -> Article | None:
    language = path.strip("/").split("/", 1)[0]
    if language not in dict(settings.LANGUAGES):
        return None
    with translation.override(language):
        try:
            match = resolve(path if path.endswith("/") else path + "/")
        except Resolver404:
            return None
    if match.view_name != "articles:article":
        return None
    return Article.objects.filter(
        language=language, slug=match.kwargs["slug"], status__in=_REPORTABLE
    ).first()
