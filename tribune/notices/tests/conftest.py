import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from tribune.notices import actions
from tribune.notices.roles import MODERATORS
from tribune.testing import factories

BASE = "http://127.0.0.1:8000"


def make_moderator(username: str):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="moderator-password"
    )
    user.groups.add(Group.objects.get(name=MODERATORS))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def _english():
    """Actions called directly speak the active language; a German request must not leak."""
    with translation.override("en"):
        yield


@pytest.fixture
def moderator(db):
    return make_moderator("moderator")


@pytest.fixture
def second_moderator(db):
    return make_moderator("second-moderator")


def contributor(name: str = "Ada Writer"):
    user = factories.author(name)
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def notice_about(*articles, email: str = "", category: str = "defamation", trusted=None):
    return actions.submit_notice(
        trusted,
        category=category,
        items=[(BASE + article.get_absolute_url(), article) for article in articles],
        explanation="It claims things about me that are untrue.",
        passage="The second paragraph.",
        bona_fide=True,
        language="en",
        notifier_email=email,
    )


REMOVE = {
    "outcome": "remove",
    "ground": "illegal",
    "ground_detail": "§ 97 UrhG (copyright)",
    "ground_reference_url": "https://www.gesetze-im-internet.de/urhg/__97.html",
    "explanation": "The article reproduces a photograph without the rights holder's licence.",
    "facts": "A notice showed the photograph's earlier publication by its author.",
}
RESTRICT = {**REMOVE, "outcome": "restrict", "ground": "terms", "ground_detail": "Guidelines 3"}
