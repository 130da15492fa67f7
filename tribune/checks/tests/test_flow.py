"""A submission is checked, and the findings travel: to the editors' queue and review page,
to the approval decision, and back to the contributor's desk."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tribune.articles.models import Article, Status
from tribune.checks import queries
from tribune.checks.actions import perform_check_run
from tribune.checks.models import CheckFinding, CheckRun, RunState
from tribune.core.models import AuditEntry
from tribune.submissions.models import State, Submission

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "A new casino for the harbour",
    "summary": "The council votes on Thursday.",
    "body": (
        "The council wants to sell the old customs house.\n\n"
        "An investor would turn it into a casino with a hotel and a car park for four "
        "hundred cars."
    ),
    "language": "en",
    "sources": "https://example.org/council-minutes",
}
FIXED = {
    **TEXT,
    "title": "A new hotel for the harbour",
    "body": TEXT["body"].replace("casino", "hotel"),
}


def person(username, *, editor=False):
    user = get_user_model().objects.create_user(username=username, password="pw-123456!")
    user.groups.add(Group.objects.get(name="Editors" if editor else "Contributors"))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def writer():
    return person("writer")


@pytest.fixture
def editor():
    return person("editor", editor=True)


def submit(client, text=TEXT, article=None, language="en"):
    """Save and submit through the writing page (in the contributor's language); returns
    the article."""
    with translation.override(language):
        new_url = reverse("submissions:new")
        edit_url = reverse(
            "submissions:edit", kwargs={"uuid": "00000000-0000-0000-0000-000000000000"}
        )
    if article is None:
        client.post(new_url, {**text, "save": "1"})
        article = Article.objects.latest("id")
    else:
        client.post(
            edit_url.replace("00000000-0000-0000-0000-000000000000", str(article.uuid)),
            {**text, "based_on": article.latest_revision_id, "save": "1"},
        )
        article.refresh_from_db()
    response = client.post(
        edit_url.replace("00000000-0000-0000-0000-000000000000", str(article.uuid)),
        {**text, "based_on": article.latest_revision_id, "accept_guidelines": "on", "submit": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return article


def test_the_editor_sees_blocking_findings_that_stop_approval_until_overridden(
    test_checks, writer, editor, committed
):
    with committed():
        article = submit(writer[1])
    submission = Submission.objects.get()
    run = CheckRun.objects.get()
    assert run.submission == submission and run.revision_id == submission.revision_id
    assert run.state == RunState.DONE and run.language == "en" and run.finished_at
    assert list(run.findings.values_list("check_name", "severity", "passages__0__field")) == [
        ("forbidden", "blocking", "title"),
        ("forbidden", "blocking", "body"),
    ]

    desk = editor[1]
    queue = desk.get("/en/editorial/").content.decode()
    assert "2 blocking" in queue

    review_url = f"/en/editorial/{submission.uuid}/"
    page = desk.get(review_url).content.decode()
    assert "A new <mark>casino</mark> for the harbour" in page
    assert "turn it into a <mark>casino</mark> with a hotel" in page
    assert 'name="override"' in page and "The guideline checks found a blocking problem" in page

    refused = desk.post(review_url, {"decision": "approve", "message": ""}, follow=True)
    assert "The guideline checks found a blocking problem" in refused.content.decode()
    assert Article.objects.get().status == Status.SUBMITTED

    no_reason = desk.post(review_url, {"override": "1", "reason": "  "}, follow=True)
    assert "This field is required." in no_reason.content.decode()
    assert not CheckRun.objects.get().is_overridden

    desk.post(review_url, {"override": "1", "reason": "A casino is the news here."})
    run.refresh_from_db()
    assert run.overridden_by == editor[0] and run.override_reason == "A casino is the news here."
    entry = AuditEntry.objects.get(action="checks.override")
    assert entry.actor == editor[0] and entry.data["reason"] == "A casino is the news here."
    page = desk.get(review_url).content.decode()
    assert "A casino is the news here." in page and 'name="override"' not in page
    assert "overridden" in desk.get("/en/editorial/").content.decode()

    with committed():
        desk.post(review_url, {"decision": "approve", "message": ""})
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_contributor_cannot_override_findings(test_checks, writer, committed):
    with committed():
        submit(writer[1])
    submission = Submission.objects.get()
    response = writer[1].post(
        f"/en/editorial/{submission.uuid}/", {"override": "1", "reason": "Mine is fine."}
    )
    assert response.status_code == 403
    assert not CheckRun.objects.get().is_overridden


def test_the_contributor_sees_the_findings_fixes_the_text_and_a_new_run_checks_it(
    test_checks, writer, editor, committed
):
    with committed():
        article = submit(writer[1])
    desk = writer[1].get("/en/desk/").content.decode()
    assert "2 blocking problems" in desk and f"/en/desk/{article.uuid}/#findings" in desk
    page = writer[1].get(f"/en/desk/{article.uuid}/").content.decode()
    assert "A new <mark>casino</mark> for the harbour" in page
    assert 'name="override"' not in page

    # The editor sends it back; the contributor fixes it and submits again.
    editor[1].post(
        f"/en/editorial/{Submission.objects.get().uuid}/",
        {"decision": "changes", "message": "See what the checks found."},
    )
    with committed():
        submit(writer[1], FIXED, article=article)
    assert CheckRun.objects.count() == 2
    newest = queries.latest_run(Submission.objects.get(state=State.SUBMITTED))
    assert newest.is_done and list(newest.findings.all()) == []
    desk = writer[1].get("/en/desk/").content.decode()
    assert "blocking" not in desk and "The checks found nothing to point out." in desk
    with committed():
        editor[1].post(
            f"/en/editorial/{Submission.objects.get(state=State.SUBMITTED).uuid}/",
            {"decision": "approve", "message": ""},
        )
    assert Article.objects.get().status == Status.PUBLISHED


def test_findings_are_written_in_the_language_the_contributor_used_when_submitting(
    test_checks, writer, committed
):
    with committed():
        submit(writer[1], language="de")
    run = CheckRun.objects.get()
    assert run.language == "de"
    assert set(run.findings.values_list("message", flat=True)) == {
        "Bitte einen gültigen Wert eingeben."
    }


def test_approval_waits_while_the_checks_run_unless_an_editor_overrides(
    test_checks, writer, editor
):
    submit(writer[1])  # the task is enqueued on commit, which never comes in this test
    submission = Submission.objects.get()
    assert CheckRun.objects.get().state == RunState.PENDING
    review_url = f"/en/editorial/{submission.uuid}/"
    page = editor[1].get(review_url).content.decode()
    assert "The checks are still running." in page and 'name="override"' in page
    assert "running" in editor[1].get("/en/editorial/").content.decode()
    refused = editor[1].post(review_url, {"decision": "approve", "message": ""}, follow=True)
    assert "still running" in refused.content.decode()
    editor[1].post(review_url, {"override": "1", "reason": "The worker is down; I read it."})
    editor[1].post(review_url, {"decision": "approve", "message": ""})
    assert Article.objects.get().status == Status.PUBLISHED


def test_running_a_check_run_again_changes_nothing(test_checks, writer, committed):
    with committed():
        submit(writer[1])
    run = CheckRun.objects.get()
    before = list(CheckFinding.objects.values_list("pk", flat=True))
    assert perform_check_run(run.pk) is None
    assert list(CheckFinding.objects.values_list("pk", flat=True)) == before


def test_an_abandoned_run_is_taken_again_and_its_partial_findings_replaced(test_checks, writer):
    import datetime

    from django.utils import timezone

    submit(writer[1])
    run = CheckRun.objects.get()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    CheckRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=long_ago)
    CheckFinding.objects.create(run=run, check_name="left-over", severity="info", message="x")
    assert perform_check_run(run.pk).is_done
    assert set(run.findings.values_list("check_name", flat=True)) == {"forbidden"}


def test_the_api_gets_the_findings_of_the_newest_submission_as_json(test_checks, writer, committed):
    article = submit(writer[1])
    assert queries.findings_for_article(article) == []
    assert queries.check_run_for_article(article)["state"] == "pending"
    perform_check_run(CheckRun.objects.get().pk)
    findings = queries.findings_for_article(article)
    assert [f["severity"] for f in findings] == ["blocking", "blocking"]
    first = findings[0]
    assert first["check"] == "forbidden" and first["data"] == {"word": "casino"}
    assert first["passages"] == [{"field": "title", "start": 6, "end": 12, "text": "casino"}]
    assert first["run"]["state"] == "done" and first["run"]["overridden"] is False
    other = Article.objects.create(language="en", slug="x", author=writer[0])
    assert queries.findings_for_article(other) == []
    assert queries.check_run_for_article(other) is None


def test_the_queue_and_the_review_page_cost_the_same_queries_however_many_findings(
    test_checks, writer, editor, committed, django_assert_num_queries
):
    with committed():
        submit(writer[1])
    desk = editor[1]
    desk.get("/en/editorial/")
    with django_assert_num_queries(7):
        desk.get("/en/editorial/")
    review_url = f"/en/editorial/{Submission.objects.get().uuid}/"
    desk.get(review_url)
    with django_assert_num_queries(13):
        desk.get(review_url)
    run = CheckRun.objects.get()
    CheckFinding.objects.bulk_create(
        CheckFinding(run=run, check_name="short", severity="warning", message=f"Note {n}")
        for n in range(5)
    )
    with django_assert_num_queries(13):
        page = desk.get(review_url).content.decode()
    assert page.count("Note ") == 5
    for n in range(3):
        with committed():
            _other, client = person(f"writer{n}")
            submit(client, {**TEXT, "title": f"Another casino {n}"})
    with django_assert_num_queries(7):
        html = desk.get("/en/editorial/").content.decode()
    assert html.count("2 blocking") == 4


def test_with_the_real_checks_an_uncredited_revelation_is_quoted_on_the_review_page(
    writer, editor, committed
):
    from tribune.checks.base import REGISTRY

    if "sourcing" not in REGISTRY:
        pytest.skip("the unsourced-claims check is not installed")
    text = {
        **TEXT,
        "title": "A secret deal for the harbour",
        "body": (
            "The Wall Street Journal reveals that the city sold the harbour to a private "
            "fund last spring.\n\nThe deal was signed in March."
        ),
        "sources": "",
    }
    with committed():
        submit(writer[1], text)
    page = editor[1].get(f"/en/editorial/{Submission.objects.get().uuid}/").content.decode()
    assert (
        "<mark>The Wall Street Journal reveals that the city sold the harbour to a private "
        "fund last spring.</mark>"
    ) in page


def test_the_desk_costs_the_same_queries_however_many_checked_articles(
    test_checks, writer, committed, django_assert_num_queries
):
    client = writer[1]
    with committed():
        submit(client)
    client.get("/en/desk/")
    with django_assert_num_queries(10):
        client.get("/en/desk/")
    for n in range(3):
        with committed():
            submit(client, {**TEXT, "title": f"Another casino {n}"})
    with django_assert_num_queries(10):
        html = client.get("/en/desk/").content.decode()
    assert html.count("2 blocking problems") == 4


def test_the_admin_shows_runs_with_their_findings(test_checks, writer, committed):
    with committed():
        submit(writer[1])
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!")
    client = Client()
    client.force_login(root)
    run = CheckRun.objects.get()
    assert "A new casino for the harbour" in client.get("/admin/checks/checkrun/").content.decode()
    page = client.get(f"/admin/checks/checkrun/{run.pk}/change/").content.decode()
    assert page.count("Enter a valid value.") == 2
    assert client.get("/admin/checks/checkfinding/").status_code == 200
