"""Checks of uploaded files by their content, not their name, and within a size."""

import io
import math

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _megabytes(size: int, *, round_up: bool = False) -> str:
    value = size / MB
    value = math.ceil(value * 10) / 10 if round_up else value
    return formats.number_format(value, decimal_pos=1 if value % 1 else 0)


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier pèse %(size)s Mo : %(limit)s Mo au plus.")
            % {
                "size": _megabytes(upload.size, round_up=True),
                "limit": _megabytes(max_bytes),
            },
            code="too_big",
        )


class PdfValidator:
    """A real, readable PDF of at most ``max_bytes``, whatever its name says."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __eq__(self, other) -> bool:
        return isinstance(other, PdfValidator) and other.max_bytes == self.max_bytes

    def deconstruct(self):
        return ("core.uploads.PdfValidator", [self.max_bytes], {})

    def __call__(self, document) -> None:
        _check_size(document, self.max_bytes)
        document.seek(0)
        head = document.read(1024)
        document.seek(0)
        if b"%PDF-" not in head:
            raise ValidationError(
                _("Ce fichier n'est pas un PDF. Exportez votre document au format PDF."),
                code="not_pdf",
            )
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            PdfReader(io.BytesIO(document.read()), strict=False).pages[0]
        except (PdfReadError, IndexError, ValueError, KeyError, TypeError, OSError) as error:
            raise ValidationError(
                _("Ce PDF est illisible ou endommagé. Enregistrez-le de nouveau, puis réessayez."),
                code="bad_pdf",
            ) from error
        finally:
            document.seek(0)


def image_resized(upload, *, max_bytes: int = 10 * MB, max_side: int = 1600):
    """The uploaded image checked by its content (JPEG, PNG or WebP that Pillow can read,
    of a sane size) and returned as a JPEG no wider nor taller than ``max_side``, without
    its metadata. Raises ValidationError with a message for the person."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    _check_size(upload, max_bytes)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in {"JPEG", "PNG", "WEBP"}:
            raise ValidationError(
                _("Choisissez une image JPEG, PNG ou WebP."), code="bad_image_format"
            )
        if image.width * image.height > 40_000_000:
            raise ValidationError(_("Cette image est trop grande."), code="image_too_large")
        image = ImageOps.exif_transpose(image)
        image.thumbnail((max_side, max_side))
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible. Choisissez une image JPEG, PNG ou WebP."),
            code="bad_image",
        ) from error
    finally:
        upload.seek(0)
    name = (upload.name or "image").rsplit(".", 1)[0] + ".jpg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
