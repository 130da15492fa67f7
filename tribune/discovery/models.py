from django.db import models

from tribune.articles.models import Article


class RelatedArticle(models.Model):
    """One entry of an article's stored "You might also like" list, best first.

    Computed by a task when articles are published, edited or removed; the article page
    reads the list with one query.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_rank_unique"),
            models.UniqueConstraint(fields=["article", "related"], name="related_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} -> {self.related_id} ({self.score:.3f})"


# The index behind the TF-IDF related-articles engine (backends/related_tfidf.py). It lives
# in the database so that every web and task process, on every machine, sees the same index,
# changes are transactional, and nothing needs loading at start-up.


class RelatedTerm(models.Model):
    """A word stem and the number of indexed articles whose text contains it."""

    text = models.CharField(max_length=64, unique=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.text} ({self.documents})"


class RelatedDocument(models.Model):
    """An article in the related-articles index: the revision whose words were counted and
    its strongest terms as {term id: weight} (unit length), for exact re-scoring."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    revision = models.ForeignKey("articles.Revision", on_delete=models.CASCADE, related_name="+")
    vector = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.article_id} (revision {self.revision_id})"


class RelatedPosting(models.Model):
    """One of a document's strongest terms: the inverted index that finds candidates."""

    term = models.ForeignKey(
        RelatedTerm, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    document = models.ForeignKey(RelatedDocument, on_delete=models.CASCADE, related_name="postings")
    weight = models.FloatField()

    class Meta:
        # Covering, in the order the candidate query reads it: a term's heaviest postings first.
        indexes = [
            models.Index(fields=["term", "-weight", "document"], name="related_posting_term")
        ]

    def __str__(self) -> str:
        return f"{self.term_id} in {self.document_id}: {self.weight:.3f}"
