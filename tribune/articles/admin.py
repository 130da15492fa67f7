"""The editors' tools until the submissions workflow arrives: every save goes through actions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from tribune.articles import actions
from tribune.articles.models import Article, Revision, Topic, TopicName
from tribune.core.forms import per_language_fields
from tribune.core.models import AuditEntry


class ArticleForm(forms.ModelForm):
    title = forms.CharField(label=_("Headline"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(
        label=_("Body (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=actions.MAX_BODY_CHARS,
        help_text=_("Use ## for section headings."),
    )
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Article.objects.select_related("latest_revision"),
        required=False,
    )
    # The revision the editor started from: saving over a newer one is refused, not lost.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["language", "slug", "author", "topics"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:  # read-only once the article exists
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Left empty, it is made from the headline.")
        revision = self.instance.latest_revision if self.instance.pk else None
        if revision:
            self.initial.update(
                title=revision.title,
                summary=revision.summary,
                body=revision.body,
                based_on=revision.pk,
            )
            del self.fields["translation_of"]

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            latest = Article.objects.values_list("latest_revision_id", flat=True).get(
                pk=self.instance.pk
            )
            if data.get("based_on") != latest:
                raise ValidationError(
                    _(
                        "Someone saved a newer version while you were editing. Copy your text, "
                        "reload the page and apply your changes again."
                    )
                )
        elif not self.errors:
            actions.validate_new_article(
                language=data["language"],
                title=data["title"],
                body=data["body"],
                slug=data.get("slug", ""),
                translation_of=data.get("translation_of"),
            )
        return data


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "language", "status", "author", "published_at"]
    list_filter = ["status", "language", "topics"]
    search_fields = ["latest_revision__title", "slug"]
    list_select_related = ["latest_revision", "author"]
    autocomplete_fields = ["author"]
    filter_horizontal = ["topics"]
    readonly_fields = ["status", "published_at", "revised_at", "history"]
    actions = ["publish", "unpublish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list[str]:
        # Language and slug make the article's address; they are fixed once it exists.
        return [*self.readonly_fields, "language", "slug"] if obj else self.readonly_fields

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> list:
        text = ["title", "summary", "body"] + (["based_on"] if obj else [])
        details = ["language", "slug", "author", "topics"] + ([] if obj else ["translation_of"])
        fieldsets = [(None, {"fields": text}), (_("Details"), {"fields": details})]
        if obj:
            fieldsets.append(
                (_("Publication"), {"fields": ["status", "published_at", "revised_at", "history"]})
            )
        return fieldsets

    @admin.display(description=_("Headline"), ordering="latest_revision__title")
    def headline(self, article: Article) -> str:
        return str(article)

    @admin.display(description=_("History"))
    def history(self, article: Article) -> str:
        entries = AuditEntry.objects.filter(
            object_type="articles.article", object_id=str(article.pk)
        )
        return format_html_join(
            "\n",
            "<div>{} · {} · {}</div>",
            (
                (e.created_at.strftime("%Y-%m-%d %H:%M"), e.action, e.actor or _("system"))
                for e in entries[:50]
            ),
        )

    def save_form(self, request: HttpRequest, form: ArticleForm, change: bool) -> Article:
        data = form.cleaned_data
        if not change:
            return actions.create_article(
                request.user,
                author=data["author"],
                language=data["language"],
                title=data["title"],
                body=data["body"],
                summary=data["summary"],
                slug=data["slug"],
                topics=data["topics"],
                translation_of=data.get("translation_of"),
            )
        article = form.instance
        latest = article.latest_revision
        same = actions.is_same_text(
            latest, title=data["title"], summary=data["summary"], body=data["body"]
        )
        if not same:
            actions.revise_article(
                request.user,
                article,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                based_on=latest,
            )
            # An editor's edit of a live article goes live; contributors' edits will go
            # through review once the submissions workflow exists.
            if article.is_public and request.user.has_perm("articles.publish_article"):
                actions.publish_article(request.user, article)
        return actions.update_article_details(
            request.user, article, topics=data["topics"], author=data["author"]
        )

    def save_model(
        self, request: HttpRequest, obj: Article, form: ArticleForm, change: bool
    ) -> None:
        """Already stored by save_form through the actions."""

    def save_related(
        self, request: HttpRequest, form: ArticleForm, formsets: list, change: bool
    ) -> None:
        """Topics were set by the actions too."""

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        # Nothing a contributor wrote is destroyed from the admin: unpublish instead.
        return False

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._apply(request, queryset, actions.publish_article, _("%(n)d articles published."))

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._apply(request, queryset, actions.unpublish_article, _("%(n)d articles unpublished."))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Article], action: object, done: str
    ) -> None:
        n = 0
        for article in queryset:
            try:
                action(request.user, article)
                n += 1
            except Exception as error:
                messages.warning(request, f"{article}: {error}")
        messages.success(request, done % {"n": n})


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["title", "article", "number", "created_at", "created_by", "word_count"]
    list_select_related = ["article", "created_by"]
    search_fields = ["title"]
    readonly_fields = [
        "article",
        "number",
        "created_at",
        "created_by",
        "title",
        "summary",
        "body",
        "word_count",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False


class _TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["slug", "name"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.instance.names.all():
                self.initial[f"name_{name.language}"] = name.name


TopicForm = type(
    "TopicForm",
    (_TopicForm,),
    per_language_fields("name", _("Name in %(language)s"), max_length=80),
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicForm
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "names__name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_form(self, request: HttpRequest, form: TopicForm, change: bool) -> Topic:
        names = {code: form.cleaned_data[f"name_{code}"] for code, _name in settings.LANGUAGES}
        return actions.save_topic(request.user, form.save(commit=False), names)

    def save_model(self, request: HttpRequest, obj: Topic, form: TopicForm, change: bool) -> None:
        """Stored by save_form through actions.save_topic."""

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        return False


admin.site.register(TopicName)
