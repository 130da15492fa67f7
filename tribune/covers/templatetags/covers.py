"""Cover markup for article pages and cards.

They use only what the page's query fetched (`select_related("cover")` and the prefetched
topics), so a list shows placeholders rather than making a query per card; the article's
cover stays out of any list that forgot to fetch it.
"""

from dataclasses import dataclass

from django import template
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from tribune.articles.models import Article
from tribune.covers.models import Cover, Source
from tribune.covers.palettes import PALETTES, STYLE_PHRASES, Style, default_style, palette_for
from tribune.covers.renditions import height_for

register = template.Library()

# The cover is as wide as the article column (42rem) or the screen; cards are narrower.
PAGE_SIZES = "(min-width: 44rem) 42rem, 100vw"
CARD_SIZES = "(min-width: 44rem) 14rem, 100vw"


@dataclass(frozen=True)
class CoverView:
    palette: str
    ready: bool = False
    webp_srcset: str = ""
    jpeg_srcset: str = ""
    src: str = ""
    width: int = 1200
    height: int = height_for(1200)
    alt: str = ""
    caption: str = ""
    credit: str = ""
    social_url: str = ""


def _fetched_cover(article: Article) -> Cover | None:
    if not Article.cover.is_cached(article):
        return None
    try:
        return article.cover
    except Cover.DoesNotExist:
        return None


def _fetched_topics(article: Article) -> list[str]:
    prefetched = getattr(article, "_prefetched_objects_cache", {})
    return [topic.slug for topic in prefetched.get("topics", [])]


def _srcset(entries: list[list]) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in entries)


def cover_view(article: Article) -> CoverView:
    """What the templates need to show an article's cover, in the article's language."""
    cover = _fetched_cover(article)
    if cover is not None and cover.palette in PALETTES:
        palette = PALETTES[cover.palette]
    else:
        # A list that did not fetch the UUID names the article by its slug instead.
        identity = article.slug if "uuid" in article.get_deferred_fields() else str(article.uuid)
        palette = palette_for(_fetched_topics(article), identity)
    if cover is None or not cover.is_ready:
        return CoverView(palette=palette.key)
    with translation.override(article.language):
        if cover.source == Source.UPLOADED:
            alt = cover.alt_text
            caption = ""
            credit = _("Image: %(credit)s, %(licence)s") % {
                "credit": cover.credit,
                "licence": cover.licence,
            }
        else:
            style = Style(cover.style or default_style(palette, str(article.uuid)))
            alt = _("Abstract illustration: %(style)s in %(colours)s") % {
                "style": STYLE_PHRASES[style],
                "colours": palette.description,
            }
            caption = _(
                "Computer-generated illustration. It does not depict real people or events."
            )
            credit = ""
    jpeg = cover.files["jpeg"]
    middle = next((name for width, name in jpeg if width >= 800), jpeg[-1][1])
    return CoverView(
        palette=palette.key,
        ready=True,
        webp_srcset=_srcset(cover.files["webp"]),
        jpeg_srcset=_srcset(jpeg),
        src=default_storage.url(middle),
        alt=alt,
        caption=caption,
        credit=credit,
        social_url=default_storage.url(cover.files["social"]) if cover.files.get("social") else "",
    )


@register.inclusion_tag("covers/includes/cover.html")
def cover_figure(article: Article) -> dict:
    """The article page's cover: above the fold, so loaded at once, not lazily."""
    return {"cover": cover_view(article), "sizes": PAGE_SIZES}


@register.inclusion_tag("covers/includes/thumbnail.html")
def cover_thumbnail(article: Article) -> dict:
    """A card's picture: lazily loaded, and without alt text, as the headline beside it
    already says what the link is."""
    return {"cover": cover_view(article), "sizes": CARD_SIZES}


@register.simple_tag
def cover_social_url(article: Article) -> str:
    """The social card's address (for og:image), or "" before it is rendered."""
    return cover_view(article).social_url
