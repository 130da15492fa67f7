from django import template
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist

from tribune.articles.models import Article
from tribune.notices.queries import statements_for, suspensions_for

register = template.Library()


@register.inclusion_tag("notices/includes/statements.html")
def statements_of_reasons(user: AbstractBaseUser) -> dict:
    """The contributor's statements of reasons (DSA art. 17) for decisions on their articles
    and for suspensions of their account, for the desk; three queries."""
    return {
        "decisions": statements_for(user),
        "suspensions": suspensions_for(user),
        "dmca": settings.TRIBUNE_DMCA,
    }


@register.inclusion_tag("notices/includes/label.html")
def notice_label(article: Article) -> dict:
    """The "Disputed content" banner of a labelled article, nothing otherwise.

    Free when the page fetched the article with select_related("notice_label"); one query
    otherwise."""
    try:
        label = article.notice_label
    except ObjectDoesNotExist:
        label = None
    return {"label": label}
