from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """The public face of a user who writes: name, URL slug and a short bio per language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # {"en": "...", "de": "..."}: authors may introduce themselves in each site language.
    bios = models.JSONField(_("bio per language"), default=dict, blank=True)
    # For editors: how they hear of new submissions.
    editor_alerts = models.CharField(
        _("new submissions by e-mail"),
        max_length=10,
        choices=[("each", _("each at once")), ("daily", _("a daily digest")), ("off", _("none"))],
        default="each",
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("author profile")
        verbose_name_plural = _("author profiles")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})

    def bio(self, language: str | None = None) -> str:
        language = language or get_language()
        return self.bios.get(language) or next(iter(self.bios.values()), "")
