import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tribune.accounts.actions import profile_for
from tribune.submissions import actions
from tribune.submissions.models import Submission
from tribune.submissions.tests.test_workflow import DRAFT, person, signed_in, write_and_submit

pytestmark = pytest.mark.django_db


def test_the_operator_publishes_a_new_guidelines_version_and_submissions_record_it(committed):
    writer = person("writer")
    assert "Version 1, November 2026" in Client().get("/en/guidelines/").content.decode()
    with committed():
        actions.publish_guidelines(None, language="en", text="## Be fair\n\nLink your sources.")
    page = Client().get("/en/guidelines/").content.decode()
    assert "Be fair" in page and "Version 2" in page
    write_and_submit(signed_in(writer))
    assert Submission.objects.get().guidelines_version == 2


def test_accepting_an_outdated_version_is_refused():
    writer = person("writer")
    client = signed_in(writer)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = client.get("/en/desk/").context["articles"][0]
    actions.publish_guidelines(None, language="en", text="New rules.")
    with pytest.raises(Exception, match="current submission guidelines"):
        actions.submit_article(writer, article, accepted_guidelines=1)
    assert not Submission.objects.exists()


def test_editors_who_chose_the_digest_get_one_mail_a_day_not_one_per_submission(mailbox, committed):
    daily = person("daily", editor=True)
    profile = profile_for(daily)
    profile.editor_alerts = "daily"
    profile.save()
    each = person("each", editor=True)
    profile_for(each)
    with committed():
        write_and_submit(signed_in(person("writer")))
        write_and_submit(signed_in(person("writer2")), title="A second piece")
    assert sorted(m["To"] for m in mailbox) == ["each@example.org", "each@example.org"]
    with committed():
        call_command("send_editor_digest")
    digest = mailbox[-1]
    assert digest["To"] == "daily@example.org"
    assert digest["Subject"] == "2 new submissions wait for review"
    body = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Our river, measured by us" in body and "A second piece" in body
    with committed():
        sent = actions.send_editor_digests(timezone.now() + datetime.timedelta(hours=1))
    assert sent == 0
