import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.django_db
def test_health_endpoint_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_the_german_interface_is_translated(client):
    html = client.get("/de/").content.decode()
    assert "Neueste Artikel" in html
    assert "Richtlinien für Beiträge" in html
    assert "Impressum" in html and "Datenschutz" in html


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
def test_compiled_translations_match_their_sources(tmp_path):
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        fresh = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
        with fresh.open("rb") as a, po.with_suffix(".mo").open("rb") as b:
            assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
                f"{po} changed: run `make messages`"
            )


@pytest.mark.django_db
def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    import re

    from django.contrib.staticfiles import finders

    html = client.get("/en/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon is not None
    found = finders.find(icon.group(1).removeprefix("/static/"))
    assert found is not None and Path(found).read_text().startswith("<svg")
