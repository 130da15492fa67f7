import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("checks", "0002_check_runs"),
    ]

    operations = [
        migrations.CreateModel(
            name="DuplicateEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("language", models.CharField(max_length=8)),
                ("translation_group", models.UUIDField()),
                ("state", models.CharField(max_length=12)),
                ("words", models.PositiveIntegerField()),
                ("shingles", models.PositiveIntegerField()),
                ("signature", models.BinaryField()),
                ("version", models.CharField(max_length=60)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.revision",
                    ),
                ),
            ],
            options={
                "verbose_name": "duplicate index entry",
                "verbose_name_plural": "duplicate index entries",
            },
        ),
        migrations.CreateModel(
            name="DuplicateBucket",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.BigIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="buckets",
                        to="checks.duplicateentry",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "entry"), name="duplicate_bucket_once"
                    )
                ],
            },
        ),
    ]
