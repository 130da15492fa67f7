"""`tribune import` and `tribune export`: Markdown files with YAML front matter in and out."""

import datetime
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tribune.accounts.models import Profile
from tribune.articles.models import Article, Revision, Status, Topic
from tribune.testing import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def front(text: str) -> str:
    """A Markdown file as people write it: dedented, front matter first."""
    return textwrap.dedent(text).lstrip()


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(command: str, *args: object) -> tuple[str, str, str | None]:
    """Run a command as an operator would; give back stdout, stderr and the error, if any."""
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err, no_color=True)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def public_page(article: Article):
    return Client().get(article.get_absolute_url())


GOOD = front(
    """
    ---
    title: "A good story"
    author: "Good Author"
    language: en
    ---
    The good story is imported whatever happens to the other files.
    """
)


# Importing good files


def test_importing_a_folder_creates_published_articles_with_their_details(tmp_path):
    existing = factories.author("Jonas Kerber")
    technology = factories.topic("technology", en="Technology", de="Technologie")
    climate = factories.topic("climate", en="Climate", de="Klima")
    money = factories.topic("economy", en="Business & Money", de="Wirtschaft")
    write(
        tmp_path,
        "night-trains.md",
        front(
            """
            ---
            title: "Night trains are back"
            author: "Mara Lindqvist"
            language: en
            topics: [technology, Klima, Night life]
            published_at: 2026-11-02T08:30:00Z
            status: published
            summary: "Sleepers return to the timetable."
            ---
            The overnight service to the coast runs again from December.
            """
        ),
    )
    write(
        tmp_path,
        "sub/budget.md",
        front(
            """
            ---
            title: "Wie unsere Stadt ihren Haushalt beschließt"
            author: "Jonas Kerber"
            language: de
            tags: [business & money]
            date: 2026-10-01
            ---
            Jedes Jahr im Herbst berät der Rat über den Haushalt.
            """
        ),
    )

    out, err, error = run("import", tmp_path)

    assert error is None, err
    assert "2 imported, 0 refused" in out
    night = Article.objects.get(slug="night-trains-are-back")
    assert night.language == "en"
    assert night.status == Status.PUBLISHED
    assert night.live_revision.title == "Night trains are back"
    assert night.live_revision.summary == "Sleepers return to the timetable."
    assert night.published_at == datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    assert night.author.profile.display_name == "Mara Lindqvist"
    assert "created the author 'Mara Lindqvist'" in out
    night_life = Topic.objects.get(name="Night life")
    assert set(night.topics.all()) == {technology, climate, night_life}
    assert night_life.slug == "night-life"

    budget = Article.objects.get(language="de")
    assert budget.language == "de"
    assert budget.author == existing
    assert list(budget.topics.all()) == [money]
    assert budget.published_at == datetime.datetime(2026, 10, 1, tzinfo=UTC)
    assert Profile.objects.filter(display_name="Jonas Kerber").count() == 1

    page = public_page(night)
    assert page.status_code == 200
    assert "Night trains are back" in page.text
    assert "Mara Lindqvist" in page.text


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2026-11-02T08:30:00Z", datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
        ('"2026-11-02T08:30:00Z"', datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
        ("2026-11-02T10:30:00+02:00", datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
        ('"2026-11-02T03:30:00-05:00"', datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
        ("2026-11-02", datetime.datetime(2026, 11, 2, 0, 0, tzinfo=UTC)),
        ("2026-11-02 08:30:00", datetime.datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
    ],
)
def test_a_publication_date_is_read_with_z_an_offset_or_as_a_bare_date(tmp_path, written, stored):
    write(
        tmp_path, "dated.md", GOOD.replace("language: en", f"language: en\npublished_at: {written}")
    )

    _out, err, error = run("import", tmp_path)

    assert error is None, err
    assert Article.objects.get().published_at == stored


def test_an_imported_draft_stays_a_draft_off_the_site(tmp_path):
    write(tmp_path, "draft.md", GOOD.replace("language: en", "language: en\nstatus: draft"))

    out, err, error = run("import", tmp_path)

    assert error is None, err
    assert "imported en/a-good-story (Draft)" in out
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.live_revision is None
    assert article.published_at is None
    assert public_page(article).status_code == 404


def test_a_translation_is_linked_to_its_original_even_when_its_file_sorts_first(tmp_path):
    write(
        tmp_path,
        "a-nachtzuege.md",
        front(
            """
            ---
            title: "Die Nachtzüge sind zurück"
            author: "Mara Lindqvist"
            language: de
            translation_of: en/night-trains-are-back
            ---
            Der Nachtzug an die Küste fährt ab Dezember wieder.
            """
        ),
    )
    write(
        tmp_path,
        "z-night-trains.md",
        front(
            """
            ---
            title: "Night trains are back"
            author: "Mara Lindqvist"
            language: en
            ---
            The overnight service to the coast runs again from December.
            """
        ),
    )

    out, err, error = run("import", tmp_path)

    assert error is None, err
    assert "2 imported, 0 refused" in out
    original = Article.objects.get(language="en", slug="night-trains-are-back")
    translation = Article.objects.get(language="de", slug="die-nachtzuege-sind-zurueck")
    assert translation.translation_group == original.translation_group
    page = public_page(original)
    assert translation.get_absolute_url() in page.text


def test_unknown_front_matter_fields_are_reported_as_ignored(tmp_path):
    path = write(tmp_path, "jekyll.md", GOOD.replace("language: en", "language: en\nlayout: post"))

    out, err, error = run("import", tmp_path)

    assert error is None, err
    assert f"{path}: ignored the fields layout" in out
    assert Article.objects.get().live_revision.title == "A good story"


# Refusing bad files

REFUSED = front(
    """
    ---
    title: "Refused story"
    author: "Refused Author"
    language: en
    topics: [refused-topic]
    published_at: 2026-11-02T08:30:00Z
    ---
    Nothing of this file may be stored.
    """
)


def _without(line: str) -> str:
    return REFUSED.replace(f"{line}\n", "")


def _with(old: str, new: str) -> str:
    assert old in REFUSED
    return REFUSED.replace(old, new)


BAD_FILES = {
    "missing title": (_without('title: "Refused story"'), "title"),
    "missing author": (_without('author: "Refused Author"'), "author"),
    "unknown language": (_with("language: en", "language: xx"), "language"),
    "invalid date": (_with("2026-11-02T08:30:00Z", '"next Tuesday"'), "published_at"),
    "impossible date": (_with("2026-11-02T08:30:00Z", "2026-13-45"), "published_at"),
    "topics not a list": (_with("[refused-topic]", "{refused-topic: yes}"), "topics"),
    "bad status": (_with("language: en", "language: en\nstatus: archived"), "status"),
    "invalid slug": (_with("language: en", "language: en\nslug: Refused Story!"), "slug"),
    "YAML syntax error": (_with('"Refused story"', '"Refused story'), "front matter"),
    "no front matter": ("# Refused story\n\nNothing of this file may be stored.\n", "front matter"),
    "no closing line": (REFUSED.replace("---\nNothing", "Nothing"), "front matter"),
    "empty body": (REFUSED.split("Nothing")[0] + "\n   \n", "body"),
    "not UTF-8": (REFUSED.replace("Nothing", "Caf\xe9: nothing").encode("latin-1"), "file"),
    "over 1 MB": (REFUSED + "x" * 1_000_001, "file"),
    "body over the article limit": (REFUSED + "word " * 50_000, "body"),
    "translation of nothing": (
        _with("language: en", "language: en\ntranslation_of: de/gibt-es-nicht"),
        "translation_of",
    ),
}


@pytest.mark.parametrize(("content", "field"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_naming_file_and_field_while_good_files_are_imported(
    tmp_path, content, field
):
    write(tmp_path, "a-good.md", GOOD)
    bad = write(tmp_path, "b-bad.md", content)
    write(tmp_path, "c-good.md", GOOD.replace("A good story", "Another good story"))

    out, err, error = run("import", tmp_path)

    assert error == "2 imported, 1 refused"
    assert f"{bad}: {field}: " in err
    assert "imported en/a-good-story (Published)" in out
    assert str(tmp_path / "a-good.md") not in err
    titles = set(Article.objects.values_list("latest_revision__title", flat=True))
    assert titles == {"A good story", "Another good story"}
    assert not Profile.objects.filter(display_name="Refused Author").exists()
    assert not Topic.objects.filter(slug="refused-topic").exists()
    assert Revision.objects.count() == 2


def test_a_file_whose_slug_exists_is_refused_and_the_existing_article_is_left_alone(tmp_path):
    existing = factories.article(title="Night trains are back", body="The original text.")
    bad = write(
        tmp_path,
        "night-trains.md",
        front(
            """
            ---
            title: "Night trains are back"
            author: "Mara Lindqvist"
            language: en
            ---
            A different text that must not replace the original.
            """
        ),
    )
    write(tmp_path, "good.md", GOOD)

    _out, err, error = run("import", tmp_path)

    assert error == "1 imported, 1 refused"
    assert f"{bad}: slug: " in err
    assert "en/night-trains-are-back exists already" in err
    existing.refresh_from_db()
    assert existing.revisions.count() == 1
    assert existing.live_revision.title == "Night trains are back"
    assert existing.live_revision.body == "The original text."
    assert not Profile.objects.filter(display_name="Mara Lindqvist").exists()


def test_two_files_with_the_same_slug_in_one_run_import_only_the_first(tmp_path):
    write(tmp_path, "a.md", GOOD)
    second = write(tmp_path, "b.md", GOOD.replace("The good story", "A second text"))

    _out, err, error = run("import", tmp_path)

    assert error == "1 imported, 1 refused"
    assert f"{second}: slug: " in err
    assert Article.objects.get().live_revision.body.startswith("The good story")


def test_an_import_with_only_good_files_reports_success(tmp_path):
    path = write(tmp_path, "good.md", GOOD)

    out, err, error = run("import", path)

    assert error is None
    assert err == ""
    assert "imported en/a-good-story (Published)" in out
    assert out.strip().endswith("1 imported, 0 refused")


# Exporting


def _translated_pair() -> tuple[Article, Article]:
    science = factories.topic("science", en="Science", de="Wissenschaft")
    original = factories.article(title="Counting birds for science", topics=(science,))
    translation = factories.article(
        title="Vögel zählen für die Wissenschaft",
        language="de",
        topics=(science,),
        translation_of=original,
    )
    return original, translation


def test_export_writes_one_file_per_article_named_language_and_slug(tmp_path):
    original, translation = _translated_pair()
    draft = factories.article(title="Not ready yet", published=False)

    out, err, error = run("export", tmp_path)

    assert error is None, err
    assert "wrote 3 articles" in out
    written = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")}
    assert written == {
        "en",
        "de",
        f"en/{original.slug}.md",
        f"de/{translation.slug}.md",
        f"en/{draft.slug}.md",
    }
    text = (tmp_path / "de" / f"{translation.slug}.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert "title: Vögel zählen für die Wissenschaft" in text
    assert f"translation_of: en/{original.slug}" in text


def test_export_of_one_language_writes_only_that_language(tmp_path):
    _original, translation = _translated_pair()

    out, _err, _error = run("export", tmp_path, "--language", "de")

    assert "wrote 1 articles" in out
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")] == [
        f"de/{translation.slug}.md"
    ]


def _snapshot() -> dict[tuple[str, str], dict]:
    """What readers and editors see of every article, keyed by its address."""
    articles = Article.objects.select_related("author__profile", "latest_revision")
    seen = {}
    for article in articles:
        revision = article.latest_revision
        seen[(article.language, article.slug)] = {
            "title": revision.title,
            "summary": revision.summary,
            "body": revision.body.strip(),
            "topics": sorted(article.topics.values_list("slug", flat=True)),
            "author": article.author.profile.display_name,
            "status": article.status,
            "published_at": article.published_at,
            "translations": sorted(
                Article.objects.filter(translation_group=article.translation_group)
                .exclude(pk=article.pk)
                .values_list("language", "slug")
            ),
        }
    return seen


def test_exported_files_import_into_an_empty_site_as_the_same_articles(tmp_path):
    _translated_pair()
    technology = factories.topic("technology", en="Technology", de="Technologie")
    by = factories.author("Amara Lindqvist")
    factories.article(
        title="Why 'no' means: no — #1 of 3",
        summary="A summary long enough to be folded over several lines by the YAML writer, "
        "with quotes \" and ' and a colon: here.",
        body="A first line.\n\n---\n\nAfter a rule.\n\n- a list\n- of points\n",
        by=by,
        topics=(technology,),
        published_at=datetime.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
    )
    factories.article(title="Ein Entwurf über Wärme", language="de", by=by, published=False)
    german_first = factories.article(title="Ein Nachtrag zu den Vögeln", language="de")
    factories.article(title="An update on the birds", translation_of=german_first)
    before = _snapshot()
    assert len(before) == 6

    run("export", tmp_path)
    # An empty site with the same people and topics: the articles and their revisions go.
    Article.objects.update(live_revision=None, latest_revision=None)
    Revision.objects.all().delete()
    Article.objects.all().delete()
    _out, err, error = run("import", tmp_path)

    assert error is None, err
    assert _snapshot() == before
