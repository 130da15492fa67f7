"""The issue's "done means", as a new user would go: create a token on the desk, write and
submit an article with nothing but HTTP requests (what docs/api.md shows with curl), and
read it back through the content API once an editor has published it."""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from tribune.api.tests.conftest import ApiClient, person
from tribune.articles.models import Article
from tribune.submissions import actions

pytestmark = pytest.mark.django_db


def test_write_submit_and_read_back_through_the_api(committed):
    writer = person("newcomer")
    desk = Client()
    desk.force_login(writer)
    page = desk.post(
        "/en/desk/tokens/",
        {"name": "curl", "scopes": ["articles:read-own", "drafts:write", "submissions:write"]},
    )
    token = re.search(r"<code>(trb_[^<]+)</code>", page.content.decode()).group(1)
    api = ApiClient(token)

    draft = api.post(
        "/api/v1/me/articles",
        {
            "title": "Our river, measured by us",
            "summary": "Volunteers test the water every month.",
            "body": "Every month we test the water.\n\n## What we found\n\nIt is clean.",
            "language": "en",
            "sources": ["https://example.org/river-report"],
        },
        content_type="application/json",
    ).json()
    uuid = draft["uuid"]
    fixed = api.patch(
        f"/api/v1/me/articles/{uuid}",
        {"summary": "Volunteers have tested the water every month since 2020.", "based_on": 1},
        content_type="application/json",
    )
    assert fixed.json()["revision"] == 2
    picture = io.BytesIO()
    Image.new("RGB", (1200, 700), (30, 120, 200)).save(picture, "JPEG")
    picture.seek(0)
    with committed():
        cover = api.post(
            f"/api/v1/me/articles/{uuid}/cover",
            {"image": picture, "alt_text": "The river", "credit": "Me", "licence": "CC0"},
        )
    assert cover.status_code == 200, cover.content
    version = api.get(f"/api/v1/me/articles/{uuid}").json()["guidelines"]["version"]
    with committed():
        submitted = api.post(
            f"/api/v1/me/articles/{uuid}/submit",
            {"accept_guidelines": version},
            content_type="application/json",
        )
    assert submitted.json()["submission"]["state"] == "submitted"
    assert api.get(f"/api/v1/me/articles/{uuid}/findings").status_code == 200

    editor = person("the-editor", editor=True)
    submission = Article.objects.get(uuid=uuid).submissions.get()
    with committed():
        actions.claim_submission(editor, submission)
        actions.approve_submission(editor, submission)

    assert api.get(f"/api/v1/me/articles/{uuid}").json()["status"] == "published"
    reader = ApiClient()
    listed = reader.get("/api/v1/articles", {"language": "en"}).json()["items"]
    assert [item["uuid"] for item in listed] == [uuid]
    article = reader.get(f"/api/v1/articles/{uuid}").json()
    assert article["title"] == "Our river, measured by us"
    assert article["summary"] == "Volunteers have tested the water every month since 2020."
    assert "<h2" in article["body_html"] and article["body_markdown"].startswith("Every month")
    assert article["cover"]["source"] == "uploaded" and article["cover"]["jpeg"]
    assert reader.get("/api/v1/articles", {"q": "river"}).json()["items"][0]["uuid"] == uuid
