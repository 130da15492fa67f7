"""Every change to covers goes through these functions: editors' choices, uploads, and the
render task's writing of files."""

import hashlib
import io
import json
from functools import partial
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from tribune.articles.models import Article, Status
from tribune.core import audit
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.covers import renditions
from tribune.covers.backends import get_backend
from tribune.covers.backends.base import ART_HEIGHT, ART_WIDTH, CoverSpec
from tribune.covers.models import Cover, Source
from tribune.covers.palettes import Palette, Style, default_style, palette_for
from tribune.covers.uploads import read_upload

# Uploads are kept re-encoded, at most this wide: enough for every rendition.
UPLOAD_MAX_WIDTH = 2400


def _require_editor(actor: AbstractBaseUser | None) -> None:
    # actor None is the system itself: the worker, the demo loader.
    if actor is not None and not actor.has_perm("covers.change_cover"):
        raise PermissionDenied(_("You may not change covers."))


def _render_later(article: Article) -> None:
    from tribune.covers.tasks import render_cover  # the task module imports these actions

    transaction.on_commit(partial(render_cover.enqueue, article.pk))


def _cover_of(article: Article) -> Cover:
    cover, _created = Cover.objects.get_or_create(article_id=article.pk)
    return cover


@transaction.atomic
def regenerate_cover(
    actor: AbstractBaseUser | None, article: Article, *, style: str | None = None
) -> Cover:
    """Draw a new generated cover: the next seed, and `style` if given."""
    _require_editor(actor)
    if style is not None and style not in Style.values:
        raise ValidationError({"style": _("Unknown cover style “%(style)s”.") % {"style": style}})
    cover = _cover_of(article)
    changes = {"seed": F("seed") + 1, "source": Source.GENERATED}
    if style is not None:
        changes["style"] = style
    Cover.objects.filter(pk=cover.pk).update(**changes)
    cover.refresh_from_db()
    audit.record(actor, "cover.regenerate", article, seed=cover.seed, style=cover.style)
    _render_later(article)
    return cover


@transaction.atomic
def choose_cover_style(actor: AbstractBaseUser | None, article: Article, style: str) -> Cover:
    """Draw the generated cover in another style (same seed); "" means the topic's style."""
    _require_editor(actor)
    if style and style not in Style.values:
        raise ValidationError({"style": _("Unknown cover style “%(style)s”.") % {"style": style}})
    cover = _cover_of(article)
    Cover.objects.filter(pk=cover.pk).update(style=style, source=Source.GENERATED)
    cover.refresh_from_db()
    audit.record(actor, "cover.style", article, style=style)
    _render_later(article)
    return cover


@transaction.atomic
def replace_cover_with_upload(
    actor: AbstractBaseUser | None,
    article: Article,
    file: IO[bytes],
    *,
    alt_text: str,
    credit: str,
    licence: str,
) -> Cover:
    """Use an uploaded image as the cover. It is validated and re-encoded first (see
    tribune.covers.uploads); a refused file raises UploadRefused and changes nothing.

    Editors may do it for any article; authors for their own until it is published (a
    live article's cover changes only through an editor)."""
    is_author = actor is not None and actor.pk == article.author_id
    if not (is_author and article.status != Status.PUBLISHED):
        _require_editor(actor)
    errors = {
        field: message
        for field, value, message in (
            ("alt_text", alt_text, _("Describe what the image shows.")),
            ("credit", credit, _("Say who made the image.")),
            ("licence", licence, _("Say under which licence the image may be used.")),
        )
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    image = read_upload(file)
    if image.width > UPLOAD_MAX_WIDTH:
        height = round(image.height * UPLOAD_MAX_WIDTH / image.width)
        image = image.resize((UPLOAD_MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    data = out.getvalue()
    name = f"covers/{article.uuid}/upload-{hashlib.sha256(data).hexdigest()[:16]}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    cover = _cover_of(article)
    Cover.objects.filter(pk=cover.pk).update(
        source=Source.UPLOADED,
        upload=name,
        alt_text=alt_text.strip(),
        credit=credit.strip(),
        licence=licence.strip(),
    )
    cover.refresh_from_db()
    audit.record(actor, "cover.upload", article, file=name)
    _render_later(article)
    return cover


def article_palette(article: Article) -> Palette:
    return palette_for(article.topics.values_list("slug", flat=True), str(article.uuid))


def _fingerprint(cover: Cover, palette: Palette, style: str, title: str) -> str:
    inputs = [
        get_backend().version,
        renditions.VERSION,
        cover.source,
        cover.upload,
        style,
        cover.seed,
        palette.key,
        title,
        settings.TRIBUNE_SITE_NAME,
    ]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def _draw(cover: Cover, article: Article, palette: Palette, style: str, title: str) -> Image.Image:
    if cover.source == Source.UPLOADED and cover.upload:
        with default_storage.open(cover.upload) as stored, Image.open(stored) as image:
            return ImageOps.fit(
                image.convert("RGB"), (ART_WIDTH, ART_HEIGHT), Image.Resampling.LANCZOS
            )
    revision = article.live_revision or article.latest_revision
    spec = CoverSpec(
        identity=str(article.uuid),
        seed=cover.seed,
        style=Style(style),
        palette=palette,
        topics=tuple(sorted(article.topics.values_list("slug", flat=True))),
        title=title,
        summary=revision.summary if revision else "",
    )
    return get_backend().draw(spec)


def render_cover_files(article: Article) -> Cover:
    """Render and store every file of the article's cover; do nothing if they are current.

    Files are written before the row points at them, and the row only changes if nobody
    changed the cover's inputs meanwhile (their render comes next and wins)."""
    cover = _cover_of(article)
    palette = article_palette(article)
    style = cover.style or default_style(palette, str(article.uuid))
    revision = article.live_revision or article.latest_revision
    title = revision.title if revision else ""
    fingerprint = _fingerprint(cover, palette, style, title)
    if cover.fingerprint == fingerprint and _files_exist(cover.files):
        return cover
    art = _draw(cover, article, palette, style, title)
    made = renditions.page_renditions(art)
    accent = palette.rgb(palette.colours[-1])
    made.append(renditions.social_card(art, title, settings.TRIBUNE_SITE_NAME, accent))
    files: dict = {"webp": [], "jpeg": [], "social": ""}
    for rendition in made:
        name = rendition.storage_name(str(article.uuid))
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(rendition.data))
        if rendition.kind == "social":
            files["social"] = name
        else:
            files[rendition.kind].append([rendition.width, name])
    for kind in ("webp", "jpeg"):
        files[kind].sort()
    with transaction.atomic():
        Cover.objects.filter(
            pk=cover.pk,
            seed=cover.seed,
            style=cover.style,
            source=cover.source,
            upload=cover.upload,
        ).update(
            files=files, palette=palette.key, fingerprint=fingerprint, rendered_at=timezone.now()
        )
        invalidate_pages_on_commit()
    cover.refresh_from_db()
    return cover


def _files_exist(files: dict) -> bool:
    names = [name for kind in ("webp", "jpeg") for _width, name in files.get(kind, [])]
    names.append(files.get("social", ""))
    return all(name and default_storage.exists(name) for name in names)
