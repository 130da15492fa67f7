"""The editors' cover tools: regenerate with a new seed, pick a style, or upload a picture.
Every change goes through tribune.covers.actions; the render task draws the files."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tribune.covers import actions
from tribune.covers.models import Cover
from tribune.covers.palettes import Style
from tribune.covers.uploads import read_upload


class CoverForm(forms.ModelForm):
    style = forms.ChoiceField(
        label=_("Style"),
        choices=[("", _("The topic's style")), *Style.choices],
        required=False,
    )
    image = forms.FileField(
        label=_("Replace with an uploaded image"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF, at least 600 by 315 pixels. Needs a description, "
            "a credit and a licence."
        ),
    )

    class Meta:
        model = Cover
        fields = ["article", "style", "image", "alt_text", "credit", "licence"]

    def clean_image(self) -> object:
        image = self.cleaned_data.get("image")
        if image:
            read_upload(image)  # refusals show on the form, with their reason
            image.seek(0)
        return image

    def clean(self) -> dict:
        data = super().clean()
        if data.get("image"):
            for field in ("alt_text", "credit", "licence"):
                if not (data.get(field) or "").strip():
                    self.add_error(field, _("An uploaded image needs this."))
        return data


@admin.register(Cover)
class CoverAdmin(admin.ModelAdmin):
    form = CoverForm
    list_display = ["article", "source", "style", "seed", "rendered_at"]
    list_filter = ["source", "style"]
    list_select_related = ["article__latest_revision"]
    actions = ["regenerate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Cover | None = None) -> list[str]:
        return ["article", "seed", "rendered_at"] if obj else ["seed", "rendered_at"]

    def save_model(self, request: HttpRequest, obj: Cover, form: CoverForm, change: bool) -> None:
        data = form.cleaned_data
        article = obj.article
        if data.get("image"):
            actions.replace_cover_with_upload(
                request.user,
                article,
                data["image"],
                alt_text=data.get("alt_text", ""),
                credit=data.get("credit", ""),
                licence=data.get("licence", ""),
            )
        else:
            actions.choose_cover_style(request.user, article, data.get("style", ""))
        obj.pk = Cover.objects.get(article_id=article.pk).pk
        obj.refresh_from_db()

    @admin.action(description=_("Regenerate with a new seed"))
    def regenerate(self, request: HttpRequest, queryset: QuerySet[Cover]) -> None:
        for cover in queryset.select_related("article"):
            actions.regenerate_cover(request.user, cover.article)
        self.message_user(request, _("New covers are being drawn."), messages.SUCCESS)
