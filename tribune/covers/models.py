from django.db import models
from django.utils.translation import gettext_lazy as _

from tribune.articles.models import Article
from tribune.covers.palettes import Style


class Source(models.TextChoices):
    GENERATED = "generated", _("Generated")
    UPLOADED = "uploaded", _("Uploaded")


class Cover(models.Model):
    """An article's cover: how to draw it (style, seed) or the uploaded image, and the
    files rendered from that. Written only by tribune.covers.actions and the render task."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="cover", verbose_name=_("article")
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.GENERATED
    )
    # Empty: the style that goes with the article's palette.
    style = models.CharField(_("style"), max_length=12, choices=Style.choices, blank=True)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    # The storage name of an upload, validated and re-encoded (no EXIF, sRGB, one frame).
    upload = models.CharField(max_length=255, blank=True, editable=False)
    alt_text = models.CharField(
        _("description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("What the uploaded image shows, for readers who cannot see it."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Set by the render task: the palette drawn with, and {"webp": [[width, name], ...],
    # "jpeg": [...], "social": name}. Empty until the first render.
    palette = models.CharField(max_length=20, blank=True, editable=False)
    files = models.JSONField(default=dict, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("cover")
        verbose_name_plural = _("covers")

    def __str__(self) -> str:
        return str(self.article)

    @property
    def is_ready(self) -> bool:
        return bool(self.files.get("jpeg"))
