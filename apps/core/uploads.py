"""What may be uploaded as a document (a request's reply attachment, a stage change's evidence): a few
document and image types, at most MAX_ATTACHMENT_BYTES, the content matching the extension. Checked by the
services (pages, API and the contact link alike) before anything is stored. Such files are only ever handed
out as downloads (application/octet-stream, attachment) by a view that checked the reader first."""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from apps.core.errors import DomainError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Files that feed an import, as a form takes them. The target library's CSV or XLSX: a million rows is about 100 MB,
# and deploy/nginx.conf's client_max_body_size (200m) is the outer bound. A chain map or a relations sheet is a few
# hundred rows. The command line (manage.py import_organisations) reads files from disk and has no such limit.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_SHEET_BYTES = 20 * 1024 * 1024

# Extension → the first bytes such a file starts with (None: plain text, no signature). The extension
# alone would let a renamed program through; the signature alone would not tell the reader what to open.
_PDF, _PNG, _JPEG = (b"%PDF",), (b"\x89PNG\r\n\x1a\n",), (b"\xff\xd8\xff",)
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED = {
    ".pdf": _PDF, ".png": _PNG, ".jpg": _JPEG, ".jpeg": _JPEG,
    ".docx": _ZIP, ".xlsx": _ZIP, ".doc": _OLE, ".xls": _OLE,
    ".txt": None,
}
ALLOWED_TEXT = "PDF、Word（doc/docx）、Excel（xls/xlsx）、图片（jpg/png）或 txt"
ACCEPT_ATTRIBUTE = ",".join(ALLOWED)


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def too_large(upload, limit: int, label: str, hint: str) -> str | None:
    """The message for an upload over ``limit`` bytes, naming the field and what to do, or None."""
    size = getattr(upload, "size", None) or 0
    if size <= limit:
        return None
    return gettext("%(label)s：文件过大（%(size)s），不能超过 %(limit)s MB，%(hint)s。") % {
        "label": label, "size": _size_text(size), "limit": limit // 1024 // 1024, "hint": hint}


class SizeLimit:
    """A form field's validator: an upload over ``limit`` bytes is refused with too_large's message."""

    def __init__(self, limit: int, label, hint):
        self.limit, self.label, self.hint = limit, label, hint

    def __call__(self, upload) -> None:
        problem = too_large(upload, self.limit, str(self.label), str(self.hint))
        if problem:
            raise ValidationError(problem, code="file_size")


def check_attachment(upload, *, field: str = "attachment", label: str = "附件") -> None:
    """Raise a DomainError naming the field if ``upload`` is too large or not an allowed type."""
    if not upload:
        return
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        shown = f"“{ext}”" if ext else "无扩展名的"
        raise DomainError(f"{label}：不支持{shown}文件，请上传 {ALLOWED_TEXT} 文件。", field=field, code="file_type")
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            f"{label}：文件过大（{_size_text(size)}），不能超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，"
            "请压缩或拆分后再上传。", field=field, code="file_size")
    if size == 0:
        raise DomainError(f"{label}：文件是空的，请重新选择。", field=field, code="file_empty")
    signatures = ALLOWED[ext]
    if signatures is None:
        return
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise DomainError(f"{label}：文件内容与扩展名“{ext}”不符，请上传原始的 {ext[1:].upper()} 文件。",
                          field=field, code="file_type")
