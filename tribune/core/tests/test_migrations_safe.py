"""Migrations must be safe to run while the site serves readers (docs/deployment.md): on
PostgreSQL, no statement that rewrites an existing table or blocks its writes while it scans
it. Checked on the SQL each migration really runs, as `sqlmigrate` prints it."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the locks in question are PostgreSQL's"
    ),
]

# Statements that lock an existing table against writes for as long as they scan it.
RISKY = {
    "an index built without CONCURRENTLY": re.compile(
        r'^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)(IF NOT EXISTS )?"?\w+"? ON "?(?P<table>\w+)"?'
    ),
    "a column type change (rewrites the table)": re.compile(
        r'^ALTER TABLE "?(?P<table>\w+)"? ALTER COLUMN "?\w+"? (SET DATA )?TYPE'
    ),
    "a constraint validated in place (use NOT VALID, then VALIDATE)": re.compile(
        r'^ALTER TABLE "?(?P<table>\w+)"? ADD CONSTRAINT '
        r".*(FOREIGN KEY|CHECK|UNIQUE)(?!.*NOT VALID)"
    ),
}

# The tables that grow with a site's life; a lock on these is felt by readers and writers.
GROWING = re.compile(
    r"^(articles_|submissions_|checks_|discovery_|newsletter_|api_|core_auditentry"
    r"|notices_notice|auth_user|accounts_profile)"
)

# Migrations that ran before Tribune's first release, when no live site had rows in these
# tables. New migrations get no such pass.
BEFORE_FIRST_RELEASE = {("discovery", "0003_search_recency")}


def _risky_statements(executor, migration) -> list[str]:
    statements = executor.loader.collect_sql([(migration, False)])
    created = {
        found.group(1)
        for sql in statements
        if (found := re.match(r'^CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?"?(\w+)"?', sql))
    }
    problems = []
    for sql in statements:
        for what, pattern in RISKY.items():
            found = pattern.match(sql)
            table = found.group("table") if found else ""
            if found and table not in created and GROWING.match(table):
                problems.append(f"{what}: {sql[:160]}")
    return problems


def test_every_migration_is_safe_on_a_live_postgresql_site():
    executor = MigrationExecutor(connection)
    unsafe = {}
    for (app, name), migration in executor.loader.disk_migrations.items():
        if not type(migration).__module__.startswith("tribune."):
            continue
        problems = _risky_statements(executor, migration)
        if problems and (app, name) not in BEFORE_FIRST_RELEASE:
            unsafe[f"{app}.{name}"] = problems
    assert not unsafe, unsafe
