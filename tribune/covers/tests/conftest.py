import pytest


@pytest.fixture(autouse=True)
def _media_in_a_fresh_folder(settings, tmp_path):
    """Each test stores its files in its own folder, as a site stores them in its data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
