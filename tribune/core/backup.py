"""Backups: the whole site (database rows and files) in one portable archive, and back.

An archive is a gzipped tar file:

- `manifest.json`: format version, Tribune version, creation time, database engine, the
  applied migrations, rows and a content hash per model, and the size and SHA-256 of every
  other member;
- `db/<app>.<model>.jsonl`: one JSON object per row, keyed by column (attname), in primary
  key order; the same lines on SQLite and PostgreSQL, so that a backup moves a site from one
  to the other;
- `media/...` and `private/...`: the files of MEDIA_ROOT (covers, uploads) and of the
  private folder (appeal attachments).

Every model of every installed app is backed up, found through the app registry, so that
a new model needs no change here; SKIPPED names the few left out, and why. Rows keep their
primary keys, so foreign keys need no remapping. The rows that `tribune migrate` itself
creates on every install (SEEDED: content types, permissions, groups) are replaced by the
backup's on restore, ids included. Django's own serializers are not used: their JSON
encoder drops microseconds, and they read many-to-many fields with a query per row
(here the through tables are models of their own, read in one pass).

Used by the `tribune backup` and `tribune restore` commands (tribune/core/management).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

FORMAT = "tribune-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows read per round trip while dumping, and written per INSERT while restoring.
CHUNK = 2000
BATCH = 500

# Left out on purpose. Sessions are sign-ins, signed with the old site's SECRET_KEY, and
# worth nothing elsewhere (readers sign in again); the task queue holds work about the
# old site's state, and everything it would compute is restored or rebuilt (see restore).
SKIPPED = {
    "sessions.session": "sign-ins; readers sign in again",
    "django_tasks_db.dbtaskresult": "the task queue; derived data is rebuilt on restore",
}
# Created by `tribune migrate` on every install (contenttypes and auth on migrate, the
# roles by accounts/notices/newsletter migrations). A restore deletes them and loads the
# backup's rows with their ids, so that every reference to them stays valid as it is.
SEEDED = ("auth.group_permissions", "auth.group", "auth.permission", "contenttypes.contenttype")

Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator."""


# --- What is backed up, and how a row is written ---------------------------------------


def label(model: type[models.Model]) -> str:
    """`app.model` in lower case; auto-created through tables as `auth.group_permissions`."""
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, but SKIPPED, sorted by label.

    A model this code cannot copy faithfully is refused here, loudly, rather than left out:
    the tests call this, so a future model of that kind fails them."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or label(model) in SKIPPED:
            continue
        if meta.parents:
            raise BackupError(
                f"{label(model)} uses multi-table inheritance, which backups do not support."
            )
        chosen.append(model)
    return sorted(chosen, key=label)


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _encode(value: Any) -> Any:
    """A column's value as JSON, the same on every database (full precision times)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _rows(model: type[models.Model]) -> Iterator[bytes]:
    """The model's rows as JSON lines in primary key order, streamed in chunks."""
    columns = _columns(model)
    names = [f.attname for f in columns]
    json_columns = {f.attname for f in columns if isinstance(f, models.JSONField)}
    query = model._base_manager.order_by("pk").values_list(*names)
    for values in query.iterator(chunk_size=CHUNK):
        row = {
            name: value if name in json_columns else _encode(value)
            for name, value in zip(names, values, strict=True)
        }
        yield _dumps(row)


def _dumps(row: dict) -> bytes:
    # sort_keys: PostgreSQL's jsonb gives objects back in its own key order.
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode() + b"\n"


def content_hash(hashes: dict[str, str]) -> str:
    """One hash over the per-model hashes: equal when every row of every model is."""
    digest = hashlib.sha256()
    for name in sorted(hashes):
        digest.update(f"{name} {hashes[name]}\n".encode())
    return digest.hexdigest()


def database_hashes(progress: Progress | None = None) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256 of the rows' lines) per backed-up model, read from the database now."""
    result = {}
    chosen = backed_up_models()
    for done, model in enumerate(chosen, 1):
        digest, count = hashlib.sha256(), 0
        for line in _rows(model):
            digest.update(line)
            count += 1
        result[label(model)] = (count, digest.hexdigest())
        if progress:
            progress("check", done, len(chosen))
    return result


def database_content_hash() -> str:
    """The content hash of this database (`tribune backup --hash`)."""
    with _snapshot():
        hashes = database_hashes()
    return content_hash({name: digest for name, (_count, digest) in hashes.items()})


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every read inside sees the database at one moment, while the site keeps writing.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: one deferred read
    transaction (WAL keeps its snapshot without blocking writers); Django's atomic() would
    say BEGIN IMMEDIATE here (settings) and hold the write lock for the whole backup.
    Inside a caller's transaction (tests), that transaction is the snapshot."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            # The snapshot starts with the first read; take it now.
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            yield
        finally:
            cursor.execute("ROLLBACK")


def _applied_migrations() -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _tribune_version() -> str:
    try:
        return version("tribune")
    except PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


def _key_fingerprint() -> str:
    # Newsletter suppressions and consent records are keyed hashes made with SECRET_KEY:
    # a restore under another key keeps them but can no longer match addresses to them.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"tribune-backup", hashlib.sha256).hexdigest()[:16]


def file_roots() -> dict[str, Path]:
    """The folders whose files a backup holds, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.DATA_DIR) / "private"}


# --- Writing an archive -------------------------------------------------------------------


@dataclass
class _Member:
    name: str
    size: int = 0
    sha256: str = ""


def _add_file(archive: tarfile.TarFile, name: str, source: Path, mtime: float) -> _Member:
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    with source.open("rb") as stream:
        archive.addfile(info, stream)
    return _Member(name, size, digest.hexdigest())


def _dump_model(
    model: type[models.Model], archive: tarfile.TarFile, scratch: Path, now: float
) -> tuple[_Member, int, str]:
    """One model's rows into the archive: spooled to a scratch file first, since a tar
    member's size comes before its bytes; memory stays flat whatever the table's size."""
    digest, count = hashlib.sha256(), 0
    path = scratch / f"{label(model)}.jsonl"
    with path.open("wb") as out:
        for line in _rows(model):
            out.write(line)
            digest.update(line)
            count += 1
    member = _add_file(archive, f"db/{label(model)}.jsonl", path, now)
    path.unlink()
    return member, count, digest.hexdigest()


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for folder, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def create_backup(destination: Path, progress: Progress | None = None) -> dict:
    """Write the archive to `destination` (through a `.partial` file renamed at the end, so
    that a failed backup never looks like a finished one) and return its manifest.

    The database is read in one snapshot; files are copied after it, so every file the
    snapshot names is there unless it was deleted meanwhile."""
    progress = progress or (lambda phase, done, total: None)
    partial = destination.with_name(destination.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tribune_version": _tribune_version(),
        "created_at": timezone.now().isoformat(),
        "database_engine": connection.vendor,
        "secret_key_fingerprint": _key_fingerprint(),
        "skipped": SKIPPED,
        "models": {},
        "files": {},
    }
    now = timezone.now().timestamp()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="tribune-backup-") as scratch,
            tarfile.open(partial, "w:gz", compresslevel=6) as archive,
        ):
            _write_database(archive, Path(scratch), manifest, now, progress)
            _write_files(archive, manifest, progress)
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now), 0o644
            archive.addfile(info, io.BytesIO(data))
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _write_database(
    archive: tarfile.TarFile, scratch: Path, manifest: dict, now: float, progress: Progress
) -> None:
    chosen = backed_up_models()
    with _snapshot():
        manifest["migrations"] = _applied_migrations()
        for done, model in enumerate(chosen, 1):
            member, count, digest = _dump_model(model, archive, scratch, now)
            manifest["files"][member.name] = {"size": member.size, "sha256": member.sha256}
            manifest["models"][label(model)] = {"rows": count, "sha256": digest}
            progress("rows", done, len(chosen))
    hashes = {name: entry["sha256"] for name, entry in manifest["models"].items()}
    manifest["content_hash"] = content_hash(hashes)


def _write_files(archive: tarfile.TarFile, manifest: dict, progress: Progress) -> None:
    found = [
        (f"{prefix}/{relative}", path)
        for prefix, root in file_roots().items()
        for relative, path in _walk(root)
    ]
    for done, (name, path) in enumerate(found, 1):
        with suppress(FileNotFoundError):  # deleted since the walk: not part of the site
            member = _add_file(archive, name, path, path.stat().st_mtime)
            manifest["files"][name] = {"size": member.size, "sha256": member.sha256}
        progress("files", done, len(found))


# --- Reading and checking an archive -------------------------------------------------------


@dataclass
class Unpacked:
    """A verified archive, unpacked into a scratch folder beside the data folder."""

    folder: Path
    manifest: dict
    rows: dict[str, int] = field(default_factory=dict)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and (path.parts[0] in {"db", "media", "private"} or name == MANIFEST)
    )


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        stream = archive.extractfile(member)
        manifest = json.load(stream) if stream else None
    except KeyError:
        raise BackupError("This is not a Tribune backup: it has no manifest.json.") from None
    except ValueError as error:
        raise BackupError(f"The backup's manifest is damaged: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a Tribune backup: its manifest says otherwise.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')}; this Tribune "
            f"reads version {FORMAT_VERSION}. Restore it with the Tribune that made it."
        )
    return manifest


def unpack(path: Path, into: Path) -> Unpacked:
    """Unpack and verify every member against the manifest's sizes and checksums; a
    damaged, truncated or altered archive raises BackupError (nothing outside `into` is
    touched)."""
    expected: dict = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive)
            expected = dict(manifest.get("files", {}))
            for member in archive:
                if member.name == MANIFEST:
                    continue
                _unpack_member(archive, member, expected, into)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(
            f"The backup cannot be read ({error}); it is damaged or cut short."
        ) from None
    if expected:
        missing = ", ".join(sorted(expected)[:5])
        raise BackupError(f"The backup is incomplete: {len(expected)} files missing ({missing}).")
    return Unpacked(into, manifest)


def _unpack_member(
    archive: tarfile.TarFile, member: tarfile.TarInfo, expected: dict, into: Path
) -> None:
    if not member.isfile() or not _safe_name(member.name) or member.name not in expected:
        raise BackupError(f"The backup holds {member.name!r}, which its manifest does not list.")
    wanted = expected.pop(member.name)
    target = into / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    source = archive.extractfile(member)
    with target.open("wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
    if size != wanted.get("size") or digest.hexdigest() != wanted.get("sha256"):
        raise BackupError(
            f"{member.name} in the backup does not match its checksum: the archive was "
            "damaged or changed after it was made."
        )


# --- Restoring ------------------------------------------------------------------------------


def _check_compatible(manifest: dict) -> None:
    theirs, ours = set(manifest.get("migrations", [])), set(_applied_migrations())
    if theirs != ours:
        newer = sorted(theirs - ours)[:5]
        older = sorted(ours - theirs)[:5]
        raise BackupError(
            "The backup was made with a different database schema than this install has. "
            f"Only in the backup: {', '.join(newer) or 'none'}; only here: "
            f"{', '.join(older) or 'none'}. Run `tribune migrate` with the Tribune version "
            f"that made it ({manifest.get('tribune_version')}), restore, then upgrade."
        )
    known = {label(model) for model in backed_up_models()}
    unknown = sorted(set(manifest["models"]) - known)
    if unknown:
        raise BackupError(f"The backup holds tables this install does not have: {unknown}.")
    missing = sorted(n for n in manifest["models"] if f"db/{n}.jsonl" not in manifest["files"])
    if missing:
        raise BackupError(f"The backup's manifest lists tables without their rows: {missing}.")


def existing_content() -> dict[str, int]:
    """Rows per model already in this database, the rows `migrate` makes aside."""
    found = {}
    for model in backed_up_models():
        if label(model) not in SEEDED and model._base_manager.exists():
            found[label(model)] = model._base_manager.count()
    return found


def _refuse_if_not_empty() -> None:
    found = existing_content()
    if found:
        listed = ", ".join(f"{rows} {name}" for name, rows in sorted(found.items())[:8])
        raise BackupError(
            "This database has content already (" + listed + "). Restore into an empty "
            "install: a new database, then `tribune migrate`, then `tribune restore`."
        )


def _delete_seeded() -> None:
    # Raw deletes, no cascade: the tables that point at these rows are empty (checked),
    # and the constraints are checked once the backup's rows are in.
    by_label = {label(model): model for model in backed_up_models()}
    with connection.cursor() as cursor:
        for name in SEEDED:
            if name in by_label:
                table = connection.ops.quote_name(by_label[name]._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a table name we quoted


def _load_model(model: type[models.Model], source: Path) -> int:
    columns = _columns(model)
    by_name = {f.attname: f for f in columns}
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(columns, [None] * BATCH)))
    batch: list[models.Model] = []
    count = 0
    with source.open("rb") as stream:
        for line in stream:
            row = json.loads(line)
            if not row.keys() <= by_name.keys():
                raise BackupError(f"{label(model)}: the backup has unknown columns {list(row)}.")
            values = {
                name: value if isinstance(by_name[name], models.JSONField) else
                by_name[name].to_python(value)
                for name, value in row.items()
            }  # fmt: skip
            # Only the insert reads these objects, attribute by attribute: skip __init__.
            instance = model.__new__(model)
            instance.__dict__.update(values)
            batch.append(instance)
            if len(batch) >= size:
                count += _insert(model, columns, batch)
                batch = []
    if batch:
        count += _insert(model, columns, batch)
    return count


def _insert(model: type[models.Model], columns: list[models.Field], rows: list) -> int:
    # A raw insert, as Django's save() makes for fixtures: values go in as they are, where
    # bulk_create would stamp auto_now/auto_now_add fields with the time of the restore.
    model._base_manager._insert(rows, fields=columns, raw=True)
    return len(rows)


def _load_database(unpacked: Unpacked, progress: Progress) -> None:
    chosen = [m for m in backed_up_models() if label(m) in unpacked.manifest["models"]]
    for done, model in enumerate(chosen, 1):
        source = unpacked.folder / "db" / f"{label(model)}.jsonl"
        unpacked.rows[label(model)] = _load_model(model, source)
        progress("rows", done, len(chosen))
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), chosen):
            cursor.execute(statement)
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in chosen])
    except DatabaseError as error:
        raise BackupError(f"The backup's rows do not fit together: {error}") from None


def _verify_database(manifest: dict, progress: Progress) -> None:
    for name, (count, digest) in database_hashes(progress).items():
        wanted = manifest["models"].get(name)
        if wanted is None and count == 0:
            continue
        if wanted is None or (count, digest) != (wanted["rows"], wanted["sha256"]):
            raise BackupError(
                f"After loading, {name} does not match the backup ({count} rows); "
                "nothing was restored."
            )


def _move_files(unpacked: Unpacked) -> int:
    moved = 0
    for prefix, root in file_roots().items():
        for relative, path in _walk(unpacked.folder / prefix):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(path, target)
            except OSError:  # another filesystem: copy instead of rename
                shutil.copy2(path, target)
            moved += 1
    return moved


@dataclass
class Restored:
    manifest: dict
    rows: dict[str, int]
    files: int
    warnings: list[str]


def restore_backup(path: Path, progress: Progress | None = None) -> Restored:
    """Restore an archive into this (empty, migrated) install.

    Checks everything before writing anything: the archive's checksums, the schema (the
    same migrations), and that this database holds no content. Then, in one transaction:
    replaces the rows `migrate` made with the backup's, loads every row with its primary
    key, resets PostgreSQL's sequences, checks the foreign keys, compares every table's
    content hash with the backup's, and moves the files into place; a failure anywhere
    rolls the database back. Afterwards derived data outside the models (the search index,
    a Redis duplicate index) is rebuilt and the page cache invalidated."""
    progress = progress or (lambda phase, done, total: None)
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as scratch:
        unpacked = unpack(path, Path(scratch))
        manifest = unpacked.manifest
        _check_compatible(manifest)
        with transaction.atomic():
            _refuse_if_not_empty()
            _delete_seeded()
            _load_database(unpacked, progress)
            _verify_database(manifest, progress)
            files = _move_files(unpacked)
    warnings = []
    try:
        _after_restore(progress)
    except Exception as error:  # the content is committed already: say what to run again
        warnings.append(
            f"The content is restored, but rebuilding derived data failed ({error}). Run "
            "`tribune rebuild_search_index` and `tribune rebuild_duplicate_index`."
        )
    if manifest.get("secret_key_fingerprint") != _key_fingerprint():
        warnings.append(
            "This site's SECRET_KEY differs from the one the backup was made with: "
            "newsletter suppressions will not match addresses, and sign-in and "
            "confirmation links mailed before will not work. Set the old SECRET_KEY."
        )
    return Restored(manifest, unpacked.rows, files, warnings)


def _after_restore(progress: Progress) -> None:
    """Derived data that is not in the models, and caches of the old state."""
    from django.contrib.contenttypes.models import ContentType

    from tribune.checks import dupindex
    from tribune.core.pagecache import invalidate_pages

    ContentType.objects.clear_cache()
    # The search index lives in engine-specific tables (FTS5 or tsvector), not in models.
    progress("index", 0, 1)
    call_command("rebuild_search_index", stdout=io.StringIO())
    progress("index", 1, 1)
    # The duplicate index is restored with the rows when it lives in the database; one in
    # Redis (or any other place) is rebuilt when it does not hold what it should.
    if len(dupindex.backend().article_ids()) != dupindex.wanted_count():
        dupindex.rebuild(lambda done, total: progress("dupes", done, total))
    invalidate_pages()
