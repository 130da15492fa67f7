"""The contributor API with every persona: anonymous, the contributor, another
contributor, an editor, and a revoked token; the same rules and messages as the desk."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from tribune.api import actions as token_actions
from tribune.api.models import Scope, Token
from tribune.api.tests.conftest import ApiClient, token_for
from tribune.articles.models import Article, Status
from tribune.core.models import AuditEntry
from tribune.submissions import actions
from tribune.submissions.models import Guidelines, State
from tribune.testing import factories

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Our river, measured by us",
    "summary": "Volunteers test the water every month.",
    "body": "Every month we test the water.\n\n## What we found\n\nIt is clean.",
    "language": "en",
    "sources": ["https://example.org/river-report"],
}
ME = "/api/v1/me/articles"


def jpeg(size=(1200, 700)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def create(client: ApiClient, **changes) -> dict:
    response = client.send_json("post", ME, {**DRAFT, **changes})
    assert response.status_code == 201, response.content
    return response.json()


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    return body


def test_a_contributor_creates_a_draft_with_a_token(as_contributor, contributor):
    topic = factories.topic("environment", en="Environment")
    created = create(as_contributor, topics=[topic.slug])
    article = Article.objects.get(uuid=created["uuid"])
    assert article.author == contributor and article.status == Status.DRAFT
    assert created["status"] == "draft" and created["revision"] == 1
    assert created["topics"] == ["environment"]
    assert created["sources"] == ["https://example.org/river-report"]
    assert created["guidelines"] == {"version": 1, "url": "http://testserver/en/guidelines/"}
    assert created["url"] is None and created["submission"] is None


def test_token_requests_need_no_csrf_token(contributor):
    client = ApiClient(token_for(contributor), enforce_csrf_checks=True)
    assert create(client)["status"] == "draft"


def test_a_signed_in_browser_session_cannot_write_through_the_api(client, contributor):
    # A session cookie is not a token: a page on another site cannot make the browser write.
    client.force_login(contributor)
    response = client.post(ME, DRAFT, content_type="application/json")
    assert problem(response, 401)["code"] == "token_missing"
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Article.objects.exists()


def test_anonymous_callers_get_401_on_every_contributor_endpoint(anonymous):
    article = factories.article(published=False)
    for method, path in [
        ("get", ME),
        ("post", ME),
        ("get", f"{ME}/{article.uuid}"),
        ("patch", f"{ME}/{article.uuid}"),
        ("post", f"{ME}/{article.uuid}/cover"),
        ("post", f"{ME}/{article.uuid}/submit"),
        ("get", f"{ME}/{article.uuid}/findings"),
    ]:
        response = getattr(anonymous, method)(path, {}, content_type="application/json")
        assert problem(response, 401)["code"] == "token_missing", (method, path)


def test_invalid_input_gets_the_web_forms_messages_per_field(as_contributor):
    response = as_contributor.send_json(
        "post", ME, {**DRAFT, "title": "x" * 201, "language": "xx", "topics": ["nope"]}
    )
    body = problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"title", "language", "topics"}
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert "at most 200 characters" in messages["title"]
    assert "Select a valid choice" in messages["language"]


def test_an_action_refusal_is_a_field_error_too(as_contributor):
    response = as_contributor.send_json("post", ME, {**DRAFT, "sources": ["ftp://x.org/file"]})
    body = problem(response, 422)
    assert body["errors"] == [
        {
            "field": "sources",
            "message": "“ftp://x.org/file” is not a web address (http:// or https://).",
        }
    ]


def test_missing_fields_are_named(as_contributor):
    body = problem(as_contributor.send_json("post", ME, {"title": "Only a headline"}), 422)
    assert {"body", "language"} <= {error["field"] for error in body["errors"]}


def test_messages_follow_accept_language(as_contributor):
    response = as_contributor.post(
        ME, {**DRAFT, "body": ""}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
    )
    body = problem(response, 422)
    assert body["errors"][0]["field"] == "body"
    assert body["errors"][0]["message"] == "Dieses Feld ist zwingend erforderlich."


def test_a_contributor_updates_a_draft_and_each_change_is_a_revision(as_contributor):
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}"
    response = as_contributor.send_json("patch", path, {"body": "New text.", "based_on": 1})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["revision"] == 2 and changed["body"] == "New text."
    assert changed["title"] == DRAFT["title"]  # left out, so kept
    assert changed["sources"] == DRAFT["sources"]
    same = as_contributor.send_json("patch", path, {"body": "New text."}).json()
    assert same["revision"] == 2  # nothing new: no empty revision


def test_a_stale_update_is_refused_with_409_and_nothing_is_stored(as_contributor):
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}"
    as_contributor.send_json("patch", path, {"body": "Second.", "based_on": 1})
    response = as_contributor.send_json("patch", path, {"body": "Lost?", "based_on": 1})
    assert problem(response, 409)["code"] == "conflict"
    assert as_contributor.get(path).json()["body"] == "Second."


def test_submitting_needs_the_current_guidelines_version(as_contributor, contributor):
    created = create(as_contributor)
    submit = f"{ME}/{created['uuid']}/submit"
    body = problem(as_contributor.send_json("post", submit, {"accept_guidelines": 0}), 422)
    assert body["errors"] == [
        {
            "field": "accept_guidelines",
            "message": "Please read and accept the current submission guidelines.",
        }
    ]
    problem(as_contributor.send_json("post", submit, {}), 422)
    Guidelines.objects.create(
        language="en", version=2, text="Be fair.", text_html="<p>Be fair.</p>"
    )
    assert as_contributor.get(f"{ME}/{created['uuid']}").json()["guidelines"]["version"] == 2
    problem(as_contributor.send_json("post", submit, {"accept_guidelines": 1}), 422)
    response = as_contributor.send_json("post", submit, {"accept_guidelines": 2})
    assert response.status_code == 200, response.content
    submitted = response.json()
    assert submitted["status"] == "submitted"
    assert submitted["submission"]["state"] == State.SUBMITTED
    entry = AuditEntry.objects.get(action="submission.submit")
    assert entry.actor == contributor and entry.data == {"guidelines": 2}


def test_a_second_submit_is_a_conflict(as_contributor):
    created = create(as_contributor)
    submit = f"{ME}/{created['uuid']}/submit"
    assert as_contributor.send_json("post", submit, {"accept_guidelines": 1}).status_code == 200
    response = as_contributor.send_json("post", submit, {"accept_guidelines": 1})
    assert "submitted already" in problem(response, 409)["detail"]


def test_an_article_under_review_cannot_be_changed(as_contributor):
    created = create(as_contributor)
    as_contributor.send_json("post", f"{ME}/{created['uuid']}/submit", {"accept_guidelines": 1})
    response = as_contributor.send_json("patch", f"{ME}/{created['uuid']}", {"body": "Sneaky."})
    body = problem(response, 403)
    assert body["detail"] == "This article cannot be changed now: it is being reviewed."


def test_the_contributor_reads_the_editors_decision(as_contributor, editor):
    created = create(as_contributor)
    as_contributor.send_json("post", f"{ME}/{created['uuid']}/submit", {"accept_guidelines": 1})
    article = Article.objects.get(uuid=created["uuid"])
    submission = article.submissions.get()
    actions.claim_submission(editor, submission)
    actions.request_changes(editor, submission, message="Please name your sources.")
    state = as_contributor.get(f"{ME}/{created['uuid']}").json()
    assert state["status"] == "changes_requested"
    assert state["submission"]["message"] == "Please name your sources."
    listed = as_contributor.get(ME).json()["items"]
    assert [item["uuid"] for item in listed] == [created["uuid"]]


def test_other_contributors_and_editors_do_not_see_ones_articles(
    as_contributor, as_other_contributor, as_editor
):
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}"
    for client in (as_other_contributor, as_editor):
        assert problem(client.get(path), 404)["code"] == "not_found"
        problem(client.send_json("patch", path, {"body": "Mine now."}), 404)
        problem(client.send_json("post", f"{path}/submit", {"accept_guidelines": 1}), 404)
        assert client.get(ME).json() == {"items": []}
    assert as_contributor.get(path).json()["body"] == DRAFT["body"]


def test_an_editor_writes_their_own_drafts_like_anyone(as_editor, editor):
    created = create(as_editor)
    assert Article.objects.get(uuid=created["uuid"]).author == editor


def test_a_revoked_token_stops_working_at_once(contributor):
    secret = token_for(contributor)
    client = ApiClient(secret)
    created = create(client)
    token = Token.objects.get(user=contributor)
    token_actions.revoke_token(contributor, token)
    response = client.get(f"{ME}/{created['uuid']}")
    body = problem(response, 401)
    assert body["code"] == "token_revoked" and "revoked" in body["detail"]
    problem(client.send_json("post", ME, DRAFT), 401)


def test_an_expired_or_unknown_token_is_refused(contributor):
    token, secret = token_actions.create_token(
        contributor,
        name="short-lived",
        scopes=[Scope.READ_OWN],
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    Token.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert problem(ApiClient(secret).get(ME), 401)["code"] == "token_expired"
    assert problem(ApiClient("trb_made-up").get(ME), 401)["code"] == "token_invalid"


def test_a_token_without_the_scope_is_refused_with_403(contributor):
    reader = ApiClient(token_for(contributor, scopes=[Scope.READ_OWN]))
    body = problem(reader.send_json("post", ME, DRAFT), 403)
    assert body["code"] == "scope_missing" and "drafts:write" in body["detail"]
    writer = ApiClient(token_for(contributor, scopes=[Scope.DRAFTS]))
    created = create(writer)
    problem(writer.get(ME), 403)
    response = writer.send_json("post", f"{ME}/{created['uuid']}/submit", {"accept_guidelines": 1})
    assert "submissions:write" in problem(response, 403)["detail"]


def test_a_token_records_when_it_was_last_used(as_contributor, contributor):
    assert Token.objects.get(user=contributor).last_used_at is None
    as_contributor.get(ME)
    assert Token.objects.get(user=contributor).last_used_at is not None


def test_a_contributor_uploads_a_cover_image(as_contributor, committed):
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}/cover"
    with committed():
        response = as_contributor.post(
            path,
            {
                "image": io.BytesIO(jpeg()),
                "alt_text": "A river at dawn",
                "credit": "Ada",
                "licence": "CC BY 4.0",
            },
        )
    assert response.status_code == 200, response.content
    cover = as_contributor.get(f"{ME}/{created['uuid']}").json()["cover"]
    assert cover["ready"] and cover["source"] == "uploaded"
    assert cover["alt"] == "A river at dawn" and cover["credit"] == "Image: Ada, CC BY 4.0"
    assert [r["width"] for r in cover["jpeg"]] == [400, 800, 1200]
    assert cover["jpeg"][0]["url"].startswith("http://testserver/media/covers/")


def test_a_refused_cover_image_says_why(as_contributor):
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}/cover"
    small = {"image": io.BytesIO(jpeg((100, 80))), "alt_text": "x", "credit": "x", "licence": "x"}
    body = problem(as_contributor.post(path, small), 422)
    assert body["errors"][0]["field"] == "image"
    assert "100 by 80 pixels" in body["errors"][0]["message"]
    unnamed = {"image": io.BytesIO(jpeg()), "alt_text": " ", "credit": "Ada", "licence": "x"}
    body = problem(as_contributor.post(path, unnamed), 422)
    assert body["errors"] == [{"field": "alt_text", "message": "Describe what the image shows."}]


def test_only_an_editor_changes_the_cover_of_a_published_article(as_contributor, contributor):
    article = factories.article(by=contributor)
    response = as_contributor.post(
        f"{ME}/{article.uuid}/cover",
        {"image": io.BytesIO(jpeg()), "alt_text": "x", "credit": "x", "licence": "x"},
    )
    assert problem(response, 403)["code"] == "permission_denied"


def test_check_findings_of_ones_own_article(as_contributor, as_other_contributor, committed):
    # tribune.checks runs on submission (after commit) and owns the findings' shape.
    created = create(as_contributor)
    path = f"{ME}/{created['uuid']}"
    assert as_contributor.get(f"{path}/findings").json() == {"findings": []}
    with committed():
        as_contributor.send_json("post", f"{path}/submit", {"accept_guidelines": 1})
    response = as_contributor.get(f"{path}/findings")
    assert response.status_code == 200, response.content
    findings = response.json()["findings"]
    assert findings and {"check", "severity", "message"} <= set(findings[0])
    problem(as_other_contributor.get(f"{path}/findings"), 404)


def test_a_nul_character_is_refused_before_any_query(as_contributor):
    # PostgreSQL can neither store nor compare one; every database gets the same answer.
    for response in (
        as_contributor.send_json("post", ME, {**DRAFT, "title": "Nul\x00here"}),
        as_contributor.send_json("post", ME, {**DRAFT, "topics": ["a\x00b"]}),
        as_contributor.get("/api/v1/articles", {"topic": "x\x00"}),
        as_contributor.get("/api/v1/articles/en/sl%00ug"),
    ):
        assert problem(response, 400)["code"] == "invalid"
    assert not Article.objects.exists()
