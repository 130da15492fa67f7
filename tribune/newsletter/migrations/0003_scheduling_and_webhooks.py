"""Edition scheduling, and bounce events tied to their delivery and provider event.

The bounce events' two indexes are built CONCURRENTLY on PostgreSQL, so that the table
keeps taking bounces while they build (docs/deployment.md, migrations on a live site);
the model state is Django's usual one."""

import django.db.models.deletion
from django.db import migrations, models

from tribune.lib.migration_ops import RunSQLOn

INDEXES = [
    'CREATE INDEX {} "newsletter_bounceevent_delivery_id_e57e669c" '
    'ON "newsletter_bounceevent" ("delivery_id")',
    'CREATE UNIQUE INDEX {} "one_bounce_per_provider_event" '
    """ON "newsletter_bounceevent" ("event_id") WHERE NOT ("event_id" = '')""",
]
DROP = [
    'DROP INDEX {} "newsletter_bounceevent_delivery_id_e57e669c"',
    'DROP INDEX {} "one_bounce_per_provider_event"',
]


def delivery(db_index: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        null=True,
        db_index=db_index,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="bounces",
        to="newsletter.delivery",
    )


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("newsletter", "0002_editor_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="bounceevent",
            name="event_id",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="bounceevent", name="delivery", field=delivery(True)
                ),
                migrations.AddConstraint(
                    model_name="bounceevent",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("event_id", ""), _negated=True),
                        fields=("event_id",),
                        name="one_bounce_per_provider_event",
                    ),
                ),
            ],
            database_operations=[
                migrations.AddField(
                    model_name="bounceevent", name="delivery", field=delivery(False)
                ),
                RunSQLOn(
                    "postgresql",
                    [sql.format("CONCURRENTLY") for sql in INDEXES],
                    [sql.format("CONCURRENTLY") for sql in DROP],
                ),
                RunSQLOn(
                    "sqlite",
                    [sql.format("") for sql in INDEXES],
                    [sql.format("") for sql in DROP],
                ),
            ],
        ),
        migrations.AddField(
            model_name="edition",
            name="send_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="send at"),
        ),
        migrations.AlterField(
            model_name="edition",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("scheduled", "Scheduled"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                ],
                default="draft",
                max_length=10,
            ),
        ),
    ]
