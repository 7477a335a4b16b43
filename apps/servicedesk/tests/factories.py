"""Values and files the service-request tests share."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

RAISED = datetime.date(2025, 11, 3)  # a Monday; the default day requests are raised in the tests
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="批复.pdf", size=None):
    """A small PDF, or one of exactly ``size`` bytes."""
    content = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return SimpleUploadedFile(name, content, content_type="application/pdf")
