"""Structured data and cards for an article: JSON-LD `NewsArticle`, OpenGraph, Twitter.

Everything here is built from what the article page has already fetched (the article,
its live revision, author profile and prefetched topics), so the cards add no query.
"""

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tribune.articles.models import Article
from tribune.discovery.feeds import absolute, site_logo_url

# OpenGraph wants language_TERRITORY. Where a language's main territory is not the
# language code in capitals (de -> de_DE), it is named here.
_TERRITORIES = {
    "en": "en_US", "ca": "ca_ES", "cs": "cs_CZ", "da": "da_DK", "el": "el_GR", "et": "et_EE",
    "fa": "fa_IR", "ga": "ga_IE", "he": "he_IL", "hi": "hi_IN", "ja": "ja_JP", "ko": "ko_KR",
    "nb": "nb_NO", "nn": "nn_NO", "sl": "sl_SI", "sr": "sr_RS", "sv": "sv_SE", "uk": "uk_UA",
    "vi": "vi_VN", "zh-hans": "zh_CN", "zh-hant": "zh_TW", "pt-br": "pt_BR", "en-gb": "en_GB",
}  # fmt: skip

# Inside <script>, "</script>" or "<!--" in a string would end or confuse the element;
# as \u escapes they stay the same JSON string and cannot break out.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def og_locale(language: str) -> str:
    code = language.lower()
    if code in _TERRITORIES:
        return _TERRITORIES[code]
    if "-" in code:
        lang, territory = code.split("-", 1)
        return f"{lang}_{territory.upper()}"
    return f"{code}_{code.upper()}"


def ld_json_script(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">` with data that no string inside can escape.

    A data block is never executed, so the Content Security Policy does not apply to it.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - escaped for <script> above
    )


def author_url(article: Article) -> str:
    with translation.override(article.language):
        return absolute(article.author.profile.get_absolute_url())


def publisher() -> dict[str, Any]:
    organization: dict[str, Any] = {
        "@type": "Organization",
        "name": settings.TRIBUNE_SITE_NAME,
        "url": absolute("/"),
    }
    logo = site_logo_url()
    if logo:
        organization["logo"] = {"@type": "ImageObject", "url": logo}
    return organization


def news_article(article: Article, image_url: str = "") -> dict[str, Any]:
    """schema.org NewsArticle for the page of a public article."""
    revision = article.live_revision
    url = absolute(article.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": revision.title,
        "inLanguage": article.language,
        "datePublished": article.published_at,
        "dateModified": article.revised_at or article.published_at,
        "author": [
            {
                "@type": "Person",
                "name": article.author.profile.display_name,
                "url": author_url(article),
            }
        ],
        "publisher": publisher(),
        "wordCount": revision.word_count,
    }
    if revision.summary:
        data["description"] = revision.summary
    if image_url:
        data["image"] = [absolute(image_url)]
    topics = [topic.label for topic in article.topics.all()]
    if topics:
        data["keywords"] = topics
    return data


def card_context(article: Article, image_url: str = "") -> dict[str, Any]:
    """What the OpenGraph and Twitter tags of an article page say."""
    return {
        "article": article,
        "site_name": settings.TRIBUNE_SITE_NAME,
        "url": absolute(article.get_absolute_url()),
        "locale": og_locale(article.language),
        "alternate_locales": [og_locale(t.language) for t in getattr(article, "translations_", [])],
        "author_url": author_url(article),
        "topics": [topic.label for topic in article.topics.all()],
        "image_url": absolute(image_url) if image_url else "",
        "json_ld": ld_json_script(news_article(article, image_url)),
    }
