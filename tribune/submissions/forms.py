from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tribune.articles.actions import MAX_BODY_CHARS
from tribune.articles.models import Article, Status, Topic
from tribune.articles.queries import topics_with_labels


class WritingForm(forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences that make readers want to read on."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Markdown: a blank line between paragraphs, ## for a section heading, "
            "[words](https://…) for a link, > for a quote, - for a list."
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    translation_of = forms.CharField(
        label=_("Translation of"),
        required=False,
        max_length=300,
        help_text=_("If this translates an article of ours, paste its address."),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Links to what your facts rest on, one per line."),
    )
    cover_image = forms.FileField(
        label=_("Cover image (optional)"),
        required=False,
        help_text=_(
            "A photo or picture you may use: JPEG, PNG, WebP or GIF. Without one, "
            "we draw an illustration."
        ),
    )
    cover_alt = forms.CharField(label=_("What the image shows"), max_length=300, required=False)
    cover_credit = forms.CharField(label=_("Image credit"), max_length=200, required=False)
    cover_licence = forms.CharField(label=_("Image licence"), max_length=200, required=False)
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    accept_guidelines = forms.BooleanField(required=False)

    def __init__(self, *args: object, guidelines_version: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics_with_labels().order_by("label_")
        self.fields["topics"].label_from_instance = lambda topic: topic.label
        self.guidelines_version = guidelines_version

    def clean_translation_of(self) -> Article | None:
        value = self.cleaned_data["translation_of"].strip().rstrip("/")
        if not value:
            return None
        slug = value.rsplit("/", 1)[-1]
        original = Article.objects.filter(slug=slug, status=Status.PUBLISHED).first()
        if original is None:
            raise forms.ValidationError(_("We found no published article at that address."))
        return original

    def clean_sources(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("changes", _("Request changes")),
            ("reject", _("Decline")),
        ],
        widget=forms.RadioSelect,
        initial="approve",
    )
    message = forms.CharField(
        label=_("Message to the author"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = _(
            "Leave empty to publish now. Times are in the site's time zone, %(zone)s."
        ) % {"zone": settings.TIME_ZONE}
