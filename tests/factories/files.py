"""Files people upload: real PDFs and images, made in memory."""

from devdata.demo.mementos import cover_image, simple_pdf


def pdf_bytes() -> bytes:
    """A small, valid PDF of one page."""
    return simple_pdf(["Document de test", "Une page."])


__all__ = ["cover_image", "pdf_bytes", "simple_pdf"]
