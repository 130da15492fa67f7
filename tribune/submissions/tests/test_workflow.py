import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from tribune.articles.models import Article, Revision, Status
from tribune.core.models import AuditEntry
from tribune.submissions import actions
from tribune.submissions.models import State, Submission
from tribune.testing import factories

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Our river, measured by us",
    "summary": "Volunteers test the water every month.",
    "body": (
        "Intro.\n\n## Why\n\nBecause.\n\n## How\n\nWith kits.\n\n## What we found\n\nClean water."
    ),
    "language": "en",
    "sources": "https://example.org/river-report",
}


def person(username: str, *, editor: bool = False, email: str = "") -> object:
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password="pw-123456!"
    )
    group = "Editors" if editor else "Contributors"
    user.groups.add(Group.objects.get(name=group))
    return get_user_model().objects.get(pk=user.pk)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer():
    return person("writer")


@pytest.fixture
def editor():
    return person("editor", editor=True)


def write_and_submit(client: Client, **changes: str) -> Article:
    client.post("/en/desk/new/", {**DRAFT, **changes, "save": "1"})
    article = Article.objects.latest("id")
    edit = f"/en/desk/{article.uuid}/"
    based_on = article.latest_revision_id
    client.post(
        edit, {**DRAFT, **changes, "based_on": based_on, "accept_guidelines": "on", "submit": "1"}
    )
    article.refresh_from_db()
    return article


def test_a_contributor_writes_a_draft_and_every_save_is_a_revision(writer):
    client = signed_in(writer)
    response = client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/desk/{article.uuid}/"
    assert article.status == Status.DRAFT and article.author == writer
    assert article.latest_revision.sources == ["https://example.org/river-report"]
    client.post(
        response["Location"],
        {
            **DRAFT,
            "body": DRAFT["body"] + "\n\nMore.",
            "based_on": article.latest_revision_id,
            "save": "1",
        },
    )
    assert list(article.revisions.values_list("number", flat=True).order_by("number")) == [1, 2]
    desk = client.get("/en/desk/").content.decode()
    assert "Our river, measured by us" in desk and "Draft" in desk


def test_submitting_needs_the_guidelines_accepted_and_records_their_version(writer):
    client = signed_in(writer)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    refused = client.post(
        f"/en/desk/{article.uuid}/",
        {**DRAFT, "based_on": article.latest_revision_id, "submit": "1"},
    )
    assert "Please accept the submission guidelines" in refused.content.decode()
    assert not Submission.objects.exists()
    article = write_and_submit(client)
    submission = Submission.objects.get()
    assert article.status == Status.SUBMITTED
    assert (submission.guidelines_language, submission.guidelines_version) == ("en", 1)
    assert submission.revision == article.latest_revision


def test_a_double_submit_creates_one_submission_and_says_so(writer):
    client = signed_in(writer)
    article = write_and_submit(client)
    again = client.post(
        f"/en/desk/{article.uuid}/",
        {**DRAFT, "based_on": article.latest_revision_id, "accept_guidelines": "on", "submit": "1"},
    )
    assert Submission.objects.count() == 1
    assert "with the editors now" in again.content.decode()


def test_a_stale_edit_from_a_second_tab_is_refused_and_its_text_kept(writer):
    client = signed_in(writer)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    first_tab_base = article.latest_revision_id
    client.post(
        f"/en/desk/{article.uuid}/",
        {**DRAFT, "title": "Saved in tab two", "based_on": first_tab_base, "save": "1"},
    )
    stale = client.post(
        f"/en/desk/{article.uuid}/",
        {**DRAFT, "title": "Typed in tab one", "based_on": first_tab_base, "save": "1"},
    )
    html = stale.content.decode()
    assert stale.status_code == 200
    assert "changed by someone else" in html
    assert 'value="Typed in tab one"' in html
    assert article.revisions.count() == 2
    assert Article.objects.get().latest_revision.title == "Saved in tab two"


def test_a_session_that_ran_out_keeps_the_text_through_signing_in(writer):
    client = signed_in(writer)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    client.logout()
    lost = client.post(
        f"/en/desk/{article.uuid}/", {**DRAFT, "body": "Words I must not lose.", "save": "1"}
    )
    assert lost.status_code == 302 and "/en/account/sign-in/" in lost["Location"]
    client.force_login(writer)
    page = client.get(f"/en/desk/{article.uuid}/").content.decode()
    assert "Words I must not lose." in page
    assert "we kept what you wrote" in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "This field is required."),
        ("body", "x" * 2_000_000, "Ensure this value has at most 200000 characters"),
        ("language", "xx", "Select a valid choice."),
        ("topics", "999999", "Select a valid choice."),
        ("sources", "javascript:alert(1)", "is not a web address"),
    ],
)
def test_bad_input_gets_a_message_on_the_field_and_keeps_what_was_typed(
    writer, field, value, message
):
    client = signed_in(writer)
    response = client.post("/en/desk/new/", {**DRAFT, field: value, "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert DRAFT["summary"] in html
    assert not Article.objects.exists()


def test_other_people_cannot_open_or_change_a_draft(writer, editor):
    client = signed_in(writer)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    other = signed_in(person("other"))
    assert other.get(f"/en/desk/{article.uuid}/").status_code == 404
    assert other.post(f"/en/desk/{article.uuid}/", {**DRAFT, "save": "1"}).status_code == 404
    assert Client().get(f"/en/desk/{article.uuid}/").status_code == 302
    assert other.get("/en/editorial/").status_code == 403
    assert signed_in(editor).get(f"/en/desk/{article.uuid}/").status_code == 200


def test_the_whole_story_changes_requested_revised_and_approved(writer, editor, mailbox, committed):
    author = signed_in(writer)
    with committed():
        article = write_and_submit(author)
    assert [m["To"] for m in mailbox] == ["editor@example.org"]
    submission = Submission.objects.get()
    desk = signed_in(editor)
    assert "Our river, measured by us" in desk.get("/en/editorial/").content.decode()
    desk.post(f"/en/editorial/{submission.uuid}/", {"claim": "1"})
    with committed():
        desk.post(
            f"/en/editorial/{submission.uuid}/",
            {"decision": "changes", "message": "Please name the lab that checked the kits."},
        )
    assert mailbox[-1]["To"] == "writer@example.org"
    assert "Please name the lab" in mailbox[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Please name the lab" in author.get("/en/desk/").content.decode()
    revised = {**DRAFT, "body": DRAFT["body"] + "\n\nThe kits were checked by the county lab."}
    article.refresh_from_db()
    with committed():
        author.post(
            f"/en/desk/{article.uuid}/",
            {
                **revised,
                "based_on": article.latest_revision_id,
                "accept_guidelines": "on",
                "submit": "1",
            },
        )
    second = Submission.objects.get(state=State.SUBMITTED)
    with committed():
        desk.post(f"/en/editorial/{second.uuid}/", {"decision": "approve", "message": ""})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert "county lab" in Client().get(article.get_absolute_url()).content.decode()
    story = list(
        AuditEntry.objects.filter(object_id=str(article.pk)).values_list("action", flat=True)
    )
    for step in (
        "submission.submit",
        "submission.claim",
        "submission.request_changes",
        "submission.approve",
        "article.publish",
    ):
        assert step in story


def test_two_editors_cannot_claim_the_same_submission(writer, editor):
    write_and_submit(signed_in(writer))
    submission = Submission.objects.get()
    actions.claim_submission(editor, submission)
    second = person("second", editor=True)
    response = signed_in(second).post(
        f"/en/editorial/{submission.uuid}/", {"claim": "1"}, follow=True
    )
    assert "editor is reviewing this already" in response.content.decode()
    assert Submission.objects.get().claimed_by == editor


def test_an_approval_for_later_publishes_when_the_time_comes(writer, editor, committed):
    with committed():  # the guideline checks run after commit; approval waits for them
        article = write_and_submit(signed_in(writer))
    at = timezone.now() + datetime.timedelta(minutes=5)
    actions.approve_submission(editor, Submission.objects.get(), publish_at=at)
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED and article.scheduled_for == at
    assert actions.publish_due_articles(now=at - datetime.timedelta(seconds=1)) == []
    assert Client().get(article.get_absolute_url()).status_code == 404
    assert [a.pk for a in actions.publish_due_articles(now=at)] == [article.pk]
    assert actions.publish_due_articles(now=at) == [], "a second worker publishes nothing twice"
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_declining_tells_the_author_why(writer, editor, mailbox, committed):
    write_and_submit(signed_in(writer))
    with committed():
        actions.reject_submission(
            editor, Submission.objects.get(), reason="This is an advertisement."
        )
    assert Article.objects.get().status == Status.REJECTED
    assert (
        "This is an advertisement." in mailbox[-1].get_body(preferencelist=("plain",)).get_content()
    )


def test_an_editor_cannot_approve_their_own_article_unless_allowed(editor, settings, committed):
    with committed():  # the guideline checks run after commit; approval waits for them
        write_and_submit(signed_in(editor))
    submission = Submission.objects.get()
    response = signed_in(editor).post(
        f"/en/editorial/{submission.uuid}/", {"decision": "approve"}, follow=True
    )
    assert "Another editor must approve your own article." in response.content.decode()
    assert Article.objects.get().status == Status.SUBMITTED
    settings.TRIBUNE_EDITORS_MAY_APPROVE_OWN = True
    actions.approve_submission(editor, submission)
    assert Article.objects.get().status == Status.PUBLISHED


def test_an_edit_of_a_live_article_stays_offline_until_approved(writer, editor, committed):
    author = signed_in(writer)
    with committed():  # the guideline checks run after commit; approval waits for them
        article = write_and_submit(author)
    with committed():
        actions.approve_submission(editor, Submission.objects.get())
    with committed():
        write_and_submit_edit = author.post(
            f"/en/desk/{article.uuid}/",
            {
                **DRAFT,
                "title": "Our river, measured again",
                "based_on": Article.objects.get().latest_revision_id,
                "accept_guidelines": "on",
                "submit": "1",
            },
        )
    assert write_and_submit_edit.status_code == 302
    public = Client().get(article.get_absolute_url()).content.decode()
    assert "Our river, measured by us" in public and "measured again" not in public
    assert Article.objects.get().status == Status.PUBLISHED
    with committed():
        actions.approve_submission(editor, Submission.objects.get(state=State.SUBMITTED))
    assert "Our river, measured again" in Client().get(article.get_absolute_url()).content.decode()


def test_an_editor_can_fix_a_typo_which_makes_a_revision_by_the_editor(writer, editor):
    article = write_and_submit(signed_in(writer))
    signed_in(editor).post(
        f"/en/desk/{article.uuid}/",
        {
            **DRAFT,
            "title": "Our river, measured by us!",
            "based_on": article.latest_revision_id,
            "save": "1",
        },
    )
    latest = Article.objects.get().latest_revision
    assert latest.created_by == editor and latest.number == 3 - 1


def test_the_review_page_shows_the_changes_between_revisions(writer, editor):
    article = write_and_submit(signed_in(writer))
    actions.save_draft(
        editor,
        article,
        title=DRAFT["title"],
        body=DRAFT["body"].replace("Clean water.", "Clear water."),
        summary=DRAFT["summary"],
        based_on=article.latest_revision,
    )
    submission = Submission.objects.get()
    html = signed_in(editor).get(f"/en/editorial/{submission.uuid}/?from=1&to=2").content.decode()
    assert "<del>Clean water.</del>" in html
    assert "<ins>Clear water.</ins>" in html


def test_the_queue_costs_the_same_queries_whatever_its_length(
    writer, editor, django_assert_num_queries
):
    topic = factories.topic("science", en="Science")
    client = signed_in(writer)
    write_and_submit(client, topics=str(topic.pk))
    desk = signed_in(editor)
    desk.get("/en/editorial/")
    with django_assert_num_queries(7):
        desk.get("/en/editorial/")
    for n in range(4):
        write_and_submit(client, title=f"Another piece {n}", topics=str(topic.pk))
    with django_assert_num_queries(7):
        html = desk.get("/en/editorial/").content.decode()
    assert html.count("Another piece") == 4
    assert Revision.objects.count() == 5


def test_a_contributor_can_give_their_draft_a_cover_image_with_credit(writer):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (1400, 800), (200, 40, 40)).save(picture, "JPEG")
    picture.seek(0)
    picture.name = "river.jpg"
    client = signed_in(writer)
    fields = {
        "cover_alt": "The river at dawn",
        "cover_credit": "Mara L.",
        "cover_licence": "CC BY 4.0",
    }
    client.post("/en/desk/new/", {**DRAFT, **fields, "cover_image": picture, "save": "1"})
    cover = Article.objects.get().cover
    assert (cover.source, cover.credit, cover.licence) == ("uploaded", "Mara L.", "CC BY 4.0")


def test_a_refused_cover_image_keeps_the_saved_text_and_says_why(writer):
    import io

    client = signed_in(writer)
    fake = io.BytesIO(b"<?php system($_GET['c']); ?>")
    fake.name = "photo.jpg"
    response = client.post(
        "/en/desk/new/",
        {
            **DRAFT,
            "cover_image": fake,
            "cover_alt": "x",
            "cover_credit": "y",
            "cover_licence": "z",
            "save": "1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Your text is saved; the image was not:" in html
    assert response.redirect_chain[-1][0].startswith("/en/desk/")
    assert Article.objects.get().latest_revision.title == DRAFT["title"]
    assert (
        not hasattr(Article.objects.get(), "cover")
        or Article.objects.get().cover.source != "uploaded"
    )


# serialized_rollback: a transactional test empties the tables, and the roles that a
# migration creates must be back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_publishes_a_scheduled_article_at_its_time(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    writer, editor = person("writer"), person("editor", editor=True)
    article = write_and_submit(signed_in(writer))
    call_command("db_worker", batch=True, verbosity=0)  # the guideline checks, queued on submit
    at = timezone.now() + datetime.timedelta(minutes=5)
    actions.approve_submission(editor, Submission.objects.get(), publish_at=at)
    queued = DBTaskResult.objects.get(task_path="tribune.submissions.tasks.publish_due")
    assert queued.run_after == at
    call_command("db_worker", batch=True, verbosity=0)
    assert Article.objects.get(pk=article.pk).status == Status.SCHEDULED, "not before its time"
    # Five minutes pass: move the article's and the task's time into the past.
    Article.objects.filter(pk=article.pk).update(scheduled_for=timezone.now())
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    call_command("db_worker", batch=True, verbosity=0)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
