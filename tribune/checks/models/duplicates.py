"""The near-duplicate index, as kept in the database (tribune.checks.dupindex.database).

One DuplicateEntry per indexed article: which revision's text is indexed (the live one of
a public article, the submitted one of a pending article), its MinHash signature and the
sizes the check needs to estimate overlap without reading the text. DuplicateBucket rows
are the LSH buckets: one per band of the signature, so that finding candidates is one
indexed lookup of 64 keys. Everything here is derived from articles and can be rebuilt at
any time with `tribune rebuild_duplicate_index`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DuplicateBucket", "DuplicateEntry"]


class DuplicateEntry(models.Model):
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    revision = models.ForeignKey("articles.Revision", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    translation_group = models.UUIDField()
    # "published" or "pending" (an open submission or an approved, scheduled article).
    state = models.CharField(max_length=12)
    words = models.PositiveIntegerField()
    shingles = models.PositiveIntegerField()
    signature = models.BinaryField()
    # The shingling and hashing parameters the entry was made with (dupindex.text.VERSION).
    version = models.CharField(max_length=60)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("duplicate index entry")
        verbose_name_plural = _("duplicate index entries")

    def __str__(self) -> str:
        return f"article {self.article_id}, revision {self.revision_id}"


class DuplicateBucket(models.Model):
    key = models.BigIntegerField()
    entry = models.ForeignKey(DuplicateEntry, on_delete=models.CASCADE, related_name="buckets")

    class Meta:
        constraints = [
            # Also the index the lookup uses (key first, entry from the index alone).
            models.UniqueConstraint(fields=["key", "entry"], name="duplicate_bucket_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.entry_id}"
