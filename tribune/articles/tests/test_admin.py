"""Editors manage articles and topics in the Django admin; every save goes through the actions."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tribune.accounts.models import Profile
from tribune.articles import actions
from tribune.articles.models import Article, Revision, Status, TopicName
from tribune.core.models import AuditEntry
from tribune.testing import factories

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


class _FormFields(HTMLParser):
    """The name/value pairs a browser would submit from a page's form fields."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.data.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select].append(attributes.get("value") or "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            value = self.data[self._textarea][0]
            self.data[self._textarea][0] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def submitted(page) -> dict[str, list[str]]:
    """What the browser sends back when the form on `page` is saved unchanged."""
    parser = _FormFields()
    parser.feed(page.text)
    return parser.data


@pytest.fixture
def editor(client):
    user = factories.editor()
    client.force_login(user)
    return user


@pytest.fixture
def writer(client):
    """Staff who may write and change articles but not publish them."""
    user = get_user_model().objects.create_user(username="writer", password="writer-password")
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="articles").exclude(
            codename="publish_article"
        )
    )
    client.force_login(user)
    return user


def action_names(listing) -> set[str]:
    """The actions offered above a changelist; the admin shows no menu when there are none."""
    form = listing.context["action_form"]
    return set(dict(form.fields["action"].choices)) - {""} if form else set()


def new_article_form(**changes: object) -> dict:
    technology = factories.topic("technology", en="Technology", de="Technologie")
    data = {
        "title": "Night trains are back",
        "summary": "Sleepers return to the timetable.",
        "body": "The overnight service to the coast runs again from December.",
        "language": "en",
        "slug": "",
        "author": factories.author("Mara Lindqvist").pk,
        "topics": [technology.pk],
        "translation_of": "",
    }
    return data | changes


def edit_form(article: Article, **changes: object) -> dict:
    """What the change form posts for `article` opened now, with `changes` typed in."""
    latest = article.latest_revision
    data = {
        "title": latest.title,
        "summary": latest.summary,
        "body": latest.body,
        "author": article.author_id,
        "topics": list(article.topics.values_list("pk", flat=True)),
        "based_on": latest.pk,
    }
    return data | changes


# Adding


def test_an_editor_adds_an_article_as_a_draft_with_revision_1_and_an_audit_entry(client, editor):
    data = new_article_form()

    response = client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.language == "en"
    assert article.slug == "night-trains-are-back"
    assert article.author.profile.display_name == "Mara Lindqvist"
    assert [topic.slug for topic in article.topics.all()] == ["technology"]
    assert article.live_revision is None
    (revision,) = article.revisions.all()
    assert revision.number == 1
    assert revision.title == "Night trains are back"
    assert revision.summary == "Sleepers return to the timetable."
    assert revision.body == data["body"]
    assert revision.created_by == editor
    assert article.latest_revision == revision
    entry = AuditEntry.objects.get(action="article.create")
    assert (entry.actor, entry.object_id) == (editor, str(article.pk))
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_an_editor_adds_a_translation_linked_to_its_original(client, editor):
    original = factories.article(title="Night trains are back")

    response = client.post(
        ADD,
        new_article_form(
            title="Die Nachtzüge sind zurück", language="de", translation_of=original.pk
        ),
    )

    assert response.status_code == 302
    translation_ = Article.objects.get(language="de")
    assert translation_.translation_group == original.translation_group


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("language", "xx"),
        ("slug", "night-trains-are-back"),
        ("body", "word " * 50_000),
    ],
    ids=["empty title", "unknown language", "existing slug", "250,000-character body"],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_stored(client, editor, field, value):
    factories.article(title="Night trains are back")
    data = new_article_form(**{field: value})
    before = [model.objects.count() for model in (Article, Revision, AuditEntry)]

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert [model.objects.count() for model in (Article, Revision, AuditEntry)] == before


# Editing


def test_the_change_form_opens_with_the_articles_text(client, editor):
    article = factories.article(title="Night trains are back", body="The first text.")

    response = client.get(change_url(article))

    assert response.status_code == 200
    fields = submitted(response)
    assert fields["title"] == ["Night trains are back"]
    assert fields["body"] == ["The first text."]


def test_the_change_form_carries_the_revision_it_was_opened_at(client, editor):
    """Without it, the stale-edit check refuses every save made in a browser."""
    article = factories.article(title="Night trains are back")

    response = client.get(change_url(article))

    assert submitted(response).get("based_on") == [str(article.latest_revision_id)]


def test_editing_the_text_creates_revision_2_and_keeps_revision_1_unchanged(client, editor):
    article = factories.article(
        title="Night trains are back", body="The first text.", published=False
    )

    response = client.post(
        change_url(article), edit_form(article, title="Night trains return", body="A better text.")
    )

    assert response.status_code == 302
    first, second = Revision.objects.filter(article=article).order_by("number")
    assert (first.number, first.title, first.body) == (
        1,
        "Night trains are back",
        "The first text.",
    )
    assert (second.number, second.title, second.body) == (
        2,
        "Night trains return",
        "A better text.",
    )
    assert second.created_by == editor
    article.refresh_from_db()
    assert article.latest_revision == second
    assert article.status == Status.DRAFT
    assert AuditEntry.objects.filter(action="article.revise", object_id=str(article.pk)).exists()


def test_editing_a_published_article_puts_the_edit_on_the_public_page(client, editor, committed):
    article = factories.article(title="Night trains are back", body="The first text.")
    reader = Client()
    assert "Night trains are back" in reader.get(article.get_absolute_url()).text

    with committed():
        client.post(
            change_url(article),
            edit_form(article, title="Night trains return", body="A corrected text."),
        )

    page = reader.get(article.get_absolute_url())
    assert "Night trains return" in page.text
    assert "A corrected text." in page.text
    assert "The first text." not in page.text
    assert "Updated" in page.text


def test_a_stale_edit_is_refused_with_a_message_and_creates_no_revision(client, editor):
    article = factories.article(title="Night trains are back", published=False)
    opened = edit_form(article, title="My version")
    actions.revise_article(
        factories.editor("colleague"), article, title="Their version", body="Their text."
    )

    response = client.post(change_url(article), opened)

    assert response.status_code == 200
    assert "Someone saved a newer version while you were editing" in response.text
    assert article.revisions.count() == 2
    article.refresh_from_db()
    assert article.latest_revision.title == "Their version"


def test_saving_without_touching_the_text_creates_no_revision(client, editor):
    article = factories.article(title="Night trains are back")  # a body ending in a newline
    science = factories.topic("science")

    client.post(change_url(article), edit_form(article, topics=[science.pk]))

    assert [topic.slug for topic in article.topics.all()] == ["science"]
    assert article.revisions.count() == 1
    article.refresh_from_db()
    assert article.revised_at is None


def test_changing_only_the_byline_changes_the_author(client, editor):
    article = factories.article(title="Night trains are back", body="One line.")
    other = factories.author("Jonas Kerber")

    response = client.post(change_url(article), edit_form(article, author=other.pk))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.author == other
    assert AuditEntry.objects.filter(action="article.details", object_id=str(article.pk)).exists()


def test_an_edit_by_a_writer_without_publish_permission_does_not_go_live(client, writer):
    article = factories.article(title="Night trains are back")

    client.post(change_url(article), edit_form(article, title="Night trains return"))

    article.refresh_from_db()
    assert article.latest_revision.title == "Night trains return"
    assert article.live_revision.title == "Night trains are back"
    assert "Night trains are back" in Client().get(article.get_absolute_url()).text


# Publishing


def test_the_publish_action_publishes_the_selected_drafts_onto_the_home_page(
    client, editor, committed
):
    first = factories.article(title="Night trains are back", published=False)
    second = factories.article(title="The river is clean again", published=False)
    factories.article(title="Not ready yet", published=False)

    with committed():
        response = client.post(
            CHANGELIST,
            {"action": "publish", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )

    assert "2 articles published." in response.text
    assert set(Article.objects.filter(status=Status.PUBLISHED)) == {first, second}
    home = Client().get("/en/")
    assert "Night trains are back" in home.text
    assert "The river is clean again" in home.text
    assert "Not ready yet" not in home.text
    assert AuditEntry.objects.filter(action="article.publish", actor=editor).count() == 2


def test_publishing_an_already_published_article_again_does_not_mark_it_updated(client, editor):
    article = factories.article(title="Night trains are back")

    client.post(CHANGELIST, {"action": "publish", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert article.revised_at is None
    assert "Updated" not in Client().get(article.get_absolute_url()).text


def test_without_the_publish_permission_there_is_no_publish_action(client, writer):
    draft = factories.article(title="Night trains are back", published=False)

    listing = client.get(CHANGELIST)
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    assert not {"publish", "unpublish"} & action_names(listing)
    assert "1 articles published" not in response.text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not AuditEntry.objects.filter(action="article.publish", actor=writer).exists()


# Deleting


def test_articles_cannot_be_deleted_from_the_admin(client, editor):
    article = factories.article(title="Night trains are back")
    delete = reverse("admin:articles_article_delete", args=[article.pk])

    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.get(CHANGELIST)
    assert "delete_selected" not in action_names(listing)
    client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=article.pk).exists()


# Topics and authors


def test_the_topic_admin_saves_a_name_per_language_shown_on_the_german_topic_page(client, editor):
    response = client.post(
        reverse("admin:articles_topic_add"),
        {"slug": "business", "name": "Business", "name_en": "Business", "name_de": "Wirtschaft"},
    )

    assert response.status_code == 302
    names = dict(TopicName.objects.filter(topic__slug="business").values_list("language", "name"))
    assert names == {"en": "Business", "de": "Wirtschaft"}
    with translation.override("de"):
        url = reverse("articles:topic", kwargs={"slug": "business"})
    page = Client().get(url)
    assert page.status_code == 200
    assert '<h1 class="page-title">Wirtschaft</h1>' in page.text
    assert AuditEntry.objects.filter(action="topic.save", actor=editor).exists()


def test_the_topic_form_shows_a_name_field_per_language(client, editor):
    response = client.get(reverse("admin:articles_topic_add"))

    assert {"name_en", "name_de"} <= set(submitted(response))


def test_changing_a_topic_in_the_admin_keeps_its_german_name(client, editor):
    business = factories.topic("business", en="Business", de="Wirtschaft")
    change = reverse("admin:articles_topic_change", args=[business.pk])
    form = submitted(client.get(change))
    form["name"] = ["Business & Economy"]

    client.post(change, form)

    business.refresh_from_db()
    assert business.name == "Business & Economy"
    assert business.names.get(language="de").name == "Wirtschaft"


def test_an_editor_can_manage_author_profiles(client, editor):
    assert client.get(reverse("admin:accounts_profile_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_profile_add")).status_code == 200


def test_an_editor_can_search_authors_when_writing_an_article(client, editor):
    factories.author("Mara Lindqvist")

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "author", "term": "mara"},
    )

    assert response.status_code == 200
    assert response.json()["results"]


def test_changing_an_author_profile_in_the_admin_keeps_their_bios(admin_client):
    user = factories.author("Mara Lindqvist", en="Nurse and writer.", de="Pflegerin und Autorin.")
    change = reverse("admin:accounts_profile_change", args=[user.profile.pk])
    form = submitted(admin_client.get(change))
    form["display_name"] = ["Mara Lindqvist-Berg"]

    admin_client.post(change, form)

    profile = Profile.objects.get(pk=user.profile.pk)
    assert profile.display_name == "Mara Lindqvist-Berg"
    assert profile.bios == {"en": "Nurse and writer.", "de": "Pflegerin und Autorin."}


# The audit log


def test_the_audit_log_admin_is_read_only(admin_client):
    article = factories.article(title="Night trains are back")
    entry = AuditEntry.objects.filter(object_id=str(article.pk)).first()
    listing_url = reverse("admin:core_auditentry_changelist")
    change = reverse("admin:core_auditentry_change", args=[entry.pk])

    listing = admin_client.get(listing_url)
    assert listing.status_code == 200
    assert "article.publish" in listing.text
    assert "delete_selected" not in action_names(listing)
    assert admin_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert admin_client.post(change, {"action": "forged"}).status_code == 403
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action != "forged"
