"""The near-duplicate check (issue 4, check 1): what it finds, what it shows, and the index
that follows every article through its lifecycle."""

import random
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from tribune.articles import actions as article_actions
from tribune.articles.models import Article
from tribune.checks import dupindex
from tribune.checks.base import Draft
from tribune.checks.models import CheckFinding, DuplicateBucket, DuplicateEntry
from tribune.checks.rules.duplicates import duplicates
from tribune.submissions import actions as submission_actions
from tribune.submissions.models import Submission
from tribune.testing import factories

pytestmark = pytest.mark.django_db

OPTIONS = {"block_at": 0.5, "warn_at": 0.2, "max_matches": 5}

RIVER = """Volunteers from the valley have measured the water of the Alder river every month \
since the spring of last year, and their figures now show a steady decline in nitrate levels \
downstream of the old paper mill.

The group started with twelve members and a borrowed testing kit. Today more than sixty people \
take samples at nine places along the river, from the spring in the hills to the harbour where \
the river meets the sea.

## What the figures say

Nitrate levels near the mill fell by almost a third between March and October. The biggest \
change came after the mill's owners replaced a leaking pipe that had carried waste water into \
a side stream for years.

Fish have come back too. Anglers report trout in stretches where nobody had caught one for a \
decade, and the regional fishing club has started its own counts to confirm what they see.

## What comes next

The volunteers want the council to publish its own measurements every month, so that anyone \
can compare the two sets of figures. The council says it will consider the request at its \
next meeting in the town hall.

Meanwhile the group is looking for more people to join the monthly walks along the banks, \
especially in the villages upstream where samples are still taken only now and then."""

HARBOUR = """The harbour authority has approved a plan to rebuild the eastern pier, which was \
closed to the public after the winter storms damaged its wooden deck and two of its supports.

Work is due to start in the autumn and take about eighteen months. The new pier will be \
made of concrete and steel, with a wider walkway, benches and lighting that does not disturb \
the birds nesting on the breakwater.

## Money and objections

The regional government pays most of the cost from its coastal fund. Some residents object \
that the plan removes the old wooden boathouse, which local rowers have used for half a \
century, and they have collected signatures against it.

The authority says the boathouse will be rebuilt a little further along the quay, and that \
the rowers were consulted before the plan was drawn up. A public meeting is planned for the \
spring."""

FILLER = [
    "quietly", "remarkable", "ordinary", "several", "broader", "earlier", "nearby", "certain",
    "eager", "modest", "gentle", "sudden", "plain", "useful", "careful",
]  # fmt: skip


def reworded(text: str, seed: int = 4) -> str:
    """A copy as a copier makes one: every fifth word or so replaced, some sentences split
    and some merged, the paragraphs shuffled, a line of boilerplate added."""
    rng = random.Random(seed)  # noqa: S311 - reproducible text, not secrets
    paragraphs = []
    for paragraph in text.split("\n\n"):
        words = paragraph.split(" ")
        for n, word in enumerate(words):
            if rng.random() < 0.2 and word.isalpha():
                words[n] = rng.choice(FILLER)
        changed = " ".join(words).replace(", and ", ". And ").replace(". The", ", the")
        paragraphs.append(changed)
    rng.shuffle(paragraphs)
    return "Shared with us by a reader.\n\n" + "\n\n".join(paragraphs)


def person(username: str, *, editor: bool = False):
    user = get_user_model().objects.create_user(username=username, password="pw-123456!")
    user.groups.add(Group.objects.get(name="Editors" if editor else "Contributors"))
    return get_user_model().objects.get(pk=user.pk)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published(title: str, body: str, language: str = "en", **kwargs) -> Article:
    return factories.article(title=title, body=body, language=language, **kwargs)


def draft(body: str, title: str = "A story of our own", **kwargs) -> Draft:
    return Draft(title=title, body=body, language=kwargs.pop("language", "en"), **kwargs)


def check(text_draft: Draft, **options) -> list:
    return list(duplicates(text_draft, {**OPTIONS, **options}))


@pytest.fixture
def river(committed):
    with committed():
        return published("Volunteers find the river is getting cleaner", RIVER)


def test_a_reworded_copy_of_a_published_article_is_blocked_and_names_the_original(river):
    (finding,) = check(draft(reworded(RIVER)))
    assert finding.severity == "blocking"
    assert "Volunteers find the river is getting cleaner" in finding.message
    (match,) = finding.data["matches"]
    assert match["uuid"] == str(river.uuid)
    assert match["url"] == river.get_absolute_url()
    assert match["title"] == "Volunteers find the river is getting cleaner"
    assert match["overlap"] >= 0.7
    assert len(match["pairs"]) >= 3
    originals = " ".join(pair["original"] for pair in match["pairs"])
    assert "leaking pipe that had carried waste water" in originals


def test_every_passage_points_at_exact_offsets_in_the_submitted_field(river):
    copy = draft(reworded(RIVER), title="Volunteers find the river is getting cleaner")
    (finding,) = check(copy)
    assert {p.field for p in finding.passages} == {"title", "body"}
    for passage in finding.passages:
        assert getattr(copy, passage.field)[passage.start : passage.end] == passage.text
    for pair in finding.data["matches"][0]["pairs"]:
        submitted = pair["submitted"]
        text = getattr(copy, submitted["field"])
        assert text[submitted["start"] : submitted["end"]] == submitted["text"]
    # The boilerplate the copier added is not part of any passage.
    assert all("Shared with us" not in p.text for p in finding.passages)


def test_an_article_on_another_subject_gets_no_finding(river):
    assert check(draft(HARBOUR)) == []


def test_a_text_quoting_one_paragraph_gets_a_warning_not_a_block(river):
    quoted = RIVER.split("\n\n")[3]  # one paragraph of nine
    (finding,) = check(draft(HARBOUR + "\n\n" + quoted))
    assert finding.severity == "warning"
    assert 0.2 <= finding.data["matches"][0]["overlap"] < 0.5


def test_the_thresholds_come_from_the_options(river):
    (finding,) = check(draft(reworded(RIVER)), block_at=0.99)
    assert finding.severity == "warning"
    assert check(draft(reworded(RIVER)), warn_at=0.99, block_at=1.0) == []


def test_the_article_itself_and_its_translations_are_left_out(river, committed):
    assert check(draft(RIVER, article_id=river.pk)) == []
    assert check(draft(RIVER, translation_group=str(river.translation_group))) == []
    with committed():
        german = published("Der Fluss wird sauberer", RIVER, language="de", translation_of=river)
    # The same words in an article declared German: compared only with German articles,
    # and the German version of this piece is its translation, left out.
    assert check(draft(RIVER, language="de", translation_group=str(german.translation_group))) == []
    (finding,) = check(draft(RIVER, language="de"))
    assert finding.data["matches"][0]["uuid"] == str(german.uuid)


def test_articles_in_another_language_are_not_compared(river):
    assert check(draft(RIVER, language="de")) == []


def test_normalising_ignores_case_accents_punctuation_and_full_width_letters(river):
    shouted = RIVER.upper().replace(".", " !").replace("e", "é").replace(",", " ;")
    full_width = RIVER.replace("Alder", "\uff21\uff4c\uff44\uff45\uff52")  # full-width letters
    for variant in (shouted, full_width):
        (finding,) = check(draft(variant))
        assert finding.data["matches"][0]["overlap"] > 0.9


def test_a_copy_of_a_pending_submission_is_found_without_naming_it(river, committed):
    writer, other = person("writer"), person("other")
    with committed():
        pending = submission_actions.save_draft(
            writer, None, title="The harbour pier", body=HARBOUR, language="en"
        )
        submission_actions.submit_article(writer, pending, accepted_guidelines=1)
    assert DuplicateEntry.objects.get(article=pending).state == "pending"
    (finding,) = check(draft(reworded(HARBOUR)))
    assert finding.severity == "blocking"
    assert "waiting for review" in finding.message
    assert "harbour pier" not in finding.message
    (match,) = finding.data["matches"]
    assert match["state"] == "pending" and match["url"] == ""
    assert other  # the copier


def test_an_editor_sees_the_original_and_the_copied_passages_side_by_side(river, committed):
    writer, editor = person("writer"), person("editor", editor=True)
    client = signed_in(writer)
    with committed():
        client.post(
            "/en/desk/new/",
            {"title": "River news", "summary": "", "body": reworded(RIVER), "language": "en",
             "sources": "https://example.org/x", "save": "1"},
        )  # fmt: skip
        article = Article.objects.latest("id")
        client.post(
            f"/en/desk/{article.uuid}/",
            {"title": "River news", "summary": "", "body": reworded(RIVER), "language": "en",
             "sources": "https://example.org/x", "based_on": article.latest_revision_id,
             "accept_guidelines": "on", "submit": "1"},
        )  # fmt: skip
    submission = Submission.objects.get(article=article)
    finding = CheckFinding.objects.get(run__submission=submission, check_name="duplicates")
    assert finding.severity == "blocking"
    html = signed_in(editor).get(f"/en/editorial/{submission.uuid}/").content.decode()
    assert f'<a href="{river.get_absolute_url()}">Volunteers find the river' in html
    assert "Estimated overlap:" in html
    assert 'class="duplicate-pairs"' in html
    assert "leaking pipe that had carried waste water" in html


def test_the_index_follows_publish_edit_unpublish_and_decisions(committed):
    editor, writer = person("editor", editor=True), person("writer")
    with committed():
        article = published("Volunteers find the river is getting cleaner", RIVER)
    entry = DuplicateEntry.objects.get(article=article)
    assert (entry.state, entry.revision_id) == ("published", article.live_revision_id)
    assert DuplicateBucket.objects.filter(entry=entry).count() == dupindex.text.BANDS

    with committed():
        article_actions.revise_article(None, article, title="Cleaner river", body=HARBOUR)
    # A new revision that is not live yet changes nothing: the live text is indexed.
    assert DuplicateEntry.objects.get(article=article).revision_id == article.live_revision_id
    with committed():
        article_actions.publish_article(None, article)
    article.refresh_from_db()
    assert DuplicateEntry.objects.get(article=article).revision_id == article.live_revision_id
    assert check(draft(reworded(HARBOUR)))[0].data["matches"][0]["title"] == "Cleaner river"

    with committed():
        article_actions.unpublish_article(None, article)
    assert not DuplicateEntry.objects.filter(article=article).exists()
    assert check(draft(reworded(HARBOUR))) == []

    with committed():
        pending = submission_actions.save_draft(
            writer, None, title="Pier", body=HARBOUR, language="en"
        )
        submission = submission_actions.submit_article(writer, pending, accepted_guidelines=1)
    assert DuplicateEntry.objects.get(article=pending).state == "pending"
    with committed():
        submission_actions.reject_submission(editor, submission, reason="Copied.")
    assert not DuplicateEntry.objects.filter(article=pending).exists()


def test_the_rebuild_command_recreates_the_index_and_can_run_twice(committed, capsys):
    with committed():
        first = published("Volunteers find the river is getting cleaner", RIVER)
        published("The pier", HARBOUR)
    unpublished = published("Draft only", RIVER + "\n\nMore.", published=False)
    DuplicateEntry.objects.all().delete()
    call_command("rebuild_duplicate_index")
    assert set(DuplicateEntry.objects.values_list("article", flat=True)) >= {first.pk}
    assert not DuplicateEntry.objects.filter(article=unpublished).exists()
    before = sorted(DuplicateBucket.objects.values_list("key", "entry"))
    call_command("rebuild_duplicate_index")
    assert sorted(DuplicateBucket.objects.values_list("key", "entry")) == before
    out = capsys.readouterr()
    assert "Indexed 2 published and pending articles" in out.out
    assert "2/2" in out.err  # the progress bar
    call_command("rebuild_duplicate_index", "--dry-run")
    assert "Would index 2" in capsys.readouterr().out


def test_empty_text_and_binary_junk_give_no_finding_and_no_error(river):
    assert check(draft("", title="")) == []
    rng = random.Random(1)  # noqa: S311 - reproducible junk, not secrets
    junk = bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1")
    assert check(draft(junk + "\x00\ud800", title="\x00")) == []


def test_a_text_that_repeats_itself_finds_only_the_real_original(river, committed):
    copy = reworded(RIVER)
    with committed():
        own = published("Twice the river", copy + "\n\n" + copy)
    (finding,) = check(draft(copy + "\n\n" + copy, article_id=own.pk))
    assert [m["uuid"] for m in finding.data["matches"]] == [str(river.uuid)]


def padding(count: int, seed: int = 2) -> str:
    """Words of the same vocabulary in random order: text that shares words, not passages."""
    rng = random.Random(seed)  # noqa: S311 - reproducible text, not secrets
    words = RIVER.split() + HARBOUR.split() + FILLER
    return " ".join(rng.choice(words) for _ in range(count))


def test_a_one_megabyte_body_is_checked_in_well_under_a_second(river):
    filler = padding(170_000)
    body = filler[:500_000] + "\n\n" + reworded(RIVER) + "\n\n" + filler[500_000:1_000_000]
    # CPU time, not wall time: the suite may share the machine with other work.
    started = time.process_time()
    findings = check(draft(body))
    assert time.process_time() - started < 1.5
    for finding in findings:  # a copy this diluted may go unnoticed, but never wrongly
        assert finding.data["matches"][0]["uuid"] == str(river.uuid)


def test_a_copy_inside_the_longest_body_a_site_takes_is_found(river):
    filler = padding(30_000)
    body = filler[:100_000] + "\n\n" + reworded(RIVER) + "\n\n" + filler[100_000:195_000]
    (finding,) = check(draft(body))
    assert finding.data["matches"][0]["uuid"] == str(river.uuid)
    assert finding.data["matches"][0]["original_share"] > 0.7


def test_the_check_costs_the_same_queries_however_many_articles_match(
    committed, django_assert_num_queries
):
    with committed():
        for n in range(6):
            published(f"River story {n}", RIVER + f"\n\nAnd one more thing, number {n}.")
    # Candidates from the index, then the texts of those worth verifying.
    with django_assert_num_queries(2):
        (finding,) = check(draft(reworded(RIVER)))
    assert len(finding.data["matches"]) == 5  # max_matches
    assert "5 more articles" not in finding.message
    assert "4 more articles" in finding.message
