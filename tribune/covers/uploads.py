"""Validation of uploaded cover images.

An upload is trusted for nothing: its type is read from its bytes, its size and pixel count
are limited before decoding, and what is kept is a fresh encoding of its pixels (no EXIF or
GPS data, sRGB, one frame), never the file as sent. Each refusal says why, in words a
contributor can act on.
"""

import io
import re
import warnings
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MIN_WIDTH, MIN_HEIGHT = 600, 315
# Markers of code or markup that have no business inside a picture: a file that carries
# them is built to be read as something else too (a polyglot).
_FOREIGN = re.compile(rb"<\?php|<\?=|<script|<html|<svg|<!doctype|<%|#!/", re.IGNORECASE)
_ZIP_END = b"PK\x05\x06"
_SRGB = ImageCms.createProfile("sRGB")


class UploadRefused(ValidationError):
    """An upload that is not kept; the message says why."""


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g}"


def read_upload(file: IO[bytes]) -> Image.Image:
    """Return the upload's picture as a still RGB image in sRGB, or raise UploadRefused."""
    limit = settings.TRIBUNE_COVER_UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)s MB; upload a smaller image.")
            % {"limit": _megabytes(limit)},
            code="too_large",
        )
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise UploadRefused(
            _(
                "SVG images are not accepted, as they can carry scripts; upload a JPEG, PNG or "
                "WebP image."
            ),
            code="svg",
        )
    if _FOREIGN.search(data) or _ZIP_END in data[-66_000:]:
        raise UploadRefused(
            _("The file holds code or another file besides the picture; upload a plain image."),
            code="polyglot",
        )
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check, at twice its warning limit, may come before ours.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError):
        raise UploadRefused(
            _("This file is not a JPEG, PNG, WebP or GIF image, whatever its name says."),
            code="not_an_image",
        ) from None
    _check_dimensions(image)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)  # an animation keeps its first frame
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError):
        raise UploadRefused(
            _("The image is damaged or incomplete; save it again and upload the new file."),
            code="damaged",
        ) from None
    return _normalised(image)


def _too_many_pixels() -> UploadRefused:
    return UploadRefused(
        _("The image has more than %(limit)s million pixels; upload a smaller one.")
        % {"limit": f"{settings.TRIBUNE_COVER_UPLOAD_MAX_PIXELS / 1_000_000:g}"},
        code="too_many_pixels",
    )


def _check_dimensions(image: Image.Image) -> None:
    width, height = image.size
    # Read from the header, before a single pixel is decoded: a small file can claim
    # billions of pixels (a decompression bomb).
    if width * height > settings.TRIBUNE_COVER_UPLOAD_MAX_PIXELS:
        raise _too_many_pixels()
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise UploadRefused(
            _(
                "The image is %(width)s by %(height)s pixels; a cover needs at least %(min_width)s "
                "by %(min_height)s."
            )
            % {"width": width, "height": height, "min_width": MIN_WIDTH, "min_height": MIN_HEIGHT},
            code="too_small",
        )


def _normalised(image: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB, one frame; metadata is left behind with the original."""
    profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if profile and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: keep the pixels as they are
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    return image.convert("RGB")
