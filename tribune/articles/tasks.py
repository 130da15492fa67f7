"""Work that follows a change but need not make anyone wait."""

from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tribune.articles.models import Article, Status
from tribune.core import pagecache


@task()
def warm_article_pages(article_id: int) -> None:
    """Render a newly published article, its translations and its home page into the cache.

    Idempotent: running it twice renders the same pages twice.
    """
    article = Article.objects.filter(pk=article_id, status=Status.PUBLISHED).first()
    if article is None:
        return
    group = Article.objects.filter(
        translation_group=article.translation_group, status=Status.PUBLISHED
    )
    paths = [a.get_absolute_url() for a in group]
    with translation.override(article.language):
        paths.append(reverse("articles:home"))
    # After commit, like the invalidations the other follow-up tasks schedule: warming
    # must render the page those leave behind, not the one before them.
    transaction.on_commit(partial(pagecache.warm, paths))
