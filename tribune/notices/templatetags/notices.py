from django import template
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from tribune.notices.queries import statements_for

register = template.Library()


@register.inclusion_tag("notices/includes/statements.html")
def statements_of_reasons(user: AbstractBaseUser) -> dict:
    """The contributor's statements of reasons (DSA art. 17), for the desk; one query."""
    return {"decisions": statements_for(user), "dmca": settings.TRIBUNE_DMCA}
