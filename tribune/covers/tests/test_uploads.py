import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tribune.covers import actions
from tribune.covers.models import Cover, Source
from tribune.covers.tests import images
from tribune.covers.uploads import UploadRefused, read_upload
from tribune.testing import factories


def refusal(data: bytes) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        read_upload(io.BytesIO(data))
    return caught.value


def test_a_decompression_bomb_is_refused_before_decoding():
    error = refusal(images.png_header_only(50_000, 50_000))
    assert error.code == "too_many_pixels"
    assert "more than 40 million pixels" in error.messages[0]


def test_a_php_script_named_jpg_is_refused_as_not_an_image():
    error = refusal(b"<?php system($_GET['c']); ?>\n")
    assert error.code == "polyglot"
    assert "code" in error.messages[0]


def test_a_text_file_named_jpg_is_refused_as_not_an_image():
    error = refusal(b"Just some words, not a picture at all.\n" * 20)
    assert error.code == "not_an_image"
    assert "not a JPEG, PNG, WebP or GIF image" in error.messages[0]


def test_a_polyglot_picture_with_a_script_inside_is_refused():
    error = refusal(images.jpeg() + b"<script>alert(document.cookie)</script>")
    assert error.code == "polyglot"


def test_a_picture_with_a_zip_archive_appended_is_refused():
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.class", b"\xca\xfe\xba\xbe")
    error = refusal(images.jpeg() + archive.getvalue())
    assert error.code == "polyglot"


def test_a_truncated_picture_is_refused():
    whole = images.jpeg(colour=(10, 200, 90))
    error = refusal(whole[: len(whole) // 2])
    assert error.code == "damaged"
    assert "incomplete" in error.messages[0]


def test_an_svg_with_a_script_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    error = refusal(svg)
    assert error.code == "svg"
    assert "SVG images are not accepted" in error.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TRIBUNE_COVER_UPLOAD_MAX_BYTES = 50_000
    error = refusal(images.jpeg() + b"\x00" * 60_000)
    assert error.code == "too_large"
    assert "larger than 0.05 MB" in error.messages[0]


def test_a_picture_too_small_for_a_cover_is_refused():
    error = refusal(images.jpeg(size=(300, 200)))
    assert error.code == "too_small"
    assert "300 by 200 pixels" in error.messages[0]


def test_a_cmyk_jpeg_is_converted_to_rgb_rather_than_refused():
    # Print workflows still export CMYK; refusing them would send contributors away with
    # a file they cannot fix themselves, while the conversion is safe and exact enough.
    image = read_upload(io.BytesIO(images.jpeg(mode="CMYK", colour=(0, 255, 255, 0))))
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((100, 100))
    assert red > 200 and green < 60 and blue < 60


def test_an_animated_gif_is_flattened_to_its_first_frame():
    image = read_upload(io.BytesIO(images.animated_gif()))
    assert getattr(image, "n_frames", 1) == 1
    red, green, _blue = image.getpixel((10, 10))
    assert red > 150 and green < 80


@pytest.mark.django_db
def test_an_upload_is_stored_without_its_exif_and_gps_data():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
    upload = io.BytesIO(images.jpeg(exif=exif.tobytes()))
    assert b"SpyCam" in upload.getvalue()
    article = factories.article()
    cover = actions.replace_cover_with_upload(
        None, article, upload, alt_text="A market square", credit="Ana", licence="CC BY 4.0"
    )
    assert cover.source == Source.UPLOADED
    with default_storage.open(cover.upload) as file:
        stored = file.read()
    assert b"SpyCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


@pytest.mark.django_db
def test_a_refused_upload_keeps_the_cover_as_it_was():
    article = factories.article()
    before = actions.render_cover_files(article)
    with pytest.raises(UploadRefused):
        actions.replace_cover_with_upload(
            None, article, io.BytesIO(b"<svg/>"), alt_text="x", credit="y", licence="z"
        )
    after = Cover.objects.get(article=article)
    assert (after.source, after.files) == (Source.GENERATED, before.files)


@pytest.mark.django_db
def test_an_upload_needs_a_description_a_credit_and_a_licence():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        actions.replace_cover_with_upload(
            None, factories.article(), io.BytesIO(images.jpeg()), alt_text="", credit="", licence=""
        )
    assert set(caught.value.message_dict) == {"alt_text", "credit", "licence"}
