import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from tribune.api import actions
from tribune.api.models import Scope

ALL_SCOPES = [Scope.READ_OWN, Scope.DRAFTS, Scope.SUBMISSIONS]


@pytest.fixture(autouse=True)
def _media_in_a_fresh_folder(settings, tmp_path):
    """Covers are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def person(username: str, *, editor: bool = False):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-123456!"
    )
    user.groups.add(Group.objects.get(name="Editors" if editor else "Contributors"))
    return get_user_model().objects.get(pk=user.pk)


class ApiClient(Client):
    """A test client that sends a bearer token with every request and no cookies."""

    def __init__(self, secret: str = "", **defaults: str) -> None:
        if secret:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        super().__init__(**defaults)

    def send_json(self, method: str, path: str, data: object):
        return getattr(self, method)(path, data, content_type="application/json")


def token_for(user, scopes=ALL_SCOPES) -> str:
    _token, secret = actions.create_token(user, name="writing app", scopes=scopes)
    return secret


@pytest.fixture
def contributor():
    return person("writer")


@pytest.fixture
def other_contributor():
    return person("other-writer")


@pytest.fixture
def editor():
    return person("editor", editor=True)


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


@pytest.fixture
def as_contributor(contributor) -> ApiClient:
    return ApiClient(token_for(contributor))


@pytest.fixture
def as_other_contributor(other_contributor) -> ApiClient:
    return ApiClient(token_for(other_contributor))


@pytest.fixture
def as_editor(editor) -> ApiClient:
    return ApiClient(token_for(editor))
