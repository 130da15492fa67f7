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
