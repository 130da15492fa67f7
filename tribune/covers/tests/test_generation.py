import pytest
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from tribune.covers import actions
from tribune.covers.backends.base import CoverSpec
from tribune.covers.backends.pillow import PillowCoverBackend
from tribune.covers.models import Cover
from tribune.covers.palettes import PALETTES, Style, palette_for
from tribune.covers.renditions import FONT_PATH, WIDTHS
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def stored_bytes(cover: Cover) -> dict[str, bytes]:
    names = [name for kind in ("webp", "jpeg") for _w, name in cover.files[kind]]
    names.append(cover.files["social"])
    result = {}
    for name in names:
        with default_storage.open(name) as file:
            result[name] = file.read()
    return result


def test_the_same_article_and_seed_give_byte_identical_files(settings, tmp_path):
    article = factories.article(title="Night trains are back")
    first = stored_bytes(actions.render_cover_files(article))
    settings.MEDIA_ROOT = tmp_path / "elsewhere"  # a second machine, drawing from scratch
    Cover.objects.filter(article=article).update(fingerprint="", files={})
    second = stored_bytes(actions.render_cover_files(article))
    assert first == second


def test_a_new_seed_gives_a_new_picture_and_the_old_seed_the_old_one():
    spec = CoverSpec(identity="7d0c", seed=0, style=Style.LINES, palette=PALETTES["moss"])
    backend = PillowCoverBackend()
    again = CoverSpec(identity="7d0c", seed=1, style=Style.LINES, palette=PALETTES["moss"])
    assert backend.draw(spec).tobytes() != backend.draw(again).tobytes()
    assert backend.draw(spec).tobytes() == backend.draw(spec).tobytes()


@pytest.mark.parametrize("style", list(Style))
def test_every_style_draws_a_full_size_picture_in_the_palette(style):
    art = PillowCoverBackend().draw(
        CoverSpec(identity="a1", seed=0, style=style, palette=PALETTES["ember"])
    )
    assert art.size == (1200, 630)
    assert art.mode == "RGB"
    assert len(art.getcolors(1_000_000)) > 20  # a picture, not a flat fill


def test_the_styles_look_different_from_each_other():
    pictures = {
        PillowCoverBackend()
        .draw(CoverSpec(identity="a1", seed=0, style=style, palette=PALETTES["lab"]))
        .tobytes()
        for style in Style
    }
    assert len(pictures) == 3


def test_the_palette_follows_the_topic():
    assert palette_for(["climate"], "x").key == "moss"
    assert palette_for(["politics", "climate"], "x").key == "moss"  # first by slug
    assert palette_for(["gardening"], "x") == palette_for(["gardening"], "y")


def test_every_rendition_is_stored_with_its_dimensions_and_format():
    article = factories.article()
    cover = actions.render_cover_files(article)
    for kind, pillow_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [width for width, _name in cover.files[kind]] == sorted(WIDTHS)
        for width, name in cover.files[kind]:
            assert name.startswith(f"covers/{article.uuid}/")
            with default_storage.open(name) as file, Image.open(file) as image:
                assert image.format == pillow_format
                assert image.size == (width, round(width * 630 / 1200))
    with default_storage.open(cover.files["social"]) as file, Image.open(file) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_file_names_change_with_their_content():
    article = factories.article()
    before = actions.render_cover_files(article).files
    actions.regenerate_cover(None, article)
    after = actions.render_cover_files(article).files
    assert {n for _w, n in before["webp"]}.isdisjoint(n for _w, n in after["webp"])


def test_rendering_again_changes_nothing():
    article = factories.article()
    cover = actions.render_cover_files(article)
    stamp = cover.rendered_at
    again = actions.render_cover_files(article)
    assert again.rendered_at == stamp
    assert again.files == cover.files


def test_a_new_headline_gives_a_new_social_card_but_the_same_art(committed):
    from tribune.articles import actions as article_actions

    article = factories.article(title="Before")
    first = actions.render_cover_files(article).files
    article_actions.revise_article(None, article, title="After", body="New words.")
    with committed():
        article_actions.publish_article(None, article)
    second = Cover.objects.get(article=article).files
    assert second["social"] != first["social"]
    assert second["webp"] == first["webp"]


def test_the_font_of_the_social_card_has_umlauts_and_sharp_s():
    font = ImageFont.truetype(str(FONT_PATH), 40)

    def drawn(text: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
        return image.tobytes()

    missing = drawn("\ue000")  # a private-use code point: the "no glyph" box
    for letter in "äöüÄÖÜß":
        assert drawn(letter) != missing, letter


def test_publishing_an_article_renders_its_cover(committed):
    with committed():
        article = factories.article()
    cover = Cover.objects.get(article=article)
    assert cover.is_ready
    assert default_storage.exists(cover.files["social"])
