"""Files sent with an appeal (DSA art. 20(3) "sufficiently precise and adequately
substantiated": a screenshot, a licence, a letter). They hold personal data, so they are
never served from /media/: they live in `<TRIBUNE_DATA_DIR>/private/` (share that folder
between machines like the media folder) and only moderators download them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
# Recognised from the first bytes, never from the name the sender chose.
SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
CONTENT_TYPES = {extension: content_type for _magic, extension, content_type in SIGNATURES}


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.DATA_DIR / "private")


def check_attachment(upload: UploadedFile) -> str:
    """The file's real kind ("pdf", "png", "jpg"); ValidationError for anything else."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension, _content_type in SIGNATURES:
        if head.startswith(magic):
            return extension
    raise ValidationError(_("Please attach a PDF, PNG or JPEG file."))
