import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from tribune.core.models import AuditEntry
from tribune.covers import actions
from tribune.covers.models import Cover, Source
from tribune.covers.palettes import Style
from tribune.covers.tests import images
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cover_editor():
    user = factories.editor("cover-editor")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="covers"))
    return type(user).objects.get(pk=user.pk)


def test_an_editor_regenerates_a_cover_with_a_new_seed(client, cover_editor, committed):
    article = factories.article()
    first = actions.render_cover_files(article)
    client.force_login(cover_editor)
    with committed():
        response = client.post(
            "/admin/covers/cover/",
            {"action": "regenerate", "_selected_action": [first.pk]},
        )
    assert response.status_code == 302
    cover = Cover.objects.get(pk=first.pk)
    assert cover.seed == first.seed + 1
    assert cover.files["webp"] != first.files["webp"]
    assert AuditEntry.objects.filter(action="cover.regenerate").count() == 1


def test_an_editor_picks_another_style(client, cover_editor, committed):
    article = factories.article()
    cover = actions.render_cover_files(article)
    client.force_login(cover_editor)
    with committed():
        response = client.post(
            f"/admin/covers/cover/{cover.pk}/change/",
            {"style": Style.GEOMETRIC, "alt_text": "", "credit": "", "licence": ""},
        )
    assert response.status_code == 302
    cover = Cover.objects.get(pk=cover.pk)
    assert cover.style == Style.GEOMETRIC
    assert cover.fingerprint and cover.is_ready


def test_an_editor_replaces_the_cover_with_an_upload(client, cover_editor, committed):
    article = factories.article()
    cover = actions.render_cover_files(article)
    client.force_login(cover_editor)
    upload = io.BytesIO(images.jpeg())
    upload.name = "square.jpg"
    with committed():
        response = client.post(
            f"/admin/covers/cover/{cover.pk}/change/",
            {
                "style": "",
                "image": upload,
                "alt_text": "The square",
                "credit": "Ana",
                "licence": "CC BY 4.0",
            },
        )
    assert response.status_code == 302
    cover = Cover.objects.get(pk=cover.pk)
    assert cover.source == Source.UPLOADED
    assert cover.is_ready


def test_the_admin_says_why_an_upload_was_refused(client, cover_editor):
    article = factories.article()
    cover = actions.render_cover_files(article)
    client.force_login(cover_editor)
    upload = io.BytesIO(b"<?php echo 1; ?>")
    upload.name = "photo.jpg"
    response = client.post(
        f"/admin/covers/cover/{cover.pk}/change/",
        {"style": "", "image": upload, "alt_text": "x", "credit": "y", "licence": "z"},
    )
    assert response.status_code == 200
    assert "holds code or another file besides the picture" in response.content.decode()
    assert Cover.objects.get(pk=cover.pk).source == Source.GENERATED


def test_someone_without_the_permission_may_not_change_covers():
    article = factories.article()
    outsider = factories.author()
    with pytest.raises(PermissionDenied):
        actions.regenerate_cover(outsider, article)
