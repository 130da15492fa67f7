"""`tribune backup` and `tribune restore`: a site with content survives the round trip with
identical content (a hash over every row of every model), on SQLite and into PostgreSQL;
damaged archives and non-empty databases are refused with nothing written."""

import datetime
import decimal
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from tribune.api.actions import create_token
from tribune.articles import actions as articles
from tribune.core import backup
from tribune.covers.models import Cover
from tribune.discovery import search
from tribune.newsletter.actions import request_subscription
from tribune.notices.attachments import private_storage
from tribune.submissions.actions import current_guidelines_version, save_draft, submit_article
from tribune.testing import factories
from tribune.testing.throwaway import postgres_server

pytestmark = pytest.mark.django_db


def tribune_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("tribune.") and not model._meta.proxy
    ]


# --- A site with content ----------------------------------------------------------------


def _value(field: models.Field) -> object:
    """A plausible value for a column, by its type (for models no factory fills)."""
    if field.choices:
        return field.choices[0][0]
    by_type = [
        (models.EmailField, "someone@example.org"),
        (models.SlugField, "a-slug"),
        (models.URLField, "https://example.org/page"),
        (models.GenericIPAddressField, "192.0.2.1"),
        (models.FileField, "appeals/2026/11/letter.pdf"),
        (models.JSONField, {"filled": [1, 2.5, "drei"]}),
        (models.UUIDField, uuid.uuid4()),
        (models.DateTimeField, timezone.now()),
        (models.DateField, datetime.date(2026, 11, 26)),
        (models.TimeField, datetime.time(12, 30, 15, 250000)),
        (models.DurationField, datetime.timedelta(days=2, microseconds=7)),
        (models.DecimalField, decimal.Decimal("1.5")),
        (models.BinaryField, b"\x00\xffbytes"),
        (models.BooleanField, True),
        (models.FloatField, 0.1 + 0.2),
        (models.IntegerField, 7),
        (models.TextField, "Text with ümlauts and\na second line."),
        (models.CharField, "chars ß"),
    ]
    for kind, value in by_type:
        if isinstance(field, kind):
            if isinstance(value, str) and getattr(field, "max_length", None):
                return value[: field.max_length]
            return value
    raise AssertionError(f"no test value for {field.__class__.__name__} {field}")


def _fill(model: type[models.Model], making: frozenset = frozenset()) -> None:
    """Make one row of an empty model, with every column set where its constraints allow,
    pointing at existing rows (made first when there are none)."""
    if model._base_manager.exists():
        return
    assert model not in making, f"cannot fill {backup.label(model)}: a cycle of required keys"
    columns = [f for f in model._meta.local_concrete_fields if not f.primary_key or f.is_relation]
    related = {}
    for column in columns:
        if column.is_relation:
            target = column.related_model
            if not target._base_manager.exists():
                if column.null and (target in making or target is model):
                    continue
                _fill(target, making | {model})
            related[column.name] = target._base_manager.order_by("pk").first()
    nullable_keys = [f for f in columns if f.is_relation and f.null and f.name in related]
    # All columns first; then without nullable keys but one (check constraints such as
    # "against a decision or a suspension"), then without any.
    attempts = [set()] + [{f.name for f in nullable_keys} - {f.name} for f in nullable_keys]
    attempts.append({f.name for f in nullable_keys})
    for left_out in attempts:
        values = {
            f.name: related[f.name] if f.is_relation else _value(f)
            for f in columns
            if f.name not in left_out and (not f.is_relation or f.name in related)
        }
        try:
            with transaction.atomic():
                model._base_manager.bulk_create([model(**values)])
            return
        except IntegrityError:
            continue
    raise AssertionError(f"could not make a row of {backup.label(model)} for the backup test")


@pytest.fixture
def site(committed, settings):
    """Articles with revisions, topics with names, a translation, a draft, a submission,
    covers with their files, a subscriber, an API token, an appeal attachment, and one row
    of every other model (so that each of them is proven to round-trip)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    editor = factories.editor()
    climate = factories.topic("climate", en="Climate", de="Klima")
    writer = factories.author("Mara Lindqvist", en="Writes about trains.", de="Schreibt.")
    with committed():
        original = factories.article(title="Night trains are back", by=writer, topics=[climate])
        factories.article(
            title="Nachtzüge sind zurück", language="de", by=writer, translation_of=original
        )
        articles.revise_article(editor, original, title="Night trains are back!", body="Edited.")
        articles.publish_article(editor, original)
        draft = save_draft(
            writer, None, title="A draft about buses", body="Buses, mostly.", language="en"
        )
        submit_article(writer, draft, accepted_guidelines=current_guidelines_version("en"))
    request_subscription(
        email="reader@example.org",
        topics=[climate],
        frequency="weekly",
        language="en",
        form="article",
        consent_text="Yes, send me the newsletter.",
    )
    create_token(writer, name="my tool", scopes=["articles:read-own"])
    private_storage().save("appeals/2026/11/letter.pdf", ContentFile(b"%PDF-1.4 a letter"))
    for model in backup.backed_up_models():
        _fill(model)
    return original


def _empty_the_database() -> None:
    """What a new install holds: only the rows `migrate` makes, here with other ids and
    names than the backup's (restore must replace them)."""
    for model in reversed(backup.backed_up_models()):
        if backup.label(model) not in backup.SEEDED:
            model._base_manager.all()._raw_delete(connection.alias)
    search.update_index(search.backend().indexed_ids())  # drops what is gone
    for group in Group.objects.all():
        Group.objects.filter(pk=group.pk).update(name=f"{group.name} (new install)")


def _cover_files(article) -> list[Path]:
    files = Cover.objects.get(article=article).files
    names = [name for _width, name in files["webp"] + files["jpeg"]] + [files["social"]]
    return [Path(settings.MEDIA_ROOT) / name for name in names]


def _backup(path: Path) -> dict:
    call_command("backup", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


# --- Tests ---------------------------------------------------------------------------------


def test_every_model_of_every_tribune_app_is_backed_up(site):
    backed_up = {backup.label(model) for model in backup.backed_up_models()}
    for model in tribune_models():
        assert backup.label(model) in backed_up
        assert model._base_manager.exists(), f"the test site has no {backup.label(model)}"


def test_a_restore_into_an_empty_install_gives_identical_content(site, tmp_path, client):
    before = backup.database_hashes()
    manifest = _backup(tmp_path / "site.tar.gz")
    assert manifest["content_hash"] == backup.content_hash({k: v[1] for k, v in before.items()})
    assert manifest["models"]["articles.article"]["rows"] == 3
    assert "private/appeals/2026/11/letter.pdf" in manifest["files"]
    covers = _cover_files(site)
    for path in covers:
        path.unlink()
    _empty_the_database()
    assert backup.database_hashes() != before
    assert not search.backend().indexed_ids()

    out = io.StringIO()
    call_command("restore", str(tmp_path / "site.tar.gz"), stdout=out, stderr=io.StringIO())

    assert backup.database_hashes() == before
    assert "Restored" in out.getvalue()
    assert all(path.exists() for path in covers)
    page = client.get(site.get_absolute_url(), HTTP_COOKIE="sessionid=x")
    assert page.status_code == 200
    assert "Night trains are back!" in page.content.decode()
    # The search index is not a model: restore rebuilt it.
    searchable = set(search.searchable_articles().values_list("pk", flat=True))
    assert searchable
    assert search.backend().indexed_ids() == searchable


def test_backup_hash_prints_the_content_hash_of_the_database(site, tmp_path):
    manifest = _backup(tmp_path / "site.tar.gz")
    out = io.StringIO()
    call_command("backup", hash=True, stdout=out)
    assert out.getvalue().strip() == manifest["content_hash"]


def test_restore_refuses_a_database_that_has_content(site, tmp_path):
    _backup(tmp_path / "site.tar.gz")
    before = backup.database_hashes()
    with pytest.raises(CommandError, match="has content already"):
        call_command("restore", str(tmp_path / "site.tar.gz"), stderr=io.StringIO())
    assert backup.database_hashes() == before


def _rewrite(source: Path, target: Path, change) -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def test_restore_refuses_an_altered_archive_and_writes_nothing(site, tmp_path):
    _backup(tmp_path / "site.tar.gz")
    _rewrite(
        tmp_path / "site.tar.gz",
        tmp_path / "altered.tar.gz",
        lambda name, data: (
            data.replace(b"Night trains", b"Night buses")
            if name == "db/articles.revision.jsonl"
            else data
        ),
    )
    _empty_the_database()
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path / "altered.tar.gz"), stderr=io.StringIO())
    assert backup.existing_content() == {}


def test_restore_refuses_a_truncated_archive(site, tmp_path):
    _backup(tmp_path / "site.tar.gz")
    data = (tmp_path / "site.tar.gz").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    _empty_the_database()
    with pytest.raises(CommandError, match="damaged or cut short"):
        call_command("restore", str(tmp_path / "cut.tar.gz"), stderr=io.StringIO())
    assert backup.existing_content() == {}


def test_restore_refuses_an_archive_with_files_its_manifest_does_not_list(site, tmp_path):
    _backup(tmp_path / "site.tar.gz")
    with (
        tarfile.open(tmp_path / "site.tar.gz") as old,
        tarfile.open(tmp_path / "extra.tar.gz", "w:gz") as new,
    ):
        for member in old:
            new.addfile(member, old.extractfile(member))
        extra = tarfile.TarInfo("media/../../outside.txt")
        extra.size = 4
        new.addfile(extra, io.BytesIO(b"evil"))
    _empty_the_database()
    with pytest.raises(CommandError, match="does not list"):
        call_command("restore", str(tmp_path / "extra.tar.gz"), stderr=io.StringIO())
    assert not (Path(settings.DATA_DIR).parent / "outside.txt").exists()


def test_restore_refuses_a_backup_of_another_schema(site, tmp_path):
    _backup(tmp_path / "site.tar.gz")
    _rewrite(
        tmp_path / "site.tar.gz",
        tmp_path / "old.tar.gz",
        lambda name, data: _drop_a_migration(data) if name == "manifest.json" else data,
    )
    _empty_the_database()
    with pytest.raises(CommandError, match="different database schema"):
        call_command("restore", str(tmp_path / "old.tar.gz"), stderr=io.StringIO())


def _drop_a_migration(data: bytes) -> bytes:
    manifest = json.loads(data)
    manifest["migrations"].remove("accounts.0003_editor_alerts")
    return json.dumps(manifest).encode()


def _tribune(env: dict, *arguments: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", "tribune", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


# Runs in a process of its own, on a migrated database: while the backup is being written
# (after its first table), another connection commits a new topic.
SNAPSHOT_SCRIPT = """
import os, sys, tarfile, json
import django
django.setup()
from django.db import connection
from tribune.articles.models import Topic
from tribune.core import backup

def publish_meanwhile(phase, done, total):
    if phase == "rows" and done == 1:
        if connection.vendor == "sqlite":
            import sqlite3
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=5)
        else:
            import psycopg
            other = psycopg.connect(os.environ["DATABASE_URL"])
        other.execute("INSERT INTO articles_topic (slug, name) VALUES ('late', 'Late')")
        other.commit()
        other.close()

manifest = backup.create_backup(backup.Path(sys.argv[1]), publish_meanwhile)
print(manifest["models"]["articles.topic"]["rows"], Topic.objects.count())
"""


def _environment(**values: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return env | {"DJANGO_SETTINGS_MODULE": "tribune.testing.settings"} | values


def test_a_backup_reads_one_snapshot_while_the_site_writes_on_sqlite(tmp_path):
    env = _environment(TRIBUNE_DATA_DIR=str(tmp_path / "site"))
    _tribune(env, "migrate", "--noinput")
    # The write was not blocked, and the backup does not see it.
    assert _backup_while_writing(env, tmp_path / "site.tar.gz") == (0, 1)


def _backup_while_writing(env: dict, archive: Path) -> tuple[int, int]:
    """(topics in the backup, topics in the database after it)."""
    finished = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_SCRIPT, str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    backed_up, after = finished.stdout.split()
    return int(backed_up), int(after)


def test_a_site_moves_from_sqlite_to_postgresql_with_identical_content(site, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("moves a site from SQLite; the SQLite run of the suite does it")
    manifest = _backup(tmp_path / "site.tar.gz")
    covers = [path.relative_to(settings.MEDIA_ROOT) for path in _cover_files(site)]
    with postgres_server() as database:
        target = tmp_path / "target"
        env = _environment(
            DATABASE_URL=database.url,
            TRIBUNE_DATA_DIR=str(target),
            SECRET_KEY=settings.SECRET_KEY,
        )
        _tribune(env, "migrate", "--noinput")
        restored = _tribune(env, "restore", str(tmp_path / "site.tar.gz"))
        content_hash = _tribune(env, "backup", "--hash").strip()
        # New rows get fresh ids: the sequences were moved past the restored ones.
        env["DJANGO_SUPERUSER_PASSWORD"] = "a-new-password"
        _tribune(env, "createsuperuser", "--noinput", "--username=new", "--email=n@example.org")
        # On PostgreSQL too, a backup reads one snapshot while the site writes.
        topics = manifest["models"]["articles.topic"]["rows"]
        assert _backup_while_writing(env, tmp_path / "again.tar.gz") == (topics, topics + 1)

    assert "Restored" in restored
    assert content_hash == manifest["content_hash"]
    assert all((target / "media" / name).exists() for name in covers)
    assert (target / "private/appeals/2026/11/letter.pdf").read_bytes() == b"%PDF-1.4 a letter"
