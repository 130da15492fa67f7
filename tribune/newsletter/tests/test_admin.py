import re
from collections import Counter

import pytest
from django.contrib.auth.models import Group

from tribune.newsletter.models import Edition
from tribune.newsletter.tests.helpers import confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = factories.editor()
    editor.email = "editor@example.org"
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_an_editor_composes_previews_tests_and_sends_an_edition(editor_client, mailbox, committed):
    article = factories.article(title="Night trains are back")
    confirmed_subscriber("a@example.org")
    confirmed_subscriber("b@example.org", frequency="daily")
    response = editor_client.post(
        "/admin/newsletter/edition/add/",
        {
            "subject": "Our trains special",
            "language": "en",
            "intro": "Hello!",
            "articles": [article.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = Edition.objects.get()
    assert edition.kind == Edition.Kind.COMPOSED
    preview = editor_client.get(f"/admin/newsletter/edition/preview/{edition.pk}/")
    assert "Night trains are back" in preview.content.decode()
    assert "Hello!" in preview.content.decode()
    assert preview["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script" not in preview["Content-Security-Policy"]
    editor_client.post(
        "/admin/newsletter/edition/",
        {"action": "send_test", "_selected_action": [edition.pk]},
    )
    assert [m["To"] for m in mailbox] == ["editor@example.org"]
    with committed():
        editor_client.post(
            "/admin/newsletter/edition/",
            {"action": "send_now", "_selected_action": [edition.pk]},
        )
    received = Counter(m["To"] for m in mailbox)
    assert received == {"editor@example.org": 1, "a@example.org": 1, "b@example.org": 1}
    assert mailbox[1]["Subject"] == "Our trains special"
    listing = editor_client.get("/admin/newsletter/edition/").content.decode()
    assert "2 / 2 (0)" in listing
    assert editor_client.get(f"/admin/newsletter/edition/{edition.pk}/change/").status_code in (
        200,
        403,
    )


def test_the_subscriber_list_shows_counts_per_state(editor_client):
    confirmed_subscriber("a@example.org")
    page = editor_client.get("/admin/newsletter/subscriber/").content.decode()
    assert "Confirmed: 1" in page


def test_the_chart_counts_sign_ups_confirmations_and_unsubscribes_per_day(editor_client):
    from tribune.newsletter import actions

    actions.unsubscribe(confirmed_subscriber("a@example.org"), method="admin")
    confirmed_subscriber("b@example.org")
    assert (
        "Chart of the last 30 days"
        in editor_client.get("/admin/newsletter/subscriber/").content.decode()
    )
    page = editor_client.get("/admin/newsletter/subscriber/stats/").content.decode()
    assert "<svg" in page
    assert "<polyline" in page
    assert re.search(r"Sign-ups</td><td>2</td>", page)
    assert re.search(r"Unsubscribes</td><td>1</td>", page)
    assert "style=" not in page.split("<svg", 1)[1]


def test_an_edition_takes_only_published_articles(editor_client):
    draft = factories.article(title="Not yet", published=False)
    response = editor_client.post(
        "/admin/newsletter/edition/add/",
        {"subject": "S", "language": "en", "intro": "", "articles": [draft.pk]},
    )
    assert response.status_code == 200
    assert "Only published articles can go into an edition: Not yet" in response.content.decode()
    assert not Edition.objects.exists()
